import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import { call } from '../support/http.js';
import { expectBadRequest, getCredit, newHex, numberText } from '../support/waldur-81.js';
import { cleanUpAfterAll, mustCreate, pathOf, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';

/**
 * `withdrawable_balance` and `POST …/adjust_withdrawable/` (docs/behaviour/waldur-8.1.md §2.2,
 * §4, §11 scenarios 1–7): `max(0, min(earned, value))` written as a JSON float,
 * staff only, the DRF messages and the view's two plain-string messages, and
 * nothing written by a refused adjustment.
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld;
});
cleanUpAfterAll();

const OP = 'customer_credits_adjust_withdrawable';

describe('withdrawable balance', () => {
  let credit: CreditBody;
  const adjust = (body: unknown, token?: string, url = credit.url) =>
    call('POST', `${pathOf(url)}adjust_withdrawable/`, { body, token });
  /** value and withdrawable_balance as written, e.g. ['140.00000', '40.0']. */
  const figures = async () => {
    const res = await getCredit(credit);
    return [res.body.value, numberText(res.text, 'withdrawable_balance')];
  };

  check(
    'customer_credits_create',
    'a staff grant earns nothing: withdrawable_balance is the float 0.0',
    async () => {
      credit = await mustCreate('customer', { customer: world.customers[1]!.url, value: '100' });
      expect(credit.withdrawable_balance).toBe(0);
      const res = await getCredit(credit);
      expectContract('customer_credits_retrieve', res);
      expect(
        numberText(res.text, 'withdrawable_balance'),
        'withdrawable_balance is written as Python writes a Decimal',
      ).toBe('0.0');
    },
    { writes: true },
  );

  check(
    OP,
    '+40 "manual grant": 200 with the credit, value 140.00000 and withdrawable_balance 40.0',
    async () => {
      const res = await adjust({ amount: '40', comment: 'manual grant' });
      expectStatus(res, 200);
      expectContract(OP, res);
      expect(res.body).toMatchObject({ uuid: credit.uuid, value: '140.00000', withdrawable_balance: 40 });
      expect(numberText(res.text, 'withdrawable_balance')).toBe('40.0');
      expect(await figures()).toEqual(['140.00000', '40.0']);
    },
    { writes: true },
  );

  check(
    OP,
    '−10 "clawback": value 130.00000, withdrawable_balance 30.0',
    async () => {
      const res = await adjust({ amount: '-10', comment: 'clawback' });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ value: '130.00000', withdrawable_balance: 30 });
      expect(await figures()).toEqual(['130.00000', '30.0']);
    },
    { writes: true },
  );

  check(
    OP,
    'a reduction beyond the withdrawable balance: 400 with a plain-string message; nothing changes',
    async () => {
      expectBadRequest(OP, await adjust({ amount: '-30.00001', comment: 'too much' }), {
        amount: 'Reduction would exceed the withdrawable balance.',
      });
      expect(await figures()).toEqual(['130.00000', '30.0']);
      const all = await adjust({ amount: '-30', comment: 'all of it' });
      expectStatus(all, 200);
      expect(await figures()).toEqual(['100.00000', '0.0']);
      const back = await adjust({ amount: '30', comment: 'back' });
      expectStatus(back, 200);
    },
    { writes: true },
  );

  check(
    OP,
    'a value below zero: 400 "Adjustment would make the credit value negative.", checked before the withdrawable balance',
    async () => {
      expectBadRequest(OP, await adjust({ amount: '-500', comment: 'x' }), {
        amount: 'Adjustment would make the credit value negative.',
      });
      expectBadRequest(OP, await adjust({ amount: '-130.00001', comment: 'x' }), {
        amount: 'Adjustment would make the credit value negative.',
      });
      expect(await figures()).toEqual(['130.00000', '30.0']);
    },
    { writes: true },
  );

  check(
    OP,
    'refuses bad amounts and comments with the DRF messages; nothing changes',
    async () => {
      const cases: [unknown, unknown][] = [
        [{ amount: '0', comment: 'x' }, { amount: ['Amount must not be zero.'] }],
        [{ amount: '0.00000', comment: 'x' }, { amount: ['Amount must not be zero.'] }],
        [{ comment: 'x' }, { amount: ['This field is required.'] }],
        [{ amount: null, comment: 'x' }, { amount: ['This field may not be null.'] }],
        [{ amount: 'ten', comment: 'x' }, { amount: ['A valid number is required.'] }],
        [{ amount: '1.123456', comment: 'x' }, { amount: ['Ensure that there are no more than 5 decimal places.'] }],
        [
          { amount: '123456789012', comment: 'x' },
          { amount: ['Ensure that there are no more than 11 digits before the decimal point.'] },
        ],
        [{ amount: '10' }, { comment: ['This field is required.'] }],
        [{ amount: '10', comment: '' }, { comment: ['This field may not be blank.'] }],
        [{ amount: '10', comment: '   ' }, { comment: ['This field may not be blank.'] }],
        [{}, { amount: ['This field is required.'], comment: ['This field is required.'] }],
      ];
      for (const [body, errors] of cases) expectBadRequest(OP, await adjust(body), errors);
      expect(await figures()).toEqual(['130.00000', '30.0']);
    },
    { writes: true },
  );

  check(
    OP,
    'takes amounts as JSON numbers and adds them exactly (0.1 + 0.2 = 0.3)',
    async () => {
      expectStatus(await adjust({ amount: 0.1, comment: 'a' }), 200);
      const res = await adjust({ amount: '0.2', comment: 'b' });
      expectStatus(res, 200);
      expect(res.text).not.toContain('0.30000000000000004');
      expect(await figures()).toEqual(['130.30000', '30.3']);
      expectStatus(await adjust({ amount: '-0.3', comment: 'c' }), 200);
      expect(await figures()).toEqual(['130.00000', '30.0']);
    },
    { writes: true },
  );

  check(
    'customer_credits_partial_update',
    'a staff edit of value moves the cap, never the earnings: min(earned, value)',
    async () => {
      const down = await call('PATCH', pathOf(credit.url), { body: { value: '20' } });
      expectStatus(down, 200);
      expectContract('customer_credits_partial_update', down);
      expect(numberText(down.text, 'withdrawable_balance')).toBe('20.0');
      expect(await figures()).toEqual(['20.00000', '20.0']);
      const up = await call('PATCH', pathOf(credit.url), { body: { value: '200' } });
      expectStatus(up, 200);
      expect(await figures()).toEqual(['200.00000', '30.0']);
      const zero = await call('PATCH', pathOf(credit.url), { body: { value: '0' } });
      expectStatus(zero, 200);
      expect(await figures()).toEqual(['0.00000', '0.0']);
      expectBadRequest(OP, await adjust({ amount: '-1', comment: 'x' }), {
        amount: 'Adjustment would make the credit value negative.',
      });
      expectStatus(await call('PATCH', pathOf(credit.url), { body: { value: '130' } }), 200);
      expect(await figures()).toEqual(['130.00000', '30.0']);
    },
    { writes: true },
  );

  check(
    OP,
    'staff only: 403 for every other role, before the lookup (an unknown credit too); nothing changes',
    async () => {
      for (const role of ['support', 'owner', 'manager', 'user'] as const) {
        const token = world.tokens[role];
        if (!token) throw new Error(`no ${role} token configured`);
        for (const url of [credit.url, `${credit.url.replace(credit.uuid, newHex())}`]) {
          const res = await adjust({ amount: '5', comment: 'x' }, token, url);
          expect(res.status, `${role}: ${res.text.slice(0, 200)}`).toBe(403);
          expectContract(OP, res);
          expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
        }
      }
      expect(await figures()).toEqual(['130.00000', '30.0']);
    },
    { writes: true },
  );

  check(
    OP,
    'staff on an unknown credit: 404; GET: 405; no credentials: 401',
    async () => {
      const unknown = await adjust({ amount: '5', comment: 'x' }, undefined, credit.url.replace(credit.uuid, newHex()));
      expectStatus(unknown, 404);
      expectContract(OP, unknown);
      const get = await call('GET', `${pathOf(credit.url)}adjust_withdrawable/`);
      expectStatus(get, 405);
      expect(get.body).toEqual({ detail: 'Method "GET" not allowed.' });
      const anonymous = await adjust({ amount: '5', comment: 'x' }, null as unknown as string);
      expectStatus(anonymous, 401);
      expectContract(OP, anonymous);
      expect(await figures()).toEqual(['130.00000', '30.0']);
    },
    { writes: true },
  );
});
