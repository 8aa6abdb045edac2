import { describe, expect, it } from 'vitest';
import { balanceOf } from './balance.js';
import { validateConsume } from './consume-rules.js';
import {
  addInvoice,
  ALICE,
  amountBody,
  API_CALLS,
  BOB,
  DAY,
  failure,
  isoAfter,
  SUBS,
  T0,
  unitsBody,
  value,
  world,
} from './maple-world.fixture.js';
import { ledgerMismatches } from './replay.js';

const consumeUsd = (cents: number, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  type: 'AMOUNT',
  amount: { currency: 'USD', value_in_cents: cents },
  ...extra,
});

describe('create in a terminal state: a settled credit imported', () => {
  it.each([
    ['CONSUMED', 'CONSUMED'],
    ['EXPIRED', 'EXPIRED'],
    ['REVOKED', 'REVOKED'],
  ] as const)(
    '%s: the ISSUED entry, then a %s entry moving the whole grant; 0 remaining; the balance untouched',
    (state, action) => {
      const w = world();
      value(w.service.create(w.book, amountBody(700)));
      const credit = value(w.service.create(w.book, amountBody(5000, { state })));
      expect(credit).toMatchObject({
        state,
        amount: { currency: 'USD', value_in_cents: 0 },
        issued_amount: { currency: 'USD', value_in_cents: 5000 },
      });
      const entries = [...w.book.logs.getGroup('credit', credit.id)].map((l) => [
        l.action_type,
        l.amount_applied?.value_in_cents,
        l.created_at,
      ]);
      expect(entries).toEqual([
        ['ISSUED', 5000, T0.toISOString()],
        [action, 5000, T0.toISOString()],
      ]);
      expect(balanceOf(w.book, ALICE, T0).total_amount).toEqual({ USD: 700 });
      expect(ledgerMismatches(w.book)).toEqual([]);
    },
  );

  it('UNITS created CONSUMED with 2.5 units: issued 2.5, remaining 0', () => {
    const w = world();
    const credit = value(w.service.create(w.book, unitsBody(2.5, { state: 'CONSUMED' })));
    expect(credit).toMatchObject({ state: 'CONSUMED', units: '0', issued_units: '2.5' });
    expect(balanceOf(w.book, ALICE, T0).total_units).toEqual({});
  });

  it('a settled credit is terminal: it cannot be consumed by id, revoked, or counted; an EXPIRED one may carry a past expiration_date', () => {
    const w = world();
    const expired = value(
      w.service.create(w.book, amountBody(100, { state: 'EXPIRED', expiration_date: isoAfter(-DAY) })),
    );
    expect(expired.expiration_date).toBe(isoAfter(-DAY));
    expect(failure(w.service.consume(w.book, consumeUsd(1, { credit_id: expired.id }))).kind).toBe('already_terminal');
    expect(failure(w.service.revoke(w.book, expired.id)).kind).toBe('already_terminal');
    expect(failure(w.service.consume(w.book, consumeUsd(1))).kind).toBe('insufficient_balance');
  });

  it('a credit created settled pays no invoice, and asking it to is refused with nothing written', () => {
    const w = world();
    addInvoice(w.book, 'inv_1', 3000, isoAfter(-DAY));
    const before = w.store.export();
    expect(
      failure(
        w.service.create(w.book, amountBody(100, { state: 'CONSUMED', apply_to_open_invoices: { enable: true } })),
      ).validation_errors,
    ).toEqual([
      { field: 'apply_to_open_invoices.enable', message: 'a credit created CONSUMED cannot be applied to invoices' },
    ]);
    expect(w.store.export()).toEqual(before);
  });
});

describe('consume from one subscription', () => {
  function twoCredits() {
    const w = world();
    w.book.subscriptions.put({ id: 'subs_bob', customer_id: BOB, created_at: T0.toISOString() });
    const onSubs = value(
      w.service.create(w.book, amountBody(300, { subscription_id: SUBS, expiration_date: isoAfter(2 * DAY) })),
    );
    const loose = value(w.service.create(w.book, amountBody(500, { expiration_date: isoAfter(DAY) })));
    return { w, onSubs, loose };
  }

  it('draws only from credits attached to subscription_id, even when another expires sooner', () => {
    const { w, onSubs, loose } = twoCredits();
    expect(value(w.service.consume(w.book, consumeUsd(200, { subscription_id: SUBS }))).total_amount).toEqual({
      USD: 600,
    });
    expect(w.book.credits.get(onSubs.id)!.amount!.value_in_cents).toBe(100);
    expect(w.book.credits.get(loose.id)!.amount!.value_in_cents).toBe(500);
  });

  it('the subscription’s credits alone must cover it: insufficient_balance otherwise, nothing taken', () => {
    const { w } = twoCredits();
    const before = w.store.export();
    expect(failure(w.service.consume(w.book, consumeUsd(400, { subscription_id: SUBS }))).message).toBe(
      'insufficient balance: requested 400, available 300',
    );
    expect(w.store.export()).toEqual(before);
  });

  it('with credit_id, that credit must be on the subscription', () => {
    const { w, onSubs, loose } = twoCredits();
    expect(
      value(w.service.consume(w.book, consumeUsd(10, { subscription_id: SUBS, credit_id: onSubs.id }))).total_amount,
    ).toEqual({ USD: 790 });
    expect(failure(w.service.consume(w.book, consumeUsd(10, { subscription_id: SUBS, credit_id: loose.id })))).toEqual({
      kind: 'validation_error',
      message: `credit ${loose.id} is not attached to subscription ${SUBS}`,
      validation_errors: [
        { field: 'credit_id', message: `credit ${loose.id} is not attached to subscription ${SUBS}` },
      ],
    });
  });

  it('an unknown subscription is not_found and another customer’s a validation_error, as on create', () => {
    const { w } = twoCredits();
    expect(failure(validateConsume(w.book, consumeUsd(1, { subscription_id: 'subs_nope' })))).toEqual({
      kind: 'not_found',
      message: 'subscription subs_nope not found',
      validation_errors: [{ field: 'subscription_id', message: 'subscription subs_nope not found' }],
    });
    expect(failure(w.service.create(w.book, amountBody(1, { subscription_id: 'subs_nope' }))).kind).toBe('not_found');
    const foreign = [{ field: 'subscription_id', message: 'subscription subs_bob belongs to another customer' }];
    expect(failure(validateConsume(w.book, consumeUsd(1, { subscription_id: 'subs_bob' })))).toMatchObject({
      kind: 'validation_error',
      validation_errors: foreign,
    });
    expect(failure(w.service.create(w.book, amountBody(1, { subscription_id: 'subs_bob' })))).toMatchObject({
      kind: 'validation_error',
      validation_errors: foreign,
    });
    expect(failure(validateConsume(w.book, consumeUsd(1, { subscription_id: 5 }))).validation_errors).toEqual([
      { field: 'subscription_id', message: 'subscription_id must be a string' },
    ]);
    expect(
      value(
        validateConsume(
          w.book,
          consumeUsd(1, { subscription_id: null, credit_id: null, item_id: null, note: null, units: null }),
        ),
      ).subscription_id,
    ).toBeNull();
  });

  it('UNITS too: only the subscription’s credits of that item', () => {
    const w = world();
    value(w.service.create(w.book, unitsBody(10, { subscription_id: SUBS })));
    value(w.service.create(w.book, unitsBody(20)));
    const body = { customer_id: ALICE, type: 'UNITS', units: 4, item_id: API_CALLS, subscription_id: SUBS };
    expect(value(w.service.consume(w.book, body)).total_units).toEqual({ [API_CALLS]: '26' });
    expect(failure(w.service.consume(w.book, { ...body, units: 7 })).kind).toBe('insufficient_balance');
  });
});
