/**
 * A customer's balance over its ACTIVE, unexpired credits, the payload of
 * check_balance and of consume [inference on the inner shape, docs/behaviour/maple.md §1.4]:
 * `total_amount` maps currency → minor units, `total_units` maps item_id →
 * units, `total_units_with_meta` maps item_id → {units, item}. Units are
 * exact decimal text; every quantity is summed as a decimal (units.ts).
 */
import { Dec } from '../money/decimal.js';
import { activeCredits, poolOf, poolRemaining } from './credit-indexes.js';
import type { MapleBook } from './maple.store.js';
import type { BillableItem, Credit, CreditType } from './model.js';
import { MAX_CENTS } from './money.js';
import { unitsText, unscaleUnits, type Units } from './units.js';

/** A quantity in a credit's own unit: minor units (AMOUNT) or units (UNITS), exact. */
export type Quantity = InstanceType<typeof Dec>;

export interface UnitsWithMeta {
  readonly units: Units;
  readonly item: BillableItem | null;
}

export interface Balance {
  readonly total_amount: Readonly<Record<string, number>>;
  readonly total_units: Readonly<Record<string, Units>>;
  readonly total_units_with_meta: Readonly<Record<string, UnitsWithMeta>>;
}

/** ACTIVE and not past its expiration_date at `now`, whether or not expireDue has run. */
export function isLive(credit: Credit, now: Date): boolean {
  if (credit.state !== 'ACTIVE') return false;
  return credit.expiration_date === null || Date.parse(credit.expiration_date) > now.getTime();
}

/** What remains of a credit, in its own unit (minor units or units). */
export function remainingOf(credit: Credit): Quantity {
  return new Dec(credit.type === 'AMOUNT' ? credit.amount!.value_in_cents : credit.units!);
}

export function issuedOf(credit: Credit): Quantity {
  return new Dec(credit.type === 'AMOUNT' ? credit.issued_amount!.value_in_cents : credit.issued_units!);
}

/** The live credits of a customer, all of them or one pool's, in no particular order. */
export function liveCredits(
  book: MapleBook,
  customerId: string,
  now: Date,
  pool?: { type: CreditType; pool: string },
): Credit[] {
  return activeCredits(book.credits, customerId, pool).filter((c) => isLive(c, now));
}

/**
 * The exact sum of what remains in one pool, from the pool index (no scan:
 * the index sums minor units, or units scaled to whole numbers). It counts
 * every ACTIVE credit, so call it once expireDue has run at now.
 */
export function poolTotal(book: MapleBook, customerId: string, type: CreditType, pool: string): Quantity {
  const total = poolRemaining(book.credits, customerId, type, pool);
  return type === 'AMOUNT' ? new Dec(total.toString()) : unscaleUnits(total);
}

function totals(credits: readonly Credit[]): Map<string, Quantity> {
  const byPool = new Map<string, Quantity>();
  for (const c of credits) byPool.set(poolOf(c), (byPool.get(poolOf(c)) ?? new Dec(0)).plus(remainingOf(c)));
  return new Map([...byPool].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function amountTotals(credits: readonly Credit[]): Record<string, number> {
  return Object.fromEntries(
    [...totals(credits)].map(([currency, sum]): [string, number] => {
      if (sum.greaterThan(MAX_CENTS)) throw new RangeError(`balance of ${currency} passes 2^53 − 1`);
      return [currency, sum.toNumber()];
    }),
  );
}

export function balanceOf(book: MapleBook, customerId: string, now: Date): Balance {
  const live = liveCredits(book, customerId, now);
  const total_amount = amountTotals(live.filter((c) => c.type === 'AMOUNT'));
  const total_units: Record<string, Units> = Object.fromEntries(
    [...totals(live.filter((c) => c.type === 'UNITS'))].map(([itemId, sum]) => [itemId, unitsText(sum)]),
  );
  const total_units_with_meta: Record<string, UnitsWithMeta> = Object.fromEntries(
    Object.entries(total_units).map(([itemId, units]) => [itemId, { units, item: book.items.get(itemId) ?? null }]),
  );
  return { total_amount, total_units, total_units_with_meta };
}
