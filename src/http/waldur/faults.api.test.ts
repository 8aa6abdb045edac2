/**
 * Faults injected into the Waldur API through /__admin/waldur/faults: DRF's
 * shape, per operation, counted, delayed, applied after routing and
 * authentication and before the view (a faulted write writes nothing).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checked, documentedOperations, expectSpecResponse } from '../../test-support/admin-spec.js';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

const LIST = '/api/customer-credits/';
const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
const DELTA = '6bad6be28e7a46e99f19950499dd251d';
const PROJECT_LIST = '/api/project-credits/';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await server.call('POST', '/__admin/reset', { token: null })).status).toBe(200);
  expect((await server.call('DELETE', '/__admin/waldur/faults', { token: null })).status).toBe(200);
  server.violations.length = 0;
});

async function admin(method: string, body?: unknown): Promise<TestResponse> {
  const res = await server.call(method, '/__admin/waldur/faults', { token: null, body });
  await expectSpecResponse(method, '/__admin/waldur/faults', res);
  return res;
}
const addFault = async (fault: unknown) => expect((await admin('POST', fault)).status).toBe(201);
const create = () =>
  server.call('POST', LIST, { body: { customer: `http://localhost/api/customers/${DELTA}/`, value: '10.00' } });
const creditCount = async () => Number((await server.call('GET', LIST)).headers.get('x-result-count'));

describe('POST /__admin/waldur/faults', () => {
  it('→ 201 listing the faults waiting, in order; GET lists them; DELETE drops them', async () => {
    await addFault({ status: 429, count: 2, operation: 'customer_credits_create' });
    const added = await admin('POST', { delay_ms: 10 });
    expect(added.json).toEqual({
      faults: [
        { status: 429, delay_ms: 0, operation: 'customer_credits_create', remaining: 2 },
        { status: null, delay_ms: 10, operation: null, remaining: 1 },
      ],
    });
    expect((await admin('GET')).json).toEqual(added.json);
    expect((await admin('DELETE')).json).toEqual({ faults: [] });
    expect((await admin('GET')).json).toEqual({ faults: [] });
  });

  it.each([
    [{ status: 418 }, /status: must be 429, 500, 502 or 503/],
    [{ status: 500, operation: 'consumeCredits' }, /operation: must be one of customer_credits_list/],
    [{ status: 500, count: 0 }, /count: must be a whole number/],
    [{ status: 500, delay_ms: -1 }, /delay_ms:/],
    [{ status: 500, delay_ms: 60_001 }, /delay_ms:/],
    [{}, /^\(top level\): give status, delay_ms or both$/],
    [{ status: 500, colour: 'red' }, /colour: unknown member/],
    [[], /must be an object/],
  ])('%j → 400 naming the problem, nothing added', async (body, problem) => {
    const res = await admin('POST', body);
    expect(res.status).toBe(400);
    expect(
      res.json.problems.some((p: string) => problem.test(p)),
      JSON.stringify(res.json),
    ).toBe(true);
    expect((await admin('GET')).json).toEqual({ faults: [] });
  });
});

describe('a fault on the Waldur API', () => {
  it("429: DRF's throttled answer with Retry-After; the next request runs", async () => {
    await addFault({ status: 429 });
    const limited = await server.call('GET', `${LIST}${ALPHA_CREDIT}/`);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ detail: 'Request was throttled. Expected available in 1 second.' });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await server.call('GET', `${LIST}${ALPHA_CREDIT}/`)).status).toBe(200);
  });

  it.each([
    [500, 'A server error occurred.'],
    [502, 'Bad gateway.'],
    [503, 'Service temporarily unavailable, try again later.'],
  ])('%i on a create: {"detail"} and nothing written', async (status, detail) => {
    const before = await creditCount();
    await addFault({ status, operation: 'customer_credits_create' });
    const res = await create();
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ detail });
    expect(res.headers.get('x-credits-mock-fault')).toBe('injected');
    expect(await creditCount()).toBe(before);
    expect((await create()).status).toBe(201);
    expect(await creditCount()).toBe(before + 1);
  });

  it('500 on a delete, a patch and compensations: nothing changes', async () => {
    const original = (await server.call('GET', `${LIST}${ALPHA_CREDIT}/`)).json;
    await addFault({ status: 500, count: 3 });
    expect((await server.call('DELETE', `${LIST}${ALPHA_CREDIT}/`)).status).toBe(500);
    expect((await server.call('PATCH', `${LIST}${ALPHA_CREDIT}/`, { body: { value: '1.00' } })).status).toBe(500);
    expect((await server.call('POST', `${LIST}${ALPHA_CREDIT}/apply_compensations/`, { body: {} })).status).toBe(500);
    expect((await server.call('GET', `${LIST}${ALPHA_CREDIT}/`)).json).toEqual(original);
  });

  it('count: the next n requests of the operation fail, other operations run meanwhile', async () => {
    await addFault({ status: 503, count: 2, operation: 'project_credits_list' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await server.call('GET', PROJECT_LIST)).status);
      statuses.push((await server.call('GET', LIST)).status);
    }
    expect(statuses).toEqual([503, 200, 503, 200, 200, 200]);
    expect((await admin('GET')).json).toEqual({ faults: [] });
  });

  it('HEAD is the count operation; OPTIONS uses no fault', async () => {
    await addFault({ status: 429, operation: 'customer_credits_count' });
    expect((await server.call('OPTIONS', LIST)).status).toBe(200);
    expect((await server.call('GET', LIST)).status).toBe(200);
    expect((await server.call('HEAD', LIST)).status).toBe(429);
  });

  it('applies after routing and authentication: a 404, a 401 and a 405 leave the fault waiting', async () => {
    await addFault({ status: 500 });
    expect((await server.call('GET', '/api/customer-credits/nowhere/at/all/')).status).toBe(404);
    expect((await server.call('GET', LIST, { token: null })).status).toBe(401);
    expect((await server.call('GET', LIST, { token: 'wrong' })).status).toBe(401);
    expect((await server.call('PUT', LIST, { body: {} })).status).toBe(405);
    expect((await admin('GET')).json.faults).toHaveLength(1);
    expect((await server.call('GET', LIST)).status).toBe(500);
  });

  it('applies before the body is parsed: a broken body still gets the fault', async () => {
    await addFault({ status: 429 });
    const res = await server.call('POST', LIST, { raw: '{', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(429);
  });

  it('delay_ms alone: the request is held, then served', async () => {
    await addFault({ delay_ms: 150, operation: 'customer_credits_create' });
    const started = Date.now();
    const res = await create();
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('delay_ms with 500: held, then refused, nothing written', async () => {
    const before = await creditCount();
    await addFault({ status: 500, delay_ms: 100 });
    const started = Date.now();
    expect((await create()).status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(await creditCount()).toBe(before);
  });

  it('is journaled with its operation', async () => {
    await addFault({ status: 503, operation: 'customer_credits_retrieve' });
    await server.call('GET', `${LIST}${ALPHA_CREDIT}/`);
    const entries = (await server.call('GET', '/__admin/requests?limit=1', { token: null })).json.requests;
    expect(entries[0]).toMatchObject({ operation: 'customer_credits_retrieve', response: { status: 503 } });
  });

  it("is a world's own: Maple requests are not touched by a Waldur fault", async () => {
    await addFault({ status: 500 });
    expect(
      (
        await server.maple(
          'GET',
          '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits/check_balance/cus_0EIsHbZ86Y3mOPyoXbNytHiKYd5',
        )
      ).status,
    ).toBe(200);
    expect((await admin('GET')).json.faults).toHaveLength(1);
  });
});

it('has had every /__admin/waldur/faults operation checked, with no self-check violation', async () => {
  const documented = await documentedOperations((p) => p === '/__admin/waldur/faults');
  expect(documented).toHaveLength(3);
  expect(documented.filter((op) => !checked.has(op))).toEqual([]);
  expect(server.violations).toEqual([]);
});
