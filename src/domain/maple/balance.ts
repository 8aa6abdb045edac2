/**
 * A customer's balance over its ACTIVE, unexpired credits, the payload of
 * check_balance and of consume [inference on the inner shape, reference §1.4]:
 * `total_amount` maps currency → minor units, `total_units` maps item_id →
 * units, `total_units_with_meta` maps item_id → {units, item}.
 */
import { poolKey, type MapleBook } from '../../store/maple.store.js';
import type { BillableItem, Credit, CreditType } from './model.js';
import { MAX_CENTS, sumCents } from './money.js';

export interface UnitsWithMeta {
  readonly units: number;
  readonly item: BillableItem | null;
}

export interface Balance {
  readonly total_amount: Readonly<Record<string, number>>;
  readonly total_units: Readonly<Record<string, number>>;
  readonly total_units_with_meta: Readonly<Record<string, UnitsWithMeta>>;
}

/** ACTIVE and not past its expiration_date at `now`, whether or not expireDue has run. */
export function isLive(credit: Credit, now: Date): boolean {
  if (credit.state !== 'ACTIVE') return false;
  return credit.expiration_date === null || Date.parse(credit.expiration_date) > now.getTime();
}

/** What remains of a credit, in its own unit (minor units or units). */
export function remainingOf(credit: Credit): number {
  return credit.type === 'AMOUNT' ? credit.amount!.value_in_cents : credit.units!;
}

export function issuedOf(credit: Credit): number {
  return credit.type === 'AMOUNT' ? credit.issued_amount!.value_in_cents : credit.issued_units!;
}

/** The pool a credit draws from: its currency (AMOUNT) or its item (UNITS). */
export function poolOf(credit: Credit): string {
  return credit.type === 'AMOUNT' ? credit.amount!.currency : credit.item_id!;
}

/** The live credits of a customer, all of them or one pool's, in no particular order. */
export function liveCredits(book: MapleBook, customerId: string, now: Date, pool?: { type: CreditType; pool: string }): Credit[] {
  const candidates = pool
    ? book.credits.getGroup('pool', poolKey(customerId, pool.type, pool.pool))
    : book.credits.getGroup('active', customerId);
  return candidates.filter((c) => isLive(c, now));
}

/**
 * The exact sum of what remains in one pool, from the pool index (no scan);
 * null if it would pass 2^53 − 1 (create prevents that). It counts every
 * ACTIVE credit, so call it once expireDue has run at now.
 */
export function poolTotal(book: MapleBook, customerId: string, type: CreditType, pool: string): number | null {
  const total = book.credits.groupTotal('pool', poolKey(customerId, type, pool));
  return total > BigInt(MAX_CENTS) ? null : Number(total);
}

function totals(credits: readonly Credit[]): Record<string, number> {
  const byPool = new Map<string, number[]>();
  for (const c of credits) {
    const values = byPool.get(poolOf(c));
    if (values) values.push(remainingOf(c));
    else byPool.set(poolOf(c), [remainingOf(c)]);
  }
  const entries = [...byPool].sort(([a], [b]) => (a < b ? -1 : 1)).map(([pool, values]): [string, number] => {
    const sum = sumCents(values);
    if (sum === null) throw new RangeError(`balance of ${pool} passes 2^53 − 1`);
    return [pool, sum];
  });
  return Object.fromEntries(entries);
}

export function balanceOf(book: MapleBook, customerId: string, now: Date): Balance {
  const live = liveCredits(book, customerId, now);
  const total_amount = totals(live.filter((c) => c.type === 'AMOUNT'));
  const total_units = totals(live.filter((c) => c.type === 'UNITS'));
  const total_units_with_meta: Record<string, UnitsWithMeta> = Object.fromEntries(
    Object.entries(total_units).map(([itemId, units]) => [itemId, { units, item: book.items.get(itemId) ?? null }]),
  );
  return { total_amount, total_units, total_units_with_meta };
}
