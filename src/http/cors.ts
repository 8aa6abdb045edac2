import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

/** Who may call the mock from a browser page on another origin (README: "Using it from a frontend"). */
export interface CorsOptions {
  /** Off: no CORS header at all, preflights get the APIs' own answers. */
  enabled: boolean;
  /** The origins allowed (`http://localhost:5173`), or null for any. */
  origins: string[] | null;
}

export const DEFAULT_CORS: CorsOptions = { enabled: true, origins: null };

/**
 * The response headers the mock sends that are not CORS-safelisted: without
 * naming them here a page's script could not read them.
 */
export const EXPOSED_HEADERS = [
  'X-Result-Count',
  'Link',
  'Location',
  'Allow',
  'WWW-Authenticate',
  'Idempotency-Key',
  'Idempotency-Used',
  'Retry-After',
  'Vary',
];

/** Joined once: the package would join an array on every request. */
const EXPOSED = EXPOSED_HEADERS.join(',');

export const ALLOWED_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS'];

/** How long a browser may keep a preflight's answer, in seconds (Chromium caps it at 2 hours). */
export const PREFLIGHT_MAX_AGE = 7200;

/**
 * Answers CORS for a request, before anything else looks at it; true when the
 * request is answered (a preflight from an allowed origin: 204). Any other
 * request from an allowed origin gets Access-Control-Allow-Origin (the
 * origin itself, with `Vary: Origin`) and the exposed headers, and goes on to
 * its handler. Requests without Origin, and those from an origin not allowed,
 * are left untouched; so is a plain OPTIONS (no Access-Control-Request-Method),
 * which keeps each API's own answer.
 */
export type CorsStep = (req: IncomingMessage, res: ServerResponse) => boolean;

export function createCors(opts: CorsOptions = DEFAULT_CORS): CorsStep | null {
  if (!opts.enabled) return null;
  // Any origin: `true` reflects it. A list: a function, so that an origin not in it makes the package pass the
  // request on untouched (given the array itself, it would answer that origin's preflight 204 all the same).
  const allowed = opts.origins === null ? null : new Set(opts.origins);
  const origin =
    allowed === null
      ? true
      : (requestOrigin: string | undefined, cb: (err: Error | null, allow: boolean) => void) =>
          cb(null, requestOrigin !== undefined && allowed.has(requestOrigin));
  const preflight = cors({
    origin,
    methods: ALLOWED_METHODS.join(','),
    // allowedHeaders left out: the package echoes Access-Control-Request-Headers (and adds Vary for it).
    maxAge: PREFLIGHT_MAX_AGE,
    exposedHeaders: EXPOSED,
    optionsSuccessStatus: 204,
  });
  const actual = cors({ origin, exposedHeaders: EXPOSED, preflightContinue: true });
  return (req, res) => {
    if (req.headers.origin === undefined) return false;
    let passed = false;
    const next = () => {
      passed = true;
    };
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      preflight(req, res, next);
      return !passed;
    }
    actual(req, res, next);
    return false;
  };
}
