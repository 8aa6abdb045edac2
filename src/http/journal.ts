import { performance } from 'node:perf_hooks';
import { parse as parseQuery } from 'node:querystring';

/** Which mocked API answered. */
export type Dialect = 'waldur' | 'maple';

/**
 * One answered request as an API hands it over once its answer is written:
 * references to what the request and the answer already hold, nothing copied
 * or rendered again. The journal copies only what it must (a body over the cap).
 */
export interface Exchange {
  dialect: Dialect;
  /** The spec's operationId; null for a 404, 405 or redirect that matched none. */
  operationId: string | null;
  method: string;
  /** The request target as received (path and query). */
  url: string;
  path: string;
  /** The request's headers as received: name, value, name, value… (req.rawHeaders). */
  rawHeaders: readonly string[];
  /** The request body as read (null: none was read). */
  requestBody: Buffer | string | null;
  status: number;
  responseHeaders: Readonly<Record<string, string>>;
  /** The body as sent ('' for none, and for HEAD). */
  responseBody: string;
  /** performance.now() when the request arrived. */
  started: number;
}

/**
 * A journal entry as it is kept: the exchange with its id, time, duration and
 * capped bodies (the whole bodies are not kept), and the request's headers in
 * one string (`name\nvalue\n…`): one object to keep instead of a dozen, which
 * the garbage collector copies when an entry outlives the young generation.
 */
export interface JournalRecord extends Omit<Exchange, 'rawHeaders'> {
  rawHeaders: string;
  id: number;
  /** Wall-clock time (Date.now()) when the answer was written. */
  time: number;
  durationMs: number;
  requestTruncated: boolean;
  responseTruncated: boolean;
}

/** What a body is cut to in the journal, in UTF-8 bytes. */
export const BODY_CAP = 64 * 1024;
export const DEFAULT_JOURNAL_SIZE = 1000;

/**
 * The request journal: the last `capacity` exchanges in a ring buffer, oldest
 * overwritten first. Capacity 0 keeps nothing (and the APIs are given no
 * recorder at all, so it costs nothing). One journal belongs to one world.
 */
export class RequestJournal {
  private ring: (JournalRecord | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly capacity: number = DEFAULT_JOURNAL_SIZE, private readonly bodyCap = BODY_CAP) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`journal capacity must be a whole number ≥ 0, got ${capacity}`);
    this.ring = new Array<JournalRecord | undefined>(capacity);
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  record(x: Exchange, durationMs = performance.now() - x.started): void {
    if (this.capacity === 0) return;
    const req = capBody(x.requestBody, this.bodyCap);
    const res = capBody(x.method === 'HEAD' ? '' : x.responseBody, this.bodyCap);
    this.ring[this.next] = {
      id: ++this.seq,
      time: Date.now(),
      durationMs,
      dialect: x.dialect,
      operationId: x.operationId,
      method: x.method,
      url: x.url,
      path: x.path,
      rawHeaders: x.rawHeaders.join('\n'),
      requestBody: req.body,
      requestTruncated: req.truncated,
      status: x.status,
      responseHeaders: x.responseHeaders,
      responseBody: res.body as string,
      responseTruncated: res.truncated,
      started: x.started,
    };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Every record kept, newest first. */
  *newestFirst(): Generator<JournalRecord> {
    for (let i = 1; i <= this.capacity; i++) {
      const r = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (r === undefined) return;
      yield r;
    }
  }

  get size(): number {
    let n = 0;
    for (const _ of this.newestFirst()) n++;
    return n;
  }

  clear(): void {
    this.ring = new Array<JournalRecord | undefined>(this.capacity);
    this.next = 0;
  }
}

/** A body within `cap` UTF-8 bytes: kept as it is (no copy), or its first `cap` bytes copied out. */
export function capBody(body: Buffer | string | null, cap: number): { body: Buffer | string | null; truncated: boolean } {
  if (body === null) return { body, truncated: false };
  if (typeof body === 'string') {
    if (body.length * 3 <= cap || Buffer.byteLength(body) <= cap) return { body, truncated: false };
    // Through a Buffer: a fresh string, not a slice that would keep the whole body alive.
    return { body: Buffer.from(body).subarray(0, cap).toString('utf8'), truncated: true };
  }
  if (body.length <= cap) return { body, truncated: false };
  return { body: Buffer.from(body.subarray(0, cap)), truncated: true };
}

const REDACTED = '[REDACTED]';
/** Headers whose values are credentials: the scheme is kept, the rest hidden. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);
/** Query parameters that carry a token (Waldur's `?x-auth-token=`). */
const TOKEN_PARAMS = new Set(['x-auth-token']);

/** `Token abc` → `Token [REDACTED]`; a value without a scheme is hidden whole. */
function redactCredential(value: string): string {
  const m = /^(\S+)\s+\S/.exec(value);
  return m ? `${m[1]} ${REDACTED}` : REDACTED;
}

/** `a=1; b=2` → `a=[REDACTED]; b=[REDACTED]`. */
function redactCookie(value: string): string {
  return value
    .split(';')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? part : `${part.slice(0, eq)}=${REDACTED}`;
    })
    .join(';');
}

/** The request headers of a record: names lower case, a repeated header's values joined with ', '. */
export function headersOf(rawHeaders: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (rawHeaders === '') return out;
  const parts = rawHeaders.split('\n');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = parts[i]!.toLowerCase();
    out[name] = name in out ? `${out[name]}, ${parts[i + 1]}` : parts[i + 1]!;
  }
  return out;
}

/** The request headers as the journal shows them: credentials and cookies redacted (made when read, not when recorded). */
export function redactedHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name]!;
    if (CREDENTIAL_HEADERS.has(name)) out[name] = redactCredential(value);
    else if (name === 'cookie') out[name] = redactCookie(value);
    else out[name] = value;
  }
  return out;
}

/** The query of a request target, a repeated name as a list, token parameters redacted. */
export function redactedQuery(url: string): Record<string, string | string[]> {
  const q = url.indexOf('?');
  if (q < 0) return {};
  const parsed = parseQuery(url.slice(q + 1)) as Record<string, string | string[]>;
  for (const name in parsed) {
    if (!TOKEN_PARAMS.has(name.toLowerCase())) continue;
    const v = parsed[name]!;
    parsed[name] = Array.isArray(v) ? v.map(() => REDACTED) : REDACTED;
  }
  return parsed;
}

/** A token in a URL the answer carries (Waldur's Link header repeats the request's query). */
const TOKEN_IN_URL = /([?&]x-auth-token=)[^&>;"\s]*/gi;
const redactUrls = (value: string): string => value.replace(TOKEN_IN_URL, `$1${REDACTED}`);

/** The answer's headers with any token in their URLs redacted. */
function redactedResponseHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) out[name] = redactUrls(headers[name]!);
  return out;
}

const text = (body: Buffer | string | null): string | null => (body === null ? null : typeof body === 'string' ? body : body.toString('utf8'));

/** A record as GET /__admin/requests shows it (specs/admin.yaml, JournalEntry). */
/** One entry as `GET /__admin/requests` lists it. */
export type JournalEntry = ReturnType<typeof entryJson>;

export function entryJson(r: JournalRecord) {
  const x = r;
  return {
    id: r.id,
    time: new Date(r.time).toISOString(),
    duration_ms: Math.round(r.durationMs * 1000) / 1000,
    dialect: x.dialect,
    operation: x.operationId,
    request: {
      method: x.method,
      path: x.path,
      query: redactedQuery(x.url),
      headers: redactedHeaders(headersOf(x.rawHeaders)),
      body: text(r.requestBody),
      body_truncated: r.requestTruncated,
    },
    response: {
      status: x.status,
      headers: redactedResponseHeaders(x.responseHeaders),
      body: redactUrls(r.responseBody),
      body_truncated: r.responseTruncated,
    },
  };
}
