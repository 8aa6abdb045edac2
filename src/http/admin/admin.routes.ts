import express, { Router, type Request, type Response } from 'express';
import type { IdGenerator } from '../../domain/clock.js';
import type { ControllableClock } from '../../clock.js';
import { FixtureError, parseWaldurFixtures } from '../../store/waldur.fixtures.js';
import type { WaldurState, WaldurStore } from '../../store/waldur.store.js';

export interface AdminOptions {
  store: WaldurStore;
  clock: ControllableClock;
  ids: IdGenerator;
  /** The fixtures document the server started with: what reset returns to. */
  fixtures: unknown;
}

type Kind = 'customers' | 'projects' | 'offerings' | 'users';
const KINDS: readonly Kind[] = ['customers', 'projects', 'offerings', 'users'];

const problem = (res: Response, status: number, message: string, problems: string[] = []) =>
  res.status(status).json({ error: message, problems });

/** The control API under /__admin/ (specs/admin.yaml): reset, state export/import, seed data, clock. */
export function createAdminRouter(opts: AdminOptions): Router {
  const router = Router();
  router.use(express.json({ limit: '64mb' }));
  const now = () => opts.clock.now().toISOString();

  const replace = (doc: unknown): WaldurState => {
    const state = parseWaldurFixtures(doc, now());
    opts.store.load(state);
    return state;
  };
  const guarded = (res: Response, work: () => void) => {
    try {
      work();
    } catch (err) {
      if (err instanceof FixtureError) problem(res, 400, 'invalid data', err.problems);
      else throw err;
    }
  };

  router.get('/health', (_req, res) => res.json({ status: 'ok' }));

  router.post('/reset', (_req, res) =>
    guarded(res, () => {
      const state = replace(opts.fixtures);
      res.json({ status: 'reset', counts: counts(state) });
    }),
  );

  router.get('/state', (_req, res) => res.json({ waldur: opts.store.export() }));

  router.put('/state', (req: Request, res) =>
    guarded(res, () => {
      const body = req.body as { waldur?: unknown } | undefined;
      if (!body || typeof body !== 'object' || !('waldur' in body)) {
        problem(res, 400, 'invalid data', ['(top level): must have property waldur']);
        return;
      }
      res.json({ status: 'imported', counts: counts(replace(body.waldur)) });
    }),
  );

  for (const kind of KINDS) {
    router.post(`/waldur/${kind}`, (req: Request, res) =>
      guarded(res, () => {
        const item = req.body as Record<string, unknown> | undefined;
        if (!item || typeof item !== 'object' || Array.isArray(item)) {
          problem(res, 400, 'invalid data', ['(top level): must be an object']);
          return;
        }
        const withId = { ...item, uuid: item.uuid ?? opts.ids.uuidHex() };
        const current = opts.store.export();
        const state = replace({ ...current, [kind]: [...current[kind], withId] });
        res.status(201).json(state[kind][state[kind].length - 1]);
      }),
    );
  }

  router.get('/clock', (_req, res) => res.json(clockBody(opts.clock)));
  router.post('/clock', (req: Request, res) => {
    const body = (req.body ?? {}) as { now?: unknown; freeze?: unknown; advance_days?: unknown };
    const problems: string[] = [];
    const at = body.now === undefined ? null : new Date(String(body.now));
    if (at && Number.isNaN(at.getTime())) problems.push('now: must be a date or date-time');
    if (body.freeze !== undefined && typeof body.freeze !== 'boolean') problems.push('freeze: must be a boolean');
    if (body.advance_days !== undefined && (typeof body.advance_days !== 'number' || !Number.isFinite(body.advance_days))) {
      problems.push('advance_days: must be a number');
    }
    if (problems.length > 0) return problem(res, 400, 'invalid data', problems);
    if (at) opts.clock.set(at, body.freeze !== false);
    else if (body.freeze === true) opts.clock.freeze();
    else if (body.freeze === false) opts.clock.unfreeze();
    if (typeof body.advance_days === 'number') opts.clock.advance(body.advance_days * 86_400_000);
    return res.json(clockBody(opts.clock));
  });

  router.use((_req, res) => problem(res, 404, 'no such admin route'));
  return router;
}

function counts(state: WaldurState): Record<string, number> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, (v as unknown[]).length]));
}

function clockBody(clock: ControllableClock) {
  const now = clock.now().toISOString();
  return { now, today: now.slice(0, 10), frozen: clock.frozen };
}
