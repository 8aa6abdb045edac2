/**
 * Maple's Idempotency-Key (docs/behaviour/maple.md §1.7, Part 4 item 4), over one company's
 * records (so the scope is (company, key)).
 *
 * - A key is 1–64 characters (code points); longer or empty keys are
 *   invalid_idempotency_key.
 * - A request is fingerprinted by method, path and canonical body (keys
 *   sorted, numbers as written), or its raw text when it is not JSON; the
 *   record keeps the SHA-256 of that.
 * - claim, as the request arrives: no live record → the key is now in flight
 *   ('fresh'); in flight → 'in_flight'; stored → 'stored', and `decide` then
 *   compares fingerprints once the body has been read: the same → replay;
 *   another → conflict 'different_request', or replay when
 *   `sameKeyDifferentRequest: 'replay'` (Maple's text allows both readings).
 * - complete stores whatever status and body the request ended with, errors
 *   included, so replays include stored 4xx and 5xx.
 * - A record lives 24 h on the injected clock (from when it was stored, or
 *   from when it began while in flight); after that the key runs afresh.
 */
import { createHash } from 'node:crypto';
import { fail, succeed, type Outcome } from './errors.js';
import { isNumberSource } from './money.js';

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 64;

/** A response as it was sent: status and body text, replayed byte for byte. */
export interface StoredResponse {
  readonly status: number;
  readonly body: string;
}

export type IdempotencyRecord =
  | { readonly state: 'in_flight'; readonly startedAt: number }
  | {
      readonly state: 'done';
      readonly fingerprint: string;
      readonly storedAt: number;
      readonly response: StoredResponse;
    };

export type Records = Map<string, IdempotencyRecord>;

export type Claim =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'in_flight' }
  | { readonly kind: 'stored'; readonly fingerprint: string; readonly response: StoredResponse };

export type Decision = { readonly replay: StoredResponse } | { readonly conflict: 'different_request' };

export type SameKeyDifferentRequest = 'conflict' | 'replay';

export function validateIdempotencyKey(key: string): Outcome<string> {
  const length = [...key].length;
  if (length >= 1 && length <= MAX_IDEMPOTENCY_KEY_LENGTH) return succeed(key);
  const message = `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long`;
  return fail('invalid_idempotency_key', message, [{ field: 'Idempotency-Key', message }]);
}

/** JSON with object keys sorted and numbers as the request wrote them. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  if (isNumberSource(value)) return value.source.trim();
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What identifies a request: method, path and body (canonical JSON, or the raw text when it did not parse). */
export function requestIdentity(method: string, path: string, body: { json: unknown } | { raw: string }): string {
  const text = 'json' in body ? `json:${canonicalJson(body.json)}` : `raw:${body.raw}`;
  return `${method.toUpperCase()} ${path}\n${text}`;
}

/** The SHA-256 of requestIdentity: what a record keeps, so a stored key costs the answer and 64 characters. */
export function requestFingerprint(method: string, path: string, body: { json: unknown } | { raw: string }): string {
  return createHash('sha256')
    .update(requestIdentity(method, path, body))
    .digest('hex');
}

function isLive(record: IdempotencyRecord, nowMs: number): boolean {
  const since = record.state === 'done' ? record.storedAt : record.startedAt;
  return nowMs - since < IDEMPOTENCY_RETENTION_MS;
}

/** Looks the key up as a request arrives; a fresh key is marked in flight. */
export function claim(records: Records, key: string, now: Date): Claim {
  const existing = records.get(key);
  if (existing === undefined || !isLive(existing, now.getTime())) {
    records.delete(key); // re-inserted at the end: the map stays in the order the records began
    records.set(key, { state: 'in_flight', startedAt: now.getTime() });
    return { kind: 'fresh' };
  }
  if (existing.state === 'in_flight') return { kind: 'in_flight' };
  return { kind: 'stored', fingerprint: existing.fingerprint, response: existing.response };
}

/** What a request with a stored key gets, once its fingerprint is known. */
export function decide(
  stored: Extract<Claim, { kind: 'stored' }>,
  fingerprint: string,
  policy: SameKeyDifferentRequest,
): Decision {
  if (stored.fingerprint === fingerprint || policy === 'replay') return { replay: stored.response };
  return { conflict: 'different_request' };
}

/** Stores the response a fresh key's request ended with, success or error alike. */
export function complete(
  records: Records,
  key: string,
  fingerprint: string,
  response: StoredResponse,
  now: Date,
): void {
  records.set(key, { state: 'done', fingerprint, storedAt: now.getTime(), response });
}

/** Forgets a key in flight (a request that ended without a response to store). */
export function abandon(records: Records, key: string): void {
  if (records.get(key)?.state === 'in_flight') records.delete(key);
}

/**
 * Drops the records past their 24 hours. Records are kept in the order they
 * began, so the sweep stops at the first live one it meets after a run of
 * expired ones; a clock moved backwards only delays a sweep.
 */
export function pruneExpired(records: Records, now: Date): number {
  let dropped = 0;
  for (const [key, record] of records) {
    if (isLive(record, now.getTime())) break;
    records.delete(key);
    dropped += 1;
  }
  return dropped;
}
