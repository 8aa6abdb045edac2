import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { today } from '../../domain/clock.js';
import { CustomerCreditsService } from '../../domain/waldur/customer-credits.service.js';
import { WaldurError } from '../../domain/waldur/errors.js';
import type { Input } from '../../domain/waldur/input.js';
import { ProjectCreditsService } from '../../domain/waldur/project-credits.service.js';
import { queryOf, requestUrl as urlOf, writeAnswer, type ApiHandler } from '../api-handler.js';
import { recordExchange } from '../recorder.js';
import type { Scope, World } from '../world.js';
import { ControllableClock } from '../../clock.js';
import type { WaldurContext } from '../../domain/waldur/context.js';
import { WaldurStore } from '../../domain/waldur/waldur.store.js';
import { BodyTooLarge, parseBody, readRawBody, type ParsedBody } from '../body.js';
import { createBackend, loadSpec, RouteTable } from '../openapi.js';
import { contractViolations, type SelfCheckMode } from '../self-check.js';
import { customerCreditHandlers } from './customer-credits.handlers.js';
import { creditTransactionHandlers } from './credit-transactions.handlers.js';
import { CreditTransactionsService } from '../../domain/waldur/credit-transactions.service.js';
import { renderDrfJson, type Json } from './drf-json.js';
import { projectCreditHandlers } from './project-credits.handlers.js';
import { authenticate, requireActor } from './waldur.auth.js';
import { faultAnswer, WALDUR_OPERATION_IDS } from './waldur.faults.js';
import type { WaldurHandler, WaldurResult } from './waldur.handler.js';
import { speaks81, type WaldurVersion } from '../../domain/waldur/profile.js';
import { WithdrawableService } from '../../domain/waldur/withdrawable.service.js';

export const WALDUR_PREFIXES = ['/api/customer-credits', '/api/project-credits', '/api/credit-transactions'];
const LIST_FIELDS = new Set(['offerings']);
const STATUS: Record<WaldurError['kind'], number> = {
  validation: 400,
  not_authenticated: 401,
  authentication_failed: 401,
  permission_denied: 403,
  not_found: 404,
};

/** An HTTP-level refusal in DRF's shape (parse errors, media types, sizes). */
class DrfHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface WaldurApiOptions {
  selfCheck: SelfCheckMode;
  log: (line: string, level?: 'warn' | 'error') => void;
}

/**
 * The Waldur dialect: Django REST Framework's routing, auth, errors and JSON,
 * over the spec's operations, served from node:http (see api-handler.ts); the
 * route table below does the routing.
 */
export async function createWaldurApi(opts: WaldurApiOptions): Promise<ApiHandler> {
  // The services keep per-world caches (kept views, list orders): made on a world's first Waldur request.
  const perWorld = new WeakMap<World, WorldServices>();
  const servicesOf = (world: World): WorldServices => {
    let services = perWorld.get(world);
    if (!services) {
      const made = (services = waldurServices(world.waldur));
      perWorld.set(world, made);
      // A reset or an import makes the lists again at once, as the start did.
      world.waldur.store.loaded.add(() => made.warm());
    }
    return services;
  };
  const handlersOf = (world: World) => servicesOf(world).handlers;
  // One spec per version profile (profile.ts); each world is routed and self-checked by its own.
  const profiles: Record<WaldurVersion, Profile> = {
    '8.0.5': await loadProfile('waldur-credits.yaml', opts, true),
    '8.1': await loadProfile(WALDUR_81_SPEC, opts, false),
  };
  return {
    matches: isWaldurPath,
    // The default world's lists are made at start: its first list requests find them (a session's, on first use).
    prepare: (world) => servicesOf(world).warm(),
    async handle(req, res, scope) {
      const started = performance.now();
      const seen: Seen = { body: null };
      const profile = profiles[scope.world.waldurSettings.version];
      let sent: Outgoing;
      try {
        sent = await serve(profile.routes, handlersOf(scope.world), scope, req, seen);
      } catch (err) {
        opts.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 'error');
        sent = error(500, { detail: 'A server error occurred.' });
      }
      const answer = send(res, req.method ?? 'GET', sent, opts, profile.api);
      recordExchange(
        scope.world.record,
        req,
        'waldur',
        sent.operation?.operationId ?? null,
        seen.body,
        answer,
        started,
      );
    },
  };
}

/** The spec of the 8.1 profile (generated: scripts/build-waldur-spec.mjs). */
export const WALDUR_81_SPEC = 'waldur-credits-8.1.yaml';

interface Profile {
  api: OpenAPIBackend;
  routes: RouteTable;
}

/**
 * A profile's backend and routes. Every operation with a handler must be one
 * faults can aim at; with `complete`, every operation must have a handler
 * (checked at start on handlers over an empty state). An operation of the 8.1
 * spec without a handler is not routed: it answers as an unknown path does.
 */
async function loadProfile(spec: string, opts: WaldurApiOptions, complete: boolean): Promise<Profile> {
  const api = await createBackend(loadSpec(spec), opts.selfCheck !== 'off');
  const probe = waldurServices({
    store: new WaldurStore(),
    clock: new ControllableClock(),
    ids: { uuidHex: () => '' },
  }).handlers;
  const served = api.router.getOperations().filter((op) => {
    if (!probe[op.operationId!]) {
      if (complete) throw new Error(`no handler for operation ${op.operationId}`);
      return false;
    }
    if (!WALDUR_OPERATION_IDS.includes(op.operationId!))
      throw new Error(`operation ${op.operationId} is missing from WALDUR_OPERATION_IDS`);
    return true;
  });
  return { api, routes: new RouteTable(served) };
}

interface WorldServices {
  /** The handlers of every operation. */
  handlers: Record<string, WaldurHandler>;
  /** Makes the credit lists' views, ranks and search indexes now. */
  warm(): void;
}

/** One world's services, and the handlers of every operation on them. */
function waldurServices(ctx: WaldurContext): WorldServices {
  const customerCredits = new CustomerCreditsService(ctx);
  const projectCredits = new ProjectCreditsService(ctx);
  const handlers = {
    ...customerCreditHandlers(customerCredits, new WithdrawableService(ctx, customerCredits)),
    ...projectCreditHandlers(projectCredits),
    ...creditTransactionHandlers(new CreditTransactionsService(ctx)),
  };
  return { handlers, warm: () => (customerCredits.warmList(), projectCredits.warmList()) };
}

/** The Waldur prefixes, in any case (as Django's router matched them), with anything after a slash. */
export function isWaldurPath(path: string): boolean {
  const lower = path.toLowerCase();
  return WALDUR_PREFIXES.some((p) => lower === p || lower.startsWith(`${p}/`));
}

interface Outgoing extends WaldurResult {
  operation?: Operation;
  /** An injected fault's answer: outside the contract, not self-checked. */
  injected?: boolean;
}

/** What the request handed in, for the journal: its body once read. */
interface Seen {
  body: Buffer | null;
}

async function serve(
  routes: RouteTable,
  handlers: Record<string, WaldurHandler>,
  scope: Scope,
  req: IncomingMessage,
  seen: Seen,
): Promise<Outgoing> {
  // The path and query as routed here (prefixes taken off); every link written puts them under the scope's base URL.
  const requestUrl = urlOf(req);
  const { world, baseUrl } = scope;
  let raw: Buffer;
  try {
    raw = hasBody(req) ? await readRawBody(req) : NO_BODY;
  } catch (err) {
    if (err instanceof BodyTooLarge) return error(413, { detail: 'Request body is larger than 1 MiB.' });
    throw err;
  }
  if (raw.length > 0) seen.body = raw;
  const path = requestUrl.pathname;
  if (!path.endsWith('/')) {
    if (routes.match('GET', `${path}/`).allowed.length === 0) return error(404, { detail: 'Not found.' });
    return { status: 301, headers: { Location: `${baseUrl}${path}/${requestUrl.search}` } };
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const { operation, params, allowed } = routes.match(method, path);
  if (allowed.length === 0) return error(404, { detail: 'Not found.' });
  const allow = allowHeader(allowed);
  try {
    const query = queryOf(requestUrl);
    const actor = requireActor(authenticate(req.headers.authorization, query, world.waldur.store, world.waldur.clock));
    const op = operation ?? (method === 'HEAD' ? routes.match('GET', path).operation : undefined);
    if (method === 'OPTIONS')
      return {
        status: 200,
        body: {
          name: 'Credits',
          description: '',
          renders: ['application/json'],
          parses: ['application/json', 'application/x-www-form-urlencoded'],
        },
        headers: { Allow: allow },
      };
    if (!op) return { status: 405, body: { detail: `Method "${method}" not allowed.` }, headers: { Allow: allow } };
    const fault = world.waldurFaults.take(op.operationId!);
    if (fault && fault.delay_ms > 0) await sleep(fault.delay_ms);
    if (fault && fault.status !== null) {
      const answer = faultAnswer(fault.status);
      return {
        status: answer.status,
        body: answer.body,
        headers: { Allow: allow, ...answer.headers },
        operation: op,
        injected: true,
      };
    }
    world.billing.catchUp();
    const call = {
      actor,
      uuid: params.uuid ?? '',
      query,
      body: bodyOnDemand(raw.length === 0 ? EMPTY : await parseBody(raw, req.headers['content-type'], LIST_FIELDS)),
      render: {
        baseUrl,
        store: world.waldur.store,
        today: today(world.waldur.clock),
        v81: speaks81(world.waldurSettings),
      },
      requestUrl,
    };
    const result = handlers[op.operationId!]!(call);
    // Named fields, not `{ ...result, more }`: V8 makes a spread followed by new keys a slow dictionary object.
    return {
      status: result.status,
      body: result.body,
      headers: { Allow: allow, ...result.headers },
      operation: operation ?? undefined,
    };
  } catch (err) {
    if (err instanceof WaldurError) {
      const headers: Record<string, string> = { Allow: allow };
      if (STATUS[err.kind] === 401) headers['WWW-Authenticate'] = 'Token';
      return { status: STATUS[err.kind], body: err.body as Json, headers, operation };
    }
    if (err instanceof DrfHttpError) return { status: err.status, body: { detail: err.detail }, operation };
    throw err;
  }
}

const NO_BODY = Buffer.alloc(0);
const EMPTY: ParsedBody = { kind: 'empty' };

/** A request has a body only when it says so (RFC 9112 §6.3): without either header there is nothing to read. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

/** DRF parses the body when a view first reads it, so its errors come after authentication and permissions. */
function bodyOnDemand(body: ParsedBody): () => Input | undefined {
  return () => {
    if (body.kind === 'empty') return undefined;
    if (body.kind === 'data') return body.data;
    if (body.kind === 'parse_error') throw new DrfHttpError(400, body.message);
    throw new DrfHttpError(415, `Unsupported media type "${body.mediaType}" in request.`);
  };
}

function error(status: number, body: Json): Outgoing {
  return { status, body };
}

const ALLOW_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const allowHeaders = new Map<string, string>();

/** DRF's Allow header: the view's methods in http_method_names order; GET implies HEAD. One per route, made once. */
function allowHeader(allowed: string[]): string {
  const key = allowed.join();
  let header = allowHeaders.get(key);
  if (header === undefined) allowHeaders.set(key, (header = makeAllowHeader(allowed)));
  return header;
}

function makeAllowHeader(allowed: string[]): string {
  const set = new Set(allowed.map((m) => m.toUpperCase()));
  if (set.has('GET')) set.add('HEAD');
  set.add('OPTIONS');
  return ALLOW_ORDER.filter((m) => set.has(m)).join(', ');
}

/** Writes the answer; returns it as sent, for the journal. */
function send(
  res: ServerResponse,
  method: string,
  out: Outgoing,
  opts: WaldurApiOptions,
  api: OpenAPIBackend,
): { status: number; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { Vary: 'Accept', ...out.headers };
  let body = out.body === undefined || out.status === 204 || out.status === 301 ? '' : renderDrfJson(out.body);
  let status = out.status;
  if (body !== '') headers['Content-Type'] = 'application/json';
  if (opts.selfCheck !== 'off' && out.operation && !out.injected) {
    const problems = contractViolations(api, out.operation, { status, headers: lowerKeys(headers), body });
    if (problems.length > 0) {
      const line = `contract violation in ${method} ${out.operation.path} → ${status}: ${problems.join('; ')}`;
      opts.log(line, 'warn');
      if (opts.selfCheck === 'strict') {
        status = 500;
        body = JSON.stringify({ detail: line });
        headers['Content-Type'] = 'application/json';
      }
    }
  }
  writeAnswer(res, method, status, headers, body);
  return { status, headers, body };
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
