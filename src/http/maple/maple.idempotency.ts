import {
  abandon,
  claim,
  complete,
  decide,
  pruneExpired,
  validateIdempotencyKey,
  type Claim,
  type Records,
  type SameKeyDifferentRequest,
  type StoredResponse,
} from '../../domain/maple/idempotency.js';
import type { MapleBook } from '../../domain/maple/maple.store.js';
import { fromFailure, idempotencyError } from './maple.errors.js';

/** A POST's Idempotency-Key after it was claimed: fresh (this request runs and its answer is stored) or stored. */
export interface KeyedRequest {
  readonly key: string;
  readonly records: Records;
  readonly claim: Claim;
}

/**
 * Reads and claims a POST's Idempotency-Key (docs/behaviour/maple.md §1.7): none → null; an
 * invalid key → 400; a key whose first request is still in flight → 409.
 */
export function claimKey(header: string | string[] | undefined, book: MapleBook, now: Date): KeyedRequest | null {
  if (header === undefined) return null;
  const key = Array.isArray(header) ? header.join(', ') : header;
  const valid = validateIdempotencyKey(key);
  if (!valid.ok) throw fromFailure(valid.failure);
  pruneExpired(book.idempotency, now);
  const claimed = claim(book.idempotency, key, now);
  if (claimed.kind === 'in_flight') {
    throw idempotencyError(
      'A request with this Idempotency-Key is still in progress; retry when it has finished',
      'in_flight',
    );
  }
  return { key, records: book.idempotency, claim: claimed };
}

/** The stored answer for a repeated key, or 409 when the request differs from the first (unless the policy replays). */
export function replayFor(
  keyed: KeyedRequest,
  fingerprint: string,
  policy: SameKeyDifferentRequest,
): StoredResponse | null {
  if (keyed.claim.kind !== 'stored') return null;
  const decision = decide(keyed.claim, fingerprint, policy);
  if ('replay' in decision) return decision.replay;
  throw idempotencyError('This Idempotency-Key was used with a different request', 'different_request');
}

/** Stores the answer of a fresh key's request. */
export function storeAnswer(keyed: KeyedRequest, fingerprint: string, response: StoredResponse, now: Date): void {
  if (keyed.claim.kind === 'fresh') complete(keyed.records, keyed.key, fingerprint, response, now);
}

/** Gives a fresh key back when its request ended without an answer worth storing (a body too large to read). */
export function releaseKey(keyed: KeyedRequest): void {
  if (keyed.claim.kind === 'fresh') abandon(keyed.records, keyed.key);
}
