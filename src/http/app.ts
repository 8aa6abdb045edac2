import type { RequestListener } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ControllableClock } from '../clock.js';
import type { IdGenerator } from '../domain/clock.js';
import type { MapleSettings } from '../domain/maple/credits.service.js';
import { createMapleIds, randomFromIdGenerator } from '../domain/maple/ids.js';
import type { MapleState, MapleStore } from '../store/maple.store.js';
import type { WaldurState, WaldurStore } from '../store/waldur.store.js';
import { BillingCycle } from '../domain/waldur/billing-cycle.service.js';
import type { Logger } from '../logger.js';
import { createAdminRouter } from './admin/admin.routes.js';
import { pathOf, type ApiHandler } from './api-handler.js';
import { FaultPlan } from './faults.js';
import { RequestJournal } from './journal.js';
import { MAPLE_OPERATION_IDS } from './maple/faults.js';
import { createRecorder } from './recorder.js';
import { logOtherRequests } from './request-log.js';
import { WALDUR_OPERATION_IDS } from './waldur/waldur.faults.js';
import { createMapleApi } from './maple/maple.api.js';
import type { SelfCheckMode } from './self-check.js';
import { createWaldurApi } from './waldur/waldur.api.js';

/**
 * The states the server started with, what /__admin/reset goes back to. Their
 * records are frozen and shared with the tables until a write replaces them,
 * so keeping them costs no copy.
 */
export interface StartFixtures {
  waldur: WaldurState;
  maple: MapleState;
}

export interface AppOptions {
  waldur: WaldurStore;
  maple: MapleStore;
  /** The Maple switches (README: behaviour choices); /__admin/maple/settings changes this object. */
  mapleSettings: MapleSettings;
  clock: ControllableClock;
  ids: IdGenerator;
  fixtures: StartFixtures;
  admin: boolean;
  selfCheck: SelfCheckMode;
  /** Self-check violations ('warn') and internal errors ('error'). */
  log: (line: string, level?: 'warn' | 'error') => void;
  /** This world's request journal (default: one of 1000 entries; capacity 0 turns it off). */
  journal?: RequestJournal;
  /** This world's Waldur faults (default: none waiting). */
  waldurFaults?: FaultPlan;
  /** Where a line per request goes (default: nowhere). */
  logger?: Logger;
}

/**
 * The whole mock as a request listener (no listen): the mocked APIs served
 * straight from node:http, and an express app for /__admin/ (unless disabled)
 * and everything else.
 */
export async function createApp(opts: AppOptions): Promise<RequestListener> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const ctx = { store: opts.waldur, clock: opts.clock, ids: opts.ids };
  const billing = new BillingCycle(ctx);
  const mapleIds = createMapleIds(opts.clock, randomFromIdGenerator(opts.ids));
  const faults = new FaultPlan();
  const journal = opts.journal ?? new RequestJournal();
  const waldurFaults = opts.waldurFaults ?? new FaultPlan();
  const record = createRecorder(journal, opts.logger);
  if (opts.admin) {
    app.use(
      '/__admin',
      createAdminRouter({
        store: opts.waldur,
        maple: { store: opts.maple, settings: opts.mapleSettings, faults, ids: mapleIds },
        clock: opts.clock,
        ids: opts.ids,
        fixtures: opts.fixtures,
        billing,
        journal,
        operations: [...WALDUR_OPERATION_IDS, ...MAPLE_OPERATION_IDS],
        waldurFaults,
      }),
    );
  }
  app.use((_req, res) => {
    res.status(404).json({ detail: 'Not found.' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: (err as Error).message });
      return;
    }
    opts.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 'error');
    res.status(500).json({ detail: 'A server error occurred.' });
  });
  const mapleCtx = { store: opts.maple, clock: opts.clock, ids: mapleIds, settings: opts.mapleSettings };
  const apis: ApiHandler[] = [
    await createMapleApi({ ctx: mapleCtx, faults, selfCheck: opts.selfCheck, log: opts.log, record }),
    await createWaldurApi({ ctx, billing, selfCheck: opts.selfCheck, log: opts.log, faults: waldurFaults, record }),
  ];
  const other = logOtherRequests(app, opts.logger);
  return (req, res) => {
    const path = pathOf(req.url);
    const api = apis.find((a) => a.matches(path));
    if (!api) return void other(req, res);
    api.handle(req, res).catch((err: unknown) => {
      opts.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 'error');
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"detail":"A server error occurred."}');
    });
  };
}
