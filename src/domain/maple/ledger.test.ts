import { Dec } from '../money/decimal.js';
import { describe, expect, it } from 'vitest';
import { balanceOf } from './balance.js';
import { validateConsume, type ConsumeCommand } from './consume-rules.js';
import { validateCreateCredit } from './credit-rules.js';
import { consumeCredits, drawDownOrder, expireDue, issueCredit, revokeCredit } from './ledger.js';
import {
  ALICE,
  amountBody,
  API_CALLS,
  BOB,
  DAY,
  failure,
  HOUR,
  isoAfter,
  T0,
  unitsBody,
  value,
  world,
  type World,
} from './maple-world.fixture.js';
import type { Credit, CreditLog } from './model.js';
import { ledgerMismatches, replayLog } from './replay.js';

function issue(w: World, body: Record<string, unknown>) {
  return issueCredit(w.book, value(validateCreateCredit(w.book, body, w.clock.now())), w.ledger());
}
const consumeBody = (cents: number, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  type: 'AMOUNT',
  amount: { currency: 'USD', value_in_cents: cents },
  ...extra,
});
function consume(w: World, body: Record<string, unknown>, allowPartial = false) {
  return consumeCredits(w.book, value(validateConsume(w.book, body)), w.ledger(), { allowPartial });
}
const at = (ms: number) => new Date(T0.getTime() + ms);
const usd = (w: World) => balanceOf(w.book, ALICE, w.clock.now()).total_amount;

describe('issue', () => {
  it('a 10000-cent credit is ACTIVE, issued = remaining = 10000, with one ISSUED entry', () => {
    const w = world();
    const r = issue(w, amountBody(10000));
    expect(r.credit).toMatchObject({
      customer_id: ALICE,
      name: 'Promo',
      type: 'AMOUNT',
      state: 'ACTIVE',
      created_at: '2024-01-01T00:00:00.000Z',
      amount: { currency: 'USD', value_in_cents: 10000 },
      issued_amount: { currency: 'USD', value_in_cents: 10000 },
      units: null,
      issued_units: null,
      coupon_id: null,
      metric_record_id: null,
      one_time_billable_id: null,
      proration_date: null,
      import_ref: null,
      import_created_at_ref: null,
      imported_from: null,
    });
    expect(r.credit.id).toMatch(/^crd_[0-9A-Za-z]{27}$/);
    expect(r.logs).toEqual([
      {
        id: expect.stringMatching(/^log_/),
        action_type: 'ISSUED',
        amount_applied: { currency: 'USD', value_in_cents: 10000 },
        units_applied: null,
        created_at: '2024-01-01T00:00:00.000Z',
        credit_id: r.credit.id,
        customer_id: ALICE,
        invoice_id: null,
        note: null,
      },
    ]);
    expect([...w.book.logs.all()]).toEqual(r.logs);
    expect(w.book.credits.get(r.credit.id)).toBe(r.credit);
    expect(Object.isFrozen(r.credit)).toBe(true);
    expect(Object.isFrozen(r.credit.amount)).toBe(true);
  });

  it('a UNITS credit of 500 API calls logs units_applied 500', () => {
    const r = issue(world(), unitsBody(500));
    expect(r.credit).toMatchObject({
      units: '500',
      issued_units: '500',
      amount: null,
      issued_amount: null,
      item_id: API_CALLS,
    });
    expect(r.logs).toEqual([
      expect.objectContaining({ action_type: 'ISSUED', units_applied: '500', amount_applied: null }),
    ]);
  });

  it('writes one credit and one entry and touches no other table', () => {
    const w = world();
    const before = w.store.export().companies[0]!;
    const r = issue(w, amountBody(1));
    const after = w.store.export().companies[0]!;
    expect({ ...after, credits: [], logs: [] }).toEqual(before);
    expect(before.credits).toEqual([]);
    expect(after.credits).toEqual([r.credit]);
    expect(after.logs).toEqual(r.logs);
  });
});

describe('consume: draw-down (soonest expiration first, none last, then oldest, then id)', () => {
  /** B 500 (no expiry, oldest), A 1000 (expires in 10 days), C 300 (expires in 5 days), and 999 EUR. */
  function threeCredits() {
    const w = world();
    issue(w, amountBody(500, { name: 'B: no expiry, oldest' }));
    w.clock.advance(HOUR);
    issue(w, amountBody(1000, { name: 'A: expires in 10 days', expiration_date: isoAfter(10 * DAY) }));
    w.clock.advance(HOUR);
    issue(w, amountBody(300, { name: 'C: expires in 5 days', expiration_date: isoAfter(5 * DAY) }));
    issue(w, amountBody(999, { name: 'EUR', amount: { currency: 'EUR', value_in_cents: 999 } }));
    const byName = (prefix: string) => [...w.book.credits.all()].find((c) => c.name?.startsWith(prefix))!;
    return { w, byName };
  }

  it('1200 USD cents takes 300 from C (now CONSUMED) then 900 from A (100 left); B and EUR untouched', () => {
    const { w, byName } = threeCredits();
    const ids = { a: byName('A').id, c: byName('C').id };
    const r = value(consume(w, consumeBody(1200, { note: 'usage' })));
    expect(r.consumed.toFixed()).toBe('1200');
    expect(byName('C')).toMatchObject({
      state: 'CONSUMED',
      amount: { value_in_cents: 0 },
      issued_amount: { value_in_cents: 300 },
    });
    expect(byName('A')).toMatchObject({
      state: 'ACTIVE',
      amount: { value_in_cents: 100 },
      issued_amount: { value_in_cents: 1000 },
    });
    expect(byName('B')).toMatchObject({ state: 'ACTIVE', amount: { value_in_cents: 500 } });
    expect(byName('EUR')).toMatchObject({ state: 'ACTIVE', amount: { currency: 'EUR', value_in_cents: 999 } });
    expect(
      r.logs.map((l) => [l.action_type, l.credit_id, l.amount_applied, l.invoice_id, l.note, l.created_at]),
    ).toEqual([
      ['CONSUMED', ids.c, { currency: 'USD', value_in_cents: 300 }, null, 'usage', '2024-01-01T02:00:00.000Z'],
      ['CONSUMED', ids.a, { currency: 'USD', value_in_cents: 900 }, null, 'usage', '2024-01-01T02:00:00.000Z'],
    ]);
    expect(usd(w)).toEqual({ EUR: 999, USD: 600 });
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('between credits with the same (or no) expiration, the oldest goes first', () => {
    const w = world();
    const first = issue(w, amountBody(100)).credit;
    w.clock.advance(1);
    const second = issue(w, amountBody(100)).credit;
    const r = value(consume(w, consumeBody(150)));
    expect(r.logs.map((l) => [l.credit_id, l.amount_applied!.value_in_cents])).toEqual([
      [first.id, 100],
      [second.id, 50],
    ]);

    const v = world();
    const older = issue(v, amountBody(100, { expiration_date: isoAfter(DAY) })).credit;
    v.clock.advance(HOUR);
    const newer = issue(v, amountBody(100, { expiration_date: isoAfter(DAY) })).credit;
    const s = value(consume(v, consumeBody(150)));
    expect(s.logs.map((l) => [l.credit_id, l.amount_applied!.value_in_cents])).toEqual([
      [older.id, 100],
      [newer.id, 50],
    ]);
  });

  it('drawDownOrder: expiring in 1 day < in 2 days (older first, then smaller id) < no expiry (older first, then smaller id)', () => {
    const base = issue(world(), amountBody(1)).credit;
    const credit = (id: string, created_at: string, expiration_date: string | null): Credit => ({
      ...base,
      id,
      created_at,
      expiration_date,
    });
    const given = [
      credit('crd_1', isoAfter(2 * HOUR), null),
      credit('crd_9', isoAfter(0), isoAfter(2 * DAY)),
      credit('crd_4', isoAfter(0), null),
      credit('crd_7', isoAfter(3 * HOUR), isoAfter(DAY)),
      credit('crd_0', isoAfter(HOUR), isoAfter(2 * DAY)),
      credit('crd_5', isoAfter(0), null),
      credit('crd_8', isoAfter(0), isoAfter(2 * DAY)),
    ];
    const order = given.map((c) => c.id);
    expect(drawDownOrder(given).map((c) => c.id)).toEqual([
      'crd_7',
      'crd_8',
      'crd_9',
      'crd_0',
      'crd_4',
      'crd_5',
      'crd_1',
    ]);
    expect(given.map((c) => c.id)).toEqual(order);
  });

  it('insufficient balance (1801 requested, 1800 available) is an error with nothing deducted or written', () => {
    const { w } = threeCredits();
    const before = w.store.export();
    const f = failure(consume(w, consumeBody(1801)));
    expect(f).toEqual({
      kind: 'insufficient_balance',
      message: 'insufficient balance: requested 1801, available 1800',
      validation_errors: [
        { field: 'amount.value_in_cents', message: 'insufficient balance: requested 1801, available 1800' },
      ],
    });
    expect(w.store.export()).toEqual(before);
    expect(usd(w).USD).toBe(1800);
  });

  it('UNITS: an insufficient balance names the units field', () => {
    const w = world();
    issue(w, unitsBody(100));
    const f = failure(consume(w, { customer_id: ALICE, type: 'UNITS', units: 101, item_id: API_CALLS }));
    expect(f.validation_errors).toEqual([
      { field: 'units', message: 'insufficient balance: requested 101, available 100' },
    ]);
  });

  it('with allowPartial, 5000 requested takes all 1800 there is, one CONSUMED entry per credit', () => {
    const { w, byName } = threeCredits();
    const r = value(consume(w, consumeBody(5000), true));
    expect(r.consumed.toFixed()).toBe('1800');
    expect(r.logs.map((l) => [l.credit_id, l.amount_applied!.value_in_cents])).toEqual([
      [byName('C').id, 300],
      [byName('A').id, 1000],
      [byName('B').id, 500],
    ]);
    expect(['A', 'B', 'C'].map((n) => byName(n).state)).toEqual(['CONSUMED', 'CONSUMED', 'CONSUMED']);
    expect(usd(w)).toEqual({ EUR: 999 });
  });

  it('with allowPartial and nothing there, 100 requested takes 0 and writes nothing', () => {
    const w = world();
    const r = value(consume(w, consumeBody(100), true));
    expect(r).toEqual({ logs: [], consumed: new Dec(0) });
    expect(w.book.logs.size).toBe(0);
  });

  it('consuming 0 changes nothing and writes no entry, with or without credits', () => {
    const { w } = threeCredits();
    const before = w.store.export();
    expect(value(consume(w, consumeBody(0)))).toEqual({ logs: [], consumed: new Dec(0) });
    expect(value(consume(w, consumeBody(0, { customer_id: BOB })))).toEqual({ logs: [], consumed: new Dec(0) });
    expect(w.store.export()).toEqual(before);
  });

  it('with credit_id, only that credit is consumed, even when another expires sooner', () => {
    const { w, byName } = threeCredits();
    const b = byName('B');
    const r = value(consume(w, consumeBody(200, { credit_id: b.id })));
    expect(r.logs.map((l) => [l.credit_id, l.amount_applied!.value_in_cents])).toEqual([[b.id, 200]]);
    expect(byName('B').amount!.value_in_cents).toBe(300);
    expect(byName('C').amount!.value_in_cents).toBe(300);
    expect(failure(consume(w, consumeBody(301, { credit_id: b.id })))).toMatchObject({
      kind: 'insufficient_balance',
      message: 'insufficient balance: requested 301, available 300',
    });
    expect(
      value(consume(w, consumeBody(301, { credit_id: b.id }), true)).logs.map((l) => l.amount_applied!.value_in_cents),
    ).toEqual([300]);
    expect(byName('B').state).toBe('CONSUMED');
  });

  it("with credit_id: a terminal credit is already_terminal; another customer's is not_found", () => {
    const { w, byName } = threeCredits();
    const c = byName('C');
    value(consume(w, consumeBody(300, { credit_id: c.id })));
    expect(failure(consume(w, consumeBody(1, { credit_id: c.id })))).toEqual({
      kind: 'already_terminal',
      message: `credit ${c.id} is CONSUMED`,
      validation_errors: [{ field: 'credit_id', message: `credit ${c.id} is CONSUMED` }],
    });
    const bobs = issue(w, amountBody(50, { customer_id: BOB })).credit;
    expect(failure(validateConsume(w.book, consumeBody(1, { credit_id: bobs.id })))).toMatchObject({
      kind: 'not_found',
      validation_errors: [{ field: 'credit_id' }],
    });
    const command: ConsumeCommand = {
      customer_id: ALICE,
      type: 'AMOUNT',
      quantity: new Dec(1),
      pool: 'USD',
      credit_id: bobs.id,
      subscription_id: null,
      note: null,
    };
    const before = w.store.export();
    expect(failure(consumeCredits(w.book, command, w.ledger()))).toEqual({
      kind: 'not_found',
      message: `credit ${bobs.id} not found`,
      validation_errors: [{ field: 'credit_id', message: `credit ${bobs.id} not found` }],
    });
    expect(failure(consumeCredits(w.book, { ...command, credit_id: 'crd_nope' }, w.ledger())).kind).toBe('not_found');
    expect(w.store.export()).toEqual(before);
    expect(w.book.credits.get(bobs.id)!.amount!.value_in_cents).toBe(50);
  });

  it('UNITS: 120 calls drawn from two item credits of 100', () => {
    const w = world();
    const first = issue(w, unitsBody(100)).credit;
    w.clock.advance(1);
    const second = issue(w, unitsBody(100)).credit;
    const r = value(consume(w, { customer_id: ALICE, type: 'UNITS', units: 120, item_id: API_CALLS }));
    expect(r.logs.map((l) => [l.credit_id, l.units_applied, l.amount_applied])).toEqual([
      [first.id, '100', null],
      [second.id, '20', null],
    ]);
    expect(balanceOf(w.book, ALICE, w.clock.now()).total_units).toEqual({ [API_CALLS]: '80' });
    expect(ledgerMismatches(w.book)).toEqual([]);
  });
});

describe('revoke', () => {
  it('a credit with 700 of 1000 left becomes REVOKED, shows 0, and the REVOKED entry carries the 700', () => {
    const w = world();
    const issued = issue(w, amountBody(1000)).credit;
    value(consume(w, consumeBody(300)));
    w.clock.advance(HOUR);
    const r = value(revokeCredit(w.book, issued.id, w.ledger()));
    expect(r.credit).toMatchObject({
      state: 'REVOKED',
      amount: { currency: 'USD', value_in_cents: 0 },
      issued_amount: { value_in_cents: 1000 },
    });
    expect(w.book.credits.get(issued.id)).toBe(r.credit);
    expect(r.logs).toEqual([
      expect.objectContaining({
        action_type: 'REVOKED',
        credit_id: issued.id,
        amount_applied: { currency: 'USD', value_in_cents: 700 },
        invoice_id: null,
        created_at: '2024-01-01T01:00:00.000Z',
      }),
    ]);
    expect(usd(w)).toEqual({});
    expect([...w.book.logs.all()].map((l) => [l.action_type, l.amount_applied!.value_in_cents])).toEqual([
      ['ISSUED', 1000],
      ['CONSUMED', 300],
      ['REVOKED', 700],
    ]);
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('a UNITS credit of 40 revoked untouched: the REVOKED entry carries the 40 units', () => {
    const w = world();
    const issued = issue(w, unitsBody(40)).credit;
    const r = value(revokeCredit(w.book, issued.id, w.ledger()));
    expect(r.credit).toMatchObject({ state: 'REVOKED', units: '0', issued_units: '40' });
    expect(r.logs).toEqual([
      expect.objectContaining({ action_type: 'REVOKED', units_applied: '40', amount_applied: null }),
    ]);
  });

  it('revoking a terminal credit is already_terminal and writes nothing; an unknown one is not_found', () => {
    const w = world();
    const revoked = issue(w, amountBody(1000)).credit;
    const used = issue(w, amountBody(1000)).credit;
    value(revokeCredit(w.book, revoked.id, w.ledger()));
    value(consume(w, consumeBody(1000, { credit_id: used.id })));
    const before = w.store.export();
    expect(failure(revokeCredit(w.book, revoked.id, w.ledger()))).toEqual({
      kind: 'already_terminal',
      message: `credit ${revoked.id} is already REVOKED`,
      validation_errors: [{ field: 'id', message: `credit ${revoked.id} is already REVOKED` }],
    });
    expect(failure(revokeCredit(w.book, used.id, w.ledger())).message).toBe(`credit ${used.id} is already CONSUMED`);
    expect(failure(revokeCredit(w.book, 'crd_nope', w.ledger()))).toMatchObject({
      kind: 'not_found',
      message: 'credit crd_nope not found',
    });
    expect(w.store.export()).toEqual(before);
  });
});

describe('expireDue (lazy)', () => {
  function expiring(seed = 1) {
    const w = world(seed);
    const credit = issue(w, amountBody(1000, { expiration_date: isoAfter(HOUR) })).credit;
    return { w, id: credit.id };
  }

  it('before expiration_date nothing happens; at exactly it the credit is EXPIRED, dated at its expiration', () => {
    const { w, id } = expiring();
    expect(expireDue(w.book, at(HOUR - 1))).toEqual([]);
    expect(w.book.credits.get(id)!.state).toBe('ACTIVE');
    const logs = expireDue(w.book, at(HOUR));
    expect(w.book.credits.get(id)).toMatchObject({
      state: 'EXPIRED',
      amount: { currency: 'USD', value_in_cents: 0 },
      issued_amount: { value_in_cents: 1000 },
    });
    expect(logs).toEqual([
      {
        id: expect.stringMatching(/^log_/),
        action_type: 'EXPIRED',
        amount_applied: { currency: 'USD', value_in_cents: 1000 },
        units_applied: null,
        created_at: '2024-01-01T01:00:00.000Z',
        credit_id: id,
        customer_id: ALICE,
        invoice_id: null,
        note: null,
      },
    ]);
    expect([...w.book.logs.all()].map((l) => l.action_type)).toEqual(['ISSUED', 'EXPIRED']);
    expect(balanceOf(w.book, ALICE, at(HOUR)).total_amount).toEqual({});
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('a credit 400 of 1000 into its life expires with the 600 that remained, even when read a day late', () => {
    const { w, id } = expiring();
    value(consume(w, consumeBody(400)));
    const logs = expireDue(w.book, at(DAY));
    expect(logs.map((l) => [l.action_type, l.amount_applied!.value_in_cents, l.created_at])).toEqual([
      ['EXPIRED', 600, '2024-01-01T01:00:00.000Z'],
    ]);
    expect(w.book.credits.get(id)).toMatchObject({
      state: 'EXPIRED',
      amount: { value_in_cents: 0 },
      issued_amount: { value_in_cents: 1000 },
    });
  });

  it('several credits expire in (expiration, id) order, each entry dated at its own expiration', () => {
    const w = world();
    const late = issue(w, unitsBody(30, { expiration_date: isoAfter(3 * HOUR) })).credit;
    const early = issue(w, amountBody(20, { expiration_date: isoAfter(2 * HOUR) })).credit;
    const never = issue(w, amountBody(10)).credit;
    const logs = expireDue(w.book, at(5 * HOUR));
    expect(logs.map((l) => [l.credit_id, l.amount_applied?.value_in_cents ?? l.units_applied, l.created_at])).toEqual([
      [early.id, 20, '2024-01-01T02:00:00.000Z'],
      [late.id, '30', '2024-01-01T03:00:00.000Z'],
    ]);
    expect(w.book.credits.get(never.id)!.state).toBe('ACTIVE');
  });

  it('writes the same entry whenever it runs, once: at +2 h or at +300 days, and again after a rollback', () => {
    const a = expiring(7);
    const b = expiring(7);
    const early = expireDue(a.w.book, at(2 * HOUR));
    expect(expireDue(b.w.book, at(300 * DAY))).toEqual(early);
    expect(expireDue(a.w.book, at(400 * DAY))).toEqual([]);

    const c = expiring(7);
    expect(() =>
      c.w.store.transaction(() => {
        expect(expireDue(c.w.book, at(2 * HOUR))).toEqual(early);
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(c.w.book.credits.get(c.id)!.state).toBe('ACTIVE');
    expect(c.w.book.logs.size).toBe(1);
    expect(expireDue(c.w.book, at(9 * DAY))).toEqual(early);
  });

  it('consume and revoke run it first: an expired credit cannot be consumed or revoked, even before anything marked it', () => {
    const byId = expiring();
    byId.w.clock.advance(HOUR);
    expect(byId.w.book.credits.get(byId.id)!.state).toBe('ACTIVE');
    expect(usd(byId.w)).toEqual({});
    expect(failure(consume(byId.w, consumeBody(1, { credit_id: byId.id })))).toMatchObject({
      kind: 'already_terminal',
      message: `credit ${byId.id} is EXPIRED`,
    });

    const drawn = expiring();
    drawn.w.clock.advance(HOUR);
    expect(failure(consume(drawn.w, consumeBody(1))).message).toBe('insufficient balance: requested 1, available 0');
    expect(value(consume(drawn.w, consumeBody(1), true))).toEqual({ logs: [], consumed: new Dec(0) });

    const revoked = expiring();
    revoked.w.clock.advance(2 * HOUR);
    expect(failure(revokeCredit(revoked.w.book, revoked.id, revoked.w.ledger())).message).toBe(
      `credit ${revoked.id} is already EXPIRED`,
    );

    const issued = expiring();
    issued.w.clock.advance(HOUR);
    const next = issue(issued.w, amountBody(5));
    expect(next.logs.map((l) => [l.action_type, l.amount_applied!.value_in_cents])).toEqual([
      ['EXPIRED', 1000],
      ['ISSUED', 5],
    ]);
    expect(ledgerMismatches(issued.w.book)).toEqual([]);
  });

  it('an expired credit never comes back, even when the clock goes back', () => {
    const { w, id } = expiring();
    expireDue(w.book, at(HOUR));
    w.clock.advance(-10 * DAY);
    expect(expireDue(w.book, w.clock.now())).toEqual([]);
    expect(w.book.credits.get(id)!.state).toBe('EXPIRED');
    expect(usd(w)).toEqual({});
    expect(failure(consume(w, consumeBody(1, { credit_id: id }))).kind).toBe('already_terminal');
  });

  it('through the service, the expiry a refused consume brought stands: the refusal writes nothing of its own', () => {
    const { w, id } = expiring();
    w.clock.advance(HOUR);
    expect(failure(w.service.consume(w.book, consumeBody(1))).kind).toBe('insufficient_balance');
    expect(w.book.credits.get(id)).toMatchObject({ state: 'EXPIRED', amount: { value_in_cents: 0 } });
    expect([...w.book.logs.all()].map((l) => [l.action_type, l.created_at])).toEqual([
      ['ISSUED', '2024-01-01T00:00:00.000Z'],
      ['EXPIRED', '2024-01-01T01:00:00.000Z'],
    ]);
    expect(value(w.service.get(w.book, id)).state).toBe('EXPIRED');
    expect([...w.book.logs.all()]).toHaveLength(2);
  });
});

describe('replay: the log is the source of truth', () => {
  it('a book the ledger wrote replays to its credits; a tampered one is reported, credit by credit', () => {
    const w = world();
    const a = issue(w, amountBody(1000)).credit;
    const b = issue(w, unitsBody(50)).credit;
    value(consume(w, consumeBody(300)));
    value(revokeCredit(w.book, b.id, w.ledger()));
    expect(ledgerMismatches(w.book)).toEqual([]);
    expect(Object.fromEntries(replayLog([...w.book.logs.all()]))).toEqual({
      [a.id]: { issued: new Dec(1000), remaining: new Dec(700), state: 'ACTIVE' },
      [b.id]: { issued: new Dec(50), remaining: new Dec(0), state: 'REVOKED' },
    });
    const issuedEntry = [...w.book.logs.all()][0]!;
    w.book.credits.put({ ...w.book.credits.get(a.id)!, amount: { currency: 'USD', value_in_cents: 701 } });
    w.book.credits.put({ ...w.book.credits.get(b.id)!, state: 'ACTIVE' });
    w.book.credits.put({ ...a, id: 'crd_orphan' });
    w.book.logs.put({ ...issuedEntry, id: 'log_ghost', credit_id: 'crd_ghost' });
    expect(ledgerMismatches(w.book)).toEqual([
      `${a.id}: log says ACTIVE 700/1000, credit says ACTIVE 701/1000`,
      `${b.id}: log says REVOKED 0/50, credit says ACTIVE 0/50`,
      'crd_orphan: no ISSUED entry',
      'crd_ghost: logged but missing',
    ]);
  });

  it('replayLog refuses entries the ledger could not have written', () => {
    const w = world();
    const issued = issue(w, amountBody(1000)).logs[0]!;
    const entry = (action_type: CreditLog['action_type'], cents: number, id: string): CreditLog => ({
      ...issued,
      id,
      action_type,
      amount_applied: { currency: 'USD', value_in_cents: cents },
    });
    expect(() => replayLog([issued, entry('ISSUED', 1000, 'log_2')])).toThrow(
      `credit ${issued.credit_id} issued twice`,
    );
    expect(() => replayLog([entry('CONSUMED', 1, 'log_1')])).toThrow('impossible CONSUMED entry log_1');
    expect(() => replayLog([issued, entry('CONSUMED', 1001, 'log_2')])).toThrow('impossible CONSUMED entry log_2');
    expect(() => replayLog([issued, entry('REVOKED', 1000, 'log_2'), entry('CONSUMED', 0, 'log_3')])).toThrow(
      'impossible CONSUMED entry log_3',
    );
    expect(() => replayLog([issued, entry('EXPIRED', 600, 'log_2')])).toThrow('EXPIRED entry log_2 left 400');
    expect(
      replayLog([issued, entry('CONSUMED', 400, 'log_2'), entry('EXPIRED', 600, 'log_3')]).get(issued.credit_id),
    ).toEqual({ issued: new Dec(1000), remaining: new Dec(0), state: 'EXPIRED' });
    expect(replayLog([issued, entry('CONSUMED', 1000, 'log_2')]).get(issued.credit_id)).toEqual({
      issued: new Dec(1000),
      remaining: new Dec(0),
      state: 'CONSUMED',
    });
  });
});
