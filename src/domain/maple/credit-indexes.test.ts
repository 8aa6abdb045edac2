import { describe, expect, it } from 'vitest';
import { TableSet } from '../../store/table-set.js';
import { TransactionManager } from '../../store/transaction.js';
import {
  activeCredits,
  CREDIT_INDEXES,
  creditsOfCustomer,
  expiringCredits,
  poolKey,
  poolOf,
  poolRemaining,
} from './credit-indexes.js';
import type { Credit } from './model.js';
import { scaledUnits } from './units.js';

const base: Omit<Credit, 'id' | 'type' | 'amount' | 'units' | 'issued_amount' | 'issued_units' | 'item_id'> = {
  created_at: '2024-01-01T00:00:00.000Z',
  customer_id: 'cus_a',
  name: null,
  state: 'ACTIVE',
  subscription_id: null,
  expiration_date: null,
  coupon_id: null,
  metric_record_id: null,
  one_time_billable_id: null,
  proration_date: null,
  import_ref: null,
  import_created_at_ref: null,
  imported_from: null,
};

const amount = (id: string, cents: number, currency = 'USD', more: Partial<Credit> = {}): Credit => ({
  ...base,
  id,
  type: 'AMOUNT',
  amount: { value_in_cents: cents, currency },
  issued_amount: { value_in_cents: cents, currency },
  units: null,
  issued_units: null,
  item_id: null,
  ...more,
});

const units = (id: string, u: string, item: string, more: Partial<Credit> = {}): Credit => ({
  ...base,
  id,
  type: 'UNITS',
  amount: null,
  issued_amount: null,
  units: u,
  issued_units: u,
  item_id: item,
  ...more,
});

function credits() {
  const tx = new TransactionManager();
  const table = new TableSet(tx, 'Maple').table<Credit>({ name: 'credits', key: (c) => c.id, groups: CREDIT_INDEXES });
  return { tx, table };
}

const ids = (cs: readonly Credit[]) => cs.map((c) => c.id).sort();

describe('Maple credit indexes', () => {
  it('pool a customer’s ACTIVE credits by type and currency or item, summing exactly what remains', () => {
    const { table } = credits();
    table.put(amount('c1', 500));
    table.put(amount('c2', 250));
    table.put(amount('c3', 900, 'EUR'));
    table.put(units('c4', '1.5', 'item_x'));
    table.put(units('c5', '0.000000000000000000000000000001', 'item_x'));
    table.put(amount('c6', 100, 'USD', { customer_id: 'cus_b' }));
    expect(poolRemaining(table, 'cus_a', 'AMOUNT', 'USD')).toBe(750n);
    expect(poolRemaining(table, 'cus_a', 'AMOUNT', 'EUR')).toBe(900n);
    expect(poolRemaining(table, 'cus_a', 'UNITS', 'item_x')).toBe(scaledUnits('1.500000000000000000000000000001'));
    expect(poolRemaining(table, 'cus_a', 'UNITS', 'USD')).toBe(0n);
    expect(ids(activeCredits(table, 'cus_a', { type: 'AMOUNT', pool: 'USD' }))).toEqual(['c1', 'c2']);
    expect(ids(activeCredits(table, 'cus_a'))).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(poolOf(table.get('c4')!)).toBe('item_x');
    expect(poolKey('cus_a', 'AMOUNT', 'USD')).not.toBe(poolKey('cus_a', 'UNITS', 'USD'));
  });

  it('drop a credit from its pool, the active set and the expiring set when it leaves ACTIVE, and keep it by customer', () => {
    const { table } = credits();
    table.put(amount('c1', 500, 'USD', { expiration_date: '2025-01-01T00:00:00.000Z' }));
    table.put(amount('c2', 250));
    expect(ids(expiringCredits(table))).toEqual(['c1']);
    table.put({ ...table.get('c1')!, state: 'EXPIRED' });
    table.put({ ...table.get('c2')!, amount: { value_in_cents: 0, currency: 'USD' }, state: 'CONSUMED' });
    expect(poolRemaining(table, 'cus_a', 'AMOUNT', 'USD')).toBe(0n);
    expect(activeCredits(table, 'cus_a')).toEqual([]);
    expect(expiringCredits(table)).toEqual([]);
    expect(ids(creditsOfCustomer(table, 'cus_a'))).toEqual(['c1', 'c2']);
  });

  it('follow a draw-down inside a transaction, and come back whole when it is undone', () => {
    const { tx, table } = credits();
    table.put(amount('c1', 500));
    expect(() =>
      tx.run(() => {
        table.put({ ...table.get('c1')!, amount: { value_in_cents: 120, currency: 'USD' } });
        expect(poolRemaining(table, 'cus_a', 'AMOUNT', 'USD')).toBe(120n);
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(poolRemaining(table, 'cus_a', 'AMOUNT', 'USD')).toBe(500n);
  });
});
