import { performance } from 'node:perf_hooks';
import { parse as parseQuery } from 'node:querystring';
import { Columns, recordAt, writeEntry, type Exchange, type JournalRecord } from './journal-store.js';

export type { Dialect, Exchange, JournalRecord } from './journal-store.js';

/** What a body is cut to in the journal, in UTF-8 bytes. */
export const BODY_CAP = 64 * 1024;
export const DEFAULT_JOURNAL_SIZE = 1000;
/** Exchanges recorded by reference before they are copied into the ring together. */
const BATCH = 64;

/**
 * The request journal: the last `capacity` exchanges in a ring buffer, oldest
 * overwritten first. Capacity 0 keeps nothing (and the APIs are given no
 * recorder at all, so it costs nothing). One journal belongs to one world.
 *
 * An entry is kept compact, since up to 1,000 of them live while the heap
 * fills with each request's garbage: its text (target, headers, bodies) as
 * bytes in one ring (journal-ring.ts), its numbers in typed arrays, and
 * references to strings that live anyway (dialect, operationId, method);
 * newestFirst() makes the records when the journal is read.
 *
 * Recording an answer only keeps a reference to its exchange: the last
 * `BATCH` exchanges are copied into the ring together, when the batch is full
 * or the journal is read. Copying them one at a time, between requests, cost
 * several times more than the copying itself (docs/decisions/0015); a
 * batch of references is young garbage by the time the next scavenge runs.
 */
export class RequestJournal {
  private seq = 0;
  private columns: Columns | null = null;
  /** Exchanges recorded and not yet copied into the columns, oldest first, with their durations and times. */
  private readonly batch: Exchange[] = [];
  private readonly batchDurations = new Float64Array(BATCH);
  private readonly batchTimes = new Float64Array(BATCH);
  private readonly batchIds = new Float64Array(BATCH);

  constructor(
    readonly capacity: number = DEFAULT_JOURNAL_SIZE,
    private readonly bodyCap = BODY_CAP,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`journal capacity must be a whole number ≥ 0, got ${capacity}`);
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Records an answered exchange (kept by reference until its batch is copied: do not change it afterwards). */
  record(x: Exchange, durationMs = performance.now() - x.started, time = Date.now()): void {
    if (this.capacity === 0) return;
    const i = this.batch.length;
    this.batchDurations[i] = durationMs;
    this.batchTimes[i] = time;
    this.batchIds[i] = ++this.seq;
    if (this.batch.push(x) === BATCH) this.commit();
  }

  /** Copies the batch into the columns. */
  private commit(): void {
    const batch = this.batch;
    for (let i = 0; i < batch.length; i++)
      this.store(batch[i]!, this.batchIds[i]!, this.batchDurations[i]!, this.batchTimes[i]!);
    batch.length = 0;
  }

  private store(x: Exchange, id: number, durationMs: number, time: number): void {
    const c = (this.columns ??= new Columns(this.capacity));
    const req = capBody(x.requestBody, this.bodyCap);
    const res = capBody(x.method === 'HEAD' ? '' : x.responseBody, this.bodyCap);
    const slot = writeEntry(c, x, req.body, res.body);
    c.ids[slot] = id;
    c.times[slot] = time;
    c.durations[slot] = durationMs;
    c.starts[slot] = x.started;
    c.statuses[slot] = x.status;
    c.truncated[slot] = (req.truncated ? 1 : 0) | (res.truncated ? 2 : 0);
    c.dialects[slot] = x.dialect;
    c.operations[slot] = x.operationId;
    c.methods[slot] = x.method;
  }

  /** Every record kept, newest first (each made when it is reached). */
  *newestFirst(): Generator<JournalRecord> {
    this.commit();
    const c = this.columns;
    if (c === null) return;
    for (const slot of c.ring.slotsNewestFirst()) yield recordAt(c, slot);
  }

  get size(): number {
    this.commit();
    return this.columns?.ring.size ?? 0;
  }

  clear(): void {
    this.batch.length = 0;
    this.columns = null;
  }
}

/** A body within `cap` UTF-8 bytes: kept as it is (no copy), or its first `cap` bytes copied out. */
export function capBody(body: string, cap: number): { body: string; truncated: boolean };
export function capBody(
  body: Buffer | string | null,
  cap: number,
): { body: Buffer | string | null; truncated: boolean };
export function capBody(
  body: Buffer | string | null,
  cap: number,
): { body: Buffer | string | null; truncated: boolean } {
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

const text = (body: Buffer | string | null): string | null =>
  body === null ? null : typeof body === 'string' ? body : body.toString('utf8');

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
