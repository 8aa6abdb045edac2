/**
 * Project credits under the 8.1 profile (docs/behaviour/waldur-8.1.md
 * §3, §9): the new figures, the retyped fields, project-role reads with the
 * organisation's figures left out, 403 on their writes, and the cascade when
 * the customer credit is deleted. Self-checked against the 8.1 spec.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shippedFixtures, startTestServer, type TestServer } from '../../test-support/mock-server.js';

const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
const GENOME = '7dabe929c4a344bf86cd75e9bb049a79';
const GENOME_CREDIT = '93550840067f4cfc8e1fd3d9849acfb5'; // 300, manager-token manages the project
const LAKE = '14aa4e719d3c4dec80a61f933d6c51e3';
const LAKE_CREDIT = 'd1711cbd2106419e840d31b5397a7623'; // 150
const EDGE_CREDIT = '85f184e0b4644554b675299b0c83e786'; // Beta's, 50
const LIST = '/api/project-credits/';
const detail = (uuid: string) => `${LIST}${uuid}/`;

const WHOLE = [
  'uuid',
  'url',
  'value',
  'project',
  'project_name',
  'project_uuid',
  'project_slug',
  'customer_name',
  'customer_slug',
  'customer_uuid',
  'customer_credit',
  'allocated_customer_credit',
  'consumption_last_month',
  'creditable_cost_this_month',
  'spendable_value',
  'is_limited_by_organization_credit',
  'offerings',
  'end_date',
  'expected_consumption',
  'minimal_consumption',
  'minimal_consumption_logic',
  'grace_coefficient',
  'apply_as_minimal_consumption',
  'mark_unused_credit_as_spent_on_project_termination',
];
const STRIPPED = WHOLE.filter((k) => !['customer_credit', 'allocated_customer_credit', 'offerings'].includes(k));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ fixtures: shippedFixtures(), waldurVersion: '8.1' });
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await server.call('POST', '/__admin/reset', { token: null })).status).toBe(200);
  await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.1' } });
  for (const user of [
    { token: 'member-token', project_roles: [{ project: LAKE, role: 'member' }] },
    { token: 'admin-token', project_roles: [{ project: LAKE, role: 'admin' }] },
    { token: 'service-manager-token', customer_roles: [{ customer: ALPHA, role: 'service_manager' }] },
  ])
    expect((await server.call('POST', '/__admin/waldur/users', { token: null, body: user })).status).toBe(201);
  server.violations.length = 0;
});

describe('the 8.1 fields', () => {
  it('staff get every field in the order of §3.1, with the new figures exact', async () => {
    const res = await server.call('GET', detail(GENOME_CREDIT));
    expect(Object.keys(res.json)).toEqual(WHOLE);
    expect(res.json).toMatchObject({
      customer_credit: '1000.00000',
      allocated_customer_credit: '450.00000',
      creditable_cost_this_month: '80.40000',
      spendable_value: '300.00000',
      is_limited_by_organization_credit: false,
    });
    expect(res.text).toContain('"consumption_last_month":156.3,');
    expect(server.violations).toEqual([]);
  });

  it('spendable_value is capped by the organisation credit, and then the credit says it is limited', async () => {
    const lowered = await server.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, {
      body: { value: '120.5', expected_consumption: '0' },
    });
    expect(lowered.status).toBe(200);
    const genome = (await server.call('GET', detail(GENOME_CREDIT))).json;
    expect([genome.value, genome.spendable_value, genome.is_limited_by_organization_credit]).toEqual([
      '300.00000',
      '120.50000',
      true,
    ]);
    const lake = (await server.call('GET', detail(LAKE_CREDIT))).json;
    expect([lake.spendable_value, lake.is_limited_by_organization_credit]).toEqual(['120.50000', true]);
  });

  it("creditable_cost_this_month is null without this month's invoice", async () => {
    expect((await server.call('GET', detail(EDGE_CREDIT))).json.creditable_cost_this_month).toBe('60.00000');
    const state = (await server.call('GET', '/__admin/state', { token: null })).json;
    state.waldur.invoices = state.waldur.invoices.filter((i: { month: number }) => i.month !== 11);
    expect((await server.call('PUT', '/__admin/state', { token: null, body: { waldur: state.waldur } })).status).toBe(
      200,
    );
    expect((await server.call('GET', detail(EDGE_CREDIT))).json.creditable_cost_this_month).toBeNull();
    expect(server.violations).toEqual([]);
  });

  it('a new month opens with nothing creditable yet', async () => {
    server.clock.set(new Date('2026-12-02T10:00:00Z'), true);
    try {
      expect((await server.call('GET', detail(GENOME_CREDIT))).json.creditable_cost_this_month).toBe('0.00000');
    } finally {
      server.clock.set(new Date('2026-11-15T10:00:00Z'), true);
    }
  });

  it('under 8.0.5 the same credit has none of them, and allocated_customer_credit is a number again', async () => {
    await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.0.5' } });
    const res = await server.call('GET', detail(GENOME_CREDIT));
    expect(res.json).not.toHaveProperty('spendable_value');
    expect(res.json).not.toHaveProperty('creditable_cost_this_month');
    expect(res.text).toContain('"allocated_customer_credit":450.0,');
    expect(server.violations).toEqual([]);
  });
});

describe('who sees what (§3.4, §9)', () => {
  it.each([
    ['manager-token', [GENOME_CREDIT]],
    ['member-token', [LAKE_CREDIT]],
    ['admin-token', [LAKE_CREDIT]],
  ])(
    "a project role (%s) lists its project's credit only, without the organisation's figures",
    async (token, uuids) => {
      const res = await server.call('GET', LIST, { token });
      expect(res.status).toBe(200);
      expect(res.json.map((c: { uuid: string }) => c.uuid)).toEqual(uuids);
      expect(Object.keys(res.json[0])).toEqual(STRIPPED);
      expect(res.headers.get('x-result-count')).toBe('1');
      const one = await server.call('GET', detail(uuids[0]!), { token });
      expect(one.status).toBe(200);
      expect(Object.keys(one.json)).toEqual(STRIPPED);
      expect(server.violations).toEqual([]);
    },
  );

  it("a project role does not see another project's credit (404), nor any customer credit", async () => {
    expect((await server.call('GET', detail(LAKE_CREDIT), { token: 'manager-token' })).status).toBe(404);
    expect((await server.call('GET', '/api/customer-credits/', { token: 'manager-token' })).json).toEqual([]);
  });

  it("a customer role that is not owner sees the customer's credits stripped too", async () => {
    const res = await server.call('GET', LIST, { token: 'service-manager-token' });
    expect(res.json.map((c: { uuid: string }) => c.uuid).sort()).toEqual([GENOME_CREDIT, LAKE_CREDIT].sort());
    expect(res.json.every((c: object) => Object.keys(c).join() === STRIPPED.join())).toBe(true);
  });

  it.each(['owner-token', 'support-token', 'staff-token'])('%s sees them whole', async (token) => {
    const res = await server.call('GET', detail(GENOME_CREDIT), { token });
    expect(Object.keys(res.json)).toEqual(WHOLE);
  });

  it("a filter narrows a member's list as anyone's; an unrelated user sees nothing", async () => {
    expect((await server.call('GET', `${LIST}?project_uuid=${LAKE}`, { token: 'manager-token' })).json).toEqual([]);
    expect((await server.call('GET', `${LIST}?project_uuid=${GENOME}`, { token: 'manager-token' })).json).toHaveLength(
      1,
    );
    expect((await server.call('GET', LIST, { token: 'user-token' })).json).toEqual([]);
  });

  it.each([
    ['PUT', { project: `/api/projects/${GENOME}/`, value: '10' }],
    ['PATCH', { value: '10' }],
    ['DELETE', undefined],
  ])("%s of their own project's credit → 403 for a member (8.0.5: 404); nothing changes", async (method, body) => {
    const res = await server.call(method, detail(GENOME_CREDIT), { token: 'manager-token', body });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ detail: 'You do not have permission to perform this action.' });
    expect((await server.call('GET', detail(GENOME_CREDIT))).json.value).toBe('300.00000');
    expect((await server.call(method, detail(LAKE_CREDIT), { token: 'manager-token', body })).status).toBe(404);
  });

  it('a member may not create one (403)', async () => {
    const climate = '70eb9a0a96264ae685e818fac0433cbd';
    const res = await server.call('POST', LIST, {
      token: 'manager-token',
      body: { project: `/api/projects/${climate}/`, value: '1' },
    });
    expect(res.status).toBe(403);
  });

  it('under 8.0.5 a project role sees nothing and gets 404', async () => {
    await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.0.5' } });
    expect((await server.call('GET', LIST, { token: 'manager-token' })).json).toEqual([]);
    expect((await server.call('GET', detail(GENOME_CREDIT), { token: 'manager-token' })).status).toBe(404);
    expect(
      (await server.call('PATCH', detail(GENOME_CREDIT), { token: 'manager-token', body: { value: '1' } })).status,
    ).toBe(404);
  });
});

describe('deleting a customer credit (§2.3)', () => {
  it("8.1 deletes every project credit of the customer; another customer's stay; a new customer credit brings none back", async () => {
    expect((await server.call('DELETE', `/api/customer-credits/${ALPHA_CREDIT}/`)).status).toBe(204);
    const left = (await server.call('GET', LIST)).json.map((c: { uuid: string }) => c.uuid);
    expect(left).toEqual([EDGE_CREDIT]);
    expect(server.store.projectCredits.get(GENOME_CREDIT)).toBeUndefined();
    const again = await server.call('POST', '/api/customer-credits/', {
      body: { customer: `/api/customers/${ALPHA}/`, value: '10' },
    });
    expect(again.status).toBe(201);
    expect((await server.call('GET', LIST)).json.map((c: { uuid: string }) => c.uuid)).toEqual([EDGE_CREDIT]);
  });

  it('8.0.5 only hides them: a new customer credit brings them back', async () => {
    await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.0.5' } });
    expect((await server.call('DELETE', `/api/customer-credits/${ALPHA_CREDIT}/`)).status).toBe(204);
    expect(server.store.projectCredits.get(GENOME_CREDIT)).toBeDefined();
  });

  it('a refused delete deletes nothing', async () => {
    expect(
      (await server.call('DELETE', `/api/customer-credits/${ALPHA_CREDIT}/`, { token: 'owner-token' })).status,
    ).toBe(403);
    expect(server.store.projectCredits.get(GENOME_CREDIT)).toBeDefined();
  });
});
