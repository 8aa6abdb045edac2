/**
 * /__admin/requests over HTTP: what the mocked APIs answered, listed newest
 * first with credentials redacted, counted by filter, emptied by DELETE and
 * by reset; and a server whose journal is off.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RequestJournal } from '../journal.js';
import { checked, documentedOperations, expectSpecResponse } from '../../test-support/admin-spec.js';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

const ACME = 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50';
const NORTHWIND = 'cus_0EIsHbZ86Y3mOPyoXbNytHiKYd5';
const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const CONSUME = `/api/v1/companies/${ACME}/credits/consume`;
const LIST = '/api/customer-credits/';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await server.call('POST', '/__admin/reset', { token: null })).status).toBe(200);
  server.violations.length = 0;
});

/** An admin call checked against specs/admin.yaml. */
async function admin(method: string, path: string, body?: unknown): Promise<TestResponse> {
  const res = await server.call(method, `/__admin${path}`, { token: null, body });
  await expectSpecResponse(method, `/__admin${path.split('?')[0]}`, res);
  return res;
}
const list = async (query = '') => (await admin('GET', `/requests${query}`)).json.requests as any[];
const countOf = async (filter: unknown) => (await admin('POST', '/requests/count', filter)).json.count as number;

const consume = (key: string) =>
  server.maple('POST', CONSUME, {
    headers: { 'Idempotency-Key': key },
    body: { customer_id: NORTHWIND, type: 'AMOUNT', amount: { currency: 'USD', value_in_cents: 100 } },
  });

/** Three requests: a Waldur list, a Waldur create refused with 400, a Maple consume. */
async function threeRequests(): Promise<TestResponse[]> {
  return [
    await server.call('GET', `${LIST}?page_size=2`),
    await server.call('POST', LIST, { body: { customer: `http://localhost/api/customers/${ALPHA}/`, value: 'lots' } }),
    await consume('k1'),
  ];
}

describe('GET /__admin/requests', () => {
  it('lists three requests newest first, with operationIds, statuses, bodies and Authorization redacted', async () => {
    const [listed, refused, consumed] = await threeRequests();
    expect([listed!.status, refused!.status, consumed!.status]).toEqual([200, 400, 200]);
    const entries = await list();
    expect(entries.map((e) => [e.dialect, e.operation, e.request.method, e.response.status])).toEqual([
      ['maple', 'consumeCredits', 'POST', 200],
      ['waldur', 'customer_credits_create', 'POST', 400],
      ['waldur', 'customer_credits_list', 'GET', 200],
    ]);
    expect(entries[0].id).toBeGreaterThan(entries[1].id);
    expect(entries[0].request.headers.authorization).toBe('Bearer [REDACTED]');
    expect(entries[1].request.headers.authorization).toBe('Token [REDACTED]');
    expect(JSON.stringify(entries)).not.toMatch(/staff-token|maple-token/);
    expect(entries[0].request.headers['idempotency-key']).toBe('k1');
    expect(JSON.parse(entries[1].request.body)).toEqual({
      customer: `http://localhost/api/customers/${ALPHA}/`,
      value: 'lots',
    });
    expect(entries[1].response.body).toBe(refused!.text);
    expect(entries[2].request).toMatchObject({
      path: LIST,
      query: { page_size: '2' },
      body: null,
      body_truncated: false,
    });
    expect(entries[2].response.headers['X-Result-Count']).toBe(listed!.headers.get('x-result-count'));
    for (const e of entries) {
      expect(e.duration_ms).toBeGreaterThanOrEqual(0);
      expect(Math.abs(Date.parse(e.time) - Date.now())).toBeLessThan(60_000);
    }
  });

  it('filters by method, path, operation, dialect, status, since, header and limit', async () => {
    const before = new Date().toISOString();
    await threeRequests();
    await consume('k2');
    expect((await list('?method=post')).length).toBe(3);
    expect((await list('?path=/api/v1/')).length).toBe(2);
    expect((await list('?operation=customer_credits_list')).length).toBe(1);
    expect((await list('?dialect=waldur')).length).toBe(2);
    expect((await list('?status=400')).map((e) => e.operation)).toEqual(['customer_credits_create']);
    expect((await list('?status=2xx')).length).toBe(3);
    expect((await list(`?since=${encodeURIComponent(before)}`)).length).toBe(4);
    expect(await list(`?since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).toEqual([]);
    expect((await list('?header=idempotency-key:k2')).map((e) => e.request.headers['idempotency-key'])).toEqual(['k2']);
    expect((await list('?limit=1'))[0].request.headers['idempotency-key']).toBe('k2');
  });

  it("records 404s and 405s under the APIs' prefixes with no operation, and HEAD with no body", async () => {
    expect((await server.call('GET', '/api/customer-credits/nothing/here/')).status).toBe(404);
    expect((await server.maple('GET', '/api/v1/nowhere')).status).toBe(404);
    expect((await server.call('PUT', LIST, { body: {} })).status).toBe(405);
    expect((await server.call('HEAD', LIST)).status).toBe(200);
    const entries = await list();
    expect(entries.map((e) => [e.dialect, e.request.method, e.response.status, e.operation])).toEqual([
      ['waldur', 'HEAD', 200, 'customer_credits_count'],
      ['waldur', 'PUT', 405, null],
      ['maple', 'GET', 404, null],
      ['waldur', 'GET', 404, null],
    ]);
    expect(entries[0].response.body).toBe('');
  });

  it('hides ?x-auth-token= and cookies', async () => {
    const res = await server.call('GET', `${LIST}?x-auth-token=staff-token`, {
      token: null,
      headers: { Cookie: 'sessionid=s3cret' },
    });
    expect(res.status).toBe(200);
    const [entry] = await list();
    expect(entry.request.query).toEqual({ 'x-auth-token': '[REDACTED]' });
    expect(entry.request.headers.cookie).toBe('sessionid=[REDACTED]');
    expect(JSON.stringify(entry)).not.toMatch(/staff-token|s3cret/);
  });

  it('cuts a request body over 64 KiB and says so', async () => {
    const big = JSON.stringify({ value: '1', filler: 'x'.repeat(100_000) });
    await server.call('POST', LIST, { raw: big, headers: { 'Content-Type': 'application/json' } });
    const [entry] = await list();
    expect(entry.request.body_truncated).toBe(true);
    expect(entry.request.body).toBe(big.slice(0, 64 * 1024));
  });

  it('does not record admin calls, nor paths outside the mocked APIs', async () => {
    await server.call('GET', '/__admin/clock', { token: null });
    await server.call('GET', '/elsewhere');
    await list();
    expect(await list()).toEqual([]);
  });

  it.each([
    ['?status=abc', /status:/],
    ['?limit=0', /limit:/],
    ['?since=yesterday', /since:/],
    ['?operation=nope', /operation:/],
    ['?bogus=1', /^bogus: unknown parameter \(use method, path/],
    ['?header=nocolon', /header:/],
  ])('%s → 400 naming the filter', async (query, problem) => {
    const res = await admin('GET', `/requests${query}`);
    expect(res.status).toBe(400);
    expect(
      res.json.problems.some((p: string) => problem.test(p)),
      JSON.stringify(res.json),
    ).toBe(true);
  });
});

describe('POST /__admin/requests/count', () => {
  it('counts by operation and by header', async () => {
    await threeRequests();
    await consume('k1'); // the replay of the same key is a second request
    expect(await countOf({ operation: 'consumeCredits' })).toBe(2);
    expect(await countOf({ operation: 'consumeCredits', headers: { 'Idempotency-Key': 'k1' } })).toBe(2);
    expect(await countOf({ operation: 'consumeCredits', headers: { 'idempotency-key': 'k9' } })).toBe(0);
    expect(await countOf({ status: 400, dialect: 'waldur' })).toBe(1);
    expect(await countOf({})).toBe(4);
    expect(await countOf(undefined)).toBe(4);
  });

  it.each([
    [{ limit: 1 }, /^limit: unknown member \(use method, path/],
    [{ headers: 'x' }, /headers: must be an object/],
    [{ status: 'often' }, /status:/],
    [[1], /must be an object/],
  ])('%j → 400', async (body, problem) => {
    const res = await admin('POST', '/requests/count', body);
    expect(res.status).toBe(400);
    expect(
      res.json.problems.some((p: string) => problem.test(p)),
      JSON.stringify(res.json),
    ).toBe(true);
  });
});

describe('emptying the journal', () => {
  it('DELETE /__admin/requests → 204, and nothing is left', async () => {
    await threeRequests();
    const res = await admin('DELETE', '/requests');
    expect(res.status).toBe(204);
    expect(await list()).toEqual([]);
    await consume('k3');
    expect(await countOf({})).toBe(1);
  });

  it('POST /__admin/reset empties it', async () => {
    await threeRequests();
    await server.call('POST', '/__admin/reset', { token: null });
    expect(await list()).toEqual([]);
  });
});

describe('a journal of size 0 (--journal-size 0)', () => {
  it('records nothing: the list is empty and every count 0', async () => {
    const off = await startTestServer({ journal: new RequestJournal(0) });
    try {
      expect((await off.call('GET', LIST)).status).toBe(200);
      const listed = await off.call('GET', '/__admin/requests', { token: null });
      expect(listed.json).toEqual({ requests: [] });
      const counted = await off.call('POST', '/__admin/requests/count', { token: null, body: {} });
      expect(counted.json).toEqual({ count: 0 });
    } finally {
      await off.close();
    }
  });
});

describe('a journal smaller than the traffic', () => {
  it('keeps only the newest entries', async () => {
    const small = await startTestServer({ journal: new RequestJournal(2) });
    try {
      for (const size of [1, 2, 3]) await small.call('GET', `${LIST}?page_size=${size}`);
      const listed = await small.call('GET', '/__admin/requests', { token: null });
      expect(listed.json.requests.map((e: any) => e.request.query.page_size)).toEqual(['3', '2']);
    } finally {
      await small.close();
    }
  });
});

// Runs last: every /__admin/requests operation was checked against a real response above.
it('has had every journal operation checked against a real response', async () => {
  const documented = await documentedOperations((p) => p.startsWith('/__admin/requests'));
  expect(documented).toHaveLength(3);
  expect(documented.filter((op) => !checked.has(op))).toEqual([]);
  expect(server.violations).toEqual([]);
});
