/**
 * /__admin/waldur/settings: the Waldur version profile of a world, per
 * session, shown in /__admin/health; a switch keeps the data.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checked, documentedOperations, expectSpecResponse } from '../../test-support/admin-spec.js';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

const SETTINGS = '/__admin/waldur/settings';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await server.call('POST', SETTINGS, { token: null, body: { version: '8.0.5' } })).status).toBe(200);
});

async function admin(method: string, body?: unknown, prefix = ''): Promise<TestResponse> {
  const res = await server.call(method, `${prefix}${SETTINGS}`, { token: null, body });
  await expectSpecResponse(method, SETTINGS, res);
  return res;
}

describe('/__admin/waldur/settings', () => {
  it('starts at 8.0.5; POST switches to 8.1; GET and health show it', async () => {
    expect((await admin('GET')).json).toEqual({ version: '8.0.5' });
    expect((await admin('POST', { version: '8.1' })).json).toEqual({ version: '8.1' });
    expect((await admin('GET')).json).toEqual({ version: '8.1' });
    expect((await server.call('GET', '/__admin/health', { token: null })).json).toEqual({
      status: 'ok',
      waldur_version: '8.1',
    });
  });

  it('an empty body changes nothing', async () => {
    await admin('POST', { version: '8.1' });
    expect((await admin('POST', {})).json).toEqual({ version: '8.1' });
  });

  it.each([
    [{ version: '8.2' }, 'version: must be 8.0.5 or 8.1'],
    [{ version: 8.1 }, 'version: must be a string'],
    [{ version: null }, 'version: must be a string'],
    [{ profile: '8.1' }, 'profile: unknown member (use version)'],
    [['8.1'], '(top level): must be an object'],
  ])('refuses %j with 400 and changes nothing', async (body, message) => {
    const res = await admin('POST', body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'invalid data', problems: [message] });
    expect((await admin('GET')).json).toEqual({ version: '8.0.5' });
  });

  it("is per world: a session has its own, starting from the server's", async () => {
    const session = '/__session/profile-a';
    await admin('POST', { version: '8.1' }, session);
    expect((await admin('GET', undefined, session)).json).toEqual({ version: '8.1' });
    expect((await admin('GET')).json).toEqual({ version: '8.0.5' });
    expect((await server.call('GET', `${session}/__admin/health`, { token: null })).json).toEqual({
      status: 'ok',
      waldur_version: '8.1',
    });
    expect((await admin('GET', undefined, '/__session/profile-b')).json).toEqual({ version: '8.0.5' });
  });

  it('reset keeps the profile', async () => {
    await admin('POST', { version: '8.1' });
    expect((await server.call('POST', '/__admin/reset', { token: null })).status).toBe(200);
    expect((await admin('GET')).json).toEqual({ version: '8.1' });
  });

  it('has had every operation checked against a real response', async () => {
    const documented = await documentedOperations((p) => p === SETTINGS);
    expect(documented.filter((op) => !checked.has(op))).toEqual([]);
  });
});
