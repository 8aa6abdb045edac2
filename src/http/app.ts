import type { RequestListener, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ControllableClock } from '../clock.js';
import type { IdGenerator } from '../domain/clock.js';
import type { MapleSettings } from '../domain/maple/credits.service.js';
import type { MapleStore } from '../domain/maple/maple.store.js';
import type { WaldurStore } from '../domain/waldur/waldur.store.js';
import type { Logger } from '../logger.js';
import type { WaldurVersion } from '../domain/waldur/profile.js';
import { createAdminRouter } from './admin/admin.routes.js';
import { createSessionsRouter } from './admin/sessions.routes.js';
import { pathOf, type ApiHandler } from './api-handler.js';
import { checkRequest, DEFAULT_GUARD, dialectOf, sendRefusal, type GuardOptions } from './guard.js';
import { DEFAULT_JOURNAL_SIZE, type RequestJournal } from './journal.js';
import { logOtherRequests } from './request-log.js';
import { createMapleApi } from './maple/maple.api.js';
import type { SelfCheckMode } from './self-check.js';
import {
  DEFAULT_SESSION_LIMITS,
  SESSION_PREFIX,
  SessionRegistry,
  sessionScope,
  type SessionLimits,
} from './sessions.js';
import { createWaldurApi } from './waldur/waldur.api.js';
import { createPagesRouter } from './pages.routes.js';
import { assembleWorld, createWorld, type Scope, type StartFixtures } from './world.js';
import { createCors, type CorsOptions } from './cors.js';
import { baseUrlResolver, publicPathPrefix, type PublicUrlOptions } from './public-url.js';

export type { StartFixtures } from './world.js';

export interface AppOptions extends PublicUrlOptions {
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
  /** Session TTL and limit (default: 1 h idle, 100 sessions). */
  sessions?: SessionLimits;
  /** Default: on, for any origin. */
  cors?: CorsOptions;
  /** Host, Origin, Content-Type and admin-token rules (guard.ts); default: loopback only, no admin token. */
  guard?: GuardOptions;
  /** The default world's request journal (default: one of 1000 entries; capacity 0 turns it off); each session gets one as large. */
  journal?: RequestJournal;
  /** Where a line per request goes (default: nowhere). */
  logger?: Logger;
  /** The Waldur version profile of the default world and of every new session (default 8.0.5). */
  waldurVersion?: WaldurVersion;
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
  const scriptPrefix = `${publicPathPrefix(opts.publicUrl)}/`;
  const journal = opts.journal;
  const world = assembleWorld({
    waldur: opts.waldur,
    maple: opts.maple,
    mapleSettings: opts.mapleSettings,
    clock: opts.clock,
    ids: opts.ids,
    fixtures: opts.fixtures,
    scriptPrefix,
    journal,
    logger: opts.logger,
    waldurVersion: opts.waldurVersion,
  });
  // A session's world starts as the default one did: the start fixtures, settings and clock (frozen at --now, or real time).
  const start = {
    fixtures: opts.fixtures,
    mapleSettings: { ...opts.mapleSettings },
    clock: opts.clock.startSetting(),
    ids: opts.ids,
    scriptPrefix,
    journalSize: journal?.capacity ?? DEFAULT_JOURNAL_SIZE,
    logger: opts.logger,
    waldurVersion: opts.waldurVersion,
  };
  const sessions = new SessionRegistry(
    (name) => createWorld(start, `${SESSION_PREFIX}${name}`),
    opts.sessions ?? DEFAULT_SESSION_LIMITS,
  );
  const baseUrlOf = baseUrlResolver(opts);
  if (opts.admin) {
    app.use('/__admin/sessions', createSessionsRouter(sessions));
    app.use('/__admin', createAdminRouter());
  }
  app.use(createPagesRouter({ admin: opts.admin, fixtures: opts.fixtures }));
  app.use((_req, res) => {
    res.status(404).json({ detail: 'Not found.' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: (err as Error).message, problems: [] }); // the admin Problem shape (specs/admin.yaml)
      return;
    }
    opts.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 'error');
    res.status(500).json({ detail: 'A server error occurred.' });
  });
  const apis: ApiHandler[] = [
    await createMapleApi({ selfCheck: opts.selfCheck, log: opts.log }),
    await createWaldurApi({ selfCheck: opts.selfCheck, log: opts.log }),
  ];
  for (const api of apis) api.prepare?.(world);
  const cors = createCors(opts.cors);
  const guard = opts.guard ?? DEFAULT_GUARD;
  const other = logOtherRequests(app, opts.logger);
  return (req, res) => {
    // First the guard (Host, and the control API's Origin, token and Content-Type rules: a foreign preflight to
    // /__admin/ gets its 403 here), then CORS (preflights answered), then the session the path names.
    const dialect = dialectOf(pathOf(req.url));
    const refusal = checkRequest(req, dialect, guard);
    if (refusal) return sendRefusal(req, res, dialect, refusal);
    if (cors?.(req, res)) return;
    const scope = sessionScope(sessions, world, req, res, baseUrlOf);
    if (!scope) return;
    const path = pathOf(req.url);
    const api = apis.find((a) => a.matches(path));
    if (!api) {
      (res as ServerResponse & { locals?: { scope: Scope } }).locals = { scope };
      return void other(req, res);
    }
    api.handle(req, res, scope).catch((err: unknown) => {
      opts.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 'error');
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"detail":"A server error occurred."}');
    });
  };
}
