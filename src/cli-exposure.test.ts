/**
 * `serve` on an address other machines reach: it refuses to start with an
 * open control API (exit 2, saying why), warns about what is exposed, and
 * then asks the Bearer --admin-token on /__admin/. Real processes, as a user runs them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, killCliProcesses } from './test-support/cli-process.js';

afterAll(killCliProcesses);

describe.concurrent('credits-mock serve on a non-loopback address', () => {
  it.each([['0.0.0.0'], ['::']])('--host %s without --admin-token or --no-admin → exit 2 saying why', async (host) => {
    const run = cli(['serve', '--port', '0', '--host', host]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain(`--host ${host} is not a loopback address`);
    expect(run.output()).toMatch(/--admin-token TOKEN .* or with --no-admin/);
  });

  it('--help names the new flags', async () => {
    const run = cli(['serve', '--help']);
    expect(await run.exited).toBe(0);
    for (const flag of ['--admin-token', '--allowed-hosts']) expect(run.output()).toContain(flag);
  });

  it('--allowed-hosts with a port or a scheme → exit 2', async () => {
    const run = cli(['serve', '--port', '0', '--allowed-hosts', 'ok.example,http://bad.example']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('--allowed-hosts takes host names without port or scheme, got "http://bad.example"');
  });

  it('--host 0.0.0.0 --admin-token T: a warning naming what is exposed; /__admin/ needs the Bearer', async () => {
    const run = cli(['serve', '--port', '0', '--host', '0.0.0.0', '--admin-token', 'T0ken']);
    const port = Number(new URL(await run.listening).port);
    expect(run.output()).toMatch(
      /warning: listening on 0\.0\.0\.0, not a loopback address: the Waldur and Maple mock APIs .* and the control API \/__admin\/ \(needs the --admin-token\)/,
    );
    const url = `http://127.0.0.1:${port}`;
    const refused = await fetch(`${url}/__admin/reset`, { method: 'POST' });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: expect.stringContaining('--admin-token'), problems: [] });
    expect(
      (await fetch(`${url}/__admin/reset`, { method: 'POST', headers: { Authorization: 'Bearer T0ken' } })).status,
    ).toBe(200);
    const list = await fetch(`${url}/api/customer-credits/`, { headers: { Authorization: 'Token staff-token' } });
    expect(list.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('--host 0.0.0.0 --no-admin starts, with a warning, and has no control API', async () => {
    const run = cli(['serve', '--port', '0', '--host', '0.0.0.0', '--no-admin']);
    const port = Number(new URL(await run.listening).port);
    expect(run.output()).toContain('(the control API is off)');
    expect((await fetch(`http://127.0.0.1:${port}/__admin/health`)).status).toBe(404);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
