/**
 * The building blocks of the ledger: a credit changes only through these, and
 * each change appends exactly one log entry carrying the quantity it moved.
 */
import type { MapleBook } from './maple.store.js';
import { remainingOf, type Quantity } from './balance.js';
import { decodeId, encodeId, PAYLOAD_BYTES, type MapleIdGenerator } from './ids.js';
import type { Credit, CreditLog, CreditLogAction, CreditState } from './model.js';
import { unitsText, ZERO_UNITS } from './units.js';

/** What a ledger operation needs besides the book. */
export interface LedgerContext {
  readonly now: Date;
  readonly ids: MapleIdGenerator;
}

export interface EntryMeta {
  readonly id: string;
  readonly created_at: string;
  readonly invoice_id?: string | null;
  readonly note?: string | null;
}

/** A log entry moving `quantity` of the credit's own unit. */
export function logEntry(action: CreditLogAction, credit: Credit, quantity: Quantity, meta: EntryMeta): CreditLog {
  return {
    id: meta.id,
    action_type: action,
    amount_applied:
      credit.type === 'AMOUNT' ? { currency: credit.amount!.currency, value_in_cents: quantity.toNumber() } : null,
    units_applied: credit.type === 'UNITS' ? unitsText(quantity) : null,
    created_at: meta.created_at,
    credit_id: credit.id,
    customer_id: credit.customer_id,
    invoice_id: meta.invoice_id ?? null,
    note: meta.note ?? null,
  };
}

export function withRemaining(credit: Credit, remaining: Quantity, state: CreditState): Credit {
  if (credit.type === 'AMOUNT')
    return { ...credit, state, amount: { currency: credit.amount!.currency, value_in_cents: remaining.toNumber() } };
  return { ...credit, state, units: unitsText(remaining) };
}

/** Puts `credit` and appends `entry` to the log; returns the stored entry. */
export function record(book: MapleBook, credit: Credit, entry: CreditLog): CreditLog {
  book.credits.put(credit);
  return book.logs.put(entry);
}

/** Takes `quantity` (≤ remaining) from an ACTIVE credit; at 0 it becomes CONSUMED. */
export function deduct(book: MapleBook, credit: Credit, quantity: Quantity, meta: EntryMeta): CreditLog {
  if (credit.state !== 'ACTIVE') throw new Error(`deduct from ${credit.state} credit ${credit.id}`);
  const before = remainingOf(credit);
  if (quantity.isNegative() || quantity.greaterThan(before))
    throw new RangeError(`cannot take ${quantity.toFixed()} from ${before.toFixed()}`);
  const remaining = before.minus(quantity);
  const next = withRemaining(credit, remaining, remaining.isZero() ? 'CONSUMED' : 'ACTIVE');
  return record(book, next, logEntry('CONSUMED', credit, quantity, meta));
}

/** Ends an ACTIVE credit: what remained moves to the entry and the credit shows 0. */
export function terminate(book: MapleBook, credit: Credit, action: 'EXPIRED' | 'REVOKED', meta: EntryMeta): CreditLog {
  if (credit.state !== 'ACTIVE') throw new Error(`${action} of ${credit.state} credit ${credit.id}`);
  const entry = logEntry(action, credit, remainingOf(credit), meta);
  return record(book, withRemaining(credit, ZERO_UNITS, action), entry);
}

/**
 * The EXPIRED entry's id, derived from the credit so that lazy expiry writes
 * the same entry whenever it runs: the time part is the expiration instant,
 * the payload is the credit id's own (or a hash of a foreign id).
 */
export function expiryLogId(credit: Credit): string {
  const ms = Date.parse(credit.expiration_date!);
  const payload = decodeId('crd_', credit.id)?.payload ?? hashPayload(credit.id);
  return encodeId('log_', ms, payload);
}

function hashPayload(text: string): Uint8Array {
  const out = new Uint8Array(PAYLOAD_BYTES);
  let h = 0x811c9dc5;
  for (let round = 0; round < PAYLOAD_BYTES; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out[round] = h & 0xff;
  }
  return out;
}

export const isoOf = (date: Date): string => date.toISOString();
