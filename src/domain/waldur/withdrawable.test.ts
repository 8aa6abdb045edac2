import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../money/decimal.js';
import { WaldurError } from './errors.js';
import { JsonNumber, type Input } from './input.js';
import type { CustomerCredit } from './model.js';
import { validateWithdrawableAdjustment } from './withdrawable-adjustment.serializer.js';
import { adjustedCredit, adjustmentRefusal, withdrawableBalance, withdrawableEarned } from './withdrawable.js';

const credit = (value: string, earned?: string): CustomerCredit => ({
  uuid: 'cc'.padEnd(32, '0'),
  created: '2024-01-01T00:00:00Z',
  seq: 1,
  customer: 'c'.repeat(32),
  offerings: [],
  value,
  end_date: null,
  expected_consumption: '0.00000',
  minimal_consumption_logic: 'fixed',
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
  ...(earned === undefined ? {} : { withdrawable_earned: earned }),
});

describe('withdrawable_balance = max(0, min(E, value)) (docs/behaviour/waldur-8.1.md §2.2)', () => {
  it.each([
    ['1000.00000', undefined, '0'],
    ['1030.00000', '30.00000', '30'],
    ['1150.00000', '150.00000', '150'],
    ['0.00000', '150.00000', '0'], // expiry wipes it, E stays
    ['100.00000', '-5.00000', '0'],
    ['20.00000', '40.00000', '20'], // capped by the value
  ])('value %s, E %s → %s', (value, earned, expected) => {
    expect(withdrawableBalance(credit(value, earned)).toString()).toBe(expected);
  });

  it('the worked example of the affiliate doc: grant, fees, payout, expiry', () => {
    let c = credit('1000.00000');
    for (const fee of ['120', '80', '150']) c = adjustedCredit(c, new Dec(fee));
    expect([c.value, withdrawableBalance(c).toString()]).toEqual(['1350.00000', '350']);
    c = adjustedCredit(c, new Dec(-200));
    expect([c.value, c.withdrawable_earned, withdrawableBalance(c).toString()]).toEqual([
      '1150.00000',
      '150.00000',
      '150',
    ]);
    expect(withdrawableBalance({ ...c, value: '0.00000' }).toString()).toBe('0');
  });
});

describe('adjust_withdrawable refusals (docs/behaviour/waldur-8.1.md §4), negative value first', () => {
  it.each([
    ['100.00000', undefined, '-500', 'Adjustment would make the credit value negative.'],
    ['140.00000', '40.00000', '-60', 'Reduction would exceed the withdrawable balance.'],
    ['1000.00000', undefined, '-0.00001', 'Reduction would exceed the withdrawable balance.'],
    [
      '99999999999.00000',
      undefined,
      '1',
      'Adjustment would make the credit value exceed 11 digits before the decimal point.',
    ],
  ])('value %s, E %s, amount %s → %s', (value, earned, amount, message) => {
    expect(adjustmentRefusal(credit(value, earned), new Dec(amount))).toBe(message);
  });

  it.each([
    ['140.00000', '40.00000', '-40'],
    ['0.00000', undefined, '0.00001'],
    ['99999999998.99999', undefined, '1'],
  ])('value %s, E %s, amount %s is accepted', (value, earned, amount) => {
    expect(adjustmentRefusal(credit(value, earned), new Dec(amount))).toBeNull();
  });
});

describe('properties of the withdrawable arithmetic', () => {
  const amount = fc
    .integer({ min: -5_000_000_000, max: 5_000_000_000 })
    .filter((n) => n !== 0)
    .map((n) => new Dec(n).div(100_000));
  const start = fc.integer({ min: 0, max: 10_000_000_000 }).map((n) => new Dec(n).div(100_000).toFixed(5));

  it('every accepted adjustment moves value, E and W by exactly the amount; a refused one is refused for its stated reason', () => {
    fc.assert(
      fc.property(start, fc.array(amount, { maxLength: 25 }), (value, amounts) => {
        let c = credit(value);
        let accepted = new Dec(0);
        for (const a of amounts) {
          const w = withdrawableBalance(c);
          const refusal = adjustmentRefusal(c, a);
          if (refusal !== null) {
            const negative = new Dec(c.value).plus(a).isNegative();
            const overdraw = a.isNegative() && a.negated().gt(w);
            expect(negative || overdraw).toBe(true);
            continue;
          }
          const next = adjustedCredit(c, a);
          expect(new Dec(next.value).minus(c.value).eq(a)).toBe(true);
          expect(withdrawableEarned(next).minus(withdrawableEarned(c)).eq(a)).toBe(true);
          expect(withdrawableBalance(next).minus(w).eq(a)).toBe(true);
          accepted = accepted.plus(a);
          c = next;
        }
        // Nothing is made or lost: the value moved by the accepted amounts, E is their sum, W stays within 0..value.
        expect(new Dec(c.value).minus(value).eq(accepted)).toBe(true);
        expect(withdrawableEarned(c).eq(accepted)).toBe(true);
        const w = withdrawableBalance(c);
        expect(w.gte(0) && w.lte(c.value) && !new Dec(c.value).isNegative()).toBe(true);
      }),
    );
  });

  it('a value change that is not a withdrawable movement moves W only through the cap', () => {
    fc.assert(
      fc.property(start, start, start, (value, earned, newValue) => {
        const before = credit(value, earned);
        const after = { ...before, value: newValue };
        expect(withdrawableEarned(after).eq(withdrawableEarned(before))).toBe(true);
        expect(withdrawableBalance(after).eq(Dec.max(0, Dec.min(earned, newValue)))).toBe(true);
      }),
    );
  });
});

describe('WithdrawableAdjustmentRequest', () => {
  const errors = (data: Input | undefined) => {
    try {
      validateWithdrawableAdjustment(data);
    } catch (err) {
      return (err as WaldurError).body;
    }
    return null;
  };

  it('reads amount as a string or a JSON number; strips the comment', () => {
    const a = validateWithdrawableAdjustment({ amount: '40.5', comment: '  manual grant \n' });
    expect([a.amount.toString(), a.comment]).toEqual(['40.5', 'manual grant']);
    const b = validateWithdrawableAdjustment({ amount: new JsonNumber('-10'), comment: new JsonNumber('7') });
    expect([b.amount.toString(), b.comment]).toEqual(['-10', '7']);
  });

  it.each<[Input | undefined, unknown]>([
    [{}, { amount: ['This field is required.'], comment: ['This field is required.'] }],
    [undefined, { amount: ['This field is required.'], comment: ['This field is required.'] }],
    [{ amount: null, comment: 'x' }, { amount: ['This field may not be null.'] }],
    [{ amount: 'abc', comment: 'x' }, { amount: ['A valid number is required.'] }],
    [{ amount: '0', comment: 'x' }, { amount: ['Amount must not be zero.'] }],
    [{ amount: '-0.00000', comment: 'x' }, { amount: ['Amount must not be zero.'] }],
    [{ amount: '1.000001', comment: 'x' }, { amount: ['Ensure that there are no more than 5 decimal places.'] }],
    [
      { amount: '123456789012', comment: 'x' },
      { amount: ['Ensure that there are no more than 11 digits before the decimal point.'] },
    ],
    [
      { amount: '12345678901.123456', comment: 'x' },
      { amount: ['Ensure that there are no more than 16 digits in total.'] },
    ],
    [{ amount: '5', comment: '' }, { comment: ['This field may not be blank.'] }],
    [{ amount: '5', comment: '   ' }, { comment: ['This field may not be blank.'] }],
    [{ amount: '5', comment: null }, { comment: ['This field may not be null.'] }],
    [{ amount: '5', comment: true }, { comment: ['Not a valid string.'] }],
    [{ amount: '5', comment: ['x'] }, { comment: ['Not a valid string.'] }],
    [
      { amount: '0', comment: '' },
      { amount: ['Amount must not be zero.'], comment: ['This field may not be blank.'] },
    ],
    [['x'], { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
  ])('%j → 400 %j', (data, body) => {
    expect(errors(data)).toEqual(body);
  });
});
