/** startMock({ waldurVersion }) serves the profile it is given, to the default world and to new sessions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockServer } from './index.js';

describe('startMock({ waldurVersion: "8.1" })', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock({
      port: 0,
      now: '2026-11-20',
      selfCheck: 'strict',
      waldurVersion: '8.1',
      log: () => undefined,
    });
  });
  afterAll(() => mock.close());
  const get = async (path: string, token = 'staff-token') => {
    const res = await fetch(`${mock.url}${path}`, { headers: { Authorization: `Token ${token}` } });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('says so in /__admin/health, for the default world and a new session', async () => {
    expect((await get('/__admin/health')).body).toEqual({ status: 'ok', waldur_version: '8.1' });
    expect((await get('/__session/v81/__admin/health')).body).toEqual({ status: 'ok', waldur_version: '8.1' });
  });

  it('serves the 8.1 fields, self-checked against the 8.1 spec', async () => {
    const res = await get('/api/customer-credits/');
    expect(res.status).toBe(200);
    expect((res.body as object[]).every((c) => 'withdrawable_balance' in c)).toBe(true);
    const projects = await get('/api/project-credits/');
    expect((projects.body as object[]).every((c) => 'spendable_value' in c)).toBe(true);
  });
});
