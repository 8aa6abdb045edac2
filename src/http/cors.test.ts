import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/mock-server.js';
import { createCors, EXPOSED_HEADERS } from './cors.js';

/** CORS as a page on another origin meets it: preflights first, then readable answers (README: "Using it from a frontend"). */
const PAGE = 'http://localhost:5173';
const OTHER = 'http://evil.example';
const ACME = 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50';
const FABRIKAM = 'cus_0ERUrAL9SJRKBkceBhjoEDdCMKC';
const CONSUME = `/api/v1/companies/${ACME}/credits/consume`;
const CREDITS = `/api/v1/companies/${ACME}/credits`;

const preflight = (
  server: TestServer,
  path: string,
  origin = PAGE,
  method = 'POST',
  headers = 'authorization,content-type,idempotency-key',
) =>
  server.call('OPTIONS', path, {
    token: null,
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers },
  });

const varyOf = (h: Headers) => (h.get('vary') ?? '').split(',').map((s) => s.trim().toLowerCase());
const exposedOf = (h: Headers) =>
  (h.get('access-control-expose-headers') ?? '').split(',').map((s) => s.trim().toLowerCase());

function expectNoCors(h: Headers): void {
  for (const name of [
    'access-control-allow-origin',
    'access-control-allow-methods',
    'access-control-expose-headers',
    'access-control-max-age',
  ]) {
    expect(h.get(name), name).toBeNull();
  }
}

function expectReadable(h: Headers, origin = PAGE, ...names: string[]): void {
  expect(h.get('access-control-allow-origin')).toBe(origin);
  expect(varyOf(h)).toContain('origin');
  for (const name of names) expect(exposedOf(h), name).toContain(name.toLowerCase());
}

describe('CORS on by default, for any origin', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.call('POST', '/__admin/reset', { token: null });
    await server.call('DELETE', '/__admin/maple/faults', { token: null });
  });

  it.each([
    ['Waldur list', '/api/customer-credits/', 'GET'],
    ['Waldur detail, before auth and the 404', '/api/customer-credits/0123456789abcdef0123456789abcdef/', 'PATCH'],
    ['Waldur without the slash (no 301)', '/api/customer-credits', 'GET'],
    ['Waldur, a method the route lacks (no 405)', '/api/project-credits/', 'DELETE'],
    ['Maple consume', CONSUME, 'POST'],
    ['Maple, unknown endpoint (no 404)', '/api/v1/nothing', 'GET'],
    ['the control API', '/__admin/reset', 'POST'],
    ['an unknown path', '/no/such/page', 'GET'],
  ])('preflight on %s → 204 with the CORS answer, nothing else', async (_name, path, method) => {
    const res = await preflight(server, path, PAGE, method);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(varyOf(res.headers)).toContain('origin');
    expect(res.headers.get('access-control-allow-methods')!.split(',')).toContain(method);
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type,idempotency-key');
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(server.violations).toEqual([]);
  });

  it('the preflight echoes whatever headers are asked for, and any origin is reflected', async () => {
    const res = await preflight(
      server,
      '/api/customer-credits/',
      'https://app.example:8443',
      'PUT',
      'X-Custom, If-Match',
    );
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example:8443');
    expect(res.headers.get('access-control-allow-headers')).toBe('X-Custom, If-Match');
  });

  it('a preflight does not use up an injected Maple fault', async () => {
    expect((await server.call('POST', '/__admin/maple/faults', { token: null, body: { status: 500 } })).status).toBe(
      201,
    );
    expect((await preflight(server, CONSUME)).status).toBe(204);
    const res = await server.maple('GET', `${CREDITS}/nothing`, { headers: { Origin: PAGE } });
    expect(res.status).toBe(500);
    expectReadable(res.headers);
  });

  it('GET list: X-Result-Count, Link and Allow are exposed, Vary keeps Accept', async () => {
    const res = await server.call('GET', '/api/customer-credits/?page_size=2', { headers: { Origin: PAGE } });
    expect(res.status).toBe(200);
    expectReadable(res.headers, PAGE, 'X-Result-Count', 'Link', 'Allow');
    expect(res.headers.get('x-result-count')).toBe('3');
    expect(res.headers.get('link')).toContain('rel="next"');
    expect(varyOf(res.headers)).toEqual(['origin', 'accept']);
  });

  it('Maple POST with an Idempotency-Key: the key and Idempotency-Used are exposed, on the replay too', async () => {
    const body = {
      customer_id: FABRIKAM,
      name: 'CORS',
      type: 'AMOUNT',
      amount: { currency: 'USD', value_in_cents: 100 },
    };
    const headers = { Origin: PAGE, 'Idempotency-Key': 'cors-key-1' };
    const first = await server.maple('POST', CREDITS, { body, headers });
    expect(first.status, first.text).toBe(201);
    expectReadable(first.headers, PAGE, 'Idempotency-Key', 'Idempotency-Used', 'Retry-After');
    const replay = await server.maple('POST', CREDITS, { body, headers });
    expect(replay.headers.get('idempotency-used')).toBe('true');
    expectReadable(replay.headers, PAGE, 'Idempotency-Used');
  });

  it('a 401 from either API is readable, WWW-Authenticate included', async () => {
    const waldur = await server.call('GET', '/api/customer-credits/', { token: null, headers: { Origin: PAGE } });
    expect(waldur.status).toBe(401);
    expect(waldur.headers.get('www-authenticate')).toBe('Token');
    expectReadable(waldur.headers, PAGE, 'WWW-Authenticate');
    const maple = await server.maple('POST', CONSUME, { token: null, body: {}, headers: { Origin: PAGE } });
    expect(maple.status).toBe(401);
    expectReadable(maple.headers);
  });

  it('Location of a created Waldur credit and the 301 are exposed', async () => {
    const created = await server.call('POST', '/api/customer-credits/', {
      headers: { Origin: PAGE },
      body: { customer: `${server.url}/api/customers/6bad6be28e7a46e99f19950499dd251d/`, value: '10' },
    });
    expect(created.status, created.text).toBe(201);
    expectReadable(created.headers, PAGE, 'Location');
    const moved = await server.call('GET', '/api/customer-credits', { headers: { Origin: PAGE } });
    expect(moved.status).toBe(301);
    expectReadable(moved.headers, PAGE, 'Location');
  });

  it('express answers keep the headers: /__admin/ and the 404 fallback', async () => {
    const clock = await server.call('GET', '/__admin/clock', { token: null, headers: { Origin: PAGE } });
    expect(clock.status).toBe(200);
    expectReadable(clock.headers);
    const missing = await server.call('GET', '/no/such/page', { headers: { Origin: PAGE } });
    expect(missing.status).toBe(404);
    expectReadable(missing.headers);
  });

  it('a plain OPTIONS (no Access-Control-Request-Method) keeps each API’s answer', async () => {
    const anonymous = await server.call('OPTIONS', '/api/customer-credits/', {
      token: null,
      headers: { Origin: PAGE },
    });
    expect(anonymous.status).toBe(401);
    expectReadable(anonymous.headers);
    const meta = await server.call('OPTIONS', '/api/customer-credits/', { headers: { Origin: PAGE } });
    expect(meta.status).toBe(200);
    expect(meta.json.name).toBe('Credits');
    expect(meta.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    expectReadable(meta.headers, PAGE, 'Allow');
    const withoutOrigin = await server.call('OPTIONS', '/api/customer-credits/');
    expect(withoutOrigin.status).toBe(200);
    expect(withoutOrigin.json).toEqual(meta.json);
    const maple = await server.maple('OPTIONS', CONSUME, { headers: { Origin: PAGE } });
    expect(maple.status).toBe(405);
    expect(maple.json.error_type).toBe('request_error');
    expectReadable(maple.headers);
  });

  it('a request without Origin gets no CORS header, and Vary stays Accept', async () => {
    const res = await server.call('GET', '/api/customer-credits/');
    expectNoCors(res.headers);
    expect(res.headers.get('vary')).toBe('Accept');
    const pre = await server.call('OPTIONS', '/api/customer-credits/', {
      token: null,
      headers: { 'Access-Control-Request-Method': 'GET' },
    });
    expect(pre.status).toBe(401);
    expectNoCors(pre.headers);
  });
});

describe('--cors off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ cors: { enabled: false, origins: null } });
  });
  afterAll(() => server.close());

  it('a preflight gets the API’s own answer and no CORS header', async () => {
    const waldur = await preflight(server, '/api/customer-credits/', PAGE, 'GET');
    expect(waldur.status).toBe(401);
    expectNoCors(waldur.headers);
    const maple = await preflight(server, CONSUME);
    expect(maple.status).toBe(405);
    expectNoCors(maple.headers);
  });

  it('answers carry no CORS header', async () => {
    const res = await server.call('GET', '/api/customer-credits/', { headers: { Origin: PAGE } });
    expect(res.status).toBe(200);
    expectNoCors(res.headers);
    expect(res.headers.get('vary')).toBe('Accept');
  });
});

describe('--cors-origin', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ cors: { enabled: true, origins: [PAGE, 'https://app.example'] } });
  });
  afterAll(() => server.close());

  it('a listed origin: preflight 204, answers readable', async () => {
    for (const origin of [PAGE, 'https://app.example']) {
      const pre = await preflight(server, '/api/customer-credits/', origin, 'GET');
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
      const res = await server.call('GET', '/api/customer-credits/', { headers: { Origin: origin } });
      expectReadable(res.headers, origin, 'X-Result-Count');
    }
  });

  it('another origin: no CORS header, and its preflight falls through to the API', async () => {
    for (const origin of [OTHER, 'http://localhost:5174', 'https://localhost:5173']) {
      const waldur = await preflight(server, '/api/customer-credits/', origin, 'GET');
      expect(waldur.status).toBe(401);
      expectNoCors(waldur.headers);
      const maple = await preflight(server, CONSUME, origin);
      expect(maple.status).toBe(405);
      expectNoCors(maple.headers);
      const res = await server.call('GET', '/api/customer-credits/', { headers: { Origin: origin } });
      expect(res.status).toBe(200);
      expectNoCors(res.headers);
    }
  });
});

describe('createCors', () => {
  it('off gives no step at all', () => {
    expect(createCors({ enabled: false, origins: null })).toBeNull();
  });

  it('exposes every non-safelisted header the APIs send', () => {
    const names = EXPOSED_HEADERS.map((h) => h.toLowerCase());
    for (const h of [
      'x-result-count',
      'link',
      'location',
      'allow',
      'www-authenticate',
      'idempotency-key',
      'idempotency-used',
      'retry-after',
    ]) {
      expect(names).toContain(h);
    }
  });
});
