/**
 * Maple's published shapes over HTTP: units as exact decimal numbers,
 * consume from one subscription, and the `null` fields Maple's own example
 * requests send (README, Maple behaviour choices).
 */
import { describe, expect, it } from 'vitest';
import {
  amountBody,
  amounts,
  balancePath,
  consumeAmount,
  consumePath,
  CONTOSO_SUB,
  creditPath,
  creditsPath,
  expectError,
  expectInvalid,
  FABRIKAM,
  findCredits,
  FIXTURE_CREDITS,
  issue,
  NORTHWIND,
  NORTHWIND_SUB,
  postRaw,
  STORAGE,
  useMapleServer,
} from './maple-test-helpers.js';

const server = useMapleServer();
const consumeRaw = (units: string, extra = '') =>
  postRaw(
    server(),
    consumePath(),
    `{"customer_id":"${FABRIKAM}","type":"UNITS","units":${units},"item_id":"${STORAGE}"${extra}}`,
  );

describe('units are exact decimals', () => {
  it('consume 0.1 then 0.2 from 0.3 leaves exactly 0 and the credit CONSUMED', async () => {
    const credit = (
      await postRaw(server(), creditsPath(), `{"customer_id":"${FABRIKAM}","units":0.3,"item_id":"${STORAGE}"}`)
    ).json;
    const first = await consumeRaw('0.1');
    expect(first.status, first.text).toBe(200);
    expect(first.text).toContain(`"total_units":{"${STORAGE}":0.2}`);
    const second = await consumeRaw('0.2');
    expect(second.json).toEqual(amounts({}));
    const after = await server().maple('GET', creditPath(credit.id));
    expect(after.json).toMatchObject({ state: 'CONSUMED', units: 0, issued_units: 0.3 });
    expect(after.text).toContain('"units":0}');
  });

  it('2.5 units drawn down as 1.25 + 1.25; the log carries units_applied 1.25', async () => {
    await issue(server(), { customer_id: FABRIKAM, type: 'UNITS', units: 2.5, item_id: STORAGE });
    expect((await consumeRaw('1.25')).text).toContain(`"total_units":{"${STORAGE}":1.25}`);
    expect((await consumeRaw('1.25')).json).toEqual(amounts({}));
    const logs = await server().maple('POST', `${creditsPath()}/logs/find`, {
      body: { pagination: { limit: 10 }, sort_key: 'createdAtAsc', query: { customer_id: FABRIKAM } },
    });
    expect(
      logs.json.results.map((l: { action_type: string; units_applied: number }) => [l.action_type, l.units_applied]),
    ).toEqual([
      ['ISSUED', 2.5],
      ['CONSUMED', 1.25],
      ['CONSUMED', 1.25],
    ]);
  });

  it('negative or non-number units are refused; 0 consumes nothing', async () => {
    await issue(server(), { customer_id: FABRIKAM, type: 'UNITS', units: 1, item_id: STORAGE });
    expectInvalid(await consumeRaw('-0.5'), 'units');
    expectInvalid(await consumeRaw('"0.5"'), 'units');
    expectInvalid(await consumeRaw('true'), 'units');
    expect((await consumeRaw('0')).text).toContain(`"total_units":{"${STORAGE}":1}`);
    expect((await consumeRaw('1.0000000000000000000000000001')).json.error_code).toBe('insufficient_balance');
  });
});

describe('consume from one subscription', () => {
  it('draws only the credits attached to subscription_id', async () => {
    const loose = await issue(server(), amountBody(NORTHWIND, 1000));
    const res = await server().maple('POST', consumePath(), {
      body: consumeAmount(NORTHWIND, 500, {
        amount: { currency: 'EUR', value_in_cents: 500 },
        subscription_id: NORTHWIND_SUB,
      }),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.total_amount).toEqual({ EUR: 19500, USD: 51000 });
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.partner))).json.amount).toEqual({
      currency: 'EUR',
      value_in_cents: 19500,
    });
    expect((await server().maple('GET', creditPath(loose.id))).json.amount.value_in_cents).toBe(1000);
  });

  it('no credit on that subscription in that currency → 400 insufficient_balance', async () => {
    const res = await server().maple('POST', consumePath(), {
      body: consumeAmount(NORTHWIND, 1, { subscription_id: NORTHWIND_SUB }),
    });
    expectError(res, 400, 'request_error', 'insufficient_balance');
  });

  it('an unknown subscription → 404 and another customer’s → 400 on subscription_id, as create answers them', async () => {
    for (const post of [
      (extra: Record<string, unknown>) =>
        server().maple('POST', consumePath(), { body: consumeAmount(NORTHWIND, 1, extra) }),
      (extra: Record<string, unknown>) =>
        server().maple('POST', creditsPath(), { body: amountBody(NORTHWIND, 1, extra) }),
    ]) {
      const unknown = await post({ subscription_id: 'subs_0000000000000000000000000000' });
      expectError(unknown, 404, 'request_error', 'not_found');
      expect(unknown.json.error_message).toBe('subscription subs_0000000000000000000000000000 not found');
      expectInvalid(await post({ subscription_id: CONTOSO_SUB }), 'subscription_id');
    }
    expect((await server().maple('GET', balancePath(NORTHWIND))).json.total_amount).toEqual({ EUR: 20000, USD: 50000 });
  });
});

describe("the nulls Maple's example requests send", () => {
  it('consume: credit_id, item_id, note, subscription_id and units null read as not given', async () => {
    const body = {
      ...consumeAmount(NORTHWIND, 100),
      credit_id: null,
      item_id: null,
      note: null,
      subscription_id: null,
      units: null,
    };
    const res = await server().maple('POST', consumePath(), { body });
    expect(res.status, res.text).toBe(200);
    expect(res.json.total_amount).toEqual({ EUR: 20000, USD: 49900 });
  });

  it('find: every query field null, include_meta and from_key null', async () => {
    const query = {
      currency: null,
      customer_id: null,
      search: null,
      status: null,
      statuses: null,
      subscription_id: null,
      type: null,
    };
    const res = await server().maple('POST', `${creditsPath()}/find`, {
      body: { pagination: { from_key: null, limit: 100 }, query, sort_key: 'createdAtAsc', include_meta: null },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toHaveLength((await findCredits(server(), {})).length);
  });
});
