/**
 * HTTP conventions of the Maple dialect (docs/behaviour/maple.md §1.1, §1.6, Part 4 items 1
 * and 11): Bearer tokens bound to a company, Maple's error envelope on every
 * error, routing, media types, body size, HEAD and injected faults.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  ACME,
  addFault,
  admin,
  amountBody,
  balancePath,
  consumePath,
  creditPath,
  creditsPath,
  expectError,
  expectInvalid,
  FABRIKAM,
  findBody,
  findCredits,
  findPath,
  FIXTURE_CREDITS,
  GLOBEX,
  GLOBEX_TOKEN,
  logsPath,
  NORTHWIND,
  postRaw,
  rawRequest,
  useMapleServer,
} from './maple-test-helpers.js';

const server = useMapleServer();

/** One request per operation of specs/maple-credits.yaml, for the company given. */
const OPERATIONS = (company: string): [string, string, string, unknown][] => [
  ['createCredit', 'POST', creditsPath(company), amountBody(FABRIKAM, 100)],
  ['getCredit', 'GET', creditPath(FIXTURE_CREDITS.welcome, company), undefined],
  ['revokeCredit', 'DELETE', creditPath(FIXTURE_CREDITS.welcome, company), undefined],
  ['findCredits', 'POST', findPath(company), findBody()],
  [
    'consumeCredits',
    'POST',
    consumePath(company),
    { customer_id: NORTHWIND, type: 'AMOUNT', amount: { currency: 'USD', value_in_cents: 1 } },
  ],
  ['checkBalance', 'GET', balancePath(NORTHWIND, company), undefined],
  ['findCreditLogs', 'POST', logsPath(company), findBody()],
];

describe('authentication and scoping', () => {
  it.each(OPERATIONS(ACME))('%s without a token → 401 auth_error', async (_op, method, path, body) => {
    const res = await server().maple(method, path, { body, token: null });
    expectError(res, 401, 'auth_error');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['Basic credentials', 'Basic bWFwbGU6dG9rZW4='],
    ['an unknown token', 'Bearer not-a-token'],
    ['the scheme alone', 'Bearer'],
    ['a Waldur-style token', 'Token maple-token'],
    ['the token without a scheme', 'maple-token'],
  ])('%s → 401 auth_error', async (_name, authorization) => {
    expectError(
      await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome), { headers: { Authorization: authorization } }),
      401,
      'auth_error',
    );
  });

  it('the scheme in any case is accepted', async () => {
    const res = await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome), {
      headers: { Authorization: 'bearer maple-token' },
    });
    expect(res.status).toBe(200);
  });

  it.each(OPERATIONS(GLOBEX))(
    "%s with another company's token → 403 auth_error, nothing done",
    async (_op, method, path, body) => {
      expectError(await server().maple(method, path, { body }), 403, 'auth_error');
      expect((await findCredits(server(), {})).length).toBe(4);
    },
  );

  it('a company that does not exist → 403', async () => {
    expectError(
      await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome, 'cmp_0000000000000000000000000000')),
      403,
      'auth_error',
    );
  });

  it.each(['acme', 'company_2MkGNwZqoewXZ38Sc2AzYZh4x50', 'cmp_', 'cmp_with-dash'])(
    'company id %s without the cmp_ form → 400 request_error',
    async (company) => {
      expectError(await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome, company)), 400, 'request_error');
    },
  );

  it("another company's credit id → 404, for get and revoke", async () => {
    expectError(await server().maple('GET', creditPath(FIXTURE_CREDITS.starter)), 404, 'request_error', 'not_found');
    expectError(await server().maple('DELETE', creditPath(FIXTURE_CREDITS.starter)), 404, 'request_error', 'not_found');
    const own = await server().maple('GET', creditPath(FIXTURE_CREDITS.starter, GLOBEX), { token: GLOBEX_TOKEN });
    expect(own.json.state).toBe('ACTIVE');
  });
});

describe('routing', () => {
  it.each([
    `/api/v1/companies/${ACME}/widgets`,
    `/api/v1/companies/${ACME}/credits/${FIXTURE_CREDITS.welcome}/logs`,
    '/api/v1',
    '/api/v1/',
    '/api/v1/credits',
  ])("unknown route %s → 404 in Maple's envelope", async (path) => {
    expectError(await server().maple('GET', path), 404, 'request_error', 'route_not_found');
  });

  it.each([
    ['PUT', creditsPath(), ['POST']],
    ['GET', creditsPath(), ['POST']],
    ['PATCH', creditPath(FIXTURE_CREDITS.welcome), ['DELETE', 'GET']],
    ['POST', creditPath(FIXTURE_CREDITS.welcome), ['DELETE', 'GET']],
    ['GET', findPath(), ['POST']],
    ['DELETE', consumePath(), ['POST']],
    ['POST', balancePath(NORTHWIND), ['GET']],
  ])('%s %s → 405 with Allow', async (method, path, allowed) => {
    const res = await server().maple(method, path);
    expectError(res, 405, 'request_error', 'method_not_allowed');
    const allow = (res.headers.get('allow') ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m !== 'HEAD');
    expect(allow.sort()).toEqual(allowed);
  });

  it('HEAD on get → 200 with no body', async () => {
    const res = await server().maple('HEAD', creditPath(FIXTURE_CREDITS.welcome));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await server().maple('HEAD', creditPath('crd_0000000000000000000000000000'))).status).toBe(404);
  });

  it('compact JSON as application/json', async () => {
    const res = await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome));
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.text).not.toMatch(/\n/);
  });
});

describe('bodies', () => {
  const body = JSON.stringify(amountBody(FABRIKAM, 100));

  it('malformed JSON → 400 request_error', async () => {
    expectError(await postRaw(server(), creditsPath(), '{"customer_id": '), 400, 'request_error', 'invalid_json');
    expectError(await postRaw(server(), findPath(), "{'pagination': 1}"), 400, 'request_error', 'invalid_json');
  });

  it('Content-Type text/plain → 400, nothing created', async () => {
    expectError(
      await rawRequest(server(), 'POST', creditsPath(), body, { 'Content-Type': 'text/plain' }),
      400,
      'request_error',
      'unsupported_content_type',
    );
    expectError(
      await rawRequest(server(), 'POST', creditsPath(), body, { 'Content-Type': 'application/x-www-form-urlencoded' }),
      400,
      'request_error',
    );
    expect(await findCredits(server(), { customer_id: FABRIKAM })).toEqual([]);
  });

  it('a JSON body with no Content-Type is accepted', async () => {
    const res = await rawRequest(server(), 'POST', creditsPath(), body);
    expect(res.status, res.text).toBe(201);
    expect(res.json.amount).toEqual({ currency: 'USD', value_in_cents: 100 });
  });

  it.each(['application/json; charset=utf-8', 'application/vnd.maple+json'])(
    'Content-Type %s is JSON',
    async (type) => {
      expect((await rawRequest(server(), 'POST', creditsPath(), body, { 'Content-Type': type })).status).toBe(201);
    },
  );

  it('no body on create → 400 validation_error', async () => {
    expectInvalid(await rawRequest(server(), 'POST', creditsPath(), undefined), 'body');
  });

  it('a body of exactly 1 MiB is read; one byte more → 413', async () => {
    const prefix = `{"customer_id":"${FABRIKAM}","type":"AMOUNT","amount":{"currency":"USD","value_in_cents":100},"name":"`;
    const fill = (size: number) => prefix + 'n'.repeat(size - prefix.length - 2) + '"}';
    const exact = await postRaw(server(), creditsPath(), fill(1024 * 1024));
    expect(exact.status).toBe(201);
    expectError(await postRaw(server(), creditsPath(), fill(1024 * 1024 + 1)), 413, 'request_error', 'body_too_large');
    expect((await findCredits(server(), { customer_id: FABRIKAM })).length).toBe(1);
  });

  it('a chunked body over 1 MiB (no Content-Length) → 413; the body is drained, so the same connection serves the next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = await viaAgent(agent, 'POST', creditsPath(), 20);
      expect(big.status).toBe(413);
      expect(JSON.parse(big.text)).toMatchObject({
        error_type: 'request_error',
        error_status: 413,
        error_code: 'body_too_large',
      });
      expect(big.headers.connection).toBe('keep-alive');
      const next = await viaAgent(agent, 'GET', creditPath(FIXTURE_CREDITS.welcome), 0).catch(
        (err: Error & { code?: string }) => err.code ?? err.message,
      );
      expect(next).toMatchObject({ status: 200 });
    } finally {
      agent.destroy();
    }
  });

  it.each([
    ['GET', creditPath(FIXTURE_CREDITS.welcome), 200],
    ['DELETE', creditPath(FIXTURE_CREDITS.welcome), 200],
    ['GET', balancePath(NORTHWIND), 200],
  ])('%s %s ignores a body, even one over 1 MiB (drained, never parsed)', async (method, path, status) => {
    const res = await viaAgent(false, method, path, 17, true);
    expect(res.status, res.text).toBe(status);
    const garbled = await viaAgent(false, method, path, 1, true);
    expect(garbled.status, garbled.text).not.toBeGreaterThanOrEqual(500);
  });
});

/** A request over a node:http agent of its own (so a broken connection stays out of fetch's pool), with `chunks` × 64 KiB streamed as the body. */
function viaAgent(
  agent: http.Agent | false,
  method: string,
  path: string,
  chunks: number,
  declareLength = false,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const url = new URL(server().url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: 'Bearer maple-token', 'Content-Type': 'application/json' };
    if (declareLength) headers['Content-Length'] = String(chunks * 64 * 1024);
    const req = http.request({ host: url.hostname, port: url.port, method, path, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    const write = (): void => {
      while (sent < chunks) {
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('injected faults', () => {
  it('429 with Retry-After in the envelope; the next request runs', async () => {
    await addFault(server(), { status: 429 });
    const limited = await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome));
    expectError(limited, 429, 'request_error');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).status).toBe(200);
  });

  it('500 in the envelope; nothing done', async () => {
    await addFault(server(), { status: 500 });
    expectError(await server().maple('POST', creditsPath(), { body: amountBody(FABRIKAM, 100) }), 500, 'request_error');
    expect(await findCredits(server(), { customer_id: FABRIKAM })).toEqual([]);
  });

  it('count: the next n requests fail, then they run', async () => {
    await addFault(server(), { status: 500, count: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('operation: only that operation fails', async () => {
    await addFault(server(), { status: 429, operation: 'consumeCredits' });
    expect((await server().maple('GET', creditPath(FIXTURE_CREDITS.welcome))).status).toBe(200);
    expect((await server().maple('POST', findPath(), { body: findBody() })).status).toBe(200);
    const res = await server().maple('POST', consumePath(), { body: OPERATIONS(ACME)[4]![3] });
    expectError(res, 429, 'request_error');
    expect((await admin(server(), 'GET', '/maple/faults')).json.faults).toEqual([]);
  });
});
