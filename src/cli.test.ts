import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, killCliProcesses } from './test-support/cli-process.js';

afterAll(killCliProcesses);

const tempFile = (name: string, content: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'credits-mock-')), name);
  writeFileSync(file, content);
  return file;
};

describe.concurrent('credits-mock serve', () => {
  it('--help describes every flag and exits 0', async () => {
    const run = cli(['serve', '--help']);
    expect(await run.exited).toBe(0);
    for (const flag of ['--port', '--host', '--fixtures', '--now', '--no-admin', '--self-check'])
      expect(run.output()).toContain(flag);
    for (const flag of ['--cors <mode>', '--cors-origin', 'default: any origin', '--public-url', '--trust-proxy'])
      expect(run.output()).toContain(flag);
    expect(run.output()).toContain('--waldur-version <version>');
  });

  it.each([
    [['serve', '--bogus'], /unknown option '--bogus'/],
    [['serve', '--port', 'abc'], /--port must be a number/],
    [['serve', '--now', '2026-13-01'], /--now must be a date as YYYY-MM-DD/],
    [['serve', '--self-check', 'loud'], /--self-check must be off, warn or strict/],
    [['serve', '--session-ttl', 'forever'], /--session-ttl must be a duration/],
    [['serve', '--max-sessions', 'many'], /--max-sessions must be a whole number/],
    [['serve', '--cors', 'maybe'], /--cors must be on or off/],
    [['serve', '--waldur-version', '8.2'], /--waldur-version must be 8.0.5 or 8.1, got "8.2"/],
    [['serve', '--cors-origin', 'localhost:5173'], /--cors-origin must be origins/],
    [
      ['serve', '--cors', 'off', '--cors-origin', 'http://localhost:5173'],
      /--cors-origin cannot be used with --cors off/,
    ],
    [['serve', '--public-url', 'ftp://x'], /--public-url must be an http\(s\) URL/],
    [['serve', '--public-url', 'http://localhost:5173', '--trust-proxy'], /cannot be used together/],
    [['frobnicate'], /unknown command/],
  ])('%j → exit 2 with a clear message', async (args, message) => {
    const run = cli(args);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(message);
  });

  it('a busy port → exit 1 naming the port', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const run = cli(['serve', '--port', String(port)]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    blocker.close();
  });

  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['a missing file', null, /cannot read fixtures file .*ENOENT/],
    [
      'a broken reference',
      JSON.stringify({ projects: [{ uuid: 'a'.repeat(32), name: 'p', customer: 'b'.repeat(32) }] }),
      /projects\[0\]\.customer refers to unknown/,
    ],
    [
      'a bad field',
      JSON.stringify({ customers: [{ uuid: 'nope', name: 'x', slug: 'x' }] }),
      /customers\.0\.uuid: must match pattern/,
    ],
  ])('a fixtures file with %s → exit 1 naming the file and the problem', async (_what, content, message) => {
    const file = content === null ? path.join(tmpdir(), 'does-not-exist.json') : tempFile('fixtures.json', content);
    const run = cli(['serve', '--port', '0', '--fixtures', file]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(file);
    expect(run.output()).toMatch(message);
  });

  it('serves the default fixtures, with --now and without the admin API under --no-admin', async () => {
    const run = cli(['serve', '--port', '0', '--now', '2026-12-01', '--no-admin']);
    const url = await run.listening;
    const list = await fetch(`${url}/api/customer-credits/`, { headers: { Authorization: 'Token staff-token' } });
    expect(list.status).toBe(200);
    expect(list.headers.get('x-result-count')).toBe('3');
    expect((await fetch(`${url}/__admin/health`)).status).toBe(404);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('--now freezes the clock that the admin API reports', async () => {
    const run = cli(['serve', '--port', '0', '--now', '2027-02-01']);
    const url = await run.listening;
    const clock = (await (await fetch(`${url}/__admin/clock`)).json()) as { today: string; frozen: boolean };
    expect(clock).toMatchObject({ today: '2027-02-01', frozen: true });
  });

  it('--cors-origin and --public-url reach the server', async () => {
    const run = cli([
      'serve',
      '--port',
      '0',
      '--cors-origin',
      'http://localhost:5173',
      '--public-url',
      'http://localhost:5173/mock/',
    ]);
    const url = await run.listening;
    const preflight = (origin: string) =>
      fetch(`${url}/api/customer-credits/`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
      });
    expect((await preflight('http://localhost:5173')).status).toBe(204);
    expect((await preflight('http://localhost:5174')).status).toBe(401);
    const list = await fetch(`${url}/api/customer-credits/?page_size=1`, {
      headers: { Authorization: 'Token staff-token' },
    });
    expect(list.headers.get('link')).toContain(
      '<http://localhost:5173/mock/api/customer-credits/?page=2&page_size=1>; rel="next"',
    );
  });

  it('--cors off: a preflight gets the API’s own 401', async () => {
    const run = cli(['serve', '--port', '0', '--cors', 'off']);
    const url = await run.listening;
    const res = await fetch(`${url}/api/customer-credits/`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://a.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
