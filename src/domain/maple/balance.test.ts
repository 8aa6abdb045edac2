import { describe, expect, it } from 'vitest';
import { balanceOf, isLive, liveCredits, poolTotal } from './balance.js';
import { validateConsume } from './consume-rules.js';
import { validateCreateCredit } from './credit-rules.js';
import { consumeCredits, expireDue, issueCredit, revokeCredit } from './ledger.js';
import {
  ALICE,
  amountBody,
  API_CALLS,
  BOB,
  COMPANY,
  failure,
  HOUR,
  isoAfter,
  T0,
  unitsBody,
  value,
  world,
  type World,
} from './maple-world.fixture.js';
import type { BillableItem } from './model.js';
import { MAX_CENTS } from './money.js';

function issue(w: World, body: Record<string, unknown>) {
  return issueCredit(w.book, value(validateCreateCredit(w.book, body, w.clock.now())), w.ledger());
}
function consume(w: World, body: Record<string, unknown>) {
  return value(consumeCredits(w.book, value(validateConsume(w.book, body)), w.ledger()));
}
const usd = (cents: number) => amountBody(cents);
const inCurrency = (currency: string, cents: number, extra: Record<string, unknown> = {}) =>
  amountBody(cents, { amount: { currency, value_in_cents: cents }, ...extra });
const STORAGE = 'item_storage';
function addStorageItem(w: World): BillableItem {
  const at = '2023-12-01T00:00:00.000Z';
  return w.book.items.put({
    id: STORAGE,
    company_id: COMPANY,
    name: 'Storage GB',
    external_name: null,
    description: null,
    display_type: null,
    type: 'metered',
    standard: true,
    editable: false,
    created_at: at,
    updated_at: at,
  });
}

describe('balance over ACTIVE, unexpired credits', () => {
  it('maps currency → cents and item → units, with the item as meta', () => {
    const w = world();
    const storage = addStorageItem(w);
    issue(w, usd(2500));
    issue(w, usd(1500));
    issue(w, inCurrency('JPY', 1000));
    issue(w, inCurrency('KWD', 1234));
    issue(w, unitsBody(300));
    issue(w, unitsBody(20));
    issue(w, unitsBody(64, { item_id: STORAGE }));
    issue(w, amountBody(777, { customer_id: BOB }));
    issue(w, unitsBody(5, { customer_id: BOB }));
    const b = balanceOf(w.book, ALICE, w.clock.now());
    expect(b.total_amount).toEqual({ JPY: 1000, KWD: 1234, USD: 4000 });
    expect(Object.keys(b.total_amount)).toEqual(['JPY', 'KWD', 'USD']);
    expect(b.total_units).toEqual({ [API_CALLS]: '320', [STORAGE]: '64' });
    expect(b.total_units_with_meta).toEqual({
      [API_CALLS]: { units: '320', item: w.book.items.get(API_CALLS) },
      [STORAGE]: { units: '64', item: storage },
    });
    expect(b.total_units_with_meta[API_CALLS]!.item).toMatchObject({ id: API_CALLS, name: 'API calls' });
    expect(balanceOf(w.book, BOB, w.clock.now())).toEqual({
      total_amount: { USD: 777 },
      total_units: { [API_CALLS]: '5' },
      total_units_with_meta: { [API_CALLS]: { units: '5', item: w.book.items.get(API_CALLS) } },
    });
  });

  it('is {} everywhere for a customer without credits', () => {
    expect(balanceOf(world().book, ALICE, new Date())).toEqual({
      total_amount: {},
      total_units: {},
      total_units_with_meta: {},
    });
  });

  it('counts what remains: 1000 and 500 USD after consuming 1200 (1000 CONSUMED, 300 of 500 left) is 300', () => {
    const w = world();
    const first = issue(w, usd(1000)).credit;
    w.clock.advance(1);
    issue(w, usd(500));
    consume(w, { customer_id: ALICE, type: 'AMOUNT', amount: { currency: 'USD', value_in_cents: 1200 } });
    expect(balanceOf(w.book, ALICE, w.clock.now()).total_amount).toEqual({ USD: 300 });
    expect(w.book.credits.get(first.id)!.state).toBe('CONSUMED');
    expect(liveCredits(w.book, ALICE, w.clock.now()).map((c) => c.amount!.value_in_cents)).toEqual([300]);
  });

  it('leaves out revoked credits, and expired ones from the expiration instant, even before expireDue has marked them', () => {
    const w = world();
    const a = issue(w, usd(100)).credit;
    const b = issue(w, amountBody(200, { expiration_date: isoAfter(HOUR) })).credit;
    value(revokeCredit(w.book, a.id, w.ledger()));
    expect(balanceOf(w.book, ALICE, w.clock.now()).total_amount).toEqual({ USD: 200 });
    w.clock.advance(HOUR - 1);
    expect(balanceOf(w.book, ALICE, w.clock.now()).total_amount).toEqual({ USD: 200 });
    w.clock.advance(1);
    expect(w.book.credits.get(b.id)!.state).toBe('ACTIVE');
    expect(isLive(w.book.credits.get(b.id)!, w.clock.now())).toBe(false);
    expect(balanceOf(w.book, ALICE, w.clock.now()).total_amount).toEqual({});
    // poolTotal reads the pool index, which counts every ACTIVE credit: it is for after expireDue.
    expect(poolTotal(w.book, ALICE, 'AMOUNT', 'USD').toFixed()).toBe('200');
    expireDue(w.book, w.clock.now());
    expect(poolTotal(w.book, ALICE, 'AMOUNT', 'USD').toFixed()).toBe('0');
  });

  it('a pool is one customer, one type and one currency or item', () => {
    const w = world();
    issue(w, usd(100));
    issue(w, inCurrency('EUR', 40));
    issue(w, amountBody(7, { customer_id: BOB }));
    issue(w, unitsBody(9));
    const now = w.clock.now();
    expect(poolTotal(w.book, ALICE, 'AMOUNT', 'USD').toFixed()).toBe('100');
    expect(poolTotal(w.book, ALICE, 'AMOUNT', 'EUR').toFixed()).toBe('40');
    expect(poolTotal(w.book, BOB, 'AMOUNT', 'USD').toFixed()).toBe('7');
    expect(poolTotal(w.book, ALICE, 'UNITS', API_CALLS).toFixed()).toBe('9');
    expect(poolTotal(w.book, ALICE, 'UNITS', 'USD').toFixed()).toBe('0');
    expect(liveCredits(w.book, ALICE, now, { type: 'AMOUNT', pool: 'EUR' }).map((c) => c.amount)).toEqual([
      { currency: 'EUR', value_in_cents: 40 },
    ]);
  });
});

describe('balance sums are exact integers', () => {
  it('beyond 2^31: 2147483648 + 2147483649 + 3000000000 = 7294967297, and 4294967295 units + 1 = 4294967296', () => {
    const w = world();
    issue(w, usd(2 ** 31));
    issue(w, usd(2 ** 31 + 1));
    issue(w, usd(3_000_000_000));
    issue(w, unitsBody(4_294_967_295));
    issue(w, unitsBody(1));
    const b = balanceOf(w.book, ALICE, w.clock.now());
    expect(b.total_amount).toEqual({ USD: 7_294_967_297 });
    expect(b.total_units).toEqual({ [API_CALLS]: '4294967296' });
    consume(w, { customer_id: ALICE, type: 'AMOUNT', amount: { currency: 'USD', value_in_cents: 2 ** 32 + 1 } });
    expect(balanceOf(w.book, ALICE, w.clock.now()).total_amount).toEqual({ USD: 3_000_000_000 });
  });

  it('up to 2^53 − 1 exactly: 9007199254740990 + 1 = 9007199254740991', () => {
    const w = world();
    issue(w, usd(9_007_199_254_740_990));
    issue(w, usd(1));
    expect(balanceOf(w.book, ALICE, w.clock.now()).total_amount).toEqual({ USD: 9_007_199_254_740_991 });
    expect(poolTotal(w.book, ALICE, 'AMOUNT', 'USD').toFixed()).toBe(String(MAX_CENTS));
  });

  it('a create that would take a pool past 2^53 − 1 is refused and writes nothing; other pools and customers are not affected', () => {
    const w = world();
    value(w.service.create(w.book, usd(MAX_CENTS - 5)));
    const before = w.store.export();
    const f = failure(w.service.create(w.book, usd(6)));
    expect(f).toEqual({
      kind: 'validation_error',
      message: 'Request body does not contain all required information',
      validation_errors: [
        { field: 'amount.value_in_cents', message: "the customer's balance in USD would pass 9007199254740991" },
      ],
    });
    expect(w.store.export()).toEqual(before);
    value(w.service.create(w.book, usd(5)));
    expect(value(w.service.checkBalance(w.book, ALICE)).total_amount).toEqual({ USD: 9_007_199_254_740_991 });
    value(w.service.create(w.book, inCurrency('EUR', MAX_CENTS)));
    value(w.service.create(w.book, amountBody(MAX_CENTS, { customer_id: BOB })));
    value(w.service.create(w.book, unitsBody(MAX_CENTS)));
    expect(failure(w.service.create(w.book, unitsBody(1))).validation_errors).toEqual([
      { field: 'units', message: `the customer's balance in ${API_CALLS} would pass 9007199254740991` },
    ]);
    expect(value(w.service.checkBalance(w.book, 'ext-alice'))).toMatchObject({
      total_amount: { EUR: MAX_CENTS, USD: MAX_CENTS },
      total_units: { [API_CALLS]: String(MAX_CENTS) },
    });
  });

  it('headroom comes back as the pool is used: after consuming 10 of a full pool, 10 more can be issued, not 11', () => {
    const w = world();
    value(w.service.create(w.book, usd(MAX_CENTS)));
    value(
      w.service.consume(w.book, {
        customer_id: ALICE,
        type: 'AMOUNT',
        amount: { currency: 'USD', value_in_cents: 10 },
      }),
    );
    expect(failure(w.service.create(w.book, usd(11))).kind).toBe('validation_error');
    value(w.service.create(w.book, usd(10)));
    expect(value(w.service.checkBalance(w.book, ALICE)).total_amount).toEqual({ USD: MAX_CENTS });
  });

  it("a pool put past 2^53 − 1 behind validation's back: poolTotal is exact beyond it and balanceOf refuses to round", () => {
    const w = world();
    const credit = issue(w, usd(MAX_CENTS)).credit;
    w.book.credits.put({ ...credit, id: 'crd_extra', created_at: T0.toISOString() });
    expect(poolTotal(w.book, ALICE, 'AMOUNT', 'USD').toFixed()).toBe('18014398509481982');
    expect(() => balanceOf(w.book, ALICE, w.clock.now())).toThrow(RangeError);
    expect(balanceOf(w.book, BOB, w.clock.now()).total_amount).toEqual({});
  });
});
