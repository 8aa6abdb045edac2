import { describe, expect, it } from 'vitest';
import { validateCreateCredit } from './credit-rules.js';
import type { MapleBook } from './maple.store.js';
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
  SUBS,
  T0,
  unitsBody,
  value,
  world,
} from './maple-world.fixture.js';
import { MAX_CENTS, NumberText } from './money.js';

const validate = (body: unknown, book: MapleBook = world().book) => validateCreateCredit(book, body, T0);
const errors = (body: unknown) => failure(validate(body)).validation_errors;
const only = (field: string, message: string) => [{ field, message }];

describe('create: accepted bodies', () => {
  it('AMOUNT: 2500 USD cents for Alice, no expiry', () => {
    expect(value(validate(amountBody(2500)))).toEqual({
      customer_id: ALICE,
      name: 'Promo',
      type: 'AMOUNT',
      state: 'ACTIVE',
      amount: { currency: 'USD', value_in_cents: 2500 },
      units: null,
      item_id: null,
      subscription_id: null,
      expiration_date: null,
      apply_to_invoices: null,
    });
  });

  it('UNITS: 500 API calls on a subscription, expiring in 30 days (offset normalised to UTC)', () => {
    const cmd = value(
      validate(
        unitsBody(500, { subscription_id: SUBS, expiration_date: '2024-01-31T02:00:00+02:00', state: 'ACTIVE' }),
      ),
    );
    expect(cmd).toMatchObject({
      type: 'UNITS',
      units: '500',
      amount: null,
      item_id: API_CALLS,
      subscription_id: SUBS,
      expiration_date: '2024-01-31T00:00:00.000Z',
    });
  });

  it('units are numbers, kept as exact decimal text: 2.5, 0.1, 1e3, 1.50, -0 read as 2.5, 0.1, 1000, 1.5 (and 0 is refused)', () => {
    const units = (source: string) => value(validate(unitsBody(0, { units: new NumberText(source) }))).units;
    expect([
      units('2.5'),
      units('0.1'),
      units('1e3'),
      units('1.50'),
      units('0.000000000000000000000000000001'),
    ]).toEqual(['2.5', '0.1', '1000', '1.5', '0.000000000000000000000000000001']);
    expect(units('1234567890123.000000000000000001')).toBe('1234567890123.000000000000000001');
    expect(value(validate(unitsBody(2.5))).units).toBe('2.5');
    expect(errors(unitsBody(0, { units: new NumberText('-0') }))).toEqual(
      only('units', 'units must be greater than 0'),
    );
  });

  it('type may be left out: amount makes an AMOUNT credit, units a UNITS credit (Maple requires only customer_id)', () => {
    expect(value(validate(amountBody(2500, { type: undefined })))).toMatchObject({
      type: 'AMOUNT',
      amount: { currency: 'USD', value_in_cents: 2500 },
    });
    expect(value(validate(unitsBody(5, { type: undefined })))).toMatchObject({
      type: 'UNITS',
      units: '5',
      item_id: API_CALLS,
    });
    expect(value(validate(amountBody(1, { type: null })))).toMatchObject({ type: 'AMOUNT' });
  });

  it.each(['CONSUMED', 'EXPIRED', 'REVOKED'] as const)(
    'state %s is accepted (an import of a settled credit), with a past expiration_date too',
    (state) => {
      expect(value(validate(amountBody(1, { state })))).toMatchObject({ state, type: 'AMOUNT' });
      expect(value(validate(amountBody(1, { state, expiration_date: '2023-11-07T05:31:56Z' })))).toMatchObject({
        state,
        expiration_date: '2023-11-07T05:31:56.000Z',
      });
    },
  );

  it('customer_id may be the external identifier; the command carries the Maple id', () => {
    expect(value(validate(amountBody(1, { customer_id: 'ext-alice' }))).customer_id).toBe(ALICE);
  });

  it('a missing name is null; null optional fields read as absent', () => {
    expect(
      value(validate(amountBody(1, { name: null, item_id: null, units: null, expiration_date: null }))).name,
    ).toBeNull();
  });

  it('apply_to_open_invoices: enable with listed invoices (duplicates dropped), or enable=false meaning no invoice', () => {
    const { book } = world();
    addInvoice(book, 'inv_1', 3000, isoAfter(-DAY));
    const cmd = value(
      validate(amountBody(1, { apply_to_open_invoices: { enable: true, invoice_uuids: ['inv_1', 'inv_1'] } }), book),
    );
    expect(cmd.apply_to_invoices).toEqual({ invoice_ids: ['inv_1'] });
    expect(value(validate(amountBody(1, { apply_to_open_invoices: { enable: true } }))).apply_to_invoices).toEqual({
      invoice_ids: null,
    });
    expect(
      value(validate(amountBody(1, { apply_to_open_invoices: { enable: false, invoice_uuids: ['nope'] } })))
        .apply_to_invoices,
    ).toBeNull();
  });
});

describe('create: validation_error for each rule', () => {
  it.each<[string, unknown, { field: string; message: string }[]]>([
    ['a non-object body', [1], only('body', 'the request body must be a JSON object')],
    [
      'a missing customer_id',
      amountBody(1, { customer_id: undefined }),
      only('customer_id', 'customer_id is required'),
    ],
    ['an empty customer_id', amountBody(1, { customer_id: '' }), only('customer_id', 'customer_id is required')],
    [
      'a missing type, no grant',
      { customer_id: ALICE },
      only('type', 'type is required (AMOUNT or UNITS) unless exactly one of amount and units is given'),
    ],
    [
      'a missing type, both grants',
      amountBody(1, { type: undefined, units: 5 }),
      only('type', 'type is required (AMOUNT or UNITS) unless exactly one of amount and units is given'),
    ],
    ['an unknown type', amountBody(1, { type: 'POINTS' }), only('type', 'type must be one of AMOUNT, UNITS')],
    [
      'an unknown state',
      amountBody(1, { state: 'PAUSED' }),
      only('state', 'state must be one of ACTIVE, CONSUMED, EXPIRED, REVOKED'),
    ],
    [
      'state REVOKED applied to invoices',
      amountBody(1, { state: 'REVOKED', apply_to_open_invoices: { enable: true } }),
      only('apply_to_open_invoices.enable', 'a credit created REVOKED cannot be applied to invoices'),
    ],
    [
      'state EXPIRED with a future expiration_date',
      amountBody(1, { state: 'EXPIRED', expiration_date: '2030-01-01T00:00:00Z' }),
      only('expiration_date', 'expiration_date of a credit created EXPIRED must not be in the future'),
    ],
    [
      'AMOUNT without amount',
      amountBody(1, { amount: undefined }),
      only('amount', 'amount is required for an AMOUNT credit'),
    ],
    ['AMOUNT with units', amountBody(1, { units: 5 }), only('units', 'units must not be set for an AMOUNT credit')],
    [
      'AMOUNT with item_id',
      amountBody(1, { item_id: API_CALLS }),
      only('item_id', 'item_id must not be set for an AMOUNT credit'),
    ],
    ['AMOUNT of 0', amountBody(0), only('amount.value_in_cents', 'amount.value_in_cents must be greater than 0')],
    [
      'a negative amount',
      amountBody(-100),
      only('amount.value_in_cents', 'amount.value_in_cents must be greater than or equal to 0'),
    ],
    ['a float 10.5', amountBody(10.5), only('amount.value_in_cents', 'amount.value_in_cents must be an integer')],
    [
      '10.0 written with a point',
      amountBody(0, { amount: { currency: 'USD', value_in_cents: new NumberText('10.0') } }),
      only('amount.value_in_cents', 'amount.value_in_cents must be an integer'),
    ],
    [
      'lowercase currency',
      amountBody(0, { amount: { currency: 'usd', value_in_cents: 1 } }),
      only('amount.currency', 'amount.currency must be an uppercase ISO 4217 currency code'),
    ],
    ['UNITS without units', unitsBody(0, { units: undefined }), only('units', 'units is required for a UNITS credit')],
    [
      'UNITS without item_id',
      unitsBody(5, { item_id: undefined }),
      only('item_id', 'item_id is required for a UNITS credit'),
    ],
    [
      'UNITS with amount',
      unitsBody(5, { amount: { currency: 'USD', value_in_cents: 1 } }),
      only('amount', 'amount must not be set for a UNITS credit'),
    ],
    ['UNITS of 0', unitsBody(0), only('units', 'units must be greater than 0')],
    ['negative units', unitsBody(-1), only('units', 'units must be greater than or equal to 0')],
    [
      'negative fractional units',
      unitsBody(0, { units: new NumberText('-0.5') }),
      only('units', 'units must be greater than or equal to 0'),
    ],
    ['units as a string', unitsBody(0, { units: '2.5' }), only('units', 'units must be a number')],
    ['units as a boolean', unitsBody(0, { units: true }), only('units', 'units must be a number')],
    [
      'units past 2^53 − 1',
      unitsBody(0, { units: new NumberText('9007199254740991.5') }),
      only('units', 'units must be at most 9007199254740991'),
    ],
    [
      'units with 31 decimal places',
      unitsBody(0, { units: new NumberText('0.0000000000000000000000000000001') }),
      only('units', 'units must have at most 30 decimal places'),
    ],
    [
      'units as 1e-100000',
      unitsBody(0, { units: new NumberText('1e-100000') }),
      only('units', 'units must be at most 9007199254740991 with at most 30 decimal places'),
    ],
    [
      'UNITS applied to invoices',
      unitsBody(5, { apply_to_open_invoices: { enable: true } }),
      only('apply_to_open_invoices.enable', 'only AMOUNT credits can be applied to invoices'),
    ],
    [
      'a date without a time',
      amountBody(1, { expiration_date: '2030-01-01' }),
      only('expiration_date', 'expiration_date must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z'),
    ],
    [
      'a date without an offset',
      amountBody(1, { expiration_date: '2030-01-01T00:00:00' }),
      only('expiration_date', 'expiration_date must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z'),
    ],
    [
      '30 February',
      amountBody(1, { expiration_date: '2030-02-30T00:00:00Z' }),
      only('expiration_date', 'expiration_date must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z'),
    ],
    [
      'an expiration in the past',
      amountBody(1, { expiration_date: '2023-11-07T05:31:56Z' }),
      only('expiration_date', 'expiration_date must be in the future'),
    ],
    [
      'an expiration equal to now',
      amountBody(1, { expiration_date: '2024-01-01T00:00:00Z' }),
      only('expiration_date', 'expiration_date must be in the future'),
    ],
    [
      'a server-set field',
      amountBody(1, { issued_amount: { currency: 'USD', value_in_cents: 1 } }),
      only('issued_amount', 'issued_amount is not a known field'),
    ],
    ['a non-string name', amountBody(1, { name: 5 }), only('name', 'name must be a string')],
    [
      'apply_to_open_invoices not an object',
      amountBody(1, { apply_to_open_invoices: true }),
      only('apply_to_open_invoices', 'apply_to_open_invoices must be an object'),
    ],
    [
      'apply without enable',
      amountBody(1, { apply_to_open_invoices: { invoice_uuids: [] } }),
      only('apply_to_open_invoices.enable', 'apply_to_open_invoices.enable is required'),
    ],
    [
      'invoice_uuids not strings',
      amountBody(1, { apply_to_open_invoices: { enable: true, invoice_uuids: [1] } }),
      only('apply_to_open_invoices.invoice_uuids', 'apply_to_open_invoices.invoice_uuids must be an array of strings'),
    ],
  ])('%s', (_name, body, expected) => {
    const f = failure(validate(body));
    expect(f.kind).toBe('validation_error');
    expect(f.message).toBe('Request body does not contain all required information');
    expect(f.validation_errors).toEqual(expected);
  });

  it('every malformed field is reported at once', () => {
    expect(
      errors({ type: 'AMOUNT', amount: { currency: 'usd', value_in_cents: 1.5 }, state: 'PAUSED' }).map((e) => e.field),
    ).toEqual(['customer_id', 'state', 'amount.currency', 'amount.value_in_cents']);
  });

  it('a bad type does not hide the other fields: amount and units are checked on their own; only the rules by type wait for a valid type', () => {
    const seed = {
      amount: { currency: '<string>', value_in_cents: 123 },
      apply_to_open_invoices: { enable: true, invoice_uuids: ['<string>'] },
      customer_id: '<string>',
      expiration_date: '2023-11-07T05:31:56Z',
      item_id: '<string>',
      name: '<string>',
      state: 'ACTIVE',
      subscription_id: '<string>',
      type: '<string>',
      units: -1,
    };
    expect(errors(seed).map((e) => e.field)).toEqual(['type', 'expiration_date', 'amount.currency', 'units']);
    expect(errors({ ...seed, type: 'AMOUNT' }).map((e) => e.field)).toEqual([
      'expiration_date',
      'amount.currency',
      'units',
      'units',
      'item_id',
    ]);
  });
});

describe('create: references', () => {
  const { book } = world();
  addInvoice(book, 'inv_a', 100, isoAfter(-DAY));
  addInvoice(book, 'inv_b', 100, isoAfter(-DAY), { customer_id: BOB });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an unknown customer',
      amountBody(1, { customer_id: 'cus_nobody' }),
      'customer_id',
      'customer cus_nobody not found',
    ],
    ['an unknown item', unitsBody(1, { item_id: 'item_nope' }), 'item_id', 'item item_nope not found'],
    [
      'an unknown subscription',
      amountBody(1, { subscription_id: 'subs_nope' }),
      'subscription_id',
      'subscription subs_nope not found',
    ],
    [
      'an unknown invoice',
      amountBody(1, { apply_to_open_invoices: { enable: true, invoice_uuids: ['inv_x'] } }),
      'apply_to_open_invoices.invoice_uuids',
      'invoice inv_x not found',
    ],
    [
      "another customer's invoice",
      amountBody(1, { apply_to_open_invoices: { enable: true, invoice_uuids: ['inv_a', 'inv_b'] } }),
      'apply_to_open_invoices.invoice_uuids',
      'invoice inv_b not found',
    ],
  ])('%s is not_found', (_name, body, field, message) => {
    expect(failure(validate(body, book))).toEqual({
      kind: 'not_found',
      message,
      validation_errors: [{ field, message }],
    });
  });

  it("another customer's subscription is a validation_error", () => {
    expect(errors(amountBody(1, { customer_id: BOB, subscription_id: SUBS }))).toEqual(
      only('subscription_id', 'subscription subs_alice belongs to another customer'),
    );
  });

  it('malformed fields are reported before unknown references are looked up', () => {
    expect(failure(validate(amountBody(0, { customer_id: 'cus_nobody' }))).kind).toBe('validation_error');
  });

  it("a grant that would push the customer's live USD balance past 2^53 − 1 is refused", () => {
    const { service, book } = world();
    value(service.create(book, amountBody(MAX_CENTS - 10)));
    expect(value(validateCreateCredit(book, amountBody(10), T0)).amount!.value_in_cents).toBe(10);
    expect(failure(validateCreateCredit(book, amountBody(11), T0)).validation_errors).toEqual(
      only('amount.value_in_cents', "the customer's balance in USD would pass 9007199254740991"),
    );
    expect(
      value(validateCreateCredit(book, amountBody(11, { amount: { currency: 'EUR', value_in_cents: 11 } }), T0)).amount!
        .currency,
    ).toBe('EUR');
    expect(value(validateCreateCredit(book, amountBody(11, { customer_id: BOB }), T0)).customer_id).toBe(BOB);
  });

  it('the same ceiling holds for UNITS, per item', () => {
    const { service, book } = world();
    value(service.create(book, unitsBody(MAX_CENTS - 1)));
    expect(value(validateCreateCredit(book, unitsBody(1), T0)).units).toBe('1');
    expect(
      failure(
        validateCreateCredit(book, unitsBody(0, { units: new NumberText('1.000000000000000000000000000001') }), T0),
      ).validation_errors,
    ).toEqual(only('units', `the customer's balance in ${API_CALLS} would pass 9007199254740991`));
    expect(failure(validateCreateCredit(book, unitsBody(2), T0)).validation_errors).toEqual(
      only('units', `the customer's balance in ${API_CALLS} would pass 9007199254740991`),
    );
  });

  it('only live credits count toward the ceiling: a revoked one, or one past its expiration_date once expiry has run', () => {
    const w = world();
    const revoked = value(w.service.create(w.book, amountBody(MAX_CENTS - 10)));
    value(w.service.revoke(w.book, revoked.id));
    value(w.service.create(w.book, amountBody(MAX_CENTS - 10, { expiration_date: isoAfter(HOUR) })));
    expect(failure(validateCreateCredit(w.book, amountBody(11), T0)).kind).toBe('validation_error');
    w.clock.advance(HOUR);
    expect(
      value(w.service.create(w.book, amountBody(11, { expiration_date: isoAfter(2 * HOUR) }))).amount!.value_in_cents,
    ).toBe(11);
    expect(w.book.credits.getGroup('active', ALICE)).toHaveLength(1);
  });
});

describe('create: validation reads the book and writes nothing', () => {
  it('a valid body, a malformed one and an unknown reference leave the store as it was', () => {
    const w = world();
    addInvoice(w.book, 'inv_1', 3000, isoAfter(-DAY));
    value(w.service.create(w.book, amountBody(100)));
    const before = w.store.export();
    value(validateCreateCredit(w.book, amountBody(500, { apply_to_open_invoices: { enable: true } }), T0));
    failure(validateCreateCredit(w.book, amountBody(0), T0));
    failure(validateCreateCredit(w.book, amountBody(1, { customer_id: 'cus_nobody' }), T0));
    expect(w.store.export()).toStrictEqual(before);
  });

  it('a customer is found by id before identifier, and by identifier only when no id matches', () => {
    const { book } = world();
    book.customers.put({
      id: 'cus_carol',
      identifier: ALICE,
      name: 'Carol',
      email: null,
      created_at: T0.toISOString(),
    });
    expect(value(validateCreateCredit(book, amountBody(1, { customer_id: ALICE }), T0)).customer_id).toBe(ALICE);
    expect(value(validateCreateCredit(book, amountBody(1, { customer_id: 'ext-alice' }), T0)).customer_id).toBe(ALICE);
  });
});
