import { Router, type Request, type Response } from 'express';
import { faultOf, type FaultPlan, type NewFault } from '../faults.js';
import { problem } from './problem.js';

/** GET (list), POST (add) and DELETE (clear) the faults of one mocked API: /__admin/maple/faults, /__admin/waldur/faults. */
export function createFaultsRouter(planOf: (res: Response) => FaultPlan): Router {
  const router = Router();
  router.get('/', (_req, res) => res.json({ faults: planOf(res).list() }));
  router.post('/', (req: Request, res) => {
    const fault = faultOf(req.body as NewFault); // its members checked against specs/admin.yaml
    if ('problems' in fault) return problem(res, 400, 'invalid data', fault.problems);
    const plan = planOf(res);
    plan.add(fault);
    return res.status(201).json({ faults: plan.list() });
  });
  router.delete('/', (_req, res) => {
    planOf(res).clear();
    res.json({ faults: [] });
  });
  return router;
}
