import type { Request, RequestHandler, Response } from 'express';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { today } from '../../domain/clock.js';
import type { BillingCycle } from '../../domain/waldur/billing-cycle.service.js';
import type { WaldurContext } from '../../domain/waldur/context.js';
import { CustomerCreditsService } from '../../domain/waldur/customer-credits.service.js';
import { WaldurError } from '../../domain/waldur/errors.js';
import type { QueryParams } from '../../domain/waldur/filters.js';
import type { Input } from '../../domain/waldur/input.js';
import { ProjectCreditsService } from '../../domain/waldur/project-credits.service.js';
import { BodyTooLarge, parseBody, readRawBody, type ParsedBody } from '../body.js';
import { createBackend, loadSpec, RouteTable } from '../openapi.js';
import { contractViolations, type SelfCheckMode } from '../self-check.js';
import { customerCreditHandlers } from './customer-credits.handlers.js';
import { renderDrfJson, type Json } from './drf-json.js';
import { projectCreditHandlers } from './project-credits.handlers.js';
import { authenticate, requireActor } from './waldur.auth.js';
import type { WaldurHandler, WaldurResult } from './waldur.handler.js';

export const WALDUR_PREFIXES = ['/api/customer-credits', '/api/project-credits'];
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
  constructor(readonly status: number, readonly detail: string) {
    super(detail);
  }
}

export interface WaldurApiOptions {
  ctx: WaldurContext;
  /** Month-ends the clock has passed are run before a request is served. */
  billing: BillingCycle;
  selfCheck: SelfCheckMode;
  log: (line: string) => void;
}

/**
 * The Waldur dialect: Django REST Framework's routing, auth, errors and JSON,
 * over the spec's operations. One middleware, not an express Router: the route
 * table below does the routing, and a nested Router would walk its own stack
 * for every request.
 */
export async function createWaldurRouter(opts: WaldurApiOptions): Promise<RequestHandler> {
  const api = await createBackend(loadSpec('waldur-credits.yaml'), opts.selfCheck !== 'off');
  const handlers: Record<string, WaldurHandler> = {
    ...customerCreditHandlers(new CustomerCreditsService(opts.ctx)),
    ...projectCreditHandlers(new ProjectCreditsService(opts.ctx)),
  };
  for (const op of api.router.getOperations()) {
    if (!handlers[op.operationId!]) throw new Error(`no handler for operation ${op.operationId}`);
  }
  const routes = new RouteTable(api.router.getOperations());
  return async (req, res, next) => {
    if (!isWaldurPath(req.path)) return next();
    const sent = await serve(routes, handlers, opts, req);
    send(res, req.method, sent, opts, api);
  };
}

/**
 * What `router.all([prefix, `${prefix}/*rest`])` would match (case-insensitive,
 * an optional trailing slash), by comparing strings instead of running route
 * patterns and decoding their parameters on every request.
 */
function isWaldurPath(path: string): boolean {
  const lower = path.toLowerCase();
  return WALDUR_PREFIXES.some((p) => lower === p || lower.startsWith(`${p}/`));
}

interface Outgoing extends WaldurResult {
  operation?: Operation;
}

async function serve(
  routes: RouteTable,
  handlers: Record<string, WaldurHandler>,
  opts: WaldurApiOptions,
  req: Request,
): Promise<Outgoing> {
  const baseUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const requestUrl = new URL(req.originalUrl, baseUrl);
  let raw: Buffer;
  try {
    raw = hasBody(req) ? await readRawBody(req) : NO_BODY;
  } catch (err) {
    if (err instanceof BodyTooLarge) return error(413, { detail: 'Request body is larger than 1 MiB.' });
    throw err;
  }
  const path = requestUrl.pathname;
  if (!path.endsWith('/')) {
    if (routes.match('GET', `${path}/`).allowed.length === 0) return error(404, { detail: 'Not found.' });
    return { status: 301, headers: { Location: `${baseUrl}${path}/${requestUrl.search}` } };
  }
  const method = req.method.toUpperCase();
  const { operation, params, allowed } = routes.match(method, path);
  if (allowed.length === 0) return error(404, { detail: 'Not found.' });
  const allow = allowHeader(allowed);
  try {
    const actor = requireActor(authenticate(req, opts.ctx.store, opts.ctx.clock));
    opts.billing.catchUp();
    const op = operation ?? (method === 'HEAD' ? routes.match('GET', path).operation : undefined);
    if (method === 'OPTIONS') return { status: 200, body: { name: 'Credits', description: '', renders: ['application/json'], parses: ['application/json', 'application/x-www-form-urlencoded'] }, headers: { Allow: allow } };
    if (!op) return { status: 405, body: { detail: `Method "${method}" not allowed.` }, headers: { Allow: allow } };
    const call = {
      actor,
      uuid: params.uuid ?? '',
      query: req.query as QueryParams,
      body: bodyOnDemand(raw.length === 0 ? EMPTY : await parseBody(raw, req.headers['content-type'], LIST_FIELDS)),
      render: { baseUrl, store: opts.ctx.store, today: today(opts.ctx.clock) },
      requestUrl,
    };
    const result = handlers[op.operationId!]!(call);
    // Named fields, not `{ ...result, more }`: V8 makes a spread followed by new keys a slow dictionary object.
    return { status: result.status, body: result.body, headers: { Allow: allow, ...result.headers }, operation: operation ?? undefined };
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
function hasBody(req: Request): boolean {
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

function send(res: Response, method: string, out: Outgoing, opts: WaldurApiOptions, api: OpenAPIBackend): void {
  const headers: Record<string, string> = { Vary: 'Accept', ...out.headers };
  let body = out.body === undefined || out.status === 204 || out.status === 301 ? '' : renderDrfJson(out.body);
  let status = out.status;
  if (body !== '') headers['Content-Type'] = 'application/json';
  if (opts.selfCheck !== 'off' && out.operation) {
    const problems = contractViolations(api, out.operation, { status, headers: lowerKeys(headers), body });
    if (problems.length > 0) {
      const line = `contract violation in ${method} ${out.operation.path} → ${status}: ${problems.join('; ')}`;
      opts.log(line);
      if (opts.selfCheck === 'strict') {
        status = 500;
        body = JSON.stringify({ detail: line });
        headers['Content-Type'] = 'application/json';
      }
    }
  }
  res.status(status);
  for (const k in headers) res.setHeader(k, headers[k]!); // res.set would append a charset
  if (method === 'HEAD' || body === '') res.end();
  else res.end(body);
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

