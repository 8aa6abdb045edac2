import { IncomingMessage, request as httpRequest } from 'node:http';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/mock-server.js';
import { baseUrlResolver, parseForwardedElement, publicPathPrefix } from './public-url.js';

const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const DELTA = '6bad6be28e7a46e99f19950499dd251d';
const EPSILON = 'd7a7a3cc8c3d4f169293de8fc88b2875';
const TENANT = 'bef7e268ffe946aba0581ccace1d62e0';
const PROJECT_GENOME = '7dabe929c4a344bf86cd75e9bb049a79';
const GENOME_CREDIT = '93550840067f4cfc8e1fd3d9849acfb5';

function request(headers: Record<string, string>): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  return req;
}

describe('baseUrlResolver', () => {
  it('by default: http and the Host header, normalised as a URL origin', () => {
    const base = baseUrlResolver();
    expect(base(request({ host: '127.0.0.1:4010' }))).toBe('http://127.0.0.1:4010');
    expect(base(request({ host: 'LocalHost:80' }))).toBe('http://localhost');
    expect(base(request({}))).toBe('http://localhost');
  });

  it('a Host that is not a host never reaches the links', () => {
    const base = baseUrlResolver();
    for (const host of ['evil.example/path', 'a b', 'user@evil.example', ''])
      expect(base(request({ host }))).toBe('http://localhost');
  });

  it('--public-url: always that base, trailing slash dropped, forwarded headers ignored', () => {
    const base = baseUrlResolver({ publicUrl: 'https://example.com/mock/' });
    expect(base(request({ host: '127.0.0.1:4010', 'x-forwarded-host': 'other.example' }))).toBe(
      'https://example.com/mock',
    );
  });

  it('forwarded headers are ignored unless trusted', () => {
    const base = baseUrlResolver();
    expect(
      base(request({ host: '127.0.0.1:4010', 'x-forwarded-host': 'localhost:5173', 'x-forwarded-proto': 'https' })),
    ).toBe('http://127.0.0.1:4010');
  });

  it.each([
    [{ 'x-forwarded-host': 'localhost:5173', 'x-forwarded-proto': 'http' }, 'http://localhost:5173'],
    [{ 'x-forwarded-host': 'app.example', 'x-forwarded-proto': 'https' }, 'https://app.example'],
    [{ 'x-forwarded-host': 'app.example, proxy.internal', 'x-forwarded-proto': 'https, http' }, 'https://app.example'],
    [{ 'x-forwarded-proto': 'https' }, 'https://127.0.0.1:4010'],
    [{ 'x-forwarded-host': 'app.example' }, 'http://app.example'],
    [
      { 'x-forwarded-host': 'app.example', 'x-forwarded-port': '8443', 'x-forwarded-proto': 'https' },
      'https://app.example:8443',
    ],
    [
      { 'x-forwarded-host': 'app.example', 'x-forwarded-port': '443', 'x-forwarded-proto': 'https' },
      'https://app.example',
    ],
    [{ 'x-forwarded-host': 'app.example:9000', 'x-forwarded-port': '8443' }, 'http://app.example:9000'],
    [{ 'x-forwarded-host': 'app.example', 'x-forwarded-proto': 'gopher' }, 'http://app.example'],
    [{ forwarded: 'for=192.0.2.60;proto=https;host=app.example' }, 'https://app.example'],
    [
      { forwarded: 'for="[2001:db8::1]:80";host="app.example:8080", for=10.0.0.1;host=proxy' },
      'http://app.example:8080',
    ],
    [{ forwarded: 'for=10.0.0.1' }, 'http://127.0.0.1:4010'],
    [{ 'x-forwarded-host': 'evil.example/path' }, 'http://127.0.0.1:4010'],
    [{ 'x-forwarded-host': 'user:pw@evil.example' }, 'http://127.0.0.1:4010'],
    [{}, 'http://127.0.0.1:4010'],
  ])('--trust-proxy: %j → %s', (headers, expected) => {
    const base = baseUrlResolver({ trustProxy: true });
    expect(base(request({ host: '127.0.0.1:4010', ...headers }))).toBe(expected);
  });

  it('parseForwardedElement reads the first element, quoted values unescaped', () => {
    expect(parseForwardedElement('Proto=HTTPS;Host="a.example:1"')).toEqual({ proto: 'HTTPS', host: 'a.example:1' });
    expect(parseForwardedElement('host="x,y";proto=http, host=z')).toEqual({ host: 'x,y', proto: 'http' });
    expect(parseForwardedElement('garbage')).toEqual({});
  });

  it('publicPathPrefix: the path of the public URL, without its slash', () => {
    expect(publicPathPrefix(null)).toBe('');
    expect(publicPathPrefix('http://localhost:5173')).toBe('');
    expect(publicPathPrefix('https://example.com/a/mock/')).toBe('/a/mock');
  });
});

/** Every absolute URL a Waldur answer carries, from the body and the headers. */
function urlsIn(res: { text: string; headers: Headers }): string[] {
  const found: string[] = [...(res.text.match(/https?:\/\/[^"\s]+/g) ?? [])];
  const link = res.headers.get('link');
  if (link) found.push(...[...link.matchAll(/<([^>]+)>/g)].map((m) => m[1]!));
  const location = res.headers.get('location');
  if (location) found.push(location);
  return found;
}

describe('--public-url with a path prefix', () => {
  const PUBLIC = 'https://example.com/mock';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ publicUrl: `${PUBLIC}/` });
  });
  afterAll(() => server.close());

  it('url fields, hyperlinks and Link on a list start with the public URL', async () => {
    const res = await server.call('GET', '/api/customer-credits/?page_size=1&page=2');
    expect(res.status).toBe(200);
    expect(res.json[0].url).toBe(`${PUBLIC}/api/customer-credits/${res.json[0].uuid}/`);
    expect(res.json[0].customer).toBe(`${PUBLIC}/api/customers/${res.json[0].customer_uuid}/`);
    expect(res.headers.get('link')).toBe(
      `<${PUBLIC}/api/customer-credits/?page_size=1>; rel="first", <${PUBLIC}/api/customer-credits/?page_size=1>; rel="prev", ` +
        `<${PUBLIC}/api/customer-credits/?page=3&page_size=1>; rel="next", <${PUBLIC}/api/customer-credits/?page=3&page_size=1>; rel="last"`,
    );
    const urls = urlsIn(res);
    expect(urls.length).toBeGreaterThan(5);
    for (const u of urls) expect(u.startsWith(`${PUBLIC}/api/`), u).toBe(true);
    const projects = await server.call('GET', '/api/project-credits/');
    for (const u of urlsIn(projects)) expect(u.startsWith(`${PUBLIC}/api/`), u).toBe(true);
  });

  it('the 301 for a missing slash points under the public URL', async () => {
    const res = await server.call('GET', '/api/project-credits?page=1');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`${PUBLIC}/api/project-credits/?page=1`);
  });

  it('a hyperlink in a body resolves with the public prefix, with none, or on any host (DRF ignores the host)', async () => {
    for (const [customer, link] of [
      [DELTA, `${PUBLIC}/api/customers/${DELTA}/`],
      [EPSILON, `http://127.0.0.1:1/api/customers/${EPSILON}/`],
    ] as const) {
      const res = await server.call('POST', '/api/customer-credits/', {
        body: { customer: link, value: '5', offerings: [`${PUBLIC}/api/marketplace-provider-offerings/${TENANT}/`] },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json.customer).toBe(`${PUBLIC}/api/customers/${customer}/`);
      expect(res.json.offerings).toEqual([`${PUBLIC}/api/marketplace-provider-offerings/${TENANT}/`]);
      expect(res.headers.get('location')).toBe(`${PUBLIC}/api/customer-credits/${res.json.uuid}/`);
    }
    await server.call('POST', '/__admin/reset', { token: null });
  });

  it('a hyperlink under another prefix, or a relative one with the prefix, does not resolve', async () => {
    for (const link of [`https://example.com/other/api/customers/${DELTA}/`, `/mock/api/customers/${DELTA}/`]) {
      const res = await server.call('POST', '/api/customer-credits/', { body: { customer: link, value: '5' } });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ customer: ['Invalid hyperlink - No URL match.'] });
    }
  });

  it('a project hyperlink under the public prefix resolves too', async () => {
    const res = await server.call('PATCH', `/api/project-credits/${GENOME_CREDIT}/`, {
      body: { project: `${PUBLIC}/api/projects/${PROJECT_GENOME}/` },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.project).toBe(`${PUBLIC}/api/projects/${PROJECT_GENOME}/`);
    const wrong = await server.call('PATCH', `/api/project-credits/${GENOME_CREDIT}/`, {
      body: { project: `${PUBLIC}/api/customers/${ALPHA}/` },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ project: ['Invalid hyperlink - Incorrect URL match.'] });
  });
});

describe('--trust-proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: true });
  });
  afterAll(() => server.close());
  const viaProxy = { 'X-Forwarded-Host': 'localhost:5173', 'X-Forwarded-Proto': 'http' };

  it('url fields, Link, Location and the 301 use the forwarded host and scheme', async () => {
    const list = await server.call('GET', '/api/customer-credits/?page_size=2', { headers: viaProxy });
    for (const u of urlsIn(list)) expect(u.startsWith('http://localhost:5173/api/'), u).toBe(true);
    expect(list.headers.get('link')).toContain(
      '<http://localhost:5173/api/customer-credits/?page=2&page_size=2>; rel="next"',
    );
    const moved = await server.call('GET', '/api/customer-credits', {
      headers: { Forwarded: 'proto=https;host=app.example' },
    });
    expect(moved.headers.get('location')).toBe('https://app.example/api/customer-credits/');
    const created = await server.call('POST', '/api/customer-credits/', {
      headers: viaProxy,
      body: { customer: `http://localhost:5173/api/customers/${DELTA}/`, value: '1' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(`http://localhost:5173/api/customer-credits/${created.json.uuid}/`);
    await server.call('POST', '/__admin/reset', { token: null });
  });

  it('without forwarded headers the links are the request’s own', async () => {
    const res = await server.call('GET', `/api/customer-credits/?customer_uuid=${ALPHA}`);
    for (const u of urlsIn(res)) expect(u.startsWith(`${server.url}/api/`), u).toBe(true);
  });
});

describe('without --public-url or --trust-proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("a Host header that is no host: a 400 in DRF's shape before anything else (guard.ts), not a 500", async () => {
    const port = Number(new URL(server.url).port);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers = { Host: 'a b', Authorization: 'Token staff-token' };
      httpRequest({ host: '127.0.0.1', port, path: '/api/customer-credits/?page_size=1', headers }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
        .on('error', reject)
        .end();
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      detail: "Invalid HTTP_HOST header: 'a b'. The domain name provided is not valid.",
    });
  });

  it('a proxy’s X-Forwarded-Host changes nothing', async () => {
    const res = await server.call('GET', '/api/customer-credits/?page_size=1', {
      headers: { 'X-Forwarded-Host': 'localhost:5173' },
    });
    const urls = urlsIn(res);
    expect(urls.length).toBeGreaterThan(3);
    for (const u of urls) expect(u.startsWith(`${server.url}/api/`), u).toBe(true);
  });
});
