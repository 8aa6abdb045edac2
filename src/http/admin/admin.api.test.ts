import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  adminSpec,
  ajv,
  checked,
  documentedOperations,
  expectBodyMatches,
  expectSpecResponse,
  HTTP_METHODS,
  rawSpec,
  type SpecOperation,
} from '../../test-support/admin-spec.js';
import {
  defaultFixtures,
  startTestServer,
  type TestResponse,
  type TestServer,
} from '../../test-support/mock-server.js';

/** Asserts `res` is the catch-all answer for a route the spec does not list. */
async function expectNotFoundProblem(res: TestResponse): Promise<void> {
  expect(res.status).toBe(404);
  const doc = await adminSpec();
  expectBodyMatches(res, doc.components.responses.NotFound?.content?.['application/json']?.schema, 'NotFound');
  expect(res.json).toEqual({ error: 'no such admin route', problems: [] });
}

/** Calls an admin operation (no token: the admin API needs none) and checks the answer against the spec. */
async function admin(server: TestServer, method: string, specPath: string, body?: unknown): Promise<TestResponse> {
  const res = await server.call(method, specPath, { token: null, body });
  await expectSpecResponse(method, specPath, res);
  return res;
}

// ---------------------------------------------------------------------------
// data helpers
// ---------------------------------------------------------------------------

type Row = Record<string, unknown>;
type StateDoc = Record<string, Row[]>;
const COLLECTIONS = [
  'customers',
  'projects',
  'offerings',
  'users',
  'customer_credits',
  'project_credits',
  'invoices',
] as const;
const HEX32 = /^[0-9a-f]{32}$/;

const fixtures = defaultFixtures() as StateDoc;
const fixtureCounts = Object.fromEntries(COLLECTIONS.map((k) => [k, (fixtures[k] ?? []).length]));
/** fixtures/maple.json: two companies; every credit is given short, so each has one ISSUED log entry. */
const MAPLE_FIXTURE_COUNTS = {
  companies: 2,
  customers: 4,
  items: 3,
  subscriptions: 2,
  invoices: 6,
  credits: 5,
  logs: 5,
};
const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const BETA = 'f3f49249dc284f90a5aec7978306d03b';
const UNKNOWN = '0123456789abcdef0123456789abcdef';

async function exportState(server: TestServer): Promise<StateDoc> {
  const res = await admin(server, 'GET', '/__admin/state');
  expect(res.status).toBe(200);
  return res.json.waldur as StateDoc;
}

const listCustomerCredits = (server: TestServer, token = 'staff-token') =>
  server.call('GET', '/api/customer-credits/?page_size=300', { token });

// ---------------------------------------------------------------------------

describe('admin API: reading', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('GET /__admin/health answers ok', async () => {
    const res = await admin(server, 'GET', '/__admin/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', waldur_version: '8.0.5' });
  });

  it('needs no token, and ignores a wrong one', async () => {
    expect((await server.call('GET', '/__admin/health', { token: null })).status).toBe(200);
    expect((await server.call('GET', '/__admin/health', { token: 'no-such-token' })).status).toBe(200);
  });

  it('GET /__admin/state exports every fixture, normalised', async () => {
    const state = await exportState(server);
    expect(Object.keys(state).sort()).toEqual([...COLLECTIONS].sort());
    for (const k of COLLECTIONS) expect(state[k], k).toHaveLength(fixtureCounts[k]!);
    expect(fixtureCounts).toMatchObject({
      customers: 5,
      projects: 8,
      offerings: 4,
      users: 7,
      customer_credits: 3,
      project_credits: 3,
    });
    for (const k of COLLECTIONS) for (const row of state[k]!) expect(row.uuid, k).toMatch(HEX32);
    const alphaCredit = state.customer_credits!.find((c) => c.customer === ALPHA);
    expect(alphaCredit).toMatchObject({ value: '1000.00000', grace_coefficient: '10', end_date: '2027-07-01' });
    const user = state.users!.find((u) => u.token === 'user-token');
    expect(user).toEqual({
      uuid: 'de0279e17f9a40988df05f2595f19a51',
      username: 'user',
      token: 'user-token',
      is_staff: false,
      is_support: false,
      is_active: true,
      token_expires_at: null,
      customer_roles: [],
      project_roles: [],
    });
  });

  it('GET /__admin/clock shows the frozen test time', async () => {
    const res = await admin(server, 'GET', '/__admin/clock');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ now: '2026-11-15T10:00:00.000Z', today: '2026-11-15', frozen: true });
  });

  it.each([
    ['GET', '/__admin/nope'],
    ['GET', '/__admin/waldur/customers'],
    ['POST', '/__admin/waldur/credits'],
    ['GET', '/__admin/reset'],
    ['DELETE', '/__admin/state'],
    ['POST', '/__admin'],
  ])('%s %s (not an admin route) answers 404 Problem', async (method, p) => {
    await expectNotFoundProblem(await server.call(method, p, { token: null }));
  });
});

describe('admin API: PUT /__admin/state', () => {
  let server: TestServer;
  let before: StateDoc;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await admin(server, 'POST', '/__admin/reset');
    before = await exportState(server);
  });

  it('imports a modified state, which the Waldur API then serves', async () => {
    const next = structuredClone(before);
    next.customer_credits = next.customer_credits!.filter((c) => c.customer !== BETA);
    const alpha = next.customer_credits.find((c) => c.customer === ALPHA)!;
    alpha.value = '1234.5';
    alpha.offerings = [];
    next.customers!.push({ uuid: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', name: 'Omega Lab', slug: 'omega-lab' });
    next.customer_credits.push({ customer: 'aaaaaaaabbbb4ccc8dddeeeeeeeeeeee', value: 77, end_date: '2028-01-01' });

    const res = await admin(server, 'PUT', '/__admin/state', { waldur: next });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      status: 'imported',
      counts: { ...fixtureCounts, customers: fixtureCounts.customers! + 1 },
      maple: MAPLE_FIXTURE_COUNTS, // the Maple half is left as it was
    });

    const list = await listCustomerCredits(server);
    expect(list.status).toBe(200);
    const byCustomer = new Map((list.json as Row[]).map((c) => [c.customer_uuid, c]));
    expect([...byCustomer.keys()].sort()).toEqual(
      [ALPHA, 'aaaaaaaabbbb4ccc8dddeeeeeeeeeeee', 'e512148239294d22a255accb1a466884'].sort(),
    );
    expect(byCustomer.get(ALPHA)).toMatchObject({ value: '1234.50000', offerings: [] });
    expect(byCustomer.get('aaaaaaaabbbb4ccc8dddeeeeeeeeeeee')).toMatchObject({
      value: '77.00000',
      customer_name: 'Omega Lab',
      end_date: '2028-01-01',
      minimal_consumption_logic: 'fixed',
    });
    expect(server.violations).toEqual([]);
  });

  it('exports what it imported (round trip)', async () => {
    const res = await admin(server, 'PUT', '/__admin/state', { waldur: before });
    expect(res.status).toBe(200);
    expect(await exportState(server)).toEqual(before);
  });

  it('treats a missing collection as empty', async () => {
    const waldur = { customers: before.customers, projects: before.projects, users: before.users };
    const res = await admin(server, 'PUT', '/__admin/state', { waldur });
    expect(res.status).toBe(200);
    expect(res.json.counts).toEqual({
      ...Object.fromEntries(COLLECTIONS.map((k) => [k, 0])),
      customers: 5,
      projects: 8,
      users: 7,
    });
    expect((await listCustomerCredits(server)).json).toEqual([]);
  });

  const broken: [string, (s: StateDoc) => unknown, RegExp][] = [
    [
      'a project of an unknown customer',
      (s) => ((s.projects![2]!.customer = UNKNOWN), { waldur: s }),
      new RegExp(`^projects\\[2\\]\\.customer refers to unknown ${UNKNOWN}$`),
    ],
    [
      'a credit of an unknown customer',
      (s) => (s.customer_credits!.push({ customer: UNKNOWN }), { waldur: s }),
      new RegExp(`^customer_credits\\[3\\]\\.customer refers to unknown ${UNKNOWN}$`),
    ],
    [
      'a bad uuid',
      (s) => ((s.customers![0]!.uuid = 'not-a-uuid'), { waldur: s }),
      /^customers\.0\.uuid: must match pattern/,
    ],
    [
      'two credits for one customer',
      (s) => (s.customer_credits!.push({ customer: ALPHA, value: '1' }), { waldur: s }),
      new RegExp(`^customer_credits\\[3\\]: customer ${ALPHA} has two credits$`),
    ],
    [
      'a duplicate token',
      (s) => (s.users!.push({ username: 'copycat', token: 'staff-token' }), { waldur: s }),
      /^users\[7\]\.token is used twice$/,
    ],
    [
      'an unknown top-level field',
      (s) => ({ waldur: { ...s, widgets: [] } }),
      /^\(top level\): must NOT have additional properties 'widgets'$/,
    ],
    [
      'an unknown field in a row',
      (s) => ((s.offerings![1]!.price = 3), { waldur: s }),
      /^offerings\.1: must NOT have additional properties 'price'$/,
    ],
    [
      'a decimal that is not one',
      (s) => ((s.project_credits![0]!.value = '1e5'), { waldur: s }),
      /^project_credits\.0\.value: /,
    ],
    [
      'an end date that is not a first of month',
      (s) => ((s.customer_credits![0]!.end_date = '2027-07-15'), { waldur: s }),
      /^customer_credits\.0\.end_date: must match pattern/,
    ],
    ['neither a waldur nor a maple member', () => ({ customers: [] }), /^\(top level\): give waldur, maple or both$/],
    ['a list', () => [{ waldur: {} }], /^\(top level\): must be an object$/],
    ['null', () => null, /^\(top level\): must be an object$/],
    ['waldur that is not an object', () => ({ waldur: [] }), /^\(top level\): must be object$/],
  ];

  it.each(broken)('refuses %s with 400 and readable problems, keeping the state', async (_what, breakIt, expected) => {
    const res = await admin(server, 'PUT', '/__admin/state', breakIt(structuredClone(before)));
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid data');
    expect(res.json.problems, JSON.stringify(res.json.problems)).toEqual(
      expect.arrayContaining([expect.stringMatching(expected)]),
    );
    expect(await exportState(server)).toEqual(before);
    expect((await listCustomerCredits(server)).json).toHaveLength(3);
  });

  it('lists every problem at once', async () => {
    const s = structuredClone(before);
    s.projects![0]!.customer = UNKNOWN;
    s.users!.push({ token: 'owner-token' });
    s.customer_credits!.push({ customer: BETA });
    const res = await admin(server, 'PUT', '/__admin/state', { waldur: s });
    expect(res.status).toBe(400);
    expect(res.json.problems).toHaveLength(3);
  });

  it('refuses malformed JSON with 400 and keeps the state', async () => {
    const res = await server.call('PUT', '/__admin/state', {
      token: null,
      raw: '{"waldur": {',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await exportState(server)).toEqual(before);
  });

  it('answers malformed JSON with a Problem (error + problems)', async () => {
    const res = await server.call('PUT', '/__admin/state', {
      token: null,
      raw: '{"waldur": {',
      headers: { 'Content-Type': 'application/json' },
    });
    await expectSpecResponse('PUT', '/__admin/state', res);
  });
});

describe('admin API: POST /__admin/reset', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('restores the fixtures after changes', async () => {
    const initial = await exportState(server);
    const credit = initial.customer_credits!.find((c) => c.customer === ALPHA)!;

    const del = await server.call('DELETE', `/api/customer-credits/${String(credit.uuid)}/`);
    expect(del.status).toBe(204);
    expect((await listCustomerCredits(server)).json).toHaveLength(2);
    expect((await admin(server, 'POST', '/__admin/waldur/customers', { name: 'Temp', slug: 'temp' })).status).toBe(201);
    expect(
      (await admin(server, 'PUT', '/__admin/state', { waldur: { users: initial.users!.slice(0, 1) } })).status,
    ).toBe(200);
    expect((await listCustomerCredits(server)).json).toEqual([]);

    const res = await admin(server, 'POST', '/__admin/reset');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'reset', counts: fixtureCounts, maple: MAPLE_FIXTURE_COUNTS });
    expect(await exportState(server)).toEqual(initial);
    const list = await listCustomerCredits(server);
    expect((list.json as Row[]).map((c) => c.uuid)).toContain(credit.uuid);
    expect(server.violations).toEqual([]);
  });

  it('puts the clock back to its start setting too', async () => {
    const start = (await admin(server, 'GET', '/__admin/clock')).json;
    await admin(server, 'POST', '/__admin/clock', { now: '2030-01-01', freeze: false });
    await admin(server, 'POST', '/__admin/reset');
    expect((await admin(server, 'GET', '/__admin/clock')).json).toEqual(start);
    expect(start).toEqual({ now: '2026-11-15T10:00:00.000Z', today: '2026-11-15', frozen: true });
  });
});

describe('admin API: adding entities', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function refusedWithoutChange(specPath: string, body: unknown, expected: RegExp): Promise<void> {
    const before = await exportState(server);
    const res = await admin(server, 'POST', specPath, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid data');
    expect(res.json.problems, JSON.stringify(res.json.problems)).toEqual(
      expect.arrayContaining([expect.stringMatching(expected)]),
    );
    expect(await exportState(server)).toEqual(before);
  }

  let customer = '';

  it('adds a customer with a generated uuid', async () => {
    const res = await admin(server, 'POST', '/__admin/waldur/customers', {
      name: 'Zeta Observatory',
      slug: 'zeta-observatory',
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      uuid: expect.stringMatching(HEX32),
      name: 'Zeta Observatory',
      slug: 'zeta-observatory',
    });
    customer = res.json.uuid as string;
    expect((await exportState(server)).customers).toContainEqual(res.json);
  });

  it('adds a customer with a given uuid, normalised to hex', async () => {
    const res = await admin(server, 'POST', '/__admin/waldur/customers', {
      uuid: '11111111-2222-4333-8444-55555555555A',
      name: 'Eta',
      slug: 'eta',
    });
    expect(res.status).toBe(201);
    expect(res.json.uuid).toBe('1111111122224333844455555555555a');
  });

  it('refuses a customer whose uuid is taken', () =>
    refusedWithoutChange(
      '/__admin/waldur/customers',
      { uuid: ALPHA, name: 'Again', slug: 'again' },
      new RegExp(`^customer ${ALPHA} appears twice$`),
    ));

  it('refuses a customer without a slug', () =>
    refusedWithoutChange('/__admin/waldur/customers', { name: 'No slug' }, /^slug: is required$/));

  it('refuses a body that is not an object', () =>
    refusedWithoutChange(
      '/__admin/waldur/customers',
      [{ name: 'x', slug: 'x' }],
      /^\(top level\): must be an object$/,
    ));

  it('adds a project with a generated uuid and slug', async () => {
    const res = await admin(server, 'POST', '/__admin/waldur/projects', { name: 'Star Catalogue', customer });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      uuid: expect.stringMatching(HEX32),
      name: 'Star Catalogue',
      slug: 'star-catalogue',
      customer,
    });
  });

  it('refuses a project of an unknown customer', () =>
    refusedWithoutChange(
      '/__admin/waldur/projects',
      { name: 'Orphan', customer: UNKNOWN },
      new RegExp(`^projects\\[\\d+\\]\\.customer refers to unknown ${UNKNOWN}$`),
    ));

  it('adds an offering with defaults', async () => {
    const res = await admin(server, 'POST', '/__admin/waldur/offerings', { name: 'GPU Partition' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      uuid: expect.stringMatching(HEX32),
      name: 'GPU Partition',
      type: 'Marketplace.Basic',
      customer: null,
    });
  });

  it('adds an offering of a provider', async () => {
    const res = await admin(server, 'POST', '/__admin/waldur/offerings', {
      name: 'Telescope Time',
      type: 'Marketplace.Booking',
      customer,
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ type: 'Marketplace.Booking', customer });
  });

  it('refuses an offering of an unknown provider', () =>
    refusedWithoutChange(
      '/__admin/waldur/offerings',
      { name: 'Ghost', customer: UNKNOWN },
      /^offerings\[\d+\]\.customer refers to unknown/,
    ));

  it('adds a user whose token then authenticates on the Waldur API', async () => {
    expect((await listCustomerCredits(server, 'auditor-token')).status).toBe(401);
    const res = await admin(server, 'POST', '/__admin/waldur/users', {
      username: 'auditor',
      token: 'auditor-token',
      customer_roles: [{ customer: ALPHA, role: 'support' }],
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      uuid: expect.stringMatching(HEX32),
      username: 'auditor',
      token: 'auditor-token',
      is_staff: false,
      is_support: false,
      is_active: true,
      token_expires_at: null,
      customer_roles: [{ customer: ALPHA, role: 'support' }],
      project_roles: [],
    });
    const list = await listCustomerCredits(server, 'auditor-token');
    expect(list.status).toBe(200);
    expect((list.json as Row[]).map((c) => c.customer_uuid)).toEqual([ALPHA]);
    expect(server.violations).toEqual([]);
  });

  it('refuses a user whose token is taken', () =>
    refusedWithoutChange('/__admin/waldur/users', { token: 'staff-token' }, /^users\[\d+\]\.token is used twice$/));

  it('refuses a user without a token', () =>
    refusedWithoutChange('/__admin/waldur/users', { username: 'tokenless' }, /^token: is required$/));

  it('refuses a user with a role in an unknown project', () =>
    refusedWithoutChange(
      '/__admin/waldur/users',
      { token: 'lost-token', project_roles: [{ project: UNKNOWN, role: 'member' }] },
      /^users\[\d+\]\.project_roles\[0\]\.project refers to unknown/,
    ));

  it('refuses a token_expires_at without its offset (the machine time zone would decide when it is)', () =>
    refusedWithoutChange(
      '/__admin/waldur/users',
      { token: 'zoneless-token', token_expires_at: '2030-01-01T00:00:00' },
      /token_expires_at.*date-time/,
    ));

  it('answers token_expires_at as an RFC 3339 date-time', async () => {
    const res = await server.call('POST', '/__admin/waldur/users', {
      token: null,
      body: { token: 'expiring-token', token_expires_at: '2030-01-01' },
    });
    await expectSpecResponse('POST', '/__admin/waldur/users', res);
  });
});

describe('admin API: clock', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.clock.set(new Date('2026-11-15T10:00:00Z'), true); // the test server's start time
  });

  const setClock = async (body: unknown) => {
    const res = await admin(server, 'POST', '/__admin/clock', body);
    expect(res.status).toBe(200);
    const read = (await admin(server, 'GET', '/__admin/clock')).json;
    if (res.json.frozen) expect(read).toEqual(res.json);
    else expect(read).toMatchObject({ frozen: false, today: res.json.today });
    return res.json as { now: string; today: string; frozen: boolean };
  };

  it('moves to a date and stays there', async () => {
    expect(await setClock({ now: '2027-03-01' })).toEqual({
      now: '2027-03-01T00:00:00.000Z',
      today: '2027-03-01',
      frozen: true,
    });
    expect(server.clock.now().toISOString()).toBe('2027-03-01T00:00:00.000Z');
  });

  it('advances by days, also fractional and negative', async () => {
    await setClock({ now: '2027-03-01' });
    expect(await setClock({ advance_days: 3 })).toMatchObject({
      now: '2027-03-04T00:00:00.000Z',
      today: '2027-03-04',
      frozen: true,
    });
    expect(await setClock({ advance_days: -0.5 })).toMatchObject({ now: '2027-03-03T12:00:00.000Z', frozen: true });
    expect(await setClock({ now: '2027-01-31T23:00:00Z', advance_days: 1 })).toMatchObject({ today: '2027-02-01' });
  });

  it('runs from a date when freeze is false, and freezes again', async () => {
    const running = await setClock({ now: '2027-05-01T12:00:00Z', freeze: false });
    expect(running.frozen).toBe(false);
    expect(Date.parse(running.now) - Date.parse('2027-05-01T12:00:00Z')).toBeLessThan(5_000);
    const frozen = await setClock({ freeze: true });
    expect(frozen.frozen).toBe(true);
    expect(Date.parse(frozen.now)).toBeGreaterThanOrEqual(Date.parse(running.now));
    expect(await setClock({ freeze: false })).toMatchObject({ frozen: false });
  });

  it('a date-time with an offset is that instant, written in UTC', async () => {
    expect(await setClock({ now: '2027-03-01T10:00:00+02:00' })).toEqual({
      now: '2027-03-01T08:00:00.000Z',
      today: '2027-03-01',
      frozen: true,
    });
  });

  it('changes nothing for an empty body', async () => {
    expect(await setClock({})).toEqual({ now: '2026-11-15T10:00:00.000Z', today: '2026-11-15', frozen: true });
  });

  it('moves the date the Waldur API reads', async () => {
    // The Alpha credit (end_date 2027-07-01, expected consumption 100, grace 10):
    // minimal consumption is 90 before its end month and the full 100 in it.
    const minimal = async () =>
      Number(
        ((await listCustomerCredits(server)).json as Row[]).find((c) => c.customer_uuid === ALPHA)!.minimal_consumption,
      );
    expect(await minimal()).toBe(90);
    await setClock({ now: '2027-07-10' });
    expect(await minimal()).toBe(100);
    expect(server.violations).toEqual([]);
  });

  it.each<[string, unknown, RegExp[]]>([
    ['a now that is not a date', { now: 'next tuesday' }, [/^now: /]],
    ['a null now', { now: null }, [/^now: /]],
    [
      'a date-time without its offset (it would be read in the machine time zone)',
      { now: '2027-03-01T10:00:00' },
      [/^now: .*RFC 3339 date-time with its offset/],
    ],
    ['a date that is not on the calendar', { now: '2027-02-30' }, [/^now: /]],
    ['a freeze that is not a boolean', { freeze: 'yes' }, [/^freeze: must be a boolean$/]],
    ['advance_days as a string', { advance_days: '3' }, [/^advance_days: must be a number/]],
    [
      'everything wrong at once',
      { now: 'x', freeze: 1, advance_days: null },
      [/^now: /, /^freeze: /, /^advance_days: /],
    ],
  ])('refuses %s with 400 and leaves the clock', async (_what, body, expected) => {
    const res = await admin(server, 'POST', '/__admin/clock', body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid data');
    expect(res.json.problems).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(res.json.problems[i]).toMatch(re));
    expect((await admin(server, 'GET', '/__admin/clock')).json).toEqual({
      now: '2026-11-15T10:00:00.000Z',
      today: '2026-11-15',
      frozen: true,
    });
  });

  it('refuses a now after the year 9999 with 400', async () => {
    const res = await server.call('POST', '/__admin/clock', { token: null, body: { now: '+010000-01-01' } });
    await expectSpecResponse('POST', '/__admin/clock', res);
    expect(res.status).toBe(400);
  });

  it('refuses an advance past the end of time with 400', async () => {
    const res = await server.call('POST', '/__admin/clock', { token: null, body: { advance_days: 1e300 } });
    expect(res.status).toBe(400);
    expect((await server.call('GET', '/__admin/clock', { token: null })).status).toBe(200);
  });
});

describe('admin API: invoices and usage', () => {
  let server: TestServer;
  const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
  const GENOME = '7dabe929c4a344bf86cd75e9bb049a79';
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.call('POST', '/__admin/reset', { token: null }));

  it('adds an invoice, lists it by customer, and appends usage to it', async () => {
    const made = await admin(server, 'POST', '/__admin/waldur/invoices', {
      customer: ALPHA,
      year: 2026,
      month: 11,
      tax_percent: '22',
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({
      customer: ALPHA,
      year: 2026,
      month: 11,
      state: 'pending',
      tax_percent: '22',
      items: [],
    });
    const item = await server.call('POST', `/__admin/waldur/invoices/${made.json.uuid}/items`, {
      token: null,
      body: { name: 'VMs', unit_price: '10', quantity: '30', project: GENOME },
    });
    await expectSpecResponse('POST', '/__admin/waldur/invoices/{uuid}/items', item);
    expect(item.status).toBe(201);
    expect(item.json).toMatchObject({ name: 'VMs', unit_price: '10', quantity: '30', project: GENOME, credit: null });
    expect(item.json.resource).toMatch(/^[0-9a-f]{32}$/);
    const list = await server.call('GET', `/__admin/waldur/invoices?customer=${ALPHA}`, { token: null });
    await expectSpecResponse('GET', '/__admin/waldur/invoices', list);
    expect(list.json).toHaveLength(1);
    expect(list.json[0].items).toHaveLength(1);
  });

  it('refuses an invoice of an unknown customer, and items on unknown or closed invoices', async () => {
    const bad = await admin(server, 'POST', '/__admin/waldur/invoices', {
      customer: 'f'.repeat(32),
      year: 2026,
      month: 11,
    });
    expect(bad.status).toBe(400);
    const unknown = await server.call('POST', `/__admin/waldur/invoices/${'e'.repeat(32)}/items`, {
      token: null,
      body: { name: 'x', unit_price: '1' },
    });
    await expectSpecResponse('POST', '/__admin/waldur/invoices/{uuid}/items', unknown);
    expect(unknown.status).toBe(404);
    const closed = await admin(server, 'POST', '/__admin/waldur/invoices', {
      customer: ALPHA,
      year: 2026,
      month: 10,
      state: 'created',
    });
    const refused = await server.call('POST', `/__admin/waldur/invoices/${closed.json.uuid}/items`, {
      token: null,
      body: { name: 'x', unit_price: '1' },
    });
    await expectSpecResponse('POST', '/__admin/waldur/invoices/{uuid}/items', refused);
    expect(refused.status).toBe(409);
    const notObject = await server.call(
      'POST',
      `/__admin/waldur/invoices/${(await admin(server, 'POST', '/__admin/waldur/invoices', { customer: ALPHA, year: 2026, month: 9 })).json.uuid}/items`,
      { token: null, body: [1] },
    );
    await expectSpecResponse('POST', '/__admin/waldur/invoices/{uuid}/items', notObject);
    expect(notObject.status).toBe(400);
  });

  it("keeps an item's details as given, in the answer, the invoice list and the state", async () => {
    const made = await admin(server, 'POST', '/__admin/waldur/invoices', { customer: ALPHA, year: 2026, month: 11 });
    const details = { plan_component: 'cpu', usage: { hours: 720, note: 'résumé' }, tags: ['a', 'b'] };
    const item = await server.call('POST', `/__admin/waldur/invoices/${made.json.uuid}/items`, {
      token: null,
      body: { name: 'VMs', unit_price: '1', details },
    });
    expect(item.status).toBe(201);
    expect(item.json.details).toEqual(details);
    const list = await server.call('GET', `/__admin/waldur/invoices?customer=${ALPHA}`, { token: null });
    expect(list.json[0].items[0].details).toEqual(details);
    const state = await server.call('GET', '/__admin/state', { token: null });
    expect(state.json.waldur.invoices[0].items[0].details).toEqual(details);
    const plain = await server.call('POST', `/__admin/waldur/invoices/${made.json.uuid}/items`, {
      token: null,
      body: { name: 'disk', unit_price: '1' },
    });
    expect(plain.json).not.toHaveProperty('details');
    const bad = await server.call('POST', `/__admin/waldur/invoices/${made.json.uuid}/items`, {
      token: null,
      body: { name: 'x', unit_price: '1', details: 'text' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('details');
  });

  it('zeroes the credits overdue at an effective date, and refuses a future date (Waldur raises ValueError)', async () => {
    const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
    const GENOME_CREDIT = '93550840067f4cfc8e1fd3d9849acfb5';
    await server.call('POST', '/__admin/clock', { token: null, body: { now: '2027-07-10' } });
    const values = async () => [
      (await server.call('GET', `/api/customer-credits/${ALPHA_CREDIT}/`)).json.value,
      (await server.call('GET', `/api/project-credits/${GENOME_CREDIT}/`)).json.value,
    ];
    expect(await values()).toEqual(['1000.00000', '300.00000']);
    const path = '/__admin/waldur/set-to-zero-overdue-credits';
    const future = await server.call('POST', path, { token: null, body: { date: '2027-07-11' } });
    await expectSpecResponse('POST', path, future);
    expect(future.status).toBe(400);
    expect(future.text).toContain('in the future');
    for (const body of [{}, { date: '2027-02-30' }, { date: '1 July' }, { date: '2027-07-01', extra: 1 }, [1]]) {
      expect((await server.call('POST', path, { token: null, body })).status, JSON.stringify(body)).toBe(400);
    }
    const onTheDay = await server.call('POST', path, { token: null, body: { date: '2027-07-01' } });
    expect(onTheDay.json).toEqual({ status: 'done', date: '2027-07-01', customer_credits: [], project_credits: [] });
    expect(await values()).toEqual(['1000.00000', '300.00000']);
    const after = await server.call('POST', path, { token: null, body: { date: '2027-07-10' } });
    await expectSpecResponse('POST', path, after);
    expect(after.json).toEqual({
      status: 'done',
      date: '2027-07-10',
      customer_credits: [ALPHA_CREDIT],
      project_credits: [GENOME_CREDIT],
    });
    expect(await values()).toEqual(['0.00000', '0.00000']);
  });

  it('terminates a project, and answers 404 for an unknown one', async () => {
    const done = await server.call('POST', `/__admin/waldur/projects/${GENOME}/terminate`, { token: null });
    await expectSpecResponse('POST', '/__admin/waldur/projects/{uuid}/terminate', done);
    expect(done.json).toEqual({ status: 'terminated', project: GENOME });
    const again = await server.call('POST', `/__admin/waldur/projects/${GENOME}/terminate`, { token: null });
    await expectSpecResponse('POST', '/__admin/waldur/projects/{uuid}/terminate', again);
    expect(again.status).toBe(404);
  });
});

describe('specs/admin.yaml', () => {
  it('is valid OpenAPI', async () => {
    await expect(SwaggerParser.validate(structuredClone(rawSpec) as never)).resolves.toBeDefined();
  });

  it('accepts fixtures/waldur.json as a WaldurState', async () => {
    const doc = await adminSpec();
    const validate = ajv.compile(doc.components.schemas.WaldurState!);
    expect(validate(fixtures) ? [] : validate.errors).toEqual([]);
  });

  it('has an operationId, tags and a summary on every operation', async () => {
    const doc = await adminSpec();
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(item)) {
        if (!HTTP_METHODS.includes(m)) continue;
        const o = op as SpecOperation & { tags?: string[]; summary?: string };
        expect(o.operationId, `${m} ${p}`).toMatch(/^admin[A-Z][A-Za-z]+$/);
        expect(o.tags?.length, `${m} ${p}`).toBeGreaterThan(0);
        expect(o.summary, `${m} ${p}`).toBeTruthy();
      }
    }
  });

  // Runs last: every documented operation was checked against a real response above
  // (the /__admin/maple/ operations are checked in maple-admin.api.test.ts).
  it('has had every operation checked against a real response', async () => {
    // (/__admin/requests and /__admin/waldur/faults in journal.api.test.ts and waldur-faults.api.test.ts).
    const documented = await documentedOperations(
      (p) =>
        !p.startsWith('/__admin/maple/') &&
        !p.startsWith('/__admin/sessions') &&
        !p.startsWith('/__admin/requests') &&
        p !== '/__admin/waldur/faults' &&
        p !== '/__admin/waldur/settings',
    );
    expect(documented).toHaveLength(15);
    expect(documented.filter((op) => !checked.has(op))).toEqual([]);
  });
});
