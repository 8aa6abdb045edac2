import pactum from 'pactum';
import { target } from './target.js';

pactum.request.setDefaultTimeout(15_000);
// pactum writes its own coloured `[E]`/`[W]` lines straight to stdout (a refused connection, say); the checks report failures themselves.
pactum.settings.setLogLevel('SILENT');

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  body: unknown;
  /** The body as sent, to check number spellings such as `0.3` or `150.0`. */
  text: string;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/**
 * One HTTP call to the target, through pactum. `token` null sends no
 * credentials; by default the target's main token is used.
 */
export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const url = /^https?:/.test(path) ? path : `${target.url}${path}`;
  const s = pactum.spec();
  s.withMethod(method as never)
    .withPath(url)
    .withFollowRedirects(false);
  const token = opts.token === undefined ? target.token : opts.token;
  const headers: Record<string, string> = { ...opts.headers };
  if (token) headers.Authorization ??= target.api === 'waldur' ? `Token ${token}` : `Bearer ${token}`;
  if (opts.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    s.withBody(JSON.stringify(opts.body));
  } else if (opts.raw !== undefined) {
    s.withBody(opts.raw);
  }
  s.withHeaders(headers);
  const res = (await s.toss()) as { statusCode: number; headers: Record<string, string | string[]>; text?: string };
  const text = res.text ?? '';
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const flat = Object.fromEntries(
    Object.entries(res.headers ?? {}).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)]),
  );
  return { status: res.statusCode, headers: flat, body, text };
}
