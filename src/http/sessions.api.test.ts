import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checked, documentedOperations, expectSpecResponse } from '../test-support/admin-spec.js';
import { startTestServer, type TestServer } from '../test-support/mock-server.js';
import { amountBody, balancePath, creditsPath, FABRIKAM } from './maple/maple-test-helpers.js';

const DELTA = '6bad6be28e7a46e99f19950499dd251d';
const CLIMATE_MODEL = '70eb9a0a96264ae685e818fac0433cbd';
const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
const S = (name: string) => `/__session/${name}`;

/** A request with the path exactly as written (fetch would normalise `..`), no token. */
function rawGet(server: TestServer, path: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'GET', path }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

const createDeltaCredit = (
  server: TestServer,
  prefix: string,
  customerUrl = `${server.url}${prefix}/api/customers/${DELTA}/`,
) => server.call('POST', `${prefix}/api/customer-credits/`, { body: { customer: customerUrl, value: '500.00' } });

const sessionNames = async (server: TestServer): Promise<string[]> => {
  const res = await server.call('GET', '/__admin/sessions', { token: null });
  await expectSpecResponse('GET', '/__admin/sessions', res);
  return (res.json.sessions as { name: string }[]).map((s) => s.name);
};

describe('sessions: isolated worlds under /__session/<name>/', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  afterEach(async () => {
    expect(server.violations).toEqual([]);
    for (const name of await sessionNames(server))
      await server.call('DELETE', `/__admin/sessions/${name}`, { token: null });
    await server.call('POST', '/__admin/reset', { token: null });
  });

  it('a credit made in session a is seen only there, its URLs carrying the prefix', async () => {
    const made = await createDeltaCredit(server, S('a'));
    expect(made.status, made.text).toBe(201);
    const url = `${server.url}/__session/a/api/customer-credits/${made.json.uuid}/`;
    expect(made.json.url).toBe(url);
    expect(made.headers.get('location')).toBe(url);
    expect(made.json.customer).toBe(`${server.url}/__session/a/api/customers/${DELTA}/`);
    expect((await server.call('GET', `${S('a')}/api/customer-credits/${made.json.uuid}/`)).status).toBe(200);
    const listed = await server.call('GET', `${S('a')}/api/customer-credits/?customer_uuid=${DELTA}`);
    expect(listed.json.map((c: { url: string }) => c.url)).toEqual([url]);
    expect(listed.json[0].customer).toMatch(/\/__session\/a\/api\/customers\//);
    for (const elsewhere of [S('b'), '']) {
      expect((await server.call('GET', `${elsewhere}/api/customer-credits/${made.json.uuid}/`)).status).toBe(404);
      expect((await server.call('HEAD', `${elsewhere}/api/customer-credits/`)).headers.get('x-result-count')).toBe('3');
    }
    expect((await server.call('HEAD', `${S('a')}/api/customer-credits/`)).headers.get('x-result-count')).toBe('4');
  });

  it('hyperlinks in bodies resolve inside the session: with its prefix or without, never another session', async () => {
    expect(
      (await createDeltaCredit(server, S('a'), `http://elsewhere.example/__session/a/api/customers/${DELTA}/`)).status,
    ).toBe(201);
    expect((await createDeltaCredit(server, S('b'), `${server.url}/api/customers/${DELTA}/`)).status).toBe(201);
    const crossed = await createDeltaCredit(server, S('c'), `${server.url}/__session/a/api/customers/${DELTA}/`);
    expect(crossed.status).toBe(400);
    expect(crossed.json).toEqual({ customer: ['Invalid hyperlink - No URL match.'] });
    const project = await server.call('POST', `${S('a')}/api/project-credits/`, {
      body: { project: `${server.url}/__session/a/api/projects/${CLIMATE_MODEL}/`, value: '10.00' },
    });
    expect(project.status, project.text).toBe(201);
    expect(project.json.project).toBe(`${server.url}/__session/a/api/projects/${CLIMATE_MODEL}/`);
    expect(project.json.url).toBe(`${server.url}/__session/a/api/project-credits/${project.json.uuid}/`);
  });

  it('Link pages and the 301 for a missing slash stay inside the session', async () => {
    const first = await server.call('GET', `${S('ci-42')}/api/customer-credits/?page_size=1&o=value`);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBe(`${server.url}/__session/ci-42/api/customer-credits/?o=value&page=2&page_size=1`);
    const second = await fetch(next!, { headers: { Authorization: 'Token staff-token' } });
    expect(second.status).toBe(200);
    expect(((await second.json()) as { url: string }[])[0]!.url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/__session\/ci-42\/api\/customer-credits\//,
    );
    expect(second.headers.get('link')).toContain(
      `<${server.url}/__session/ci-42/api/customer-credits/?o=value&page_size=1>; rel="first"`,
    );
    const moved = await server.call('GET', `${S('ci-42')}/api/customer-credits?page=2`);
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe(`${server.url}/__session/ci-42/api/customer-credits/?page=2`);
  });

  it('Maple data, idempotency keys, settings and faults are per session', async () => {
    const key = { 'Idempotency-Key': 'same-key-in-two-sessions' };
    const inA = await server.maple('POST', `${S('a')}${creditsPath()}`, {
      body: amountBody(FABRIKAM, 700),
      headers: key,
    });
    const inB = await server.maple('POST', `${S('b')}${creditsPath()}`, {
      body: amountBody(FABRIKAM, 300),
      headers: key,
    });
    expect([inA.status, inB.status]).toEqual([201, 201]);
    expect(inB.headers.get('idempotency-used')).toBeNull();
    const balance = async (prefix: string) =>
      (await server.maple('GET', `${prefix}${balancePath(FABRIKAM)}`)).json.total_amount;
    expect(await balance(S('a'))).toEqual({ USD: 700 });
    expect(await balance(S('b'))).toEqual({ USD: 300 });
    expect(await balance('')).toEqual({});
    expect((await server.maple('GET', `${S('b')}${creditsPath()}/${inA.json.id}`)).status).toBe(404);

    const settings = await server.call('POST', `${S('a')}/__admin/maple/settings`, {
      token: null,
      body: { allow_partial_consume: true },
    });
    expect(settings.json.allow_partial_consume).toBe(true);
    expect((await server.call('GET', '/__admin/maple/settings', { token: null })).json.allow_partial_consume).toBe(
      false,
    );
    expect(
      (await server.call('GET', `${S('b')}/__admin/maple/settings`, { token: null })).json.allow_partial_consume,
    ).toBe(false);

    expect(
      (await server.call('POST', `${S('a')}/__admin/maple/faults`, { token: null, body: { status: 500, count: 5 } }))
        .status,
    ).toBe(201);
    const faulted = await server.maple('GET', `${S('a')}${balancePath(FABRIKAM)}`);
    expect(faulted.status).toBe(500);
    expect(faulted.json.error_code).toBe('injected_fault');
    expect((await server.maple('GET', `${S('b')}${balancePath(FABRIKAM)}`)).status).toBe(200);
    expect((await server.maple('GET', balancePath(FABRIKAM))).status).toBe(200);
    expect((await server.call('GET', '/__admin/maple/faults', { token: null })).json.faults).toEqual([]);
  });

  it('reset in a leaves b and the default world as they were', async () => {
    const inB = await createDeltaCredit(server, S('b'));
    const inDefault = await createDeltaCredit(server, '');
    expect((await createDeltaCredit(server, S('a'))).status).toBe(201);
    const reset = await server.call('POST', `${S('a')}/__admin/reset`, { token: null });
    expect(reset.status).toBe(200);
    expect((await server.call('HEAD', `${S('a')}/api/customer-credits/`)).headers.get('x-result-count')).toBe('3');
    expect((await server.call('GET', `${S('b')}/api/customer-credits/${inB.json.uuid}/`)).status).toBe(200);
    expect((await server.call('GET', `/api/customer-credits/${inDefault.json.uuid}/`)).status).toBe(200);
  });

  it('each session has its own clock, starting where the default one started', async () => {
    const moved = await server.call('POST', `${S('a')}/__admin/clock`, { token: null, body: { now: '2027-02-01' } });
    expect(moved.json).toEqual({ now: '2027-02-01T00:00:00.000Z', today: '2027-02-01', frozen: true });
    expect((await server.call('GET', '/__admin/clock', { token: null })).json.now).toBe('2026-11-15T10:00:00.000Z');
    expect((await server.call('GET', `${S('b')}/__admin/clock`, { token: null })).json.now).toBe(
      '2026-11-15T10:00:00.000Z',
    );
    // Northwind's EUR credit expires on 2027-03-31: past it in a only.
    const euro = async (prefix: string) =>
      (await server.maple('GET', `${prefix}${balancePath('northwind')}`)).json.total_amount.EUR;
    await server.call('POST', `${S('a')}/__admin/clock`, { token: null, body: { now: '2027-04-01' } });
    expect(await euro(S('a'))).toBeUndefined();
    expect(await euro(S('b'))).toBe(20000);
    expect(await euro('')).toBe(20000);
  });

  it("leaves the default world's GET /__admin/state byte for byte as it was", async () => {
    const before = (await server.call('GET', '/__admin/state', { token: null })).text;
    await createDeltaCredit(server, S('a'));
    await server.maple('POST', `${S('a')}${creditsPath()}`, { body: amountBody(FABRIKAM, 100) });
    await server.call('POST', `${S('a')}/__admin/waldur/customers`, {
      token: null,
      body: { name: 'Zeta', slug: 'zeta' },
    });
    await server.call('POST', `${S('b')}/__admin/maple/companies`, {
      token: null,
      body: { name: 'Initrode', tokens: ['initrode-token'] },
    });
    await server.call('PUT', `${S('b')}/__admin/state`, { token: null, body: { maple: { companies: [] } } });
    await server.call('POST', `${S('b')}/__admin/reset`, { token: null });
    expect((await server.call('GET', '/__admin/state', { token: null })).text).toBe(before);
  });

  it('a session made again after deletion starts afresh, even where the old one left the same table versions', async () => {
    const allocated = async () =>
      (await server.call('GET', `${S('x')}/api/customer-credits/${ALPHA_CREDIT}/`)).json.allocated_to_projects;
    const projectCredit = (value: string) =>
      server.call('POST', `${S('x')}/api/project-credits/`, {
        body: { project: `${server.url}/api/projects/${CLIMATE_MODEL}/`, value },
      });
    expect((await projectCredit('10.00')).status).toBe(201);
    expect(await allocated()).toBe(460);
    expect((await server.call('DELETE', '/__admin/sessions/x', { token: null })).status).toBe(204);
    expect((await projectCredit('20.00')).status).toBe(201);
    expect(await allocated()).toBe(470);
  });
});

describe('sessions: the TTL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ sessions: { ttlMs: 1000, max: 10 } });
  });
  afterAll(() => server.close());

  it('drops a session idle for the TTL (wall-clock time, not the mock clock)', async () => {
    await createDeltaCredit(server, S('idle'));
    await server.call('POST', `${S('idle')}/__admin/clock`, { token: null, body: { advance_days: -30 } });
    const listed = (await server.call('GET', '/__admin/sessions', { token: null })).json.sessions;
    expect(listed.map((s: { name: string }) => s.name)).toEqual(['idle']);
    // Dropped once a second has passed without a request to it (checked when sessions are next looked at).
    const deadline = Date.now() + 30_000;
    while ((await sessionNames(server)).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    expect(await sessionNames(server)).toEqual([]);
    expect(Date.now() - Date.parse(listed[0].last_used)).toBeGreaterThanOrEqual(1000);
    // Made again from the fixtures: the credit created before is gone.
    expect((await server.call('HEAD', `${S('idle')}/api/customer-credits/`)).headers.get('x-result-count')).toBe('3');
  });
});

describe('sessions: management, limits and names', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A TTL no step of these tests comes near, however loaded the machine: the TTL has its own server below.
    server = await startTestServer({ sessions: { ttlMs: 10 * 60_000, max: 2 } });
  });
  afterAll(() => server.close());

  it('lists sessions with their times and sizes; DELETE drops one (204), unknown → 404, bad name → 400', async () => {
    const before = Date.now();
    await createDeltaCredit(server, S('ci-1'));
    const res = await server.call('GET', '/__admin/sessions', { token: null });
    await expectSpecResponse('GET', '/__admin/sessions', res);
    const [one] = res.json.sessions;
    expect(one.name).toBe('ci-1');
    expect(Date.parse(one.created)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(one.last_used)).toBeGreaterThanOrEqual(Date.parse(one.created));
    expect(one.size).toMatchObject({ customer_credits: 4, project_credits: 3, maple_companies: 2, maple_credits: 5 });
    const dropped = await server.call('DELETE', '/__admin/sessions/ci-1', { token: null });
    expect([dropped.status, dropped.text]).toEqual([204, '']);
    const again = await server.call('DELETE', '/__admin/sessions/ci-1', { token: null });
    await expectSpecResponse('DELETE', '/__admin/sessions/{name}', again);
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ error: 'no such session', problems: ['there is no session named ci-1'] });
    const bad = await server.call('DELETE', `/__admin/sessions/${'x'.repeat(65)}`, { token: null });
    await expectSpecResponse('DELETE', '/__admin/sessions/{name}', bad);
    expect(bad.status).toBe(400);
    // A name that is no valid percent-encoding (found by the fuzz, seed 987654): still the admin Problem shape.
    const undecodable = await server.call('DELETE', '/__admin/sessions/%ff', { token: null });
    await expectSpecResponse('DELETE', '/__admin/sessions/{name}', undecodable);
    expect(undecodable.status).toBe(400);
    expect(undecodable.json).toEqual({ error: "Failed to decode param '%ff'", problems: [] });
    expect((await server.call('HEAD', `${S('ci-1')}/api/customer-credits/`)).headers.get('x-result-count')).toBe('3');
    expect((await server.call('PUT', '/__admin/sessions', { token: null })).json).toEqual({
      error: 'no such admin route',
      problems: [],
    });
  });

  it('refuses one session more than --max-sessions with 503 and Retry-After, in the shape of the API asked', async () => {
    for (const name of await sessionNames(server))
      await server.call('DELETE', `/__admin/sessions/${name}`, { token: null });
    await server.call('GET', `${S('one')}/__admin/health`, { token: null });
    await server.call('GET', `${S('two')}/__admin/health`, { token: null });
    const waldur = await server.call('GET', `${S('three')}/api/customer-credits/`);
    expect(waldur.status).toBe(503);
    expect(Number(waldur.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Object.keys(waldur.json)).toEqual(['detail']);
    expect(waldur.json.detail).toMatch(/limit of 2 sessions/);
    const maple = await server.maple('GET', `${S('three')}${balancePath(FABRIKAM)}`);
    expect(maple.status).toBe(503);
    expect(maple.json).toMatchObject({
      error_type: 'request_error',
      error_status: 503,
      error_code: 'too_many_sessions',
    });
    const admin = await server.call('POST', `${S('three')}/__admin/reset`, { token: null });
    expect(admin.status).toBe(503);
    expect(admin.json.error).toBe('too many sessions');
    expect(await sessionNames(server)).toEqual(['one', 'two']);
    expect((await server.call('GET', `${S('one')}/__admin/health`, { token: null })).status).toBe(200);
    await server.call('DELETE', '/__admin/sessions/two', { token: null });
    expect((await server.call('GET', `${S('three')}/api/customer-credits/`)).status).toBe(200);
  });

  it('refuses bad names with 400 in the shape of the API asked, and creates nothing', async () => {
    for (const name of await sessionNames(server))
      await server.call('DELETE', `/__admin/sessions/${name}`, { token: null });
    const waldur = await server.call('GET', `${S('bad!name')}/api/customer-credits/`);
    expect(waldur.status).toBe(400);
    expect(Object.keys(waldur.json)).toEqual(['detail']);
    const long = await server.maple('GET', `${S('n'.repeat(65))}${balancePath(FABRIKAM)}`);
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({ error_type: 'request_error', error_status: 400, error_code: 'invalid_session' });
    const encoded = await server.call('GET', `${S('a%20b')}/__admin/state`, { token: null });
    expect(encoded.status).toBe(400);
    expect(encoded.json.error).toBe('invalid session name');
    expect((await rawGet(server, '/__session//api/customer-credits/')).status).toBe(400);
    expect((await rawGet(server, '/__session/../__admin/state')).status).toBe(400);
    expect((await server.call('GET', `${S('n'.repeat(64))}/__admin/health`, { token: null })).status).toBe(200);
    expect((await server.call('GET', `${S('A-z_0.9')}/__admin/health`, { token: null })).status).toBe(200);
    expect(await sessionNames(server)).toEqual(['n'.repeat(64), 'A-z_0.9']);
  });

  it('/__session/<name> without a path → 404; the session routes do not exist inside a session', async () => {
    const bare = await server.call('GET', S('a'), { token: null });
    expect(bare.status).toBe(404);
    expect(bare.json.problems[0]).toMatch(/\/__session\/a\//);
    for (const path of ['/__admin/sessions', '/__admin/sessions/a', '/__admin/Sessions', '/__admin/SESSIONS/']) {
      const inside = await server.call('GET', `${S('a')}${path}`, { token: null });
      expect(inside.status).toBe(404);
      expect(inside.json).toEqual({ error: 'no such admin route', problems: [] });
    }
  });

  it('has had every sessions operation checked against a real response', async () => {
    const documented = await documentedOperations((p) => p.startsWith('/__admin/sessions'));
    expect(documented).toHaveLength(2);
    expect(documented.filter((op) => !checked.has(op))).toEqual([]);
  });
});
