/**
 * Safe by default: the checks every request passes before any API sees it.
 *
 * - Host must be a valid URL host (Django's DisallowedHost: 400), and, while the
 *   server listens on a loopback address only, name a loopback host or one of
 *   `allowedHosts`: a page on evil.example whose name is rebound to 127.0.0.1
 *   sends `Host: evil.example` and is refused (DNS rebinding).
 * - /__admin/ (no authentication of its own) refuses cross-site browser
 *   requests: an Origin that is neither loopback, nor the server's own origin,
 *   nor listed in `allowedOrigins` (--cors-origin) → 403. Its writes with a
 *   body need `Content-Type: application/json` (415): an HTML form cannot send
 *   that. A bodiless write with no Content-Type (POST /__admin/reset from curl)
 *   passes: a form always sends a Content-Type, and a browser's fetch of it
 *   from another site carries an Origin, refused above.
 * - With `adminToken`, /__admin/ needs `Authorization: Bearer <token>` (401).
 *
 * Refusals are in the shape of the API the path belongs to.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { MAPLE_PREFIX } from './maple/maple.api.js';
import { requestError } from './maple/maple.errors.js';
import { WALDUR_PREFIXES } from './waldur/waldur.api.js';
import { hostName, isLoopbackName } from './hosts.js';

export interface GuardOptions {
  /** The server listens on a loopback address only: Host must name a loopback host or one of `allowedHosts`. */
  loopbackOnly: boolean;
  /** Host names (without port) served besides the loopback ones (--allowed-hosts). */
  allowedHosts: readonly string[];
  /** Origins allowed to call /__admin/ besides loopback ones (those listed with --cors-origin). */
  allowedOrigins: readonly string[];
  /** When set, /__admin/ needs `Authorization: Bearer <adminToken>` (--admin-token). */
  adminToken: string | null;
}

export const DEFAULT_GUARD: GuardOptions = {
  loopbackOnly: true,
  allowedHosts: [],
  allowedOrigins: [],
  adminToken: null,
};

export type Dialect = 'waldur' | 'maple' | 'admin' | 'other';

export interface Refusal {
  status: 400 | 401 | 403 | 415;
  message: string;
}

/** A session prefix (/__session/<name>) is not part of the API's path. */
const SESSION = /^\/__session\/[^/]+(?=\/)/;

/** Which API's error shape a path gets. */
export function dialectOf(path: string): Dialect {
  const p = path.replace(SESSION, '');
  if (p === '/__admin' || p.startsWith('/__admin/')) return 'admin';
  if (p === MAPLE_PREFIX || p.startsWith(`${MAPLE_PREFIX}/`)) return 'maple';
  const lower = p.toLowerCase();
  if (WALDUR_PREFIXES.some((w) => lower === w || lower.startsWith(`${w}/`))) return 'waldur';
  return 'other';
}

function originHost(origin: string): { scheme: string; host: string; name: string } | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return { scheme: url.protocol, host: url.host, name: url.hostname.replace(/^\[|\]$/g, '') };
  } catch {
    return null;
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Whether a request from a browser page at `origin` may use /__admin/. */
function originAllowed(origin: string, host: string, opts: GuardOptions): boolean {
  const o = originHost(origin);
  if (!o) return false;
  if (isLoopbackName(o.name.toLowerCase())) return true;
  if (o.host.toLowerCase() === host.toLowerCase()) return true; // the server's own pages (Host passed the checks above)
  return opts.allowedOrigins.some(
    (a) => a.replace(/\/+$/, '').toLowerCase() === `${o.scheme}//${o.host}`.toLowerCase(),
  );
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The refusal a request gets before any API sees it, or null to serve it. */
export function checkRequest(req: IncomingMessage, dialect: Dialect, opts: GuardOptions): Refusal | null {
  const host = req.headers.host ?? 'localhost';
  const name = hostName(host);
  if (name === null)
    return { status: 400, message: `Invalid HTTP_HOST header: '${host}'. The domain name provided is not valid.` };
  if (opts.loopbackOnly && !isLoopbackName(name) && !opts.allowedHosts.includes(name)) {
    return {
      status: 400,
      message: `Invalid HTTP_HOST header: '${host}'. You may need to add '${name}' to --allowed-hosts.`,
    };
  }
  if (dialect !== 'admin') return null;
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, host, opts)) {
    return {
      status: 403,
      message: `Origin ${origin} may not use the control API (allowed: loopback origins, this server's own, and --cors-origin)`,
    };
  }
  // A CORS preflight carries no credentials: it is let through to be answered (the request it announces is checked).
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (opts.adminToken !== null && !preflight && !bearerMatches(req.headers.authorization, opts.adminToken)) {
    return { status: 401, message: 'The control API needs Authorization: Bearer <the --admin-token>' };
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const contentType = req.headers['content-type'];
  if (WRITES.has(method) && (contentType !== undefined || hasBody(req))) {
    const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return {
        status: 415,
        message: `Content-Type must be application/json, got ${contentType === undefined ? 'none' : `"${contentType}"`}`,
      };
    }
  }
  return null;
}

/** Sends a refusal in the shape of the path's API; the request's body is drained so the connection stays usable. */
export function sendRefusal(req: IncomingMessage, res: ServerResponse, dialect: Dialect, refusal: Refusal): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  let body: unknown;
  if (dialect === 'admin') {
    body = { error: refusal.message, problems: [] };
    if (refusal.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="credits-mock admin"';
  } else if (dialect === 'maple') {
    body = requestError(refusal.status, refusal.message, refusal.status === 400 ? 'invalid_host' : undefined).envelope;
  } else body = { detail: refusal.message };
  req.resume();
  res.writeHead(refusal.status, headers);
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
}
