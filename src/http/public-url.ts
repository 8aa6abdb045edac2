import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Where the absolute URLs the mock writes point to (README: "Using it from a frontend"). */
export interface PublicUrlOptions {
  /** A fixed base (origin and optional path prefix, no trailing slash), or null to take it from each request. */
  publicUrl?: string | null;
  /** Take the scheme and host from X-Forwarded-Proto/-Host/-Port, or from a simple `Forwarded`, when present. */
  trustProxy?: boolean;
}

/**
 * The base URL of a request: scheme, host and the path prefix the API is
 * reached under, without a trailing slash (`http://localhost:5173/mock`).
 * Every absolute URL the mock writes is this plus a path.
 */
export type BaseUrlOf = (req: IncomingMessage) => string;

/** One derivation of a request's base URL, chosen once from the options. */
export function baseUrlResolver(opts: PublicUrlOptions = {}): BaseUrlOf {
  const fixed = opts.publicUrl?.replace(/\/+$/, '');
  if (fixed) return () => fixed;
  const directBase = directResolver();
  if (opts.trustProxy) return (req) => forwardedBase(req) ?? directBase(req);
  return directBase;
}

/** The path prefix of a public URL ('' when it has none): DRF's script prefix, without its trailing slash. */
export function publicPathPrefix(publicUrl: string | null | undefined): string {
  return publicUrl ? new URL(publicUrl).pathname.replace(/\/+$/, '') : '';
}

/**
 * As the real servers build their links: the connection's scheme and the Host
 * header (normalised as a URL's origin is). The last answer is kept: nearly
 * every request of a run names the same host.
 */
function directResolver(): BaseUrlOf {
  let lastKey = '';
  let lastBase = '';
  return (req) => {
    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    const key = `${scheme}://${req.headers.host ?? 'localhost'}`;
    if (key !== lastKey) {
      lastKey = key;
      lastBase = `${scheme}://${validHost(req.headers.host ?? 'localhost', scheme, undefined) ?? 'localhost'}`;
    }
    return lastBase;
  };
}

/** The client-facing scheme and host a proxy reported, or null when it reported none (or nothing usable). */
function forwardedBase(req: IncomingMessage): string | null {
  const h = req.headers;
  let proto = firstValue(h['x-forwarded-proto'])?.toLowerCase();
  let host = firstValue(h['x-forwarded-host']);
  if (proto === undefined && host === undefined && typeof h.forwarded === 'string') {
    const first = parseForwardedElement(h.forwarded);
    proto = first.proto?.toLowerCase();
    host = first.host;
  }
  if (proto === undefined && host === undefined) return null;
  const scheme = proto === 'http' || proto === 'https' ? proto : (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const port = firstValue(h['x-forwarded-port']);
  const authority = validHost(host ?? h.host ?? 'localhost', scheme, port);
  return authority === null ? null : `${scheme}://${authority}`;
}

/** The first of a comma-separated list (each proxy appends its own), trimmed; undefined when absent or empty. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  const first = text?.split(',')[0]!.trim();
  return first ? first : undefined;
}

/** RFC 7239's first forwarded-element: `for=…;proto=https;host=example.com`, values as tokens or quoted strings. */
export function parseForwardedElement(header: string): { proto?: string; host?: string } {
  const out: { proto?: string; host?: string } = {};
  const element = /^\s*((?:[^,"]|"(?:[^"\\]|\\.)*")*)/.exec(header)?.[1] ?? '';
  for (const pair of element.match(/[^;"]+(?:"(?:[^"\\]|\\.)*")?/g) ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim().toLowerCase();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if ((name === 'proto' || name === 'host') && value !== '') out[name] = value;
  }
  return out;
}

/**
 * A host (with optional port) as it may stand in a URL, the port from
 * X-Forwarded-Port added when the host has none and it is not the scheme's
 * default; null for anything else (a path, spaces, credentials), so that a
 * forged header cannot put more than a host into the links.
 */
function validHost(host: string, scheme: string, port: string | undefined): string | null {
  if (!/^[A-Za-z0-9.\-_~%!$&'()*+,;=:[\]]+$/.test(host)) return null;
  let url: URL;
  try {
    url = new URL(`${scheme}://${host}`);
  } catch {
    return null;
  }
  if (url.username || url.password || url.pathname !== '/') return null;
  if (url.port === '' && port !== undefined && /^\d{1,5}$/.test(port) && Number(port) <= 65535) {
    const defaultPort = scheme === 'https' ? '443' : '80';
    if (String(Number(port)) !== defaultPort) return `${url.hostname}:${Number(port)}`;
  }
  return url.host;
}
