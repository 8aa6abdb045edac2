import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPLE_SETTINGS } from './credits.service.js';
import type { Outcome } from './errors.js';
import {
  addInvoice,
  ALICE,
  amountBody,
  API_CALLS,
  BOB,
  DAY,
  failure,
  HOUR,
  isoAfter,
  unitsBody,
  value,
  world,
  type World,
} from './maple-world.fixture.js';
import { ledgerMismatches } from './replay.js';

const usd = (cents: number, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  type: 'AMOUNT',
  amount: { currency: 'USD', value_in_cents: cents },
  ...extra,
});
const calls = (units: number, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  type: 'UNITS',
  units,
  item_id: API_CALLS,
  ...extra,
});
const find = (extra: Record<string, unknown> = {}) => ({
  pagination: { limit: 100 },
  sort_key: 'createdAtAsc',
  ...extra,
});
const logsOf = (w: World) =>
  [...w.book.logs.all()].map((l) => [
    l.action_type,
    l.credit_id,
    l.amount_applied?.value_in_cents ?? l.units_applied,
    l.invoice_id,
  ]);
const EMPTY = { total_amount: {}, total_units: {}, total_units_with_meta: {} };

describe('credits service: each operation on a small world', () => {
  it('the default settings refuse a partial consume and conflict on a different request', () => {
    expect(DEFAULT_MAPLE_SETTINGS).toEqual({ allowPartialConsume: false, sameKeyDifferentRequest: 'conflict' });
    expect(world().settings).toEqual(DEFAULT_MAPLE_SETTINGS);
  });

  it('create: 10000 USD cents for Alice is ACTIVE, issued = remaining = 10000, one ISSUED entry, stored in the book', () => {
    const w = world();
    const credit = value(w.service.create(w.book, amountBody(10000)));
    expect(credit).toMatchObject({
      customer_id: ALICE,
      name: 'Promo',
      type: 'AMOUNT',
      state: 'ACTIVE',
      created_at: '2024-01-01T00:00:00.000Z',
      amount: { currency: 'USD', value_in_cents: 10000 },
      issued_amount: { currency: 'USD', value_in_cents: 10000 },
      units: null,
      issued_units: null,
    });
    expect(w.book.credits.get(credit.id)).toEqual(credit);
    expect(logsOf(w)).toEqual([['ISSUED', credit.id, 10000, null]]);
    expect(value(w.service.checkBalance(w.book, ALICE)).total_amount).toEqual({ USD: 10000 });
  });

  it('create with apply_to_open_invoices: 10000 on invoices due 5000 (older) and 3000 → 2000 left, both PAID, the EUR one untouched', () => {
    const w = world();
    addInvoice(w.book, 'inv_new', 3000, isoAfter(-DAY));
    addInvoice(w.book, 'inv_old', 5000, isoAfter(-2 * DAY));
    addInvoice(w.book, 'inv_eur', 4000, isoAfter(-3 * DAY), { currency: 'EUR' });
    const credit = value(w.service.create(w.book, amountBody(10000, { apply_to_open_invoices: { enable: true } })));
    expect(credit).toMatchObject({
      state: 'ACTIVE',
      amount: { value_in_cents: 2000 },
      issued_amount: { value_in_cents: 10000 },
    });
    expect(logsOf(w)).toEqual([
      ['ISSUED', credit.id, 10000, null],
      ['CONSUMED', credit.id, 5000, 'inv_old'],
      ['CONSUMED', credit.id, 3000, 'inv_new'],
    ]);
    expect([...w.book.invoices.all()].map((i) => [i.id, i.due_in_cents, i.state])).toEqual([
      ['inv_new', 0, 'PAID'],
      ['inv_old', 0, 'PAID'],
      ['inv_eur', 4000, 'PENDING'],
    ]);
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('consume 4000 USD: 3000 from the credit expiring first (now CONSUMED), 1000 from the other (9000 left); answers the balance', () => {
    const w = world();
    const open = value(w.service.create(w.book, amountBody(10000)));
    w.clock.advance(HOUR);
    const soon = value(w.service.create(w.book, amountBody(3000, { expiration_date: isoAfter(10 * DAY) })));
    value(w.service.create(w.book, amountBody(700, { amount: { currency: 'EUR', value_in_cents: 700 } })));
    expect(value(w.service.consume(w.book, usd(4000, { note: 'march' })))).toEqual({
      ...EMPTY,
      total_amount: { EUR: 700, USD: 9000 },
    });
    expect(w.book.credits.get(soon.id)).toMatchObject({ state: 'CONSUMED', amount: { value_in_cents: 0 } });
    expect(w.book.credits.get(open.id)).toMatchObject({ state: 'ACTIVE', amount: { value_in_cents: 9000 } });
    expect(
      [...w.book.logs.all()]
        .slice(3)
        .map((l) => [l.action_type, l.credit_id, l.amount_applied!.value_in_cents, l.note]),
    ).toEqual([
      ['CONSUMED', soon.id, 3000, 'march'],
      ['CONSUMED', open.id, 1000, 'march'],
    ]);
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('consume 120 of 500 API calls → 380, with the item in total_units_with_meta', () => {
    const w = world();
    value(w.service.create(w.book, unitsBody(500)));
    expect(value(w.service.consume(w.book, calls(120)))).toEqual({
      total_amount: {},
      total_units: { [API_CALLS]: '380' },
      total_units_with_meta: { [API_CALLS]: { units: '380', item: w.book.items.get(API_CALLS) } },
    });
  });

  it('consume 0 changes nothing and writes no entry', () => {
    const w = world();
    value(w.service.create(w.book, amountBody(100)));
    const before = w.store.export();
    expect(value(w.service.consume(w.book, usd(0))).total_amount).toEqual({ USD: 100 });
    expect(w.store.export()).toStrictEqual(before);
  });

  it('consume 101 of 100: insufficient_balance; with allowPartialConsume on, the 100 are taken', () => {
    const w = world();
    const credit = value(w.service.create(w.book, amountBody(100)));
    expect(failure(w.service.consume(w.book, usd(101)))).toMatchObject({
      kind: 'insufficient_balance',
      message: 'insufficient balance: requested 101, available 100',
    });
    w.settings.allowPartialConsume = true;
    expect(value(w.service.consume(w.book, usd(101)))).toEqual(EMPTY);
    expect(w.book.credits.get(credit.id)).toMatchObject({ state: 'CONSUMED', amount: { value_in_cents: 0 } });
    expect(logsOf(w)).toEqual([
      ['ISSUED', credit.id, 100, null],
      ['CONSUMED', credit.id, 100, null],
    ]);
  });

  it('revoke after 2500 of 10000 were consumed: REVOKED, 0 remaining, the REVOKED entry carries 7500; again is already_terminal', () => {
    const w = world();
    const credit = value(w.service.create(w.book, amountBody(10000)));
    value(w.service.consume(w.book, usd(2500)));
    w.clock.advance(HOUR);
    const revoked = value(w.service.revoke(w.book, credit.id));
    expect(revoked).toMatchObject({
      id: credit.id,
      state: 'REVOKED',
      amount: { value_in_cents: 0 },
      issued_amount: { value_in_cents: 10000 },
    });
    expect(w.book.credits.get(credit.id)).toEqual(revoked);
    expect(logsOf(w)).toEqual([
      ['ISSUED', credit.id, 10000, null],
      ['CONSUMED', credit.id, 2500, null],
      ['REVOKED', credit.id, 7500, null],
    ]);
    expect([...w.book.logs.all()][2]!.created_at).toBe('2024-01-01T01:00:00.000Z');
    expect(value(w.service.checkBalance(w.book, ALICE))).toEqual(EMPTY);
    expect(failure(w.service.revoke(w.book, credit.id))).toMatchObject({
      kind: 'already_terminal',
      message: `credit ${credit.id} is already REVOKED`,
    });
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('get: the stored credit; an unknown id is not_found', () => {
    const w = world();
    const credit = value(w.service.create(w.book, amountBody(100)));
    expect(value(w.service.get(w.book, credit.id))).toBe(w.book.credits.get(credit.id));
    expect(failure(w.service.get(w.book, 'crd_nope'))).toEqual({
      kind: 'not_found',
      message: 'credit crd_nope not found',
      validation_errors: [{ field: 'id', message: 'credit crd_nope not found' }],
    });
  });

  it('checkBalance: by Maple id or identifier; a customer without credits has empty maps; an unknown one is not_found', () => {
    const w = world();
    value(w.service.create(w.book, amountBody(1500)));
    value(w.service.create(w.book, amountBody(250)));
    value(w.service.create(w.book, unitsBody(40)));
    const alice = {
      total_amount: { USD: 1750 },
      total_units: { [API_CALLS]: '40' },
      total_units_with_meta: { [API_CALLS]: { units: '40', item: w.book.items.get(API_CALLS) } },
    };
    expect(value(w.service.checkBalance(w.book, ALICE))).toEqual(alice);
    expect(value(w.service.checkBalance(w.book, 'ext-alice'))).toEqual(alice);
    expect(value(w.service.checkBalance(w.book, BOB))).toEqual(EMPTY);
    expect(failure(w.service.checkBalance(w.book, 'cus_nobody'))).toMatchObject({
      kind: 'not_found',
      message: 'customer cus_nobody not found',
    });
  });

  it('find and findLogs answer pages over the book', () => {
    const w = world();
    const a = value(w.service.create(w.book, amountBody(100)));
    w.clock.advance(1000);
    const b = value(w.service.create(w.book, amountBody(200, { customer_id: BOB })));
    expect(value(w.service.find(w.book, find({ include_meta: true }))).results.map((c) => c.id)).toEqual([a.id, b.id]);
    expect(value(w.service.find(w.book, find({ query: { customer_id: BOB } }))).results.map((c) => c.id)).toEqual([
      b.id,
    ]);
    expect(
      value(w.service.findLogs(w.book, find({ query: { credit_id: a.id } }))).results.map((l) => l.action_type),
    ).toEqual(['ISSUED']);
    expect(failure(w.service.find(w.book, find({ pagination: { limit: 101 } }))).kind).toBe('validation_error');
    expect(failure(w.service.findLogs(w.book, find({ query: { action_type: 'APPLIED' } }))).kind).toBe(
      'validation_error',
    );
  });
});

describe('credits service: lazy expiry', () => {
  function expiring() {
    const w = world();
    const credit = value(w.service.create(w.book, amountBody(100, { expiration_date: isoAfter(HOUR) })));
    return { w, credit };
  }

  it('reads bring the book to now: get after expiry answers EXPIRED and keeps the EXPIRED entry, dated at the expiration', () => {
    const { w, credit } = expiring();
    w.clock.advance(2 * HOUR);
    expect(w.book.credits.get(credit.id)!.state).toBe('ACTIVE');
    expect(value(w.service.get(w.book, credit.id))).toMatchObject({
      state: 'EXPIRED',
      amount: { value_in_cents: 0 },
      issued_amount: { value_in_cents: 100 },
    });
    expect(w.book.credits.get(credit.id)!.state).toBe('EXPIRED');
    expect([...w.book.logs.all()].map((l) => [l.action_type, l.amount_applied!.value_in_cents, l.created_at])).toEqual([
      ['ISSUED', 100, '2024-01-01T00:00:00.000Z'],
      ['EXPIRED', 100, '2024-01-01T01:00:00.000Z'],
    ]);
    value(w.service.get(w.book, credit.id));
    expect(w.book.logs.size).toBe(2);
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('the expiration instant itself counts as expired', () => {
    const { w, credit } = expiring();
    w.clock.advance(HOUR - 1);
    expect(value(w.service.checkBalance(w.book, ALICE)).total_amount).toEqual({ USD: 100 });
    expect(value(w.service.get(w.book, credit.id)).state).toBe('ACTIVE');
    w.clock.advance(1);
    expect(value(w.service.checkBalance(w.book, ALICE))).toEqual(EMPTY);
    expect(w.book.credits.get(credit.id)!.state).toBe('EXPIRED');
  });

  it('find and findLogs see the expired credit', () => {
    const { w, credit } = expiring();
    w.clock.advance(2 * HOUR);
    expect(value(w.service.find(w.book, find({ query: { status: 'EXPIRED' } }))).results.map((c) => c.id)).toEqual([
      credit.id,
    ]);
    const w2 = expiring();
    w2.w.clock.advance(2 * HOUR);
    expect(
      value(w2.w.service.findLogs(w2.w.book, find({ sort_key: 'createdAtDesc' }))).results.map((l) => [
        l.action_type,
        l.created_at,
      ]),
    ).toEqual([
      ['EXPIRED', '2024-01-01T01:00:00.000Z'],
      ['ISSUED', '2024-01-01T00:00:00.000Z'],
    ]);
  });

  it('a write after expiry writes the EXPIRED entry before its own', () => {
    const { w, credit } = expiring();
    w.clock.advance(HOUR);
    const next = value(w.service.create(w.book, amountBody(5)));
    expect(logsOf(w)).toEqual([
      ['ISSUED', credit.id, 100, null],
      ['EXPIRED', credit.id, 100, null],
      ['ISSUED', next.id, 5, null],
    ]);
  });

  it('an expired credit cannot be consumed: named, it is already_terminal; drawn down, it is not there', () => {
    const { w, credit } = expiring();
    w.clock.advance(HOUR);
    expect(failure(w.service.consume(w.book, usd(1, { credit_id: credit.id })))).toMatchObject({
      kind: 'already_terminal',
      message: `credit ${credit.id} is EXPIRED`,
    });
    expect(failure(w.service.consume(w.book, usd(1)))).toMatchObject({
      kind: 'insufficient_balance',
      message: 'insufficient balance: requested 1, available 0',
    });
  });
});

describe('credits service: a refusal writes nothing', () => {
  /**
   * Alice: A 1000 USD (no expiry), X 500 USD expiring at 01:00, R 200 USD revoked, U 50 calls;
   * inv_1 due 300 USD (so an accepted create with apply would write to it).
   */
  function setup() {
    const w = world();
    addInvoice(w.book, 'inv_1', 300, isoAfter(-DAY));
    const a = value(w.service.create(w.book, amountBody(1000)));
    const x = value(w.service.create(w.book, amountBody(500, { expiration_date: isoAfter(HOUR) })));
    const r = value(w.service.create(w.book, amountBody(200)));
    value(w.service.revoke(w.book, r.id));
    const u = value(w.service.create(w.book, unitsBody(50)));
    return { w, a: a.id, x: x.id, r: r.id, u: u.id };
  }
  type Ids = Omit<ReturnType<typeof setup>, 'w'>;
  type Refusal = [string, (w: World, ids: Ids) => Outcome<unknown>, string];

  const refusals: Refusal[] = [
    [
      'create: a validation_error',
      (w) => w.service.create(w.book, amountBody(0, { apply_to_open_invoices: { enable: true } })),
      'validation_error',
    ],
    [
      'create: an unknown customer',
      (w) =>
        w.service.create(
          w.book,
          amountBody(10, { customer_id: 'cus_nobody', apply_to_open_invoices: { enable: true } }),
        ),
      'not_found',
    ],
    [
      'create: an unknown invoice',
      (w) =>
        w.service.create(
          w.book,
          amountBody(10, { apply_to_open_invoices: { enable: true, invoice_uuids: ['inv_1', 'inv_x'] } }),
        ),
      'not_found',
    ],
    [
      'create: past the balance ceiling',
      (w) => w.service.create(w.book, amountBody(Number.MAX_SAFE_INTEGER)),
      'validation_error',
    ],
    ['consume: more than the balance', (w) => w.service.consume(w.book, usd(1000 + 500 + 1)), 'insufficient_balance'],
    ['consume: more units than there are', (w) => w.service.consume(w.book, calls(51)), 'insufficient_balance'],
    ['consume: a validation_error', (w) => w.service.consume(w.book, usd(-5)), 'validation_error'],
    [
      'consume: an unknown customer',
      (w) => w.service.consume(w.book, usd(5, { customer_id: 'cus_nobody' })),
      'not_found',
    ],
    ['consume: an unknown credit', (w) => w.service.consume(w.book, usd(5, { credit_id: 'crd_nope' })), 'not_found'],
    [
      'consume: a revoked credit',
      (w, { r }) => w.service.consume(w.book, usd(5, { credit_id: r })),
      'already_terminal',
    ],
    [
      'consume: more than the named credit holds',
      (w, { a }) => w.service.consume(w.book, usd(1001, { credit_id: a })),
      'insufficient_balance',
    ],
    ['revoke: an unknown credit', (w) => w.service.revoke(w.book, 'crd_nope'), 'not_found'],
    ['revoke: a revoked credit', (w, { r }) => w.service.revoke(w.book, r), 'already_terminal'],
    ['get: an unknown credit', (w) => w.service.get(w.book, 'crd_nope'), 'not_found'],
    ['checkBalance: an unknown customer', (w) => w.service.checkBalance(w.book, 'cus_nobody'), 'not_found'],
    ['find: a bad body', (w) => w.service.find(w.book, find({ pagination: { limit: 0 } })), 'validation_error'],
    [
      'findLogs: a bad body',
      (w) => w.service.findLogs(w.book, find({ query: { action_type: 'APPLIED' } })),
      'validation_error',
    ],
  ];

  it.each(refusals)('%s: store.export() is the same before and after', (_name, run, kind) => {
    const { w, ...ids } = setup();
    w.clock.advance(HOUR / 2);
    const before = w.store.export();
    expect(failure(run(w, ids)).kind).toBe(kind);
    expect(w.store.export()).toStrictEqual(before);
  });

  /** The twin world where only a harmless read brought the book to now: the expiry already due, nothing else. */
  const expiredOnly = () => {
    const twin = setup();
    twin.w.clock.advance(2 * HOUR);
    value(twin.w.service.get(twin.w.book, twin.a));
    return twin.w.store.export();
  };

  it.each(refusals)(
    '%s, once X is past its expiration: the expiry already due stands, nothing else is written',
    (_name, run, kind) => {
      const { w, x, ...rest } = setup();
      w.clock.advance(2 * HOUR);
      expect(failure(run(w, { x, ...rest })).kind).toBe(kind);
      expect(w.store.export()).toStrictEqual(expiredOnly());
      expect(w.book.credits.get(x)).toMatchObject({ state: 'EXPIRED', amount: { value_in_cents: 0 } });
      expect([...w.book.logs.all()].filter((l) => l.action_type === 'EXPIRED')).toHaveLength(1);
    },
  );

  it('refusals only the expiry causes: consuming, revoking or drawing down the credit that just expired', () => {
    const { w, x } = setup();
    w.clock.advance(2 * HOUR);
    expect(failure(w.service.consume(w.book, usd(1, { credit_id: x })))).toMatchObject({
      kind: 'already_terminal',
      message: `credit ${x} is EXPIRED`,
    });
    expect(failure(w.service.revoke(w.book, x))).toMatchObject({
      kind: 'already_terminal',
      message: `credit ${x} is already EXPIRED`,
    });
    expect(failure(w.service.consume(w.book, usd(1001)))).toMatchObject({
      kind: 'insufficient_balance',
      message: 'insufficient balance: requested 1001, available 1000',
    });
    expect(w.store.export()).toStrictEqual(expiredOnly());
  });

  it('a credit seen EXPIRED only by a refused request stays EXPIRED when the clock goes back', () => {
    const { w, x } = setup();
    w.clock.advance(2 * HOUR);
    failure(w.service.revoke(w.book, x));
    w.clock.advance(-2 * HOUR);
    expect(value(w.service.get(w.book, x)).state).toBe('EXPIRED');
  });

  it('after refusals, the next accepted request writes the same EXPIRED entry as if none had happened', () => {
    const refused = setup();
    const clean = setup();
    for (const s of [refused, clean]) s.w.clock.advance(2 * HOUR);
    failure(refused.w.service.revoke(refused.w.book, refused.x));
    failure(refused.w.service.consume(refused.w.book, usd(1001)));
    failure(refused.w.service.create(refused.w.book, amountBody(0)));
    value(refused.w.service.get(refused.w.book, refused.a));
    value(clean.w.service.get(clean.w.book, clean.a));
    const expired = (s: typeof refused) => [...s.w.book.logs.all()].filter((l) => l.action_type === 'EXPIRED');
    expect(expired(refused)).toHaveLength(1);
    expect(expired(refused)).toEqual(expired(clean));
    expect(refused.w.store.export()).toStrictEqual(clean.w.store.export());
    expect(refused.w.book.credits.get(refused.x)).toMatchObject({ state: 'EXPIRED', amount: { value_in_cents: 0 } });
  });

  it('an accepted request after a refused one still writes (the refusal ended its transaction)', () => {
    const { w, a } = setup();
    failure(w.service.consume(w.book, usd(5000)));
    expect(value(w.service.consume(w.book, usd(400, { credit_id: a }))).total_amount).toEqual({ USD: 1100 });
    expect(w.book.credits.get(a)!.amount!.value_in_cents).toBe(600);
  });
});
