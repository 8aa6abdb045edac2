import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './paths.js';

/** The command line as a user runs it: a real process, its output and exit code. */
const BIN = path.join(PACKAGE_ROOT, 'src', 'bin.ts');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function cli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { cwd: PACKAGE_ROOT });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', () => reject(new Error(`exited: ${output}`)));
  });
  listening.catch(() => undefined);
  return { child, exited, listening, output: () => output };
}

const tempFile = (name: string, content: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'credits-mock-')), name);
  writeFileSync(file, content);
  return file;
};

describe.concurrent('credits-mock serve', () => {
  it('--help describes every flag and exits 0', async () => {
    const run = cli(['serve', '--help']);
    expect(await run.exited).toBe(0);
    for (const flag of ['--port', '--host', '--fixtures', '--now', '--no-admin', '--self-check']) expect(run.output()).toContain(flag);
  });

  it.each([
    [['serve', '--bogus'], /unknown option '--bogus'/],
    [['serve', '--port', 'abc'], /--port must be a number/],
    [['serve', '--now', '2026-13-01'], /--now must be a date as YYYY-MM-DD/],
    [['serve', '--self-check', 'loud'], /--self-check must be off, warn or strict/],
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
    ['a broken reference', JSON.stringify({ projects: [{ uuid: 'a'.repeat(32), name: 'p', customer: 'b'.repeat(32) }] }), /projects\[0\]\.customer refers to unknown/],
    ['a bad field', JSON.stringify({ customers: [{ uuid: 'nope', name: 'x', slug: 'x' }] }), /customers\.0\.uuid: must match pattern/],
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
});
