import type { RequestListener } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ControllableClock } from '../clock.js';
import type { IdGenerator } from '../domain/clock.js';
import type { MapleSettings } from '../domain/maple/credits.service.js';
import { createMapleIds, randomFromIdGenerator } from '../domain/maple/ids.js';
import type { MapleState, MapleStore } from '../store/maple.store.js';
import type { WaldurState, WaldurStore } from '../store/waldur.store.js';
import { BillingCycle } from '../domain/waldur/billing-cycle.service.js';
import { createAdminRouter } from './admin/admin.routes.js';
import { pathOf, type ApiHandler } from './api-handler.js';
import { FaultPlan } from './maple/faults.js';
import { checkRequest, DEFAULT_GUARD, dialectOf, sendRefusal, type GuardOptions } from './guard.js';
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
  log: (line: string) => void;
  /** Host, Origin, Content-Type and admin-token rules (guard.ts); default: loopback only, no admin token. */
  guard?: GuardOptions;
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
    opts.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    res.status(500).json({ detail: 'A server error occurred.' });
  });
  const mapleCtx = { store: opts.maple, clock: opts.clock, ids: mapleIds, settings: opts.mapleSettings };
  const apis: ApiHandler[] = [
    await createMapleApi({ ctx: mapleCtx, faults, selfCheck: opts.selfCheck, log: opts.log }),
    await createWaldurApi({ ctx, billing, selfCheck: opts.selfCheck, log: opts.log }),
  ];
  const guard = opts.guard ?? DEFAULT_GUARD;
  return (req, res) => {
    const path = pathOf(req.url);
    const refusal = checkRequest(req, dialectOf(path), guard);
    if (refusal) return sendRefusal(req, res, dialectOf(path), refusal);
    const api = apis.find((a) => a.matches(path));
    if (!api) return void app(req, res);
    api.handle(req, res).catch((err: unknown) => {
      opts.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"detail":"A server error occurred."}');
    });
  };
}
