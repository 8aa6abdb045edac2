import { afterEach, describe, expect, it } from 'vitest';
import { shippedFixtures, startTestServer, type TestServer } from '../../test-support/mock-server.js';

const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
const GENOME = '7dabe929c4a344bf86cd75e9bb049a79';
const GENOME_CREDIT = '93550840067f4cfc8e1fd3d9849acfb5';
const CLIMATE = '70eb9a0a96264ae685e818fac0433cbd';
const LEDGER = '/api/credit-transactions/';
const ROW = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

let server: TestServer | undefined;
afterEach(async () => {
  if (server) expect(server.violations).toEqual([]);
  await server?.close();
  server = undefined;
});

/** 8.1 on the shipped credits (no invoices): Alpha's credit 1000 → 1100, Genome's 300 → 250, a new credit of 20 for Climate by the owner. */
async function withWrites(fixtures?: unknown): Promise<TestServer> {
  server = await startTestServer({ waldurVersion: '8.1', fixtures });
  expect(
    (await server.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '1100' } })).status,
  ).toBe(200);
  expect(
    (await server.call('PATCH', `/api/project-credits/${GENOME_CREDIT}/`, { body: { value: '250' } })).status,
  ).toBe(200);
  const climate = await server.call('POST', '/api/project-credits/', {
    token: 'owner-token',
    body: { project: `${server.url}/api/projects/${CLIMATE}/`, value: '20' },
  });
  expect(climate.status).toBe(201);
  return server;
}

const summary = (rows: { transaction_type: string; amount: string; project_name: string }[]) =>
  rows.map((r) => `${r.transaction_type} ${r.amount} ${r.project_name || 'org'}`);

describe('GET /api/credit-transactions/ (8.1)', () => {
  it('lists a row per write, newest first, in the serializer shape', async () => {
    const s = await withWrites();
    const res = await s.call('GET', LEDGER);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-result-count')).toBe('3');
    expect(summary(res.json)).toEqual([
      'staff_grant 20.00000 Climate Model',
      'staff_grant -50.00000 Genome Pipeline',
      'staff_grant 100.00000 org',
    ]);
    const org = res.json[2];
    expect(Object.keys(org)).toEqual([
      'uuid',
      'created',
      'amount',
      'transaction_type',
      'transaction_type_display',
      'comment',
      'customer_uuid',
      'customer_name',
      'project_uuid',
      'project_name',
      'billing_period',
    ]);
    expect(org).toMatchObject({
      transaction_type_display: 'Staff grant',
      comment: '',
      customer_uuid: ALPHA,
      customer_name: 'Alpha Research Institute',
      project_uuid: '',
      project_name: '',
      billing_period: null,
    });
    expect(org.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(org.created).toMatch(ROW);
    expect(res.json[1]).toMatchObject({ customer_uuid: ALPHA, project_uuid: GENOME, project_name: 'Genome Pipeline' });
  });

  it('paginates with Link and X-Result-Count; HEAD answers the headers only; a bad page is 404', async () => {
    const s = await withWrites();
    const page = await s.call('GET', `${LEDGER}?page_size=2&page=2`);
    expect(page.json).toHaveLength(1);
    expect(page.headers.get('link')).toBe(
      `<${s.url}${LEDGER}?page_size=2>; rel="first", <${s.url}${LEDGER}?page_size=2>; rel="prev", <${s.url}${LEDGER}?page=2&page_size=2>; rel="last"`,
    );
    const head = await s.call('HEAD', `${LEDGER}?transaction_type=staff_grant`);
    expect([head.status, head.text, head.headers.get('x-result-count')]).toEqual([200, '', '3']);
    expect((await s.call('GET', `${LEDGER}?page=3&page_size=2`)).json).toEqual({ detail: 'Invalid page.' });
  });

  it('retrieves one row; an unknown or malformed uuid is 404', async () => {
    const s = await withWrites();
    const [first] = (await s.call('GET', LEDGER)).json;
    const one = await s.call('GET', `${LEDGER}${first.uuid}/`);
    expect([one.status, one.json]).toEqual([200, first]);
    expect((await s.call('GET', `${LEDGER}${'ab'.repeat(16)}/`)).json).toEqual({
      detail: 'No CreditTransaction matches the given query.',
    });
    expect((await s.call('GET', `${LEDGER}nope/`)).status).toBe(404);
  });

  it('filters, orders, and answers bad values with DRF field errors', async () => {
    const s = await withWrites();
    expect(summary((await s.call('GET', `${LEDGER}?credit_uuid=${ALPHA_CREDIT}`)).json)).toEqual([
      'staff_grant 100.00000 org',
    ]);
    expect((await s.call('GET', `${LEDGER}?customer_uuid=${ALPHA}`)).json).toHaveLength(3);
    expect(summary((await s.call('GET', `${LEDGER}?project_credit_uuid=${GENOME_CREDIT}`)).json)).toEqual([
      'staff_grant -50.00000 Genome Pipeline',
    ]);
    expect(summary((await s.call('GET', `${LEDGER}?project_uuid=${CLIMATE}`)).json)).toEqual([
      'staff_grant 20.00000 Climate Model',
    ]);
    expect(summary((await s.call('GET', `${LEDGER}?o=created`)).json)[0]).toBe('staff_grant 100.00000 org');
    const bad = await s.call('GET', `${LEDGER}?customer_uuid=42&billing_period=2026-13-01&o=amount`);
    expect([bad.status, bad.json]).toEqual([
      400,
      {
        customer_uuid: ['Enter a valid UUID.'],
        billing_period: ['Enter a valid date.'],
        o: ['Select a valid choice. amount is not one of the available choices.'],
      },
    ]);
  });

  it('visibility: owner sees the customer, a project manager the project, a user nothing; support everything', async () => {
    const s = await withWrites();
    expect((await s.call('GET', LEDGER, { token: 'owner-token' })).json).toHaveLength(3);
    expect((await s.call('GET', LEDGER, { token: 'support-token' })).json).toHaveLength(3);
    expect(summary((await s.call('GET', LEDGER, { token: 'manager-token' })).json)).toEqual([
      'staff_grant -50.00000 Genome Pipeline',
    ]);
    const none = await s.call('GET', LEDGER, { token: 'user-token' });
    expect([none.status, none.json, none.headers.get('x-result-count')]).toEqual([200, [], '0']);
    const [org] = (await s.call('GET', `${LEDGER}?credit_uuid=${ALPHA_CREDIT}`)).json;
    expect((await s.call('GET', `${LEDGER}${org.uuid}/`, { token: 'manager-token' })).status).toBe(404);
  });

  it('401 without or with bad credentials; 405 for writes, which change nothing', async () => {
    const s = await withWrites();
    const anonymous = await s.call('GET', LEDGER, { token: null });
    expect([anonymous.status, anonymous.headers.get('www-authenticate'), anonymous.json]).toEqual([
      401,
      'Token',
      { detail: 'Authentication credentials were not provided.' },
    ]);
    expect((await s.call('GET', LEDGER, { token: 'no-such-token' })).status).toBe(401);
    const post = await s.call('POST', LEDGER, { body: { amount: '1' } });
    expect([post.status, post.json, post.headers.get('allow')]).toEqual([
      405,
      { detail: 'Method "POST" not allowed.' },
      'GET, HEAD, OPTIONS',
    ]);
    const [first] = (await s.call('GET', LEDGER)).json;
    expect((await s.call('DELETE', `${LEDGER}${first.uuid}/`)).status).toBe(405);
    expect((await s.call('PATCH', `${LEDGER}${first.uuid}/`, { body: { amount: '1' } })).status).toBe(405);
    expect((await s.call('HEAD', LEDGER)).headers.get('x-result-count')).toBe('3');
  });

  it('a deleted project credit leaves its rows with the project and no customer: staff still see them, the owner no longer', async () => {
    const s = await withWrites();
    expect((await s.call('DELETE', `/api/project-credits/${GENOME_CREDIT}/`)).status).toBe(204);
    const rows = (await s.call('GET', `${LEDGER}?project_uuid=${GENOME}`)).json;
    expect(rows.map((r: Record<string, unknown>) => [r.project_name, r.customer_uuid, r.customer_name])).toEqual([
      ['Genome Pipeline', null, null],
    ]);
    expect((await s.call('GET', `${LEDGER}?project_uuid=${GENOME}`, { token: 'owner-token' })).json).toEqual([]);
    expect((await s.call('GET', `${LEDGER}?customer_uuid=${ALPHA}`)).json).toHaveLength(2);
  });

  it('adjust_withdrawable writes a withdrawable_adjustment row with the stripped comment; a refused one writes none', async () => {
    const s = await withWrites();
    const ok = await s.call('POST', `/api/customer-credits/${ALPHA_CREDIT}/adjust_withdrawable/`, {
      body: { amount: '40', comment: '  manual grant ' },
    });
    expect(ok.status).toBe(200);
    const refused = await s.call('POST', `/api/customer-credits/${ALPHA_CREDIT}/adjust_withdrawable/`, {
      body: { amount: '-60', comment: 'too much' },
    });
    expect(refused.status).toBe(400);
    const rows = (await s.call('GET', `${LEDGER}?transaction_type=withdrawable_adjustment`)).json;
    expect(rows).toEqual([
      expect.objectContaining({
        amount: '40.00000',
        comment: 'manual grant',
        transaction_type_display: 'Withdrawable adjustment',
        customer_uuid: ALPHA,
        billing_period: null,
      }),
    ]);
  });

  it('deleting the customer credit takes its organisation rows and its project credits; their rows stay, without a customer', async () => {
    const s = await withWrites();
    expect((await s.call('DELETE', `/api/customer-credits/${ALPHA_CREDIT}/`)).status).toBe(204);
    const rows = (await s.call('GET', LEDGER)).json;
    expect(summary(rows)).toEqual(['staff_grant 20.00000 Climate Model', 'staff_grant -50.00000 Genome Pipeline']);
    expect(rows.map((r: { customer_uuid: string | null }) => r.customer_uuid)).toEqual([null, null]);
    expect((await s.call('GET', `${LEDGER}?customer_uuid=${ALPHA}`)).json).toEqual([]);
  });

  it("a compensation run writes the invoice month's rows (the shipped November invoice)", async () => {
    server = await startTestServer({ waldurVersion: '8.1', fixtures: shippedFixtures() });
    const s = server;
    expect((await s.call('POST', `/api/customer-credits/${ALPHA_CREDIT}/apply_compensations/`)).status).toBe(200);
    const rows = (await s.call('GET', `${LEDGER}?billing_period=2026-11-01&o=created`)).json;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r: { transaction_type: string }) => r.transaction_type))).toEqual(
      new Set(['compensation']),
    );
    const credit = (await s.call('GET', `/api/customer-credits/${ALPHA_CREDIT}/`)).json;
    const orgSum = rows
      .filter((r: { project_uuid: string }) => r.project_uuid === '')
      .reduce((t: number, r: { amount: string }) => t + Number(r.amount), 0);
    expect((1000 + orgSum).toFixed(5)).toBe(credit.value);
    expect((await s.call('POST', `/api/customer-credits/${ALPHA_CREDIT}/clear_compensations/`)).status).toBe(200);
    const after = (await s.call('GET', `${LEDGER}?billing_period=2026-11-01&transaction_type=rollback`)).json;
    expect(after.length).toBeGreaterThan(0);
    expect((await s.call('GET', `/api/customer-credits/${ALPHA_CREDIT}/`)).json.value).toBe('1000.00000');
  });
});

describe('the ledger and the profile', () => {
  it('8.0.5: the paths are 404 as before, and writes keep no ledger', async () => {
    server = await startTestServer();
    const s = server;
    expect((await s.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '1100' } })).status).toBe(
      200,
    );
    for (const path of [LEDGER, `${LEDGER}${'ab'.repeat(16)}/`]) {
      const res = await s.call('GET', path);
      expect([res.status, res.json]).toEqual([404, { detail: 'Not found.' }]);
    }
    const state = (await s.call('GET', '/__admin/state', { token: null })).json;
    expect(Object.keys(state.waldur)).not.toContain('credit_transactions');
  });

  it('a session switched to 8.1 starts its ledger then; the default world is untouched; reset clears it', async () => {
    server = await startTestServer();
    const s = server;
    const session = '/__session/ledger';
    expect(
      (await s.call('PATCH', `${session}/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '1100' } })).status,
    ).toBe(200);
    expect(
      (await s.call('POST', `${session}/__admin/waldur/settings`, { token: null, body: { version: '8.1' } })).status,
    ).toBe(200);
    expect((await s.call('GET', `${session}${LEDGER}`)).json).toEqual([]);
    await s.call('PATCH', `${session}/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '1150' } });
    expect(summary((await s.call('GET', `${session}${LEDGER}`)).json)).toEqual(['staff_grant 50.00000 org']);
    expect((await s.call('GET', LEDGER)).status).toBe(404);
    const state = (await s.call('GET', `${session}/__admin/state`, { token: null })).json;
    expect(state.waldur.credit_transactions).toHaveLength(1);
    const reset = await s.call('POST', `${session}/__admin/reset`, { token: null });
    expect(reset.json.counts).not.toHaveProperty('credit_transactions');
    expect((await s.call('GET', `${session}${LEDGER}`)).json).toEqual([]);
  });
});
