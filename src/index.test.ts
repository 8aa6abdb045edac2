import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, MockAdminError, startMock, type MockServer } from './index.js';
import { shippedFixtures, shippedMapleFixtures } from './test-support/mock-server.js';

/** The programmatic API: the CLI's server in-process, driven through its control API. */
const STAFF = { Authorization: 'Token staff-token' };
const MAPLE = { Authorization: 'Bearer maple-token' };
const BALANCE = '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits/check_balance/northwind';
const DELTA = 'http://127.0.0.1/api/customers/6bad6be28e7a46e99f19950499dd251d/';

const getJson = async (url: string, headers: Record<string, string> = STAFF) => {
  const res = await fetch(url, { headers });
  return { status: res.status, json: (await res.json()) as any };
};

describe('startMock', () => {
  let mock: MockServer;
  const lines: string[] = [];
  beforeAll(async () => {
    mock = await startMock({ port: 0, now: '2026-11-20', selfCheck: 'strict', log: (l) => lines.push(l) });
  });
  afterAll(() => mock.close());

  it('serves both APIs on the port it picked', async () => {
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(mock.port).toBeGreaterThan(0);
    const waldur = await getJson(`${mock.url}/api/customer-credits/`);
    expect(waldur.status).toBe(200);
    expect(waldur.json).toHaveLength(3);
    const maple = await getJson(`${mock.url}${BALANCE}`, MAPLE);
    expect(maple.status).toBe(200);
    expect(maple.json.total_amount).toEqual({ EUR: 20000, USD: 50000 });
  });

  it('starts its clock frozen at `now`; set, advance and get go through /__admin/clock', async () => {
    expect(await mock.clock.get()).toEqual({ now: '2026-11-20T00:00:00.000Z', today: '2026-11-20', frozen: true });
    expect(await mock.clock.set('2027-01-01')).toEqual({
      now: '2027-01-01T00:00:00.000Z',
      today: '2027-01-01',
      frozen: true,
    });
    expect((await mock.clock.advance(1.5)).now).toBe('2027-01-02T12:00:00.000Z');
    expect((await mock.clock.set(new Date('2026-12-24T06:00:00Z'))).now).toBe('2026-12-24T06:00:00.000Z');
    const running = await mock.clock.set('2026-11-20', { freeze: false });
    expect(running.frozen).toBe(false);
    expect((await getJson(`${mock.url}/__admin/clock`)).json.today).toBe('2026-11-20');
    await mock.clock.set('2026-11-20');
  });

  it("rejects a bad clock change with the control API's problem, changing nothing", async () => {
    const before = await mock.clock.get();
    const err = await mock.clock.set('not a date').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MockAdminError);
    expect((err as MockAdminError).status).toBe(400);
    expect((err as MockAdminError).message).toMatch(/invalid data.*now/);
    expect(await mock.clock.get()).toEqual(before);
  });

  it('state() exports what the API wrote; reset() brings back the start fixtures', async () => {
    const created = await fetch(`${mock.url}/api/customer-credits/`, {
      method: 'POST',
      headers: { ...STAFF, 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer: DELTA.replace('http://127.0.0.1', mock.url), value: '500.00' }),
    });
    expect(created.status).toBe(201);
    const state = await mock.state();
    expect(state.waldur.customer_credits).toHaveLength(4);
    expect(Object.keys(state.maple)).toContain('companies');
    const reset = await mock.reset();
    expect(reset.status).toBe('reset');
    expect(reset.counts.customer_credits).toBe(3);
    expect((await mock.state()).waldur.customer_credits).toHaveLength(3);
    expect((await getJson(`${mock.url}/api/customer-credits/`)).json).toHaveLength(3);
  });

  it('logs through the given log (strict self-check: no violation so far)', () => {
    expect(lines.filter((l) => /violat/i.test(l))).toEqual([]);
  });

  it('requests() returns the journal, filtered', async () => {
    await fetch(`${mock.url}/api/customer-credits/?page=1`, { headers: STAFF });
    await fetch(`${mock.url}${BALANCE}`, { headers: MAPLE });
    const all = await mock.requests();
    expect(
      all.some(
        (e) => e.request.method === 'GET' && e.request.path === '/api/customer-credits/' && e.response.status === 200,
      ),
    ).toBe(true);
    expect(all.find((e) => e.dialect === 'waldur')?.request.headers.authorization).toBe('Token [REDACTED]');
    const maple = await mock.requests({ path: '/api/v1/' });
    expect(maple.length).toBeGreaterThan(0);
    expect(maple.every((e) => e.request.path.startsWith('/api/v1/') && e.operation === 'checkBalance')).toBe(true);
    await expect(mock.requests({ nonsense: 'x' })).rejects.toBeInstanceOf(MockAdminError);
  });
});

describe('startMock options', () => {
  it('takes fixtures as objects, and Maple switches', async () => {
    const waldur = shippedFixtures();
    waldur.customer_credits = (waldur.customer_credits as unknown[]).slice(0, 1);
    const mock = await startMock({
      port: 0,
      fixtures: waldur,
      mapleFixtures: shippedMapleFixtures(),
      maple: { allowPartialConsume: true },
    });
    try {
      expect((await getJson(`${mock.url}/api/customer-credits/`)).json).toHaveLength(1);
      expect((await getJson(`${mock.url}/__admin/maple/settings`)).json).toMatchObject({
        allow_partial_consume: true,
        same_key_different_request: 'conflict',
      });
      expect((await mock.reset()).counts.customer_credits).toBe(1);
    } finally {
      await mock.close();
    }
  });

  it('takes a fixtures path; close() twice is harmless and the port stops answering', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'credits-mock-'));
    const file = path.join(dir, 'waldur.json');
    writeFileSync(file, JSON.stringify({ ...shippedFixtures(), customer_credits: [], project_credits: [] }));
    const mock = await startMock({ port: 0, fixtures: file, log: () => undefined });
    expect((await getJson(`${mock.url}/api/customer-credits/`)).json).toEqual([]);
    await mock.close();
    await mock.close();
    await expect(fetch(`${mock.url}/__admin/health`)).rejects.toThrow();
  });

  it('admin: false removes the control API, and the handle says so', async () => {
    const mock = await startMock({ port: 0, admin: false, log: () => undefined });
    try {
      expect((await fetch(`${mock.url}/__admin/health`)).status).toBe(404);
      await expect(mock.reset()).rejects.toThrow(/control API is off \(started with admin: false\)/);
      await expect(mock.clock.get()).rejects.toThrow(/admin: false/);
    } finally {
      await mock.close();
    }
  });

  it.each([
    [{ port: 70000 }, /option port must be a number from 0 to 65535, got "70000"/],
    [{ port: '4010' }, /option port must be a number, got "4010"/],
    [{ port: 1.5 }, /option port must be a number from 0 to 65535/],
    [{ now: '2026-02-30' }, /option now must be a date as YYYY-MM-DD, got "2026-02-30"/],
    [{ selfCheck: 'loud' }, /option selfCheck must be off, warn or strict, got "loud"/],
    [{ admin: 'no' }, /option admin must be a boolean, got "no"/],
    [{ host: '' }, /option host must not be empty/],
    [{ fixtures: 42 }, /option fixtures must be a file path or a fixtures object, got number 42/],
    [{ mapleFixtures: [] }, /option mapleFixtures must be a file path or a fixtures object, got an array/],
    [
      { maple: { sameKeyDifferentRequest: 'ignore' } },
      /option maple.sameKeyDifferentRequest must be conflict or replay, got "ignore"/,
    ],
    [{ maple: { partial: true } }, /unknown option maple.partial/],
    [{ prot: 4010 }, /unknown option "prot" \(known: port, host, now/],
    [{ log: 'stderr' }, /option log must be a function/],
  ])('rejects %j clearly', async (options, message) => {
    const err = await startMock(options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^startMock: /);
    expect((err as Error).message).toMatch(message);
  });

  it('rejects a broken fixtures object with every problem, and a missing file by name', async () => {
    const broken = { ...shippedFixtures(), customer_credits: [{ customer: 'nobody' }] };
    await expect(startMock({ port: 0, fixtures: broken })).rejects.toThrow(
      /fixtures object given to startMock\) is broken:\n {2}customer_credits\.0\.customer: must match pattern/,
    );
    await expect(startMock({ port: 0, mapleFixtures: '/nonexistent/maple.json' })).rejects.toThrow(
      /cannot read fixtures file \/nonexistent\/maple.json: ENOENT/,
    );
  });

  it('rejects a port in use', async () => {
    const first = await startMock({ port: 0, log: () => undefined });
    try {
      await expect(startMock({ port: first.port })).rejects.toThrow(
        `port ${first.port} on 127.0.0.1 is already in use`,
      );
    } finally {
      await first.close();
    }
  });
});
