/**
 * /__admin/ requests checked against specs/admin.yaml before any route runs:
 * bodies and query parameters, refused with 400 in the Problem shape naming
 * the member, nothing written; a path that names nothing still answers 404 first.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectSpecResponse } from '../../test-support/admin-spec.js';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const ACME = 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await server.call('POST', '/__admin/reset', { token: null })).status).toBe(200);
});

const state = async () => (await server.call('GET', '/__admin/state', { token: null })).json as unknown;
async function refused(
  method: string,
  path: string,
  specPath: string,
  body: unknown,
  problems: (string | RegExp)[],
): Promise<TestResponse> {
  const before = await state();
  const res = await server.call(method, path, { token: null, body });
  await expectSpecResponse(method, specPath, res);
  expect(res.status, res.text).toBe(400);
  expect(res.json.error).toBe('invalid data');
  expect(res.json.problems).toHaveLength(problems.length);
  problems.forEach((p, i) =>
    typeof p === 'string' ? expect(res.json.problems[i]).toBe(p) : expect(res.json.problems[i]).toMatch(p),
  );
  expect(await state()).toEqual(before);
  return res;
}

describe('bodies', () => {
  it.each<[string, unknown, (string | RegExp)[]]>([
    ['no date', {}, ['date: is required']],
    ['a day that does not exist', { date: '2026-02-30' }, ['date: must be a date as YYYY-MM-DD']],
    ['a date-time', { date: '2026-11-01T00:00:00Z' }, ['date: must be a date as YYYY-MM-DD']],
    ['another member', { date: '2026-11-01', force: true }, ['force: unknown member (use date)']],
    ['a list', ['2026-11-01'], ['(top level): must be an object']],
  ])('set-to-zero-overdue-credits refuses %s', (_what, body, problems) =>
    refused(
      'POST',
      '/__admin/waldur/set-to-zero-overdue-credits',
      '/__admin/waldur/set-to-zero-overdue-credits',
      body,
      problems,
    ).then(() => undefined),
  );

  it('names every member at fault, nested ones by their path', () =>
    refused(
      'POST',
      '/__admin/waldur/users',
      '/__admin/waldur/users',
      { token: 'a b', is_staff: 'yes', customer_roles: [{ customer: ALPHA, role: 'boss' }] },
      [
        /^token: must match/,
        'is_staff: must be a boolean',
        'customer_roles.0.role: must be owner, service_manager or support',
      ],
    ));

  it('says null is allowed where it is', () =>
    refused('POST', '/__admin/waldur/offerings', '/__admin/waldur/offerings', { name: 'X', customer: 5 }, [
      'customer: must be a string or null',
    ]));

  it('refuses a write without the body its spec requires', () =>
    refused('POST', '/__admin/maple/faults', '/__admin/maple/faults', undefined, [
      '(top level): must be a JSON object (Content-Type: application/json)',
    ]));

  it('takes an absent body where the spec allows one (clock, settings): nothing changes', async () => {
    const clock = await server.call('POST', '/__admin/clock', { token: null });
    expect(clock.json).toEqual({ now: '2026-11-15T10:00:00.000Z', today: '2026-11-15', frozen: true });
    const settings = await server.call('POST', '/__admin/maple/settings', { token: null });
    await expectSpecResponse('POST', '/__admin/maple/settings', settings);
    expect(settings.json).toEqual({ allow_partial_consume: false, same_key_different_request: 'conflict' });
  });

  it.each<[unknown, string[]]>([
    [{}, ['(top level): give status, delay_ms or both']],
    [{ delay_ms: 0 }, ['(top level): give a status, or a delay_ms above 0']],
    [{ status: 500, count: 1.5 }, ['count: must be a whole number']],
    [{ delay_ms: 60_001 }, ['delay_ms: must be a whole number from 0 to 60000']],
    [{ status: '500' }, ['status: must be a whole number']],
    [{ status: 418 }, ['status: must be 429, 500, 502 or 503']],
  ])('a Waldur fault %j is refused', (body, problems) =>
    refused('POST', '/__admin/waldur/faults', '/__admin/waldur/faults', body, problems).then(() => undefined),
  );

  it('moves the clock to the edge of its range, and not past it', async () => {
    await refused('POST', '/__admin/clock', '/__admin/clock', { now: '9999-12-31T23:59:59.999Z', advance_days: 1 }, [
      /^advance_days: must be a number of days that keeps/,
    ]);
    const edge = await server.call('POST', '/__admin/clock', {
      token: null,
      body: { now: '9999-12-31T23:59:59.999Z' },
    });
    expect(edge.json.now).toBe('9999-12-31T23:59:59.999Z');
  });

  it("answers the README's example as the README says", () =>
    refused('POST', '/__admin/clock', '/__admin/clock', { freeze: 'yes', colour: 'red' }, [
      'colour: unknown member (use now, freeze or advance_days)',
      'freeze: must be a boolean',
    ]));

  it("checks a session's requests the same way", async () => {
    const res = await server.call('POST', '/__session/v-1/__admin/clock', { token: null, body: { freeze: 'no' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'invalid data', problems: ['freeze: must be a boolean'] });
  });
});

describe('query parameters', () => {
  it.each<[string, (string | RegExp)[]]>([
    ['?limit=abc', ['limit: must be a whole number']],
    ['?limit=0', ['limit: must be a whole number from 1 to 1000000']],
    ['?limit=5&limit=6', ['limit: give it once']],
    ['?dialect=soap', ['dialect: must be waldur or maple']],
    [
      '?colour=red',
      [/^colour: unknown parameter \(use method, path, operation, dialect, status, since, header or limit\)$/],
    ],
    ['?method=GE%20T', ['method: must match ^[A-Za-z]+$']],
    ['?path=api', ['path: must match ^/']],
    ['?status=6xx', [/^status: must match/]],
    ['?header=no-colon', ['header: must match ^[^:]+:']],
    ['?header=a:1&header=no-colon', ['header: must match ^[^:]+:']],
  ])('GET /__admin/requests%s → 400', (query, problems) =>
    refused('GET', `/__admin/requests${query}`, '/__admin/requests', undefined, problems).then(() => undefined),
  );

  it.each<[unknown, string[]]>([
    [{ status: 99 }, ['status: must be a status from 100 to 599, or a class such as 4xx']],
    [{ headers: ['a'] }, ['headers: must be an object']],
    [{ headers: { a: 1 } }, ['headers.a: must be a string']],
    [[1], ['(top level): must be an object']],
  ])('POST /__admin/requests/count %j → 400', (body, problems) =>
    refused('POST', '/__admin/requests/count', '/__admin/requests/count', body, problems).then(() => undefined),
  );

  it('takes a repeated parameter the spec declares as a list', async () => {
    const res = await server.call('GET', '/__admin/requests?header=a:1&header=b:2&limit=3', { token: null });
    await expectSpecResponse('GET', '/__admin/requests', res);
    expect(res.status).toBe(200);
  });

  it('answers 404 for a company that does not exist before it looks at the query or the body', async () => {
    const list = await server.call('GET', '/__admin/maple/companies/cmp_Nowhere/invoices?customer_id=a&customer_id=b', {
      token: null,
    });
    expect(list.status).toBe(404);
    const add = await server.call('POST', '/__admin/maple/companies/cmp_Nowhere/customers', {
      token: null,
      body: { colour: 'red' },
    });
    expect(add.status).toBe(404);
    await refused(
      'GET',
      `/__admin/maple/companies/${ACME}/invoices?customer_id=a&customer_id=b`,
      '/__admin/maple/companies/{company_id}/invoices',
      undefined,
      ['customer_id: give it once'],
    );
    await refused(
      'POST',
      `/__admin/maple/companies/${ACME}/customers`,
      '/__admin/maple/companies/{company_id}/customers',
      { colour: 'red' },
      ['name: is required', 'colour: unknown member (use id, identifier, name, email or created_at)'],
    );
  });

  it('answers 404 for an unknown invoice, then checks the item', async () => {
    const unknown = await server.call('POST', '/__admin/waldur/invoices/0123456789abcdef0123456789abcdef/items', {
      token: null,
      body: { name: 1 },
    });
    expect(unknown.status).toBe(404);
    const made = await server.call('POST', '/__admin/waldur/invoices', {
      token: null,
      body: { customer: ALPHA, year: 2026, month: 11 },
    });
    expect(made.status).toBe(201);
    await refused(
      'POST',
      `/__admin/waldur/invoices/${made.json.uuid}/items`,
      '/__admin/waldur/invoices/{uuid}/items',
      { name: 1, unit_price: '1x' },
      ['name: must be a string', 'unit_price: must be an exact decimal, as a string (`"100.5"`) or a JSON number'],
    );
  });
});
