/**
 * How a company's credits are indexed, and what each index means: domain rules the generic store is handed as
 * key functions (store/table.ts knows no credit).
 * - `customer`: every credit of a customer, whatever its state;
 * - `active`: a customer's ACTIVE credits;
 * - `pool`: a customer's ACTIVE credits of one draw-down pool (one type, and one currency for AMOUNT or one item
 *   for UNITS), with the exact sum of what remains in the pool (minor units, or units scaled to whole numbers);
 * - `expiring`: the ACTIVE credits that have an expiration_date.
 */
import type { GroupIndex, Table } from '../../store/table.js';
import type { Credit, CreditType } from './model.js';
import { scaledUnits } from './units.js';

/** The key of a draw-down pool: one customer's ACTIVE credits of one type and currency (AMOUNT) or item (UNITS). */
export function poolKey(customerId: string, type: CreditType, pool: string): string {
  return `${customerId}\u0000${type}\u0000${pool}`;
}

/** The pool a credit draws from: its currency (AMOUNT) or its item (UNITS). */
export function poolOf(credit: Credit): string {
  return credit.type === 'AMOUNT' ? credit.amount!.currency : credit.item_id!;
}

/** What remains of a credit as a whole number: minor units (AMOUNT) or units scaled (UNITS). */
function remainingWhole(credit: Credit): number | bigint {
  return credit.type === 'AMOUNT' ? credit.amount!.value_in_cents : scaledUnits(credit.units!);
}

const activeOnly = <T>(c: Credit, key: T): T | null => (c.state === 'ACTIVE' ? key : null);

/** The group indexes of a company's credit table. */
export const CREDIT_INDEXES: readonly GroupIndex<Credit>[] = [
  { name: 'customer', key: (c) => c.customer_id },
  { name: 'active', key: (c) => activeOnly(c, c.customer_id) },
  { name: 'pool', key: (c) => activeOnly(c, poolKey(c.customer_id, c.type, poolOf(c))), amount: remainingWhole },
  { name: 'expiring', key: (c) => (c.expiration_date === null ? null : activeOnly(c, 'expiring')) },
];

/** Every credit of a customer, whatever its state, in the order they were issued. */
export function creditsOfCustomer(credits: Table<Credit>, customerId: string): Credit[] {
  return credits.getGroup('customer', customerId);
}

/** A customer's ACTIVE credits, all of them or one pool's (expired or not: see balance.ts isLive). */
export function activeCredits(
  credits: Table<Credit>,
  customerId: string,
  pool?: { type: CreditType; pool: string },
): Credit[] {
  return pool
    ? credits.getGroup('pool', poolKey(customerId, pool.type, pool.pool))
    : credits.getGroup('active', customerId);
}

/** The exact sum of what remains in one pool's ACTIVE credits: minor units (AMOUNT) or units scaled (UNITS). */
export function poolRemaining(credits: Table<Credit>, customerId: string, type: CreditType, pool: string): bigint {
  return credits.groupTotal('pool', poolKey(customerId, type, pool));
}

/** The ACTIVE credits that have an expiration_date (due or not). */
export function expiringCredits(credits: Table<Credit>): Credit[] {
  return credits.getGroup('expiring', 'expiring');
}
