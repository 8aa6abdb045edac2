import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { ControllableClock } from '../../clock.js';
import { DEFAULT_MAPLE_SETTINGS, MapleCreditsService } from '../../domain/maple/credits.service.js';
import { MapleStore } from '../../domain/maple/maple.store.js';
import { requestFingerprint } from '../../domain/maple/idempotency.js';
import { pathOf, writeAnswer, type ApiHandler } from '../api-handler.js';
import { BodyTooLarge, discardBody, isJsonMediaType, mediaTypeOf, parseJson, readRawBody } from '../body.js';
import { createBackend, loadSpec, RouteTable } from '../openapi.js';
import { recordExchange } from '../recorder.js';
import { contractViolations, type SelfCheckMode } from '../self-check.js';
import type { World } from '../world.js';
import { MAPLE_OPERATION_IDS } from './faults.js';
import { authorize } from './maple.auth.js';
import { MapleHttpError, requestError } from './maple.errors.js';
import { mapleHandlers, type MapleHandler } from './maple.handlers.js';
import { claimKey, releaseKey, replayFor, storeAnswer, type KeyedRequest } from './maple.idempotency.js';
import { renderMapleJson } from './maple-json.js';
import type { Json } from './representation.js';

/** Every path under this prefix is Maple's: unknown ones get Maple's 404, not Waldur's. */
export const MAPLE_PREFIX = '/api/v1';

export interface MapleApiOptions {
  selfCheck: SelfCheckMode;
  log: (line: string, level?: 'warn' | 'error') => void;
}

/** What a request ends in before it is sent: a body to render, or a stored answer to replay as it was. */
interface Outgoing {
  status: number;
  body?: Json;
  replayed?: string;
  headers: Record<string, string>;
  operation?: Operation;
  /** Set when the request holds a fresh Idempotency-Key: the answer is stored under it once rendered. */
  keyed?: { request: KeyedRequest; fingerprint: string };
}

/** The Maple dialect: Bearer tokens bound to a company, Maple's error envelope, Idempotency-Key, over the spec's operations. */
export async function createMapleApi(opts: MapleApiOptions): Promise<ApiHandler> {
  const api = await createBackend(loadSpec('maple-credits.yaml'), opts.selfCheck !== 'off');
  const perWorld = new WeakMap<World, Record<string, MapleHandler>>();
  const handlersOf = (world: World): Record<string, MapleHandler> => {
    let handlers = perWorld.get(world);
    if (!handlers) perWorld.set(world, (handlers = mapleHandlers(new MapleCreditsService(world.maple))));
    return handlers;
  };
  // Every operation must have a handler: checked at start on handlers over an empty state.
  const empty = {
    store: new MapleStore(),
    clock: new ControllableClock(),
    ids: { next: () => '' },
    settings: { ...DEFAULT_MAPLE_SETTINGS },
  };
  const names = Object.keys(mapleHandlers(new MapleCreditsService(empty)));
  for (const op of api.router.getOperations()) {
    if (!names.includes(op.operationId!)) throw new Error(`no handler for operation ${op.operationId}`);
    if (!MAPLE_OPERATION_IDS.includes(op.operationId!))
      throw new Error(`operation ${op.operationId} is missing from MAPLE_OPERATION_IDS`);
  }
  const routes = new RouteTable(api.router.getOperations());
  return {
    matches: (path) => path === MAPLE_PREFIX || path.startsWith(`${MAPLE_PREFIX}/`),
    async handle(req, res, scope) {
      const world = scope.world;
      const started = performance.now();
      const seen: Seen = { body: null };
      const out = await serve(req, routes, handlersOf(world), world, opts, seen);
      const answer = send(res, req.method ?? 'GET', out, world, opts, api);
      recordExchange(world.record, req, 'maple', out.operation?.operationId ?? null, seen.body, answer, started);
    },
  };
}

/** What the request handed in, for the journal: its body once read. */
interface Seen {
  body: string | null;
}

async function serve(
  req: IncomingMessage,
  routes: RouteTable,
  handlers: Record<string, MapleHandler>,
  world: World,
  opts: MapleApiOptions,
  seen: Seen,
): Promise<Outgoing> {
  const path = new URL(pathOf(req.url), 'http://mock.invalid').pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  const { operation, params, allowed } = routes.match(method === 'HEAD' ? 'GET' : method, path);
  const keyHeader = method === 'POST' ? req.headers['idempotency-key'] : undefined;
  // Every answer to a keyed request echoes the key, refusals before the key is looked at included.
  const headers: Record<string, string> = keyHeader === undefined ? {} : { 'Idempotency-Key': String(keyHeader) };
  let keyed: KeyedRequest | null = null;
  let fingerprint = '';
  try {
    if (allowed.length === 0) throw requestError(404, `No such endpoint: ${method} ${path}`, 'route_not_found');
    if (!operation)
      throw requestError(405, `Method ${method} is not allowed on ${path}`, 'method_not_allowed', {
        Allow: allowHeader(allowed),
      });
    const book = authorize(req.headers.authorization, params.company_id ?? '', world.maple.store);
    const fault = world.faults.take(operation.operationId!);
    if (fault?.status === 429)
      throw requestError(429, 'Too many requests: slow down and retry', 'rate_limited', { 'Retry-After': '1' });
    if (keyHeader !== undefined) keyed = claimKey(keyHeader, book, world.maple.clock.now());
    const body =
      method === 'POST'
        ? await readBody(req)
        : await discardBody(req).then((): ReadBody => ({ data: undefined, raw: '' }));
    if (body.raw !== '') seen.body = body.raw;
    if (keyed) fingerprint = requestFingerprint(method, path, 'data' in body ? { json: body.data } : { raw: body.raw });
    const replay = keyed && replayFor(keyed, fingerprint, world.maple.settings.sameKeyDifferentRequest);
    if (replay)
      return {
        status: replay.status,
        replayed: replay.body,
        headers: { ...headers, 'Idempotency-Used': 'true' },
        operation,
      };
    if (fault && fault.delay_ms > 0) await sleep(fault.delay_ms);
    if (fault?.status === 500) throw requestError(500, 'Internal server error (an injected fault)', 'injected_fault');
    if ('error' in body) throw body.error;
    const result = handlers[operation.operationId!]!({ book, params, body: body.data });
    return { ...result, headers, operation, keyed: keyed ? { request: keyed, fingerprint } : undefined };
  } catch (err) {
    if (keyed && fingerprint === '') releaseKey(keyed); // ended before the request was known: nothing to store
    const keep = keyed && fingerprint !== '' ? { request: keyed, fingerprint } : undefined;
    if (err instanceof MapleHttpError)
      return {
        status: err.status,
        body: err.envelope as unknown as Json,
        headers: { ...headers, ...err.headers },
        operation,
        keyed: keep,
      };
    opts.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 'error');
    const failure = requestError(500, 'Internal server error');
    return { status: 500, body: failure.envelope as unknown as Json, headers, operation, keyed: keep };
  }
}

type ReadBody = { data: unknown; raw: string } | { raw: string; error: MapleHttpError };

/** A POST's body as JSON (numbers as written); no body reads as undefined. A Content-Type other than JSON is refused. */
async function readBody(req: IncomingMessage): Promise<ReadBody> {
  let raw: Buffer;
  try {
    raw = await readRawBody(req);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    throw requestError(413, 'Request body is larger than 1 MiB', 'body_too_large');
  }
  const text = raw.toString('utf8');
  if (raw.length === 0) return { data: undefined, raw: text };
  const mediaType = mediaTypeOf(req.headers['content-type']);
  if (mediaType !== '' && !isJsonMediaType(mediaType)) {
    return {
      raw: text,
      error: requestError(
        400,
        `Content-Type must be application/json, got ${req.headers['content-type']}`,
        'unsupported_content_type',
      ),
    };
  }
  const parsed = parseJson(raw);
  if ('error' in parsed)
    return { raw: text, error: requestError(400, `Request body is not valid JSON: ${parsed.error}`, 'invalid_json') };
  return { data: parsed.data, raw: text };
}

/** Writes the answer (storing it under its Idempotency-Key first); returns it as sent, for the journal. */
function send(
  res: ServerResponse,
  method: string,
  out: Outgoing,
  world: World,
  opts: MapleApiOptions,
  api: OpenAPIBackend,
): { status: number; headers: Record<string, string>; body: string } {
  let status = out.status;
  let text = out.replayed ?? (out.body === undefined ? '' : renderMapleJson(out.body));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...out.headers };
  if (out.replayed === undefined && opts.selfCheck !== 'off' && out.operation) {
    const problems = contractViolations(api, out.operation, { status, headers: lowerKeys(headers), body: text }, false);
    if (problems.length > 0) {
      const line = `contract violation in ${method} ${out.operation.path} → ${status}: ${problems.join('; ')}`;
      opts.log(line, 'warn');
      if (opts.selfCheck === 'strict') {
        status = 500;
        text = JSON.stringify(requestError(500, line).envelope);
      }
    }
  }
  if (out.keyed) storeAnswer(out.keyed.request, out.keyed.fingerprint, { status, body: text }, world.maple.clock.now());
  writeAnswer(res, method, status, headers, text);
  return { status, headers, body: text };
}

/** The methods a path answers; GET brings HEAD. */
function allowHeader(allowed: string[]): string {
  return (allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed).join(', ');
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
