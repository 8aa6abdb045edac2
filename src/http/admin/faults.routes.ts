import { Router, type Request } from 'express';
import type { Fault, FaultPlan } from '../faults.js';
import { problem } from './problem.js';

/** GET (list), POST (add) and DELETE (clear) the faults of one mocked API: /__admin/maple/faults, /__admin/waldur/faults. */
export function createFaultsRouter(plan: FaultPlan, parse: (body: unknown) => Fault | { problems: string[] }): Router {
  const router = Router();
  router.get('/', (_req, res) => res.json({ faults: plan.list() }));
  router.post('/', (req: Request, res) => {
    const fault = parse(req.body);
    if ('problems' in fault) return problem(res, 400, 'invalid data', fault.problems);
    plan.add(fault);
    return res.status(201).json({ faults: plan.list() });
  });
  router.delete('/', (_req, res) => {
    plan.clear();
    res.json({ faults: [] });
  });
  return router;
}
