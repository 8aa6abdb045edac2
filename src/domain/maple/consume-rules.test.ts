import { Dec } from '../money/decimal.js';
import { describe, expect, it } from 'vitest';
import { validateConsume } from './consume-rules.js';
import { ALICE, amountBody, API_CALLS, BOB, failure, unitsBody, value, world } from './maple-world.fixture.js';
import { NumberText } from './money.js';

const w = world();
const usd = { credit: value(w.service.create(w.book, amountBody(1000))) };
const calls = { credit: value(w.service.create(w.book, unitsBody(50))) };
const state = w.book;
const amount = (cents: unknown, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  type: 'AMOUNT',
  amount: { currency: 'USD', value_in_cents: cents },
  ...extra,
});
const only = (field: string, message: string) => [{ field, message }];

describe('consume: accepted bodies', () => {
  it('AMOUNT 250 USD cents with a note', () => {
    expect(value(validateConsume(state, amount(250, { note: 'march usage' })))).toEqual({
      customer_id: ALICE,
      type: 'AMOUNT',
      quantity: new Dec(250),
      pool: 'USD',
      credit_id: null,
      subscription_id: null,
      note: 'march usage',
    });
  });

  it('UNITS 7 of an item; UNITS by credit_id without item_id; 0 is allowed; identifier resolves', () => {
    expect(
      value(validateConsume(state, { customer_id: 'ext-alice', type: 'UNITS', units: 7, item_id: API_CALLS })),
    ).toMatchObject({ customer_id: ALICE, quantity: new Dec(7), pool: API_CALLS });
    expect(
      value(validateConsume(state, { customer_id: ALICE, type: 'UNITS', units: 7, credit_id: calls.credit.id })),
    ).toMatchObject({ pool: null, credit_id: calls.credit.id });
    expect(value(validateConsume(state, amount(0))).quantity.toFixed()).toBe('0');
  });
});

describe('consume: validation_error for each rule', () => {
  it.each<[string, unknown, { field: string; message: string }[]]>([
    ['a non-object body', 'x', only('body', 'the request body must be a JSON object')],
    [
      'a missing customer_id',
      { type: 'AMOUNT', amount: { currency: 'USD', value_in_cents: 1 } },
      only('customer_id', 'customer_id is required'),
    ],
    ['a missing type', { customer_id: ALICE }, only('type', 'type is required')],
    [
      'AMOUNT without amount',
      { customer_id: ALICE, type: 'AMOUNT' },
      only('amount', 'amount is required to consume AMOUNT credits'),
    ],
    [
      'AMOUNT with units',
      amount(1, { units: 1 }),
      only('units', 'units must not be set when consuming AMOUNT credits'),
    ],
    ['a float amount', amount(2.5), only('amount.value_in_cents', 'amount.value_in_cents must be an integer')],
    [
      '100.0 written with a point',
      amount(new NumberText('100.0')),
      only('amount.value_in_cents', 'amount.value_in_cents must be an integer'),
    ],
    [
      'a negative amount',
      amount(-1),
      only('amount.value_in_cents', 'amount.value_in_cents must be greater than or equal to 0'),
    ],
    [
      'UNITS without units',
      { customer_id: ALICE, type: 'UNITS', item_id: API_CALLS },
      only('units', 'units is required to consume UNITS credits'),
    ],
    [
      'UNITS without item_id or credit_id',
      { customer_id: ALICE, type: 'UNITS', units: 1 },
      only('item_id', 'item_id is required to consume UNITS credits without credit_id'),
    ],
    [
      'UNITS with amount',
      {
        customer_id: ALICE,
        type: 'UNITS',
        units: 1,
        item_id: API_CALLS,
        amount: { currency: 'USD', value_in_cents: 1 },
      },
      only('amount', 'amount must not be set when consuming UNITS credits'),
    ],
    [
      'negative units',
      { customer_id: ALICE, type: 'UNITS', units: -3, item_id: API_CALLS },
      only('units', 'units must be greater than or equal to 0'),
    ],
    ['an unknown field', amount(1, { priority: 1 }), only('priority', 'priority is not a known field')],
    [
      'a credit of another type',
      amount(1, { credit_id: calls.credit.id }),
      only('type', `credit ${calls.credit.id} is a UNITS credit`),
    ],
    [
      'a credit in another currency',
      amount(0, { amount: { currency: 'EUR', value_in_cents: 1 }, credit_id: usd.credit.id }),
      only('amount.currency', `credit ${usd.credit.id} is in USD`),
    ],
  ])('%s', (_name, body, expected) => {
    expect(failure(validateConsume(state, body))).toMatchObject({
      kind: 'validation_error',
      validation_errors: expected,
    });
  });
});

describe('consume: references', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown customer', amount(1, { customer_id: 'cus_x' }), 'customer cus_x not found'],
    ['an unknown item', { customer_id: ALICE, type: 'UNITS', units: 1, item_id: 'item_x' }, 'item item_x not found'],
    ['an unknown credit', amount(1, { credit_id: 'crd_x' }), 'credit crd_x not found'],
    [
      "another customer's credit",
      amount(1, { customer_id: BOB, credit_id: usd.credit.id }),
      `credit ${usd.credit.id} not found`,
    ],
  ])('%s is not_found', (_name, body, message) => {
    expect(failure(validateConsume(state, body))).toMatchObject({ kind: 'not_found', message });
  });
});

describe('consume: what validation leaves to the ledger', () => {
  it('validation writes nothing, valid or not', () => {
    const before = w.store.export();
    value(validateConsume(state, amount(250)));
    failure(validateConsume(state, amount(-1)));
    failure(validateConsume(state, amount(1, { customer_id: 'cus_x' })));
    expect(w.store.export()).toStrictEqual(before);
  });

  it('a named credit that is no longer ACTIVE passes validation; the ledger answers already_terminal', () => {
    const v = world();
    const credit = value(v.service.create(v.book, amountBody(100)));
    value(v.service.revoke(v.book, credit.id));
    const body = {
      customer_id: ALICE,
      type: 'AMOUNT',
      amount: { currency: 'USD', value_in_cents: 1 },
      credit_id: credit.id,
    };
    expect(value(validateConsume(v.book, body)).credit_id).toBe(credit.id);
    expect(failure(v.service.consume(v.book, body))).toMatchObject({
      kind: 'already_terminal',
      message: `credit ${credit.id} is REVOKED`,
    });
  });

  it('a named UNITS credit for another item is a validation_error', () => {
    const v = world();
    const storage = { ...v.book.items.get(API_CALLS)!, id: 'item_storage', name: 'Storage' };
    v.book.items.put(storage);
    const credit = value(v.service.create(v.book, unitsBody(10, { item_id: 'item_storage' })));
    const body = { customer_id: ALICE, type: 'UNITS', units: 1, item_id: API_CALLS, credit_id: credit.id };
    expect(failure(validateConsume(v.book, body)).validation_errors).toEqual(
      only('item_id', `credit ${credit.id} is for item item_storage`),
    );
    expect(value(validateConsume(v.book, { ...body, item_id: 'item_storage' }))).toMatchObject({
      pool: 'item_storage',
      credit_id: credit.id,
    });
  });

  it('more than the balance passes validation; the ledger answers insufficient_balance', () => {
    expect(value(validateConsume(state, amount(1001))).quantity.toFixed()).toBe('1001');
  });
});
