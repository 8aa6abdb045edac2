import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { TLSSocket } from 'node:tls';
import type { Scope, World } from './world.js';

export { pathOf } from './request-target.js';

/**
 * A mocked API served straight from node:http, without express in between:
 * express's own dispatch cost several times the mock's work per request
 * (bench/results.md). Express keeps the control API and the fallbacks.
 */
export interface ApiHandler {
  /** Whether a request path belongs to this API. */
  matches(path: string): boolean;
  /** Answers the request in its scope's world; never rejects (an unexpected failure is a 500 in the API's own shape). */
  handle(req: IncomingMessage, res: ServerResponse, scope: Scope): Promise<void>;
  /** Makes at start what a world's first requests would otherwise make (caches, indexes). */
  prepare?(world: World): void;
}

/**
 * The request's URL, absolute, from its scheme and Host header; its path and query are what count (the base of
 * the links the mock writes is public-url.ts's). A Host that is no host gives localhost rather than a failure.
 */
export function requestUrl(req: IncomingMessage): URL {
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  try {
    return new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? 'localhost'}`);
  } catch {
    return new URL(req.url ?? '/', `${scheme}://localhost`);
  }
}

/** Query parameters as node's querystring reads them (express's "simple" parser): a repeated name gives a list. */
export function queryOf(url: URL): Record<string, string | string[] | undefined> {
  return parseQuery(url.search.slice(1));
}

/**
 * Writes a whole answer: status, headers as given (no charset added), and the body unless it is a HEAD.
 * Headers set before (CORS) stay; a Vary set before is added to, not replaced.
 */
export function writeAnswer(
  res: ServerResponse,
  method: string,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  res.statusCode = status;
  for (const k in headers) {
    if (k === 'Vary' && res.hasHeader('Vary'))
      res.setHeader('Vary', `${String(res.getHeader('Vary'))}, ${headers[k]!}`);
    else res.setHeader(k, headers[k]!);
  }
  if (method === 'HEAD' || body === '') res.end();
  else res.end(body);
}
