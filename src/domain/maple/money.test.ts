import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCents,
  currencyExponent,
  divideHalfEven,
  MAX_CENTS,
  NumberText,
  subtractCents,
  sumCents,
  validateMoney,
} from './money.js';

const money = (currency: unknown, value_in_cents: unknown) => ({ currency, value_in_cents });
const errorsOf = (input: unknown) => {
  const r = validateMoney(input, 'amount');
  return r.ok ? [] : r.errors;
};

describe('ISO 4217 exponents (value_in_cents is the minor unit by exponent)', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['VND', 0],
    ['ISK', 0],
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['HUF', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['IQD', 3],
    ['LYD', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('%s has exponent %i', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it.each(['XYZ', 'usd', 'XAU', 'XDR', '__proto__', 'constructor'])('%s is not in the table', (code) => {
    expect(currencyExponent(code)).toBeUndefined();
  });

  it('1000 JPY, 1.000 KWD and 10.00 USD are all value_in_cents 1000', () => {
    for (const c of ['JPY', 'KWD', 'USD'])
      expect(validateMoney(money(c, 1000), 'amount')).toEqual({
        ok: true,
        money: { currency: c, value_in_cents: 1000 },
      });
  });
});

describe('validateMoney', () => {
  it.each<[unknown, number]>([
    [2500, 2500],
    [new NumberText('2500'), 2500],
    [0, 0],
    [new NumberText('-0'), 0],
    [MAX_CENTS, 9007199254740991],
    [new NumberText('9007199254740991'), 9007199254740991],
  ])('accepts value_in_cents %o', (v, expected) => {
    expect(validateMoney(money('USD', v), 'amount')).toEqual({
      ok: true,
      money: { currency: 'USD', value_in_cents: expected },
    });
  });

  it.each<[unknown, string]>([
    [10.5, 'amount.value_in_cents must be an integer'],
    [new NumberText('10.0'), 'amount.value_in_cents must be an integer'],
    [new NumberText('10.5'), 'amount.value_in_cents must be an integer'],
    [new NumberText('1e3'), 'amount.value_in_cents must be an integer'],
    ['10', 'amount.value_in_cents must be an integer'],
    [{ source: '10' }, 'amount.value_in_cents must be an integer'],
    [true, 'amount.value_in_cents must be an integer'],
    [null, 'amount.value_in_cents must be an integer'],
    [Number.NaN, 'amount.value_in_cents must be an integer'],
    [-1, 'amount.value_in_cents must be greater than or equal to 0'],
    [new NumberText('-1'), 'amount.value_in_cents must be greater than or equal to 0'],
    [9007199254740992, 'amount.value_in_cents must be at most 9007199254740991'],
    [new NumberText('9007199254740992'), 'amount.value_in_cents must be at most 9007199254740991'],
    [new NumberText('99999999999999999999'), 'amount.value_in_cents must be at most 9007199254740991'],
  ])('refuses value_in_cents %o, never truncating', (v, message) => {
    expect(errorsOf(money('USD', v))).toEqual([{ field: 'amount.value_in_cents', message }]);
  });

  it.each<[unknown, string]>([
    ['usd', 'amount.currency must be an uppercase ISO 4217 currency code'],
    ['US', 'amount.currency must be an uppercase ISO 4217 currency code'],
    ['USDX', 'amount.currency must be an uppercase ISO 4217 currency code'],
    ['XYZ', 'amount.currency XYZ is not an ISO 4217 currency code'],
    [840, 'amount.currency must be a string'],
  ])('refuses currency %o', (c, message) => {
    expect(errorsOf(money(c, 100))).toEqual([{ field: 'amount.currency', message }]);
  });

  it('reports every problem at once: missing fields and unknown ones', () => {
    expect(errorsOf({ value: 1 })).toEqual([
      { field: 'amount.value', message: 'amount.value is not a known field' },
      { field: 'amount.currency', message: 'amount.currency is required' },
      { field: 'amount.value_in_cents', message: 'amount.value_in_cents is required' },
    ]);
  });

  it.each([null, 100, 'USD 1', [], new NumberText('1')])('refuses a non-object %o', (v) => {
    expect(errorsOf(v)).toEqual([
      { field: 'amount', message: 'amount must be an object with currency and value_in_cents' },
    ]);
  });
});

describe('exact sums', () => {
  it('adds up to 2^53 − 1 and refuses beyond', () => {
    expect(addCents(1, 2)).toBe(3);
    expect(addCents(MAX_CENTS - 1, 1)).toBe(9007199254740991);
    expect(addCents(MAX_CENTS, 1)).toBeNull();
    expect(addCents(2 ** 52, 2 ** 52)).toBeNull();
    expect(sumCents([3000, 5000, 2000])).toBe(10000);
    expect(sumCents([])).toBe(0);
  });

  it('subtracting more than there is is a bug, not a negative amount', () => {
    expect(subtractCents(10000, 3000)).toBe(7000);
    expect(() => subtractCents(3000, 3001)).toThrow(RangeError);
    expect(() => sumCents([1.5])).toThrow(RangeError);
  });

  it('property: sumCents equals the BigInt sum, or is null exactly when that passes 2^53 − 1', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeNat(), { maxLength: 5 }), (values) => {
        const exact = values.reduce((s, v) => s + BigInt(v), 0n);
        const r = sumCents(values);
        if (exact > BigInt(MAX_CENTS)) expect(r).toBeNull();
        else expect(r).toBe(Number(exact));
      }),
    );
  });
});

describe('divideHalfEven, the one rounding mode for splits', () => {
  it.each([
    [5, 2, 2],
    [7, 2, 4],
    [25, 10, 2],
    [35, 10, 4],
    [26, 10, 3],
    [24, 10, 2],
    [1, 3, 0],
    [2, 3, 1],
    [-5, 2, -2],
    [-7, 2, -4],
    [-26, 10, -3],
    [10000, 3, 3333],
  ])('%i / %i = %i', (v, d, q) => {
    expect(divideHalfEven(v, d)).toBe(q);
  });
});
