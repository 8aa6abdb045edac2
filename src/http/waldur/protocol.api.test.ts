import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/mock-server.js';

/** DRF and Django conventions around the operations: slashes, methods, media types, sizes. */
const DELTA = '6bad6be28e7a46e99f19950499dd251d';
const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const TENANT = 'bef7e268ffe946aba0581ccace1d62e0';
const SLURM = 'b91dddd913894372a341738c837a7935';

describe('HTTP conventions of the Waldur dialect', () => {
  let server: TestServer;
  let alphaCredit: string;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.call('POST', '/__admin/reset', { token: null });
    alphaCredit = (await server.call('GET', `/api/customer-credits/?customer_uuid=${ALPHA}`)).json[0].uuid;
  });

  it.each(['GET', 'POST', 'PUT', 'DELETE'])(
    '%s without the trailing slash → 301 to the slashed URL, query kept',
    async (method) => {
      const res = await server.call(method, '/api/customer-credits?page=1&o=value');
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(`${server.url}/api/customer-credits/?page=1&o=value`);
      expect(res.text).toBe('');
    },
  );

  it('an unknown path under the API → 404 in DRF shape', async () => {
    const res = await server.call('GET', '/api/customer-credits/abc/nothing-here/');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: 'Not found.' });
  });

  it('a wrong method → 405 with DRF body and Allow, after authentication', async () => {
    const res = await server.call('DELETE', '/api/customer-credits/');
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    const anonymous = await server.call('DELETE', '/api/customer-credits/', { token: null });
    expect(anonymous.status).toBe(401);
    const action = await server.call('GET', `/api/customer-credits/${alphaCredit}/apply_compensations/`);
    expect(action.status).toBe(405);
    expect(action.json).toEqual({ detail: 'Method "GET" not allowed.' });
  });

  it('responses carry Allow and Vary: Accept, compact JSON as application/json', async () => {
    const res = await server.call('GET', `/api/customer-credits/${alphaCredit}/`);
    expect(res.headers.get('allow')).toBe('GET, PUT, PATCH, DELETE, HEAD, OPTIONS');
    expect(res.headers.get('vary')).toBe('Accept');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.text).not.toMatch(/": |, "/);
  });

  it('HEAD on a detail URL answers like GET without a body', async () => {
    const res = await server.call('HEAD', `/api/customer-credits/${alphaCredit}/`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('OPTIONS answers 200 with the allowed methods', async () => {
    const res = await server.call('OPTIONS', '/api/project-credits/');
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
  });

  it('malformed JSON → 400 "JSON parse error - …", and nothing is written', async () => {
    const before = (await server.call('GET', '/__admin/state', { token: null })).json;
    const res = await server.call('POST', '/api/customer-credits/', {
      raw: '{"customer":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/^JSON parse error - /);
    expect((await server.call('GET', '/__admin/state', { token: null })).json).toEqual(before);
  });

  it('permission checks come before the body is parsed (DRF parses lazily)', async () => {
    const res = await server.call('POST', '/api/customer-credits/', {
      token: 'user-token',
      raw: '{"customer":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(403);
  });

  it('an unsupported content type → 415', async () => {
    const res = await server.call('POST', '/api/customer-credits/', {
      raw: 'customer=x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
  });

  it('a body over 1 MiB → 413, and nothing is written', async () => {
    const big = JSON.stringify({ customer: `${server.url}/api/customers/${DELTA}/`, pad: 'x'.repeat(1024 * 1024) });
    const res = await server.call('POST', '/api/customer-credits/', {
      raw: big,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(413);
    const list = await server.call('GET', `/api/customer-credits/?customer_uuid=${DELTA}`);
    expect(list.json).toEqual([]);
  });

  it('form-encoded bodies work, with offerings as repeated fields', async () => {
    const form = new URLSearchParams();
    form.append('customer', `/api/customers/${DELTA}/`);
    form.append('value', '10.5');
    form.append('offerings', `/api/marketplace-provider-offerings/${TENANT}/`);
    form.append('offerings', `/api/marketplace-provider-offerings/${SLURM}/`);
    form.append('apply_as_minimal_consumption', 'false');
    const res = await server.call('POST', '/api/customer-credits/', {
      raw: form.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.value).toBe('10.50000');
    expect(res.json.offerings).toHaveLength(2);
    expect(res.json.apply_as_minimal_consumption).toBe(false);
  });

  it('multipart bodies work', async () => {
    const form = new FormData();
    form.append('customer', `/api/customers/${DELTA}/`);
    form.append('value', '7');
    const res = await fetch(`${server.url}/api/customer-credits/`, {
      method: 'POST',
      headers: { Authorization: 'Token staff-token' },
      body: form,
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { value: string }).value).toBe('7.00000');
  });

  it('JSON numbers are read as Python reads them', async () => {
    const res = await server.call('POST', '/api/customer-credits/', {
      raw: `{"customer":"/api/customers/${DELTA}/","value":100.25,"grace_coefficient":20}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.value).toBe('100.25000');
    expect(res.json.grace_coefficient).toBe('20');
  });
});
