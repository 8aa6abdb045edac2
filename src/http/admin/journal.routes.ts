import { Router, type Request, type Response } from 'express';
import { entryJson, type RequestJournal } from '../journal.js';
import { count, parseFilter, select } from '../journal-filter.js';
import { problem } from './problem.js';

/**
 * /__admin/requests: the request journal of the mocked APIs. GET lists what
 * matches a filter (newest first), POST /count counts it (a test's "exactly
 * one consume with this key"), DELETE empties the journal.
 */
export function createJournalRouter(
  journalOf: (res: Response) => RequestJournal,
  operations: readonly string[],
): Router {
  const router = Router();
  router.get('/', (req: Request, res) => {
    const filter = parseFilter(req.query as Record<string, unknown>, operations); // checked against specs/admin.yaml
    if ('problems' in filter) return problem(res, 400, 'invalid filter', filter.problems);
    return res.json({ requests: select(journalOf(res), filter).map(entryJson) });
  });
  router.delete('/', (_req, res) => {
    journalOf(res).clear();
    res.status(204).end();
  });
  router.post('/count', (req: Request, res) => {
    const filter = parseFilter(req.body as Record<string, unknown> | undefined, operations); // checked against specs/admin.yaml
    if ('problems' in filter) return problem(res, 400, 'invalid filter', filter.problems);
    return res.json({ count: count(journalOf(res), filter) });
  });
  return router;
}
