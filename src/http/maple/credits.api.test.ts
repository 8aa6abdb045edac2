/**
 * Create, get and revoke over HTTP (docs/behaviour/maple.md Part 4 items 2, 3, 8, 12 and the
 * choices in the README): the Credit as created, each
 * validation rule with the field it names, references, and money hygiene.
 */
import { describe, expect, it } from 'vitest';
import {
  amountBody,
  amounts,
  API_CALLS,
  balanceOf,
  CONTOSO,
  CONTOSO_SUB,
  EMPTY_ITEM,
  NO_AMOUNT,
  STORAGE,
  creditPath,
  creditsPath,
  DAY_MS,
  expectError,
  expectInvalid,
  FABRIKAM,
  findCredits,
  findLogs,
  FIXTURE_CREDITS,
  fromNow,
  issue,
  MAX_SAFE,
  money,
  NORTHWIND,
  NORTHWIND_SUB,
  NOW,
  postRaw,
  unitsBody,
  useMapleServer,
} from './maple-test-helpers.js';

const server = useMapleServer();

const API_CALLS_ITEM = {
  company_id: 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50',
  created_at: '2026-05-01T08:00:00.000Z',
  description: null,
  display_type: 'units',
  editable: true,
  external_name: null,
  id: API_CALLS,
  name: 'API calls',
  standard: true,
  type: 'metered',
  updated_at: '2026-05-01T08:00:00.000Z',
};

const NULL_ORIGINS = {
  coupon_id: null,
  metric_record_id: null,
  one_time_billable_id: null,
  proration_date: null,
  import_ref: null,
  import_created_at_ref: null,
  imported_from: null,
};

const post = (body: unknown) => server().maple('POST', creditsPath(), { body });

describe('POST /credits: the credit as created', () => {
  it('an AMOUNT credit → 201 with every field, nullable ones null, issued = amount, ACTIVE, created_at the mock clock; no units (0) and the empty item', async () => {
    const res = await post({ customer_id: FABRIKAM, name: 'Launch credit', type: 'AMOUNT', amount: money(2500) });
    expect(res.status).toBe(201);
    expect(typeof res.json.id).toBe('string');
    expect(res.json).toEqual({
      id: res.json.id,
      created_at: NOW,
      customer_id: FABRIKAM,
      name: 'Launch credit',
      type: 'AMOUNT',
      state: 'ACTIVE',
      amount: { currency: 'USD', value_in_cents: 2500 },
      issued_amount: { currency: 'USD', value_in_cents: 2500 },
      units: 0,
      issued_units: 0,
      item_id: null,
      item: EMPTY_ITEM,
      subscription_id: null,
      expiration_date: null,
      ...NULL_ORIGINS,
    });
  });

  it('a UNITS credit → issued_units = units and the item expanded', async () => {
    const res = await post(unitsBody(FABRIKAM, 750, API_CALLS, { expiration_date: '2027-01-31T12:30:00+01:00' }));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      type: 'UNITS',
      state: 'ACTIVE',
      units: 750,
      issued_units: 750,
      amount: NO_AMOUNT,
      issued_amount: NO_AMOUNT,
      item_id: API_CALLS,
      item: API_CALLS_ITEM,
      expiration_date: '2027-01-31T11:30:00.000Z',
      created_at: NOW,
    });
  });

  it('a subscription, state ACTIVE given, and a missing name ("")', async () => {
    const res = await post({
      customer_id: NORTHWIND,
      type: 'AMOUNT',
      state: 'ACTIVE',
      amount: money(100),
      subscription_id: NORTHWIND_SUB,
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name: '', subscription_id: NORTHWIND_SUB, state: 'ACTIVE' });
  });

  it('units are numbers, written back with their exact decimal text: 2.5, 0.1, 1234567890123.000000000000000001', async () => {
    for (const units of ['2.5', '0.1', '1234567890123.000000000000000001']) {
      const raw = `{"customer_id":"${FABRIKAM}","units":${units},"item_id":"${STORAGE}"}`;
      const res = await postRaw(server(), creditsPath(), raw);
      expect(res.status, res.text).toBe(201);
      expect(res.text).toContain(`"issued_units":${units},`);
      expect(res.text).toContain(`"units":${units}}`);
      expect(res.json).toMatchObject({ type: 'UNITS', item_id: STORAGE });
    }
    const balance = await server().maple('GET', `${creditsPath()}/check_balance/${FABRIKAM}`);
    expect(balance.text).toContain(`"total_units":{"${STORAGE}":1234567890125.600000000000000001}`);
  });

  it('type may be left out: amount makes an AMOUNT credit, units a UNITS credit', async () => {
    expect((await issue(server(), { customer_id: FABRIKAM, amount: money(100) })).type).toBe('AMOUNT');
    expect((await issue(server(), { customer_id: FABRIKAM, units: 3, item_id: API_CALLS })).type).toBe('UNITS');
  });

  it.each(['CONSUMED', 'EXPIRED', 'REVOKED'])(
    'created %s (an import of a settled credit): 0 remaining, two log entries, the balance untouched',
    async (state) => {
      const credit = await issue(
        server(),
        amountBody(FABRIKAM, 4200, { state, expiration_date: '2026-01-01T00:00:00Z' }),
      );
      expect(credit).toMatchObject({
        state,
        amount: money(0),
        issued_amount: money(4200),
        expiration_date: '2026-01-01T00:00:00.000Z',
      });
      expect(
        (await findLogs(server(), { credit_id: credit.id as string })).map((l) => [l.action_type, l.amount_applied]),
      ).toEqual([
        ['ISSUED', money(4200)],
        [state, money(4200)],
      ]);
      expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({}));
    },
  );

  it('the customer by its external identifier → stored under the Maple id', async () => {
    const res = await post(amountBody('contoso-42', 300));
    expect(res.status).toBe(201);
    expect(res.json.customer_id).toBe(CONTOSO);
    expect(await balanceOf(server(), CONTOSO)).toEqual(amounts({ USD: 1800 }));
  });

  it('JPY and KWD are accepted in their own minor units', async () => {
    const yen = await issue(server(), amountBody(FABRIKAM, 1000, { amount: money(1000, 'JPY') }));
    const fils = await issue(server(), amountBody(FABRIKAM, 1000, { amount: money(1250, 'KWD') }));
    expect(yen.amount).toEqual({ currency: 'JPY', value_in_cents: 1000 });
    expect(fils.issued_amount).toEqual({ currency: 'KWD', value_in_cents: 1250 });
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ JPY: 1000, KWD: 1250 }));
  });

  it('an expiration_date a day ahead is stored in UTC and the credit reads ACTIVE', async () => {
    const credit = await issue(server(), amountBody(FABRIKAM, 100, { expiration_date: fromNow(DAY_MS) }));
    expect(credit.expiration_date).toBe('2026-11-16T10:00:00.000Z');
    expect((await server().maple('GET', creditPath(credit.id))).json.state).toBe('ACTIVE');
  });

  it('an ISSUED log entry with the grant', async () => {
    const credit = await issue(server(), amountBody(FABRIKAM, 4200));
    const logs = await findLogs(server(), { credit_id: credit.id });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      action_type: 'ISSUED',
      amount_applied: money(4200),
      credit_id: credit.id,
      customer_id: FABRIKAM,
      created_at: NOW,
    });
  });
});

describe('GET /credits/{id}', () => {
  it('returns the credit as created', async () => {
    const created = await issue(server(), amountBody(FABRIKAM, 900));
    const res = await server().maple('GET', creditPath(created.id));
    expect(res.status).toBe(200);
    expect(res.json).toEqual(created);
  });

  it('a fixture credit, with its item expanded', async () => {
    const res = await server().maple('GET', creditPath(FIXTURE_CREDITS.apiBundle));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      units: 10000,
      issued_units: 10000,
      item: API_CALLS_ITEM,
      expiration_date: '2027-06-30T00:00:00.000Z',
    });
  });

  it('an unknown id → 404 request_error', async () => {
    expectError(await server().maple('GET', creditPath('crd_doesnotexist')), 404, 'request_error', 'not_found');
  });
});

describe('DELETE /credits/{id}: revoke', () => {
  it('→ 200 REVOKED with remaining 0, issued unchanged, out of the balance, a REVOKED entry', async () => {
    const res = await server().maple('DELETE', creditPath(FIXTURE_CREDITS.welcome));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: FIXTURE_CREDITS.welcome,
      state: 'REVOKED',
      amount: money(0),
      issued_amount: money(50000),
    });
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).json.state).toBe('REVOKED');
    expect((await balanceOf(server(), NORTHWIND)).total_amount).toEqual({ EUR: 20000 });
    const revoked = await findLogs(server(), { credit_id: FIXTURE_CREDITS.welcome, action_type: 'REVOKED' });
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ amount_applied: money(50000), created_at: NOW });
  });

  it('revoking again → 400 already_terminal', async () => {
    expect((await server().maple('DELETE', creditPath(FIXTURE_CREDITS.goodwill))).status).toBe(200);
    expectError(
      await server().maple('DELETE', creditPath(FIXTURE_CREDITS.goodwill)),
      400,
      'request_error',
      'already_terminal',
    );
  });

  it('an unknown id → 404', async () => {
    expectError(await server().maple('DELETE', creditPath('crd_doesnotexist')), 404, 'request_error', 'not_found');
  });
});

describe('POST /credits: validation (400 validation_error naming the field)', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['missing customer_id', { type: 'AMOUNT', amount: money(100) }, ['customer_id']],
    ['empty customer_id', { customer_id: '', type: 'AMOUNT', amount: money(100) }, ['customer_id']],
    ['missing type and grant', { customer_id: FABRIKAM }, ['type']],
    ['missing type, both grants', { customer_id: FABRIKAM, amount: money(100), units: 5 }, ['type']],
    ['unknown type', amountBody(FABRIKAM, 100, { type: 'CASH' }), ['type']],
    ['unknown state', amountBody(FABRIKAM, 100, { state: 'FROZEN' }), ['state']],
    [
      'state EXPIRED with a future expiration_date',
      amountBody(FABRIKAM, 100, { state: 'EXPIRED', expiration_date: '2027-01-01T00:00:00Z' }),
      ['expiration_date'],
    ],
    [
      'state REVOKED applied to invoices',
      amountBody(FABRIKAM, 100, { state: 'REVOKED', apply_to_open_invoices: { enable: true } }),
      ['apply_to_open_invoices.enable'],
    ],
    ['AMOUNT without amount', { customer_id: FABRIKAM, type: 'AMOUNT' }, ['amount']],
    ['AMOUNT with units', amountBody(FABRIKAM, 100, { units: 5 }), ['units']],
    ['AMOUNT with item_id', amountBody(FABRIKAM, 100, { item_id: API_CALLS }), ['item_id']],
    ['UNITS without units', { customer_id: FABRIKAM, type: 'UNITS', item_id: API_CALLS }, ['units']],
    ['UNITS without item_id', { customer_id: FABRIKAM, type: 'UNITS', units: 5 }, ['item_id']],
    ['UNITS with amount', unitsBody(FABRIKAM, 5, API_CALLS, { amount: money(100) }), ['amount']],
    ['UNITS of 0', unitsBody(FABRIKAM, 0), ['units']],
    ['units a string', unitsBody(FABRIKAM, 0, API_CALLS, { units: '2.5' }), ['units']],
    ['negative units', unitsBody(FABRIKAM, -3), ['units']],
    ['value_in_cents 10.5', amountBody(FABRIKAM, 10.5), ['amount.value_in_cents']],
    [
      'value_in_cents "10"',
      amountBody(FABRIKAM, 0, { amount: { currency: 'USD', value_in_cents: '10' } }),
      ['amount.value_in_cents'],
    ],
    ['value_in_cents -1', amountBody(FABRIKAM, -1), ['amount.value_in_cents']],
    ['value_in_cents 0', amountBody(FABRIKAM, 0), ['amount.value_in_cents']],
    ['value_in_cents 2^53', amountBody(FABRIKAM, 9007199254740992), ['amount.value_in_cents']],
    ['value_in_cents missing', amountBody(FABRIKAM, 0, { amount: { currency: 'USD' } }), ['amount.value_in_cents']],
    ['currency "usd"', amountBody(FABRIKAM, 100, { amount: money(100, 'usd') }), ['amount.currency']],
    ['currency "XYZ"', amountBody(FABRIKAM, 100, { amount: money(100, 'XYZ') }), ['amount.currency']],
    ['currency missing', amountBody(FABRIKAM, 100, { amount: { value_in_cents: 100 } }), ['amount.currency']],
    ['amount not an object', amountBody(FABRIKAM, 100, { amount: 100 }), ['amount']],
    [
      'expiration_date without a time',
      amountBody(FABRIKAM, 100, { expiration_date: '2027-01-01' }),
      ['expiration_date'],
    ],
    [
      'expiration_date on 2027-02-30',
      amountBody(FABRIKAM, 100, { expiration_date: '2027-02-30T00:00:00Z' }),
      ['expiration_date'],
    ],
    [
      'expiration_date without an offset',
      amountBody(FABRIKAM, 100, { expiration_date: '2027-01-01T00:00:00' }),
      ['expiration_date'],
    ],
    ['expiration_date not a date', amountBody(FABRIKAM, 100, { expiration_date: 'next week' }), ['expiration_date']],
    [
      'expiration_date in the past',
      amountBody(FABRIKAM, 100, { expiration_date: '2026-11-15T09:59:59Z' }),
      ['expiration_date'],
    ],
    ['expiration_date exactly now', amountBody(FABRIKAM, 100, { expiration_date: NOW }), ['expiration_date']],
    ['an unknown field', amountBody(FABRIKAM, 100, { colour: 'blue' }), ['colour']],
    [
      'an unknown field in amount',
      amountBody(FABRIKAM, 100, { amount: { currency: 'USD', value_in_cents: 100, precision: 2 } }),
      ['amount.precision'],
    ],
    ['name not a string', amountBody(FABRIKAM, 100, { name: 42 }), ['name']],
    [
      'apply_to_open_invoices without enable',
      amountBody(FABRIKAM, 100, { apply_to_open_invoices: { invoice_uuids: [] } }),
      ['apply_to_open_invoices.enable'],
    ],
    [
      'two bad fields at once',
      { customer_id: FABRIKAM, type: 'AMOUNT', amount: money(-5, 'usd') },
      ['amount.currency', 'amount.value_in_cents'],
    ],
  ];

  it.each(cases)('%s', async (_name, body, fields) => {
    expectInvalid(await post(body), ...fields);
  });

  it.each([
    ['10.0', '{"customer_id":"%C","type":"AMOUNT","amount":{"currency":"USD","value_in_cents":10.0}}'],
    ['1e3', '{"customer_id":"%C","type":"AMOUNT","amount":{"currency":"USD","value_in_cents":1e3}}'],
    [
      '1000.000000000000001',
      '{"customer_id":"%C","type":"AMOUNT","amount":{"currency":"USD","value_in_cents":1000.000000000000001}}',
    ],
    [
      '99999999999999999999',
      '{"customer_id":"%C","type":"AMOUNT","amount":{"currency":"USD","value_in_cents":99999999999999999999}}',
    ],
  ])('value_in_cents written %s → 400, never truncated', async (_written, raw) => {
    expectInvalid(await postRaw(server(), creditsPath(), raw.replace('%C', FABRIKAM)), 'amount.value_in_cents');
  });

  it('units written 5.0 or 5e0 are the number 5', async () => {
    for (const units of ['5.0', '5e0']) {
      const raw = `{"customer_id":"${FABRIKAM}","type":"UNITS","item_id":"${API_CALLS}","units":${units}}`;
      expect((await postRaw(server(), creditsPath(), raw)).text).toContain('"units":5}');
    }
  });

  it('units with 31 decimal places or written 1e-400 → 400 on units', async () => {
    for (const units of ['0.0000000000000000000000000000001', '1e-400']) {
      expectInvalid(
        await postRaw(
          server(),
          creditsPath(),
          `{"customer_id":"${FABRIKAM}","type":"UNITS","item_id":"${API_CALLS}","units":${units}}`,
        ),
        'units',
      );
    }
  });

  it("the seed's own example body: every field error its type allows in one answer", async () => {
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
      units: 123,
    };
    expectInvalid(await post(seed), 'type', 'expiration_date', 'amount.currency');
    expectInvalid(await post({ ...seed, type: 'AMOUNT' }), 'expiration_date', 'amount.currency', 'units', 'item_id');
  });

  it('nothing refused was stored: no credit, no log entry, no balance', async () => {
    for (const [, body] of cases) await post(body);
    await postRaw(
      server(),
      creditsPath(),
      `{"customer_id":"${FABRIKAM}","type":"AMOUNT","amount":{"currency":"USD","value_in_cents":10.0}}`,
    );
    expect(await findCredits(server(), { customer_id: FABRIKAM })).toEqual([]);
    expect(await findLogs(server(), { customer_id: FABRIKAM })).toEqual([]);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({}));
  });

  it('a body that is not an object → 400 validation_error', async () => {
    expectError(await postRaw(server(), creditsPath(), '[1, 2]'), 400, 'validation_error');
  });
});

describe('POST /credits: references (404 request_error)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['customer', amountBody('cus_0000000000000000000000000000', 100), 'cus_0000000000000000000000000000'],
    ['customer identifier', amountBody('no-such-identifier', 100), 'no-such-identifier'],
    ['item', unitsBody(FABRIKAM, 5, 'item_0000000000000000000000000000'), 'item_0000000000000000000000000000'],
    [
      'subscription',
      amountBody(NORTHWIND, 100, { subscription_id: 'subs_0000000000000000000000000000' }),
      'subs_0000000000000000000000000000',
    ],
    [
      'invoice',
      amountBody(CONTOSO, 100, {
        apply_to_open_invoices: { enable: true, invoice_uuids: ['inv_0000000000000000000000000000'] },
      }),
      'inv_0000000000000000000000000000',
    ],
    [
      'customer of another company',
      amountBody('cus_0EKTUHDLAOZkNwOYMvgKSPSCP6z', 100),
      'cus_0EKTUHDLAOZkNwOYMvgKSPSCP6z',
    ],
  ])('unknown %s → 404 naming it, nothing created', async (_what, body, ref) => {
    const res = await post(body);
    expectError(res, 404, 'request_error', 'not_found');
    expect(res.json.error_message).toContain(ref);
    expect(await findCredits(server(), {})).toHaveLength(4);
  });

  it('a subscription of another customer → 400 validation_error on subscription_id', async () => {
    expectInvalid(await post(amountBody(NORTHWIND, 100, { subscription_id: CONTOSO_SUB })), 'subscription_id');
  });
});

describe('POST /credits: 64-bit safe sums', () => {
  it('a pool balance of exactly 2^53 − 1 is accepted; one cent more → 400, nothing stored', async () => {
    await issue(server(), amountBody(FABRIKAM, MAX_SAFE - 1));
    await issue(server(), amountBody(FABRIKAM, 1));
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 9007199254740991 }));
    expectInvalid(await post(amountBody(FABRIKAM, 1)), 'amount.value_in_cents');
    expect(await findCredits(server(), { customer_id: FABRIKAM })).toHaveLength(2);
  });

  it('the limit is per pool: another currency still has room', async () => {
    await issue(server(), amountBody(FABRIKAM, MAX_SAFE));
    await issue(server(), amountBody(FABRIKAM, MAX_SAFE, { amount: money(MAX_SAFE, 'EUR') }));
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ EUR: 9007199254740991, USD: 9007199254740991 }));
  });

  it('units beyond 2^53 − 1 in one pool → 400 on units', async () => {
    await issue(server(), unitsBody(FABRIKAM, MAX_SAFE));
    expectInvalid(await post(unitsBody(FABRIKAM, 1)), 'units');
  });

  it('three credits of 2^31 → balance 6442450944, exact', async () => {
    for (let i = 0; i < 3; i++) await issue(server(), amountBody(FABRIKAM, 2147483648));
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 6442450944 }));
    await issue(server(), amountBody(FABRIKAM, 4294967297));
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 10737418241 }));
  });
});
