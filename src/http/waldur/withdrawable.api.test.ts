/**
 * The 8.1 profile's withdrawable balance: `withdrawable_balance` on every
 * customer-credit answer, and POST …/adjust_withdrawable/ (docs/behaviour/waldur-8.1.md
 * §2.2, §4). Every answer is self-checked against
 * specs/waldur-credits-8.1.yaml (strict).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/mock-server.js';

const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d'; // 1000
const BETA_CREDIT = '90624fe36b8246c9982fb0f1423674a6'; // 250.5
const DELTA = '6bad6be28e7a46e99f19950499dd251d'; // a customer without a credit
const adjustPath = (uuid: string) => `/api/customer-credits/${uuid}/adjust_withdrawable/`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ waldurVersion: '8.1' });
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await server.call('POST', '/__admin/reset', { token: null })).status).toBe(200);
  await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.1' } });
  server.violations.length = 0;
});

const adjust = (amount: unknown, comment: unknown = 'manual grant', uuid = ALPHA_CREDIT, token?: string) =>
  server.call('POST', adjustPath(uuid), { body: { amount, comment }, token });
const get = async (uuid = ALPHA_CREDIT) =>
  (await server.call('GET', `/api/customer-credits/${uuid}/`)).json as { value: string; withdrawable_balance: number };
const state = async (uuid = ALPHA_CREDIT) => {
  const res = await server.call('GET', `/api/customer-credits/${uuid}/`);
  return [res.json.value as string, /"withdrawable_balance":([^,}]+)/.exec(res.text)![1]];
};

describe('withdrawable_balance', () => {
  it('is on every customer-credit answer, last, as a Python float: 0.0 before any adjustment', async () => {
    const list = await server.call('GET', '/api/customer-credits/');
    expect(list.json.every((c: object) => Object.keys(c).at(-1) === 'withdrawable_balance')).toBe(true);
    expect(list.text.match(/"withdrawable_balance":0\.0[,}]/g)).toHaveLength(list.json.length);
    const created = await server.call('POST', '/api/customer-credits/', {
      body: { customer: `/api/customers/${DELTA}/`, value: '10' },
    });
    expect(created.status).toBe(201);
    expect(created.text).toMatch(/"withdrawable_balance":0\.0}$/);
    const patched = await server.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '900' } });
    expect(patched.text).toMatch(/"withdrawable_balance":0\.0}$/);
    expect(server.violations).toEqual([]);
  });

  it('is capped by the value: a staff edit below the earnings lowers it, and raising the value back restores it', async () => {
    expect((await adjust('40')).status).toBe(200);
    const lowered = await server.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, {
      body: { value: '25', expected_consumption: '0' },
    });
    expect(lowered.status).toBe(200);
    expect(await state()).toEqual(['25.00000', '25.0']);
    await server.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '0' } });
    expect(await state()).toEqual(['0.00000', '0.0']);
    await server.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '500' } });
    expect(await state()).toEqual(['500.00000', '40.0']);
  });

  it('is exact to the fifth place and written as Python writes the float (1e-05)', async () => {
    expect((await adjust('0.00001')).text).toMatch(/"value":"1000\.00001".*"withdrawable_balance":1e-05}$/);
    expect((await adjust('12345.67891')).text).toMatch(/"withdrawable_balance":12345\.67892}$/);
  });
});

describe('POST /api/customer-credits/{uuid}/adjust_withdrawable/', () => {
  it('+40 "manual grant" → 200, the credit as GET shows it: value 1040, W 40.0', async () => {
    const res = await adjust('40');
    expect(res.status).toBe(200);
    expect(res.json).toEqual((await server.call('GET', `/api/customer-credits/${ALPHA_CREDIT}/`)).json);
    expect(res.json.offerings[0]).toHaveProperty('name'); // nested objects, as GET
    expect(await state()).toEqual(['1040.00000', '40.0']);
    expect(server.violations).toEqual([]);
  });

  it('+40, then −10 "clawback" → value 1030, W 30.0; a number body works as a string one', async () => {
    await adjust(40);
    expect((await adjust(-10, 'clawback')).status).toBe(200);
    expect(await state()).toEqual(['1030.00000', '30.0']);
  });

  it('+40, then −60 → 400 {"amount": "Reduction would exceed the withdrawable balance."} (a plain string); nothing changes', async () => {
    await adjust('40');
    const res = await adjust('-60');
    expect(res.status).toBe(400);
    expect(res.text).toBe('{"amount":"Reduction would exceed the withdrawable balance."}');
    expect(await state()).toEqual(['1040.00000', '40.0']);
    expect(server.violations).toEqual([]);
  });

  it('250.5 − 500 → 400 {"amount": "Adjustment would make the credit value negative."}, checked before the withdrawable rule', async () => {
    const res = await adjust('-500', 'x', BETA_CREDIT);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ amount: 'Adjustment would make the credit value negative.' });
    expect(await state(BETA_CREDIT)).toEqual(['250.50000', '0.0']);
  });

  it('a value beyond 11 digits before the point → 400 in the same form (the real server would fail with 500)', async () => {
    await server.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '99999999999' } });
    const res = await adjust('1');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      amount: 'Adjustment would make the credit value exceed 11 digits before the decimal point.',
    });
  });

  it.each([
    [{ amount: '0', comment: 'x' }, { amount: ['Amount must not be zero.'] }],
    [{ amount: '40', comment: '' }, { comment: ['This field may not be blank.'] }],
    [{ amount: '40', comment: '  ' }, { comment: ['This field may not be blank.'] }],
    [{ comment: 'x' }, { amount: ['This field is required.'] }],
    [{}, { amount: ['This field is required.'], comment: ['This field is required.'] }],
    [{ amount: 'forty', comment: 'x' }, { amount: ['A valid number is required.'] }],
    [{ amount: '1.123456', comment: 'x' }, { amount: ['Ensure that there are no more than 5 decimal places.'] }],
  ])('%j → 400 %j, nothing written', async (body, expected) => {
    const res = await server.call('POST', adjustPath(ALPHA_CREDIT), { body });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(expected);
    expect(await state()).toEqual(['1000.00000', '0.0']);
    expect(server.violations).toEqual([]);
  });

  it('no body → 400 with both fields required; malformed JSON → 400 parse error; text/plain → 415', async () => {
    expect((await server.call('POST', adjustPath(ALPHA_CREDIT))).json).toEqual({
      amount: ['This field is required.'],
      comment: ['This field is required.'],
    });
    const bad = await server.call('POST', adjustPath(ALPHA_CREDIT), {
      raw: '{"amount":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/^JSON parse error/);
    const text = await server.call('POST', adjustPath(ALPHA_CREDIT), {
      raw: 'amount=5',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(server.violations).toEqual([]);
  });

  it('takes a form body too', async () => {
    const res = await server.call('POST', adjustPath(ALPHA_CREDIT), {
      raw: 'amount=2.5&comment=form',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(await state()).toEqual(['1002.50000', '2.5']);
  });

  it.each(['owner-token', 'support-token', 'manager-token', 'user-token'])(
    '%s → 403 before the lookup (an unknown credit too), nothing written',
    async (token) => {
      const res = await adjust('40', 'x', ALPHA_CREDIT, token);
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ detail: 'You do not have permission to perform this action.' });
      expect((await adjust('40', 'x', 'f'.repeat(32), token)).status).toBe(403);
      expect(await state()).toEqual(['1000.00000', '0.0']);
    },
  );

  it('staff: an unknown credit → 404 (before the body is read); no token → 401', async () => {
    const res = await server.call('POST', adjustPath('f'.repeat(32)), { body: { amount: '0' } });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: 'No CustomerCredit matches the given query.' });
    const anonymous = await adjust('40', 'x', ALPHA_CREDIT, null as never);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Token');
  });

  it('GET → 405 with Allow: POST, OPTIONS; the path without its slash → 301', async () => {
    const res = await server.call('GET', adjustPath(ALPHA_CREDIT));
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ detail: 'Method "GET" not allowed.' });
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await server.call('POST', adjustPath(ALPHA_CREDIT).slice(0, -1))).status).toBe(301);
  });

  it('the earnings live in the state: exported, imported back, and kept (hidden) under 8.0.5', async () => {
    await adjust('40');
    const exported = (await server.call('GET', '/__admin/state', { token: null })).json;
    const alpha = exported.waldur.customer_credits.find((c: { uuid: string }) => c.uuid === ALPHA_CREDIT);
    expect(alpha.withdrawable_earned).toBe('40.00000');
    expect(exported.waldur.customer_credits.find((c: { uuid: string }) => c.uuid === BETA_CREDIT)).not.toHaveProperty(
      'withdrawable_earned',
    );
    await server.call('POST', '/__admin/reset', { token: null });
    expect(await state()).toEqual(['1000.00000', '0.0']);
    expect((await server.call('PUT', '/__admin/state', { token: null, body: exported })).status).toBe(200);
    expect(await state()).toEqual(['1040.00000', '40.0']);
    await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.0.5' } });
    expect(await get()).not.toHaveProperty('withdrawable_balance');
    expect((await adjust('1')).status).toBe(404);
    await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.1' } });
    expect(await state()).toEqual(['1040.00000', '40.0']);
    expect(server.violations).toEqual([]);
  });

  it('deleting the credit takes its earnings with it: a new credit for the customer starts at 0.0', async () => {
    await adjust('40');
    const customer = (await get()) as unknown as { customer: string };
    expect((await server.call('DELETE', `/api/customer-credits/${ALPHA_CREDIT}/`)).status).toBe(204);
    const created = await server.call('POST', '/api/customer-credits/', {
      body: { customer: customer.customer, value: '1000' },
    });
    expect(created.text).toMatch(/"withdrawable_balance":0\.0}$/);
  });
});
