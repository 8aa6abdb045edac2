import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ControllableClock } from '../clock.js';
import type { IdGenerator } from '../domain/clock.js';
import type { MapleSettings } from '../domain/maple/credits.service.js';
import { createMapleIds, randomFromIdGenerator } from '../domain/maple/ids.js';
import type { MapleStore } from '../store/maple.store.js';
import type { WaldurStore } from '../store/waldur.store.js';
import { BillingCycle } from '../domain/waldur/billing-cycle.service.js';
import { createAdminRouter } from './admin/admin.routes.js';
import { FaultPlan } from './maple/faults.js';
import { createMapleRouter } from './maple/maple.api.js';
import type { SelfCheckMode } from './self-check.js';
import { createWaldurRouter } from './waldur/waldur.api.js';

/** The fixture documents the server started with: what /__admin/reset returns to. */
export interface StartFixtures {
  waldur: unknown;
  maple: unknown;
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
}

/** The whole mock as an express app (no listen): the mocked APIs and, unless disabled, /__admin/. */
export async function createApp(opts: AppOptions): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
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
  const mapleCtx = { store: opts.maple, clock: opts.clock, ids: mapleIds, settings: opts.mapleSettings };
  app.use(await createMapleRouter({ ctx: mapleCtx, faults, selfCheck: opts.selfCheck, log: opts.log }));
  app.use(await createWaldurRouter({ ctx, billing, selfCheck: opts.selfCheck, log: opts.log }));
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
  return app;
}
