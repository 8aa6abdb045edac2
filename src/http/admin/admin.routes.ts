import { once } from 'node:events';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { IdGenerator } from '../../domain/clock.js';
import type { ControllableClock } from '../../clock.js';
import type { BillingCycle } from '../../domain/waldur/billing-cycle.service.js';
import { parseMapleFixtures } from '../../fixtures/maple.fixtures.js';
import type { MapleState } from '../../domain/maple/maple.store.js';
import { parseWaldurFixtures } from '../../fixtures/waldur.fixtures.js';
import type { WaldurState, WaldurStore } from '../../domain/waldur/waldur.store.js';
import type { StartFixtures } from '../world.js';
import { scopeOf, type World } from '../world.js';
import type { FaultPlan } from '../faults.js';
import type { RequestJournal } from '../journal.js';
import { MAPLE_OPERATION_IDS } from '../maple/faults.js';
import { WALDUR_OPERATION_IDS } from '../waldur/waldur.faults.js';
import { createFaultsRouter } from './faults.routes.js';
import { createWaldurSettingsRouter } from './waldur-settings.routes.js';
import type { WaldurSettings } from '../../domain/waldur/profile.js';
import { createJournalRouter } from './journal.routes.js';
import { createMapleAdminRouter, type MapleAdminOptions } from './maple-admin.routes.js';
import { stateExportChunks } from '../../fixtures/state-export.js';
import { readJsonDocument } from './json-document.js';
import { guarded, problem } from './problem.js';
import { refuseDeepJson } from '../json-depth.js';
import { checkAdminRequest, stateDocumentProblems, validateAdminRequests } from './admin-request-validation.js';
import type { AdminSchemas } from '../../fixtures/admin-spec.js';
import { clockTime, EARLIEST, LATEST } from './admin-request-schemas.js';

export interface AdminOptions {
  store: WaldurStore;
  maple: MapleAdminOptions;
  clock: ControllableClock;
  ids: IdGenerator;
  /** The fixtures documents the server started with: what reset returns to. */
  fixtures: StartFixtures;
  billing: BillingCycle;
  /** The request journal of the mocked APIs (/__admin/requests). */
  journal: RequestJournal;
  waldurFaults: FaultPlan;
  /** The world's Waldur version profile (/__admin/waldur/settings). */
  waldurSettings: WaldurSettings;
}

type Kind = 'customers' | 'projects' | 'offerings' | 'users' | 'invoices';
const KINDS: readonly Kind[] = ['customers', 'projects', 'offerings', 'users', 'invoices'];

/** What the admin routes work on: the world of the request (the default one, or a session's). */
export function adminOptions(world: World): AdminOptions {
  return {
    store: world.waldur.store,
    maple: { store: world.maple.store, settings: world.maple.settings, faults: world.faults, ids: world.maple.ids },
    clock: world.clock,
    ids: world.ids,
    fixtures: world.fixtures,
    billing: world.billing,
    journal: world.journal,
    waldurFaults: world.waldurFaults,
    waldurSettings: world.waldurSettings,
  };
}

/** The operationIds a journal filter may name: both APIs'. */
const OPERATIONS = [...WALDUR_OPERATION_IDS, ...MAPLE_OPERATION_IDS];

/**
 * The control API under /__admin/ (specs/admin.yaml): reset, state
 * export/import, seed data, clock. Built once; every route works on the
 * world of its request (`res.locals.scope`, see world.ts).
 */
export function createAdminRouter(): Router {
  const router = Router();
  const now = (opts: AdminOptions) => opts.clock.now().toISOString();

  // Before the JSON middleware and its limit: a state document is read whole, however large (json-document.ts).
  router.put('/state', async (req: Request, res) => {
    const doc = await readJsonDocument(req);
    if ('status' in doc)
      return problem(res, doc.status, doc.status === 413 ? 'body too large' : 'invalid JSON', [doc.message]);
    return guarded(res, () => {
      const opts = optionsOf(res);
      const top = stateDocumentProblems(doc.value);
      if (top.length > 0) return void problem(res, 400, 'invalid data', top);
      const body = doc.value as { waldur?: unknown; maple?: unknown };
      const state = replaceAll(opts, { waldur: body.waldur, maple: body.maple });
      res.json({
        status: 'imported',
        counts: counts(state.waldur ?? opts.store.export()),
        maple: mapleCounts(state.maple ?? opts.maple.store.export()),
      });
    });
  });
  router.use(express.json({ limit: '64mb', verify: refuseDeepJson }));
  router.use(validateAdminRequests());

  const replace = (opts: AdminOptions, doc: unknown): WaldurState => {
    const state = parseWaldurFixtures(doc, now(opts));
    opts.store.load(state);
    return state;
  };

  /** Checks both documents first, then replaces both halves: a broken one changes nothing. */
  const replaceAll = (
    opts: AdminOptions,
    docs: { waldur?: unknown; maple?: unknown },
  ): { waldur?: WaldurState; maple?: MapleState } => {
    const waldur = docs.waldur === undefined ? undefined : parseWaldurFixtures(docs.waldur, now(opts));
    const maple = docs.maple === undefined ? undefined : parseMapleFixtures(docs.maple);
    if (waldur) opts.store.load(waldur);
    if (maple) opts.maple.store.load(maple);
    return { waldur, maple };
  };

  router.get('/health', (_req, res) =>
    res.json({ status: 'ok', waldur_version: optionsOf(res).waldurSettings.version }),
  );

  router.post('/reset', (_req, res) =>
    guarded(res, () => {
      const opts = optionsOf(res);
      opts.store.load(opts.fixtures.waldur);
      opts.maple.store.load(opts.fixtures.maple);
      opts.clock.reset();
      opts.journal.clear();
      const state = opts.fixtures;
      res.json({ status: 'reset', counts: counts(state.waldur!), maple: mapleCounts(state.maple!) });
    }),
  );

  router.get('/state', async (_req, res) => {
    const opts = optionsOf(res);
    res.status(200).type('application/json');
    for (const chunk of stateExportChunks(opts.store, opts.maple.store)) {
      if (!res.write(chunk)) await once(res, 'drain');
    }
    res.end();
  });

  router.use(
    '/maple',
    createMapleAdminRouter(
      (res) => optionsOf(res).maple,
      (res) => now(optionsOf(res)),
    ),
  );
  router.use(
    '/requests',
    createJournalRouter((res) => optionsOf(res).journal, OPERATIONS),
  );
  router.use(
    '/waldur/faults',
    createFaultsRouter((res) => optionsOf(res).waldurFaults),
  );
  router.use(
    '/waldur/settings',
    createWaldurSettingsRouter((res) => optionsOf(res).waldurSettings),
  );

  for (const kind of KINDS) {
    router.post(`/waldur/${kind}`, (req: Request, res) =>
      guarded(res, () => {
        const opts = optionsOf(res);
        const item = req.body as Record<string, unknown>; // an object of its schema in specs/admin.yaml
        const withId: Record<string, unknown> = { ...item, uuid: item.uuid ?? opts.ids.uuidHex() };
        if (kind === 'invoices' && Array.isArray(item.items)) {
          withId.items = (item.items as Record<string, unknown>[]).map((i) =>
            withResource({ ...i, uuid: i?.uuid ?? opts.ids.uuidHex() }, opts.ids),
          );
        }
        const current = opts.store.export();
        const state = replace(opts, { ...current, [kind]: [...current[kind], withId] });
        res.status(201).json(state[kind][state[kind].length - 1]);
      }),
    );
  }

  router.get('/waldur/invoices', (req: Request, res) => {
    const opts = optionsOf(res);
    const customer = typeof req.query.customer === 'string' ? req.query.customer.replace(/-/g, '').toLowerCase() : null;
    res.json(opts.store.export().invoices.filter((i) => customer === null || i.customer === customer));
  });

  router.post('/waldur/invoices/:uuid/items', (req: Request, res) =>
    guarded(res, () => {
      const opts = optionsOf(res);
      const item = req.body as Record<string, unknown>;
      const current = opts.store.export();
      const uuid = String(req.params.uuid).replace(/-/g, '').toLowerCase();
      const invoice = current.invoices.find((i) => i.uuid === uuid);
      if (!invoice) return void problem(res, 404, 'no such invoice', [`invoice ${uuid} does not exist`]);
      if (invoice.state !== 'pending')
        return void problem(res, 409, 'invoice is closed', [`invoice ${uuid} is ${invoice.state}`]);
      if (!checkAdminRequest(req, res)) return;
      const withId = withResource({ ...item, uuid: item.uuid ?? opts.ids.uuidHex() }, opts.ids);
      const invoices = current.invoices.map((i) => (i.uuid === uuid ? { ...i, items: [...i.items, withId] } : i));
      const state = replace(opts, { ...current, invoices });
      const stored = state.invoices.find((i) => i.uuid === uuid)!;
      res.status(201).json(stored.items[stored.items.length - 1]);
    }),
  );

  router.post('/waldur/projects/:uuid/terminate', (req: Request, res) => {
    const opts = optionsOf(res);
    const uuid = String(req.params.uuid).replace(/-/g, '').toLowerCase();
    if (!opts.store.projects.get(uuid)) return problem(res, 404, 'no such project', [`project ${uuid} does not exist`]);
    if (!checkAdminRequest(req, res)) return;
    opts.billing.catchUp();
    opts.billing.terminateProject(uuid);
    return res.json({ status: 'terminated', project: uuid });
  });

  router.post('/waldur/set-to-zero-overdue-credits', (req: Request, res) => {
    const opts = optionsOf(res);
    const { date } = req.body as { date: string }; // a calendar date, checked against specs/admin.yaml
    opts.billing.catchUp();
    try {
      const zeroed = opts.billing.setToZeroOverdueCredits(date);
      return res.json({
        status: 'done',
        date,
        customer_credits: zeroed.customerCredits,
        project_credits: zeroed.projectCredits,
      });
    } catch (err) {
      if (err instanceof RangeError)
        return problem(res, 400, 'invalid data', [
          `date: ${err.message} (the mock's today is ${now(opts).slice(0, 10)})`,
        ]);
      throw err;
    }
  });

  router.get('/clock', (_req, res) => res.json(clockBody(optionsOf(res).clock)));
  router.post('/clock', (req: Request, res) => {
    const opts = optionsOf(res);
    const change = clockChange(req.body as AdminSchemas['ClockChange'] | undefined, opts.clock.now().getTime());
    if ('problems' in change) return problem(res, 400, 'invalid data', change.problems);
    if (change.at !== null) opts.clock.set(change.at, change.freeze !== false);
    else if (change.freeze === true) opts.clock.freeze();
    else if (change.freeze === false) opts.clock.unfreeze();
    if (change.advanceMs !== 0) opts.clock.advance(change.advanceMs);
    return res.json(clockBody(opts.clock));
  });

  router.use((_req, res) => problem(res, 404, 'no such admin route'));
  router.use(
    (err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, next: NextFunction) => {
      if (err.type === 'entity.parse.failed') return problem(res, 400, 'invalid JSON', [err.message ?? '']);
      if (err.type === 'entity.too.large') return problem(res, 413, 'body too large', [err.message ?? '']);
      if (typeof err.status === 'number' && err.status < 500)
        return problem(res, err.status, 'bad request', [err.message ?? '']);
      return next(err);
    },
  );
  return router;
}

/** The admin view of the request's world. */
function optionsOf(res: Response): AdminOptions {
  return adminOptions(scopeOf(res).world);
}

/** Usage comes from a resource (Waldur compensates nothing else): one is made up when an item names none; null keeps it without. */
function withResource(item: Record<string, unknown>, ids: IdGenerator): Record<string, unknown> {
  return item.resource === undefined ? { ...item, resource: ids.uuidHex() } : item;
}

type ClockChange = { at: Date | null; freeze: boolean | undefined; advanceMs: number } | { problems: string[] };

/** The change a valid ClockChange body asks for (specs/admin.yaml); the days to advance must keep the clock in range. */
function clockChange(body: AdminSchemas['ClockChange'] | undefined, nowMs: number): ClockChange {
  const at = body?.now === undefined ? null : clockTime(body.now);
  const advanceMs = (body?.advance_days ?? 0) * 86_400_000;
  const target = (at?.getTime() ?? nowMs) + advanceMs;
  if (!Number.isFinite(advanceMs) || target < EARLIEST || target > LATEST) {
    return { problems: ['advance_days: must be a number of days that keeps the clock between the years 1 and 9999'] };
  }
  return { at, freeze: body?.freeze, advanceMs };
}

function counts(state: WaldurState): Record<string, number> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, (v as unknown[]).length]));
}

function mapleCounts(state: MapleState): Record<string, number> {
  const total = (pick: (c: MapleState['companies'][number]) => unknown[]) =>
    state.companies.reduce((n, c) => n + pick(c).length, 0);
  return {
    companies: state.companies.length,
    customers: total((c) => c.customers),
    items: total((c) => c.items),
    subscriptions: total((c) => c.subscriptions),
    invoices: total((c) => c.invoices),
    credits: total((c) => c.credits),
    logs: total((c) => c.logs),
  };
}

function clockBody(clock: ControllableClock) {
  const now = clock.now().toISOString();
  return { now, today: now.slice(0, 10), frozen: clock.frozen };
}
