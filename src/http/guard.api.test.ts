/**
 * The guard (guard.ts) over HTTP: Host checks (validity, DNS rebinding), the
 * control API's Origin, Content-Type and Bearer rules, each refusal in the
 * shape of the API the path belongs to, and nothing changed by a refused request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/mock-server.js';
import { sendRaw } from '../test-support/raw-http.js';
import { dialectOf } from './guard.js';
import { hostName, isLoopbackAddress, isLoopbackName } from './hosts.js';

const CC = '/api/customer-credits/';
const MAPLE_FIND = '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits/find';
const WALDUR_AUTH = { Authorization: 'Token staff-token' };
const MAPLE_AUTH = { Authorization: 'Bearer maple-token' };
const FIND_BODY = JSON.stringify({ pagination: { limit: 5 }, sort_key: 'createdAtDesc' });

describe('host names', () => {
  it.each([
    ['localhost', 'localhost', true],
    ['LOCALHOST:4010', 'localhost', true],
    ['app.localhost', 'app.localhost', true],
    ['127.0.0.1:80', '127.0.0.1', true],
    ['127.9.8.7', '127.9.8.7', true],
    ['[::1]:4010', '::1', true],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1', true],
    ['evil.example', 'evil.example', false],
    ['127.0.0.1.evil.example', '127.0.0.1.evil.example', false],
    ['10.0.0.1', '10.0.0.1', false],
  ])('%s → %s (loopback: %s)', (host, name, loopback) => {
    expect(hostName(host)).toBe(name);
    expect(isLoopbackName(hostName(host)!)).toBe(loopback);
  });

  it.each(['a b', '', 'a/b', 'a@b', 'a:b:c', '[zz::1]', 'a:99999999', 'é.example', 'a\\b', '-'])(
    '%j is not a valid Host',
    (host) => {
      expect(hostName(host)).toBeNull();
    },
  );

  it.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.0.2.10', false],
  ])('listening on %s is loopback: %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it.each([
    ['/__admin/reset', 'admin'],
    ['/__session/s1/__admin/state', 'admin'],
    ['/api/v1/companies/x/credits', 'maple'],
    ['/API/Customer-Credits/', 'waldur'],
    ['/__session/s1/api/project-credits/x/', 'waldur'],
    ['/__docs/', 'other'],
  ])('%s is answered in the %s shape', (path, dialect) => {
    expect(dialectOf(path)).toBe(dialect);
  });
});

describe('the guard with the defaults (bound to loopback, no admin token)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  const state = async () => (await fetch(`${server.url}/__admin/state`)).text();

  it.each([
    ['a b', 'an invalid host'],
    ['evil.example', 'a rebound name'],
    ['evil.example:4010', 'a rebound name with a port'],
  ])("Host %j (%s) → 400 in each API's shape, before authentication", async (host) => {
    const waldur = await sendRaw(server.url, { method: 'GET', path: CC, headers: { Host: host } });
    expect(waldur.status).toBe(400);
    expect(waldur.json).toEqual({ detail: expect.stringContaining('Invalid HTTP_HOST header') });
    const head = await sendRaw(server.url, {
      method: 'HEAD',
      path: `${CC}?o=value`,
      headers: { Host: host, ...WALDUR_AUTH },
    });
    expect([head.status, head.text]).toEqual([400, '']);
    const maple = await sendRaw(server.url, {
      method: 'POST',
      path: MAPLE_FIND,
      headers: { Host: host, ...MAPLE_AUTH, 'Content-Type': 'application/json' },
      body: FIND_BODY,
    });
    expect(maple.status).toBe(400);
    expect(maple.json).toMatchObject({ error_type: 'request_error', error_status: 400, error_code: 'invalid_host' });
    const before = await state();
    const admin = await sendRaw(server.url, { method: 'POST', path: '/__admin/reset', headers: { Host: host } });
    expect(admin.status).toBe(400);
    expect(admin.json).toEqual({ error: expect.stringContaining('Invalid HTTP_HOST header'), problems: [] });
    expect(await state()).toBe(before);
    const other = await sendRaw(server.url, { method: 'GET', path: '/nowhere', headers: { Host: host } });
    expect(other.status).toBe(400);
  });

  it.each(['localhost:1234', '127.0.0.1', '127.1.2.3:80', '[::1]:4010', 'LocalHost'])(
    'Host %j is served',
    async (host) => {
      const res = await sendRaw(server.url, { method: 'GET', path: CC, headers: { Host: host, ...WALDUR_AUTH } });
      expect(res.status).toBe(200);
      expect((res.json as { url: string }[])[0]!.url).toMatch(/^http:\/\/(localhost|127|\[::1\])/i);
    },
  );

  it('a request without Host (HTTP/1.0 style) is served as localhost', async () => {
    const res = await sendRaw(server.url, { method: 'GET', path: '/__admin/health', headers: {} });
    expect(res.status).toBe(200);
  });

  it('a form POST to /__admin/reset from a foreign origin → 403, nothing reset', async () => {
    const made = await server.call('POST', CC, {
      body: { customer: 'http://x/api/customers/6bad6be28e7a46e99f19950499dd251d/', value: '5' },
    });
    expect(made.status).toBe(201);
    const before = await state();
    const res = await sendRaw(server.url, {
      method: 'POST',
      path: '/__admin/reset',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: expect.stringContaining('Origin https://evil.example'), problems: [] });
    expect(await state()).toBe(before);
    // the same without a body, and a read: refused too
    expect(
      (
        await sendRaw(server.url, {
          method: 'POST',
          path: '/__admin/reset',
          headers: { Origin: 'https://evil.example' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await sendRaw(server.url, { method: 'GET', path: '/__admin/state', headers: { Origin: 'null' } })).status,
    ).toBe(403);
    expect(await state()).toBe(before);
  });

  it.each(['http://localhost:5173', 'https://127.0.0.1', 'http://[::1]:3000'])(
    'Origin %s (loopback) may use /__admin/',
    async (origin) => {
      const res = await sendRaw(server.url, { method: 'GET', path: '/__admin/clock', headers: { Origin: origin } });
      expect(res.status).toBe(200);
    },
  );

  it("the server's own origin may use /__admin/ (its pages)", async () => {
    const res = await sendRaw(server.url, { method: 'GET', path: '/__admin/clock', headers: { Origin: server.url } });
    expect(res.status).toBe(200);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'now=2027-01-01'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="now"\r\n\r\n2027-01-01\r\n--x--\r\n',
    ],
    ['text/plain', '{"now":"2027-01-01"}'],
  ])('a write to /__admin/ with Content-Type %s → 415, nothing changed', async (contentType, body) => {
    const before = await (await fetch(`${server.url}/__admin/clock`)).text();
    const res = await sendRaw(server.url, {
      method: 'POST',
      path: '/__admin/clock',
      headers: { 'Content-Type': contentType },
      body,
    });
    expect(res.status).toBe(415);
    expect(res.json).toEqual({ error: expect.stringContaining('Content-Type must be application/json'), problems: [] });
    expect(await (await fetch(`${server.url}/__admin/clock`)).text()).toBe(before);
  });

  it('a write with a body and no Content-Type → 415; a bodiless one without it is served', async () => {
    const res = await sendRaw(server.url, { method: 'POST', path: '/__admin/clock', body: '{"freeze":true}' });
    expect(res.status).toBe(415);
    expect((await sendRaw(server.url, { method: 'POST', path: '/__admin/reset' })).status).toBe(200);
    expect((await sendRaw(server.url, { method: 'DELETE', path: '/__admin/maple/faults' })).status).toBe(200);
    const json = await sendRaw(server.url, {
      method: 'POST',
      path: '/__admin/clock',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"freeze":true}',
    });
    expect(json.status).toBe(200);
  });

  it('the mocked APIs stay callable from any origin (a token in the query is no ambient credential)', async () => {
    const res = await sendRaw(server.url, {
      method: 'GET',
      path: `${CC}?x-auth-token=staff-token`,
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(200);
  });
});

describe('the guard with options', () => {
  it('--allowed-hosts: a listed name is served, others are not', async () => {
    const server = await startTestServer({
      guard: { loopbackOnly: true, allowedHosts: ['mock.internal'], allowedOrigins: [], adminToken: null },
    });
    try {
      const ok = await sendRaw(server.url, {
        method: 'GET',
        path: CC,
        headers: { Host: 'mock.internal:4010', ...WALDUR_AUTH },
      });
      expect(ok.status).toBe(200);
      expect((ok.json as { url: string }[])[0]!.url).toMatch(/^http:\/\/mock\.internal:4010\//);
      expect(
        (await sendRaw(server.url, { method: 'GET', path: CC, headers: { Host: 'other.internal', ...WALDUR_AUTH } }))
          .status,
      ).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('--cors-origin origins may use /__admin/; others may not', async () => {
    const server = await startTestServer({
      guard: { loopbackOnly: true, allowedHosts: [], allowedOrigins: ['https://app.example.com/'], adminToken: null },
    });
    try {
      const get = (origin: string) =>
        sendRaw(server.url, { method: 'GET', path: '/__admin/clock', headers: { Origin: origin } });
      expect((await get('https://app.example.com')).status).toBe(200);
      expect((await get('http://app.example.com')).status).toBe(403);
      expect((await get('https://app.example.com:8443')).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('not bound to loopback: any valid Host is served; with --admin-token /__admin/ needs the Bearer (401 without)', async () => {
    const server = await startTestServer({
      guard: { loopbackOnly: false, allowedHosts: [], allowedOrigins: [], adminToken: 's3cret' },
    });
    try {
      const before = await sendRaw(server.url, {
        method: 'GET',
        path: '/__admin/state',
        headers: { Authorization: 'Bearer s3cret' },
      });
      expect(before.status).toBe(200);
      for (const auth of [undefined, 'Bearer wrong', 'Bearer s3cre', 'Token s3cret', 'Bearer']) {
        const res = await sendRaw(server.url, {
          method: 'POST',
          path: '/__admin/reset',
          headers: auth ? { Authorization: auth } : {},
        });
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(res.json).toEqual({ error: expect.stringContaining('--admin-token'), problems: [] });
      }
      const after = await sendRaw(server.url, {
        method: 'GET',
        path: '/__admin/state',
        headers: { Authorization: 'Bearer s3cret' },
      });
      expect(after.text).toBe(before.text);
      const reset = await sendRaw(server.url, {
        method: 'POST',
        path: '/__admin/reset',
        headers: { Authorization: 'bearer s3cret', Host: 'mock.example.org' },
      });
      expect(reset.status).toBe(200);
      const api = await sendRaw(server.url, {
        method: 'GET',
        path: CC,
        headers: { Host: 'mock.example.org', ...WALDUR_AUTH },
      });
      expect(api.status).toBe(200);
      expect(
        (await sendRaw(server.url, { method: 'GET', path: CC, headers: { Host: 'a b', ...WALDUR_AUTH } })).status,
      ).toBe(400);
    } finally {
      await server.close();
    }
  });
});
