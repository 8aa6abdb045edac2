/**
 * The Maple half of the control API: /__admin/maple/ (companies and their
 * customers, items, subscriptions and invoices; the two switches; faults) and
 * the Maple part of /__admin/state and /__admin/reset.
 */
import { describe, expect, it } from 'vitest';
import {
  ACME,
  admin,
  amountBody,
  amounts,
  balanceOf,
  balancePath,
  consumeAmount,
  consumePath,
  CONTOSO,
  creditPath,
  creditsPath,
  FABRIKAM,
  findCredits,
  FIXTURE_CREDITS,
  GLOBEX,
  issue,
  NORTHWIND,
  NOW,
  useMapleServer,
} from '../maple/maple-test-helpers.js';
import { checked, documentedOperations, expectSpecResponse } from '../../test-support/admin-spec.js';
import { shippedMapleFixtures, type TestResponse } from '../../test-support/mock-server.js';

const server = useMapleServer();

/** The spec's path for a path called: `/maple/companies/<id>/…` → `/__admin/maple/companies/{company_id}/…`, no query. */
const specPathOf = (p: string) =>
  `/__admin${p.split('?')[0]!.replace(/^\/maple\/companies\/[^/]+\//, '/maple/companies/{company_id}/')}`;

/** An admin call whose answer is checked against specs/admin.yaml (documented status, body that fits). */
async function adminCall(method: string, p: string, body?: unknown): Promise<TestResponse> {
  const res = await admin(server(), method, p, body);
  await expectSpecResponse(method, specPathOf(p), res);
  return res;
}

const expectProblems = (res: { status: number; json: any }, status: number, ...patterns: RegExp[]) => {
  expect(res.status).toBe(status);
  expect(Array.isArray(res.json.problems)).toBe(true);
  for (const p of patterns)
    expect(
      res.json.problems.some((line: string) => p.test(line)),
      JSON.stringify(res.json.problems),
    ).toBe(true);
};
const add = (kind: string, body: unknown, company = ACME) =>
  adminCall('POST', `/maple/companies/${company}/${kind}`, body);
const invoicesOf = async (company = ACME, customer?: string) =>
  (await adminCall('GET', `/maple/companies/${company}/invoices${customer ? `?customer_id=${customer}` : ''}`))
    .json as any[];

describe('POST /__admin/maple/companies', () => {
  it('→ 201 with a generated cmp_ id; its token works at once, only for it', async () => {
    const res = await adminCall('POST', '/maple/companies', { name: 'Initrode', tokens: ['initrode-token'] });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^cmp_[0-9A-Za-z]+$/),
      name: 'Initrode',
      tokens: ['initrode-token'],
    });
    const company = res.json.id as string;
    const customer = (await add('customers', { name: 'Penny', identifier: 'penny' }, company)).json.id;
    const created = await issue(server(), amountBody(customer, 800), company, 'initrode-token');
    expect(created.customer_id).toBe(customer);
    const balance = await server().maple('GET', balancePath('penny', company), { token: 'initrode-token' });
    expect(balance.json.total_amount).toEqual({ USD: 800 });
    expect((await server().maple('GET', creditPath(created.id, company))).status).toBe(403);
  });

  it('with an id of its own', async () => {
    const res = await adminCall('POST', '/maple/companies', { id: 'cmp_Initrode42', name: 'Initrode', tokens: [] });
    expect(res.json).toEqual({ id: 'cmp_Initrode42', name: 'Initrode', tokens: [] });
  });

  it.each([
    ['no name', { tokens: ['t-1'] }, /^name: is required$/],
    [
      'a token of another company',
      { name: 'Copycat', tokens: ['maple-token'] },
      /^companies\[2\]\.tokens\[0\]: .*already belongs to companies\[0\]/,
    ],
    ['an id already taken', { id: GLOBEX, name: 'Globex again' }, /^companies\[2\]: id .* appears twice/],
    ['an id without cmp_', { id: 'acme', name: 'Acme' }, /^id: must match \^cmp_/],
    ['an array', [{ name: 'x' }], /top level/],
  ])('%s → 400 naming the place', async (_name, body, pattern) => {
    expectProblems(await adminCall('POST', '/maple/companies', body), 400, pattern);
    expect((await adminCall('GET', '/state')).json.maple.companies).toHaveLength(2);
  });
});

describe('POST /__admin/maple/companies/{cmp}/{kind}', () => {
  it('customers → 201 as stored, cus_ id; the API sees it by identifier', async () => {
    const res = await add('customers', { name: 'Umbrella', identifier: 'umbrella', email: 'ap@umbrella.example' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^cus_[0-9A-Za-z]+$/),
      name: 'Umbrella',
      identifier: 'umbrella',
      email: 'ap@umbrella.example',
    });
    expect(await balanceOf(server(), 'umbrella')).toEqual(amounts({}));
  });

  it('items → 201 as stored, item_ id, the company filled in; usable for UNITS credits', async () => {
    const res = await add('items', { name: 'GPU hours', type: 'metered', display_type: 'hours' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^item_[0-9A-Za-z]+$/),
      company_id: ACME,
      name: 'GPU hours',
      display_type: 'hours',
    });
    const credit = await issue(server(), { customer_id: FABRIKAM, type: 'UNITS', units: 12, item_id: res.json.id });
    expect(credit.item).toMatchObject({ id: res.json.id, name: 'GPU hours', company_id: ACME });
  });

  it('subscriptions → 201 as stored, subs_ id, created_at the mock clock; usable on a credit', async () => {
    const res = await add('subscriptions', { customer_id: FABRIKAM });
    expect(res.json).toEqual({
      id: expect.stringMatching(/^subs_[0-9A-Za-z]+$/),
      customer_id: FABRIKAM,
      created_at: NOW,
    });
    expect((await issue(server(), amountBody(FABRIKAM, 100, { subscription_id: res.json.id }))).subscription_id).toBe(
      res.json.id,
    );
  });

  it('invoices → 201 as stored, inv_ id, PENDING, due = total, created_at the mock clock', async () => {
    const res = await add('invoices', { customer_id: FABRIKAM, currency: 'USD', total_in_cents: 4500 });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^inv_[0-9A-Za-z]+$/),
      customer_id: FABRIKAM,
      currency: 'USD',
      state: 'PENDING',
      total_in_cents: 4500,
      due_in_cents: 4500,
      created_at: NOW,
    });
    expect(await invoicesOf(ACME, FABRIKAM)).toEqual([res.json]);
  });

  it.each([
    [
      'invoices',
      { customer_id: 'cus_Nobody', currency: 'XYZ', total_in_cents: 10 },
      [
        /^companies\[0\]\.invoices\[6\]: customer cus_Nobody does not exist/,
        /^companies\[0\]\.invoices\[6\]\.currency: XYZ/,
      ],
    ],
    [
      'invoices',
      { customer_id: FABRIKAM, currency: 'USD', total_in_cents: 100, due_in_cents: 200 },
      [/^companies\[0\]\.invoices\[6\]: due_in_cents 200/],
    ],
    [
      'invoices',
      { customer_id: FABRIKAM, currency: 'USD', total_in_cents: 10.5 },
      [/^total_in_cents: must be a whole number$/],
    ],
    [
      'invoices',
      { customer_id: FABRIKAM, currency: 'USD', total_in_cents: 100, state: 'OPEN' },
      [/^state: must be one of PENDING, OVERDUE/],
    ],
    [
      'subscriptions',
      { customer_id: 'cus_Nobody' },
      [/^companies\[0\]\.subscriptions\[2\]: customer cus_Nobody does not exist/],
    ],
    [
      'customers',
      { name: 'Twin', identifier: 'northwind' },
      [/^companies\[0\]\.customers\[3\]: identifier northwind appears twice/],
    ],
    ['customers', { id: 'customer-1', name: 'Bad id' }, [/^id: must match \^cus_/]],
    [
      'customers',
      { colour: 'blue' },
      [/^name: is required$/, /^colour: unknown member \(use id, identifier, name, email or created_at\)$/],
    ],
    ['items', { name: 'Foreign', company_id: GLOBEX }, [/^company_id: unknown member/]],
  ])('bad %s → 400 naming the place, nothing stored', async (kind, body, patterns) => {
    const before = (await adminCall('GET', '/state')).json.maple;
    expectProblems(await add(kind, body), 400, ...patterns);
    expect((await adminCall('GET', '/state')).json.maple).toEqual(before);
  });

  it.each(['customers', 'items', 'subscriptions', 'invoices'])('%s of an unknown company → 404', async (kind) => {
    expectProblems(await add(kind, { name: 'x' }, 'cmp_Nowhere'), 404, /cmp_Nowhere/);
  });

  it("GET invoices: all of the company, or one customer's; unknown company → 404", async () => {
    expect((await invoicesOf()).map((i) => i.id)).toHaveLength(6);
    const contoso = await invoicesOf(ACME, CONTOSO);
    expect(contoso.map((i) => [i.state, i.currency, i.total_in_cents, i.due_in_cents])).toEqual([
      ['PAID', 'USD', 9900, 0],
      ['OVERDUE', 'USD', 4500, 4500],
      ['PENDING', 'USD', 12000, 12000],
      ['PENDING', 'EUR', 7000, 7000],
      ['DRAFT', 'USD', 3000, 3000],
    ]);
    expect(await invoicesOf(GLOBEX)).toEqual([]);
    expect((await adminCall('GET', '/maple/companies/cmp_Nowhere/invoices')).status).toBe(404);
  });
});

describe('/__admin/maple/settings', () => {
  it('GET the defaults; POST changes only what it names', async () => {
    expect((await adminCall('GET', '/maple/settings')).json).toEqual({
      allow_partial_consume: false,
      same_key_different_request: 'conflict',
    });
    const res = await adminCall('POST', '/maple/settings', { same_key_different_request: 'replay' });
    expect(res.json).toEqual({ allow_partial_consume: false, same_key_different_request: 'replay' });
    expect((await adminCall('POST', '/maple/settings', { allow_partial_consume: true })).json).toEqual({
      allow_partial_consume: true,
      same_key_different_request: 'replay',
    });
  });

  it.each([
    [{ allow_partial_consume: 'yes' }, /^allow_partial_consume: must be a boolean/],
    [{ same_key_different_request: 'ignore' }, /^same_key_different_request: must be/],
    [{ overdraft: true }, /^overdraft: unknown member/],
    [[true], /top level/],
  ])('%j → 400, nothing changed', async (body, pattern) => {
    expectProblems(await adminCall('POST', '/maple/settings', body), 400, pattern);
    expect((await adminCall('GET', '/maple/settings')).json).toEqual({
      allow_partial_consume: false,
      same_key_different_request: 'conflict',
    });
  });
});

describe('/__admin/maple/faults', () => {
  it.each([
    [{ status: 503 }, /^status: must be 429 or 500/],
    [{ status: 500, count: 0 }, /^count:/],
    [{ status: 500, count: 1.5 }, /^count:/],
    [{ delay_ms: -1 }, /^delay_ms:/],
    [{ delay_ms: 60_001 }, /^delay_ms:/],
    [{ status: 429, operation: 'deleteEverything' }, /^operation: must be one of/],
    [{ status: 429, colour: 'red' }, /^colour: unknown member/],
    [{}, /^\(top level\): give status, delay_ms or both$/],
  ])('%j → 400', async (body, pattern) => {
    expectProblems(await adminCall('POST', '/maple/faults', body), 400, pattern);
    expect((await adminCall('GET', '/maple/faults')).json).toEqual({ faults: [] });
  });

  it('count: listed with what remains, used up one request at a time', async () => {
    const res = await adminCall('POST', '/maple/faults', { status: 500, count: 2 });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ faults: [{ status: 500, delay_ms: 0, operation: null, remaining: 2 }] });
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).status).toBe(500);
    expect((await adminCall('GET', '/maple/faults')).json.faults).toEqual([
      { status: 500, delay_ms: 0, operation: null, remaining: 1 },
    ]);
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).status).toBe(500);
    expect((await adminCall('GET', '/maple/faults')).json.faults).toEqual([]);
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).status).toBe(200);
  });

  it('operation: other operations run; the fault waits for its own', async () => {
    await adminCall('POST', '/maple/faults', { status: 429, operation: 'checkBalance' });
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).status).toBe(200);
    expect((await adminCall('GET', '/maple/faults')).json.faults).toHaveLength(1);
    expect((await server().maple('GET', balancePath(NORTHWIND))).status).toBe(429);
  });

  it('DELETE clears every fault', async () => {
    await adminCall('POST', '/maple/faults', { status: 500, count: 5 });
    await adminCall('POST', '/maple/faults', { status: 429, operation: 'findCredits' });
    expect((await adminCall('DELETE', '/maple/faults')).json).toEqual({ faults: [] });
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).status).toBe(200);
  });
});

describe('/__admin/state and /__admin/reset', () => {
  it('GET /__admin/state has maple in the fixtures format', async () => {
    const maple = (await adminCall('GET', '/state')).json.maple;
    expect(maple.companies.map((c: any) => [c.id, c.name, c.tokens])).toEqual([
      [ACME, 'Acme Analytics', ['maple-token']],
      [GLOBEX, 'Globex Corporation', ['maple-globex-token']],
    ]);
    const acme = maple.companies[0];
    expect(Object.keys(acme).sort()).toEqual([
      'credits',
      'customers',
      'id',
      'invoices',
      'items',
      'logs',
      'name',
      'subscriptions',
      'tokens',
    ]);
    expect(acme.credits.find((c: any) => c.id === FIXTURE_CREDITS.welcome)).toMatchObject({
      state: 'ACTIVE',
      amount: { currency: 'USD', value_in_cents: 50000 },
      issued_amount: { currency: 'USD', value_in_cents: 50000 },
      created_at: '2026-06-01T00:00:00.000Z',
    });
    expect(acme.logs.map((l: any) => l.action_type)).toEqual(['ISSUED', 'ISSUED', 'ISSUED', 'ISSUED']);
  });

  it('PUT /__admin/state {maple} round-trips, consumption and log included', async () => {
    const c = await issue(server(), amountBody(FABRIKAM, 1000));
    await server().maple('POST', consumePath(), { body: consumeAmount(FABRIKAM, 250) });
    await server().maple('DELETE', creditPath(FIXTURE_CREDITS.goodwill));
    const saved = (await adminCall('GET', '/state')).json.maple;
    expect((await adminCall('POST', '/reset')).status).toBe(200);
    const put = await adminCall('PUT', '/state', { maple: saved });
    expect(put.status).toBe(200);
    expect((await adminCall('GET', '/state')).json.maple).toEqual(saved);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 750 }));
    expect((await server().maple('GET', creditPath(c.id))).json).toMatchObject({
      amount: { currency: 'USD', value_in_cents: 750 },
      issued_amount: { currency: 'USD', value_in_cents: 1000 },
    });
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.goodwill))).json.state).toBe('REVOKED');
  });

  it('PUT /__admin/state with the shipped fixtures file is accepted; a broken one → 400, nothing changed', async () => {
    expect((await adminCall('PUT', '/state', { maple: shippedMapleFixtures() })).status).toBe(200);
    const before = (await adminCall('GET', '/state')).json.maple;
    const broken = {
      companies: [
        {
          id: ACME,
          name: 'Acme',
          credits: [
            { id: 'crd_x', customer_id: 'cus_Nobody', type: 'AMOUNT', amount: { currency: 'USD', value_in_cents: 5 } },
          ],
        },
      ],
    };
    expectProblems(
      await adminCall('PUT', '/state', { maple: broken }),
      400,
      /^companies\[0\]\.credits\[0\]: customer cus_Nobody does not exist/,
    );
    expect((await adminCall('GET', '/state')).json.maple).toEqual(before);
  });

  it('POST /__admin/reset restores the Maple fixtures: credits, customers and companies made since are gone', async () => {
    const c = await issue(server(), amountBody(FABRIKAM, 1000));
    await server().maple('DELETE', creditPath(FIXTURE_CREDITS.welcome));
    await add('customers', { name: 'Temp', identifier: 'temp' });
    await adminCall('POST', '/maple/companies', { name: 'Temp Co', tokens: ['temp-token'] });
    const res = await adminCall('POST', '/reset');
    expect(res.json.maple).toEqual({
      companies: 2,
      customers: 4,
      items: 3,
      subscriptions: 2,
      invoices: 6,
      credits: 5,
      logs: 5,
    });
    expect((await server().maple('GET', creditPath(c.id))).status).toBe(404);
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).json.state).toBe('ACTIVE');
    expect((await server().maple('GET', balancePath('temp'))).status).toBe(404);
    expect(
      (await server().maple('POST', creditsPath(), { body: amountBody(FABRIKAM, 1), token: 'temp-token' })).status,
    ).toBe(401);
    expect((await findCredits(server(), {})).length).toBe(4);
  });
});

describe('specs/admin.yaml: the Maple operations', () => {
  // Runs last: every /__admin/maple/ operation was checked against a real response above.
  it('has had every /__admin/maple/ operation checked against a real response', async () => {
    const documented = await documentedOperations((p) => p.startsWith('/__admin/maple/'));
    expect(documented).toHaveLength(11);
    expect(documented.filter((op) => !checked.has(op))).toEqual([]);
  });
});
