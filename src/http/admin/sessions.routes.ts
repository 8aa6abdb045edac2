import { Router, type Request } from 'express';
import { sessionNameProblem, type Session, type SessionRegistry } from '../sessions.js';
import { problem } from './problem.js';

/** What a session holds, as counts: enough to see which one grows. */
function sizeOf(s: Session): Record<string, number> {
  const w = s.world.waldur.store;
  const books = s.world.maple.store.companies();
  const total = (pick: (b: (typeof books)[number]) => number) => books.reduce((n, b) => n + pick(b), 0);
  return {
    customer_credits: w.customerCredits.size,
    project_credits: w.projectCredits.size,
    customers: w.customers.size,
    projects: w.projects.size,
    invoices: w.invoices.size,
    maple_companies: books.length,
    maple_credits: total((b) => b.credits.size),
    maple_logs: total((b) => b.logs.size),
    maple_idempotency_keys: total((b) => b.idempotency.size),
  };
}

function describe(s: Session) {
  return {
    name: s.name,
    created: new Date(s.created).toISOString(),
    last_used: new Date(s.lastUsed).toISOString(),
    size: sizeOf(s),
  };
}

/**
 * /__admin/sessions: the live sessions, and dropping one. Served only
 * outside a session (sessions.ts answers 404 for it under a prefix); other
 * methods and paths fall through to the admin router's 404.
 */
export function createSessionsRouter(registry: SessionRegistry): Router {
  const router = Router();
  router.get('/', (_req, res) => res.json({ sessions: registry.list().map(describe) }));
  router.delete('/:name', (req: Request, res) => {
    const name = String(req.params.name);
    const bad = sessionNameProblem(name);
    if (bad) return problem(res, 400, 'invalid session name', [bad]);
    if (!registry.delete(name)) return problem(res, 404, 'no such session', [`there is no session named ${name}`]);
    return res.status(204).end();
  });
  return router;
}
