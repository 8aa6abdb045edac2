import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './paths.js';

/** `credits-mock serve` as a user runs it, its stdout read line by line: request logs and the journal flags. */
const BIN = path.join(PACKAGE_ROOT, 'src', 'bin.ts');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function serve(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'serve', '--port', '0', ...args], {
    cwd: PACKAGE_ROOT,
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`exited: ${stdout}${stderr}`)));
  });
  listening.catch(() => undefined);
  /** Stops the server (SIGTERM: buffered lines are written out first) and resolves to its stdout lines. */
  const stop = async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    return stdout.split('\n').filter(Boolean);
  };
  return { listening, exited, stop, output: () => stdout + stderr };
}

const STAFF = { Authorization: 'Token staff-token' };

describe.concurrent('request logs', () => {
  it('--log-format json: every line parses, one per request with method, path, status, duration and operation', async () => {
    const run = serve(['--log-format', 'json']);
    const url = await run.listening;
    expect((await fetch(`${url}/api/customer-credits/`, { headers: STAFF })).status).toBe(200);
    expect(
      (
        await fetch(`${url}/api/customer-credits/`, {
          method: 'POST',
          headers: { ...STAFF, 'Content-Type': 'application/json' },
          body: '{',
        })
      ).status,
    ).toBe(400);
    expect((await fetch(`${url}/api/v1/nowhere`)).status).toBe(404);
    expect((await fetch(`${url}/__admin/health`)).status).toBe(200);
    const lines = (await run.stop()).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 30, msg: expect.stringMatching(/listening on http:\/\//) });
    const requests = lines.filter((l) => 'status' in l);
    expect(
      requests.map((l) => [l.level, l.method, l.path, l.status, l.operation, l.dialect]),
      JSON.stringify(lines),
    ).toEqual([
      [30, 'GET', '/api/customer-credits/', 200, 'customer_credits_list', 'waldur'],
      [30, 'POST', '/api/customer-credits/', 400, 'customer_credits_create', 'waldur'],
      [30, 'GET', '/api/v1/nowhere', 404, null, 'maple'],
    ]);
    for (const l of requests) {
      expect(typeof l.duration_ms).toBe('number');
      expect(typeof l.time).toBe('number');
      expect(l.msg).toBe(`${l.method} ${l.path} ${l.status} ${l.duration_ms}ms ${l.operation ?? '-'}`);
    }
  });

  it('--log-level silent: no line per request, only the listening line', async () => {
    const run = serve(['--log-level', 'silent', '--log-format', 'json']);
    const url = await run.listening;
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${url}/api/customer-credits/`, { headers: STAFF })).status).toBe(200);
    const lines = await run.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/listening on http:\/\//);
  });

  it('--log-format pretty: "time LEVEL method path status duration operation"', async () => {
    const run = serve(['--log-format', 'pretty']);
    const url = await run.listening;
    await fetch(`${url}/api/project-credits/`, { headers: STAFF });
    const lines = await run.stop();
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}credits-mock listening on http:\/\//);
    expect(lines[1]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}GET \/api\/project-credits\/ 200 [\d.]+ms project_credits_list$/,
    );
  });

  it('--log-level debug also logs /__admin/ calls; they are never journaled', async () => {
    const run = serve(['--log-level', 'debug', '--log-format', 'json']);
    const url = await run.listening;
    const journal = (await (await fetch(`${url}/__admin/requests`)).json()) as { requests: unknown[] };
    expect(journal.requests).toEqual([]);
    const lines = (await run.stop()).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.level === 20 && l.path === '/__admin/requests' && l.status === 200)).toBe(true);
  });

  it('--journal-size 0: nothing is journaled', async () => {
    const run = serve(['--journal-size', '0', '--log-level', 'warn']);
    const url = await run.listening;
    await fetch(`${url}/api/customer-credits/`, { headers: STAFF });
    const count = (await (await fetch(`${url}/__admin/requests/count`, { method: 'POST' })).json()) as {
      count: number;
    };
    expect(count).toEqual({ count: 0 });
    expect(await run.stop()).toHaveLength(1);
  });

  it.each([
    [['--log-level', 'loud'], /--log-level must be silent, error, warn, info or debug/],
    [['--log-format', 'xml'], /--log-format must be pretty or json/],
    [['--journal-size', '-1'], /--journal-size must be a number/],
    [['--journal-size', 'many'], /--journal-size must be a number/],
  ])('%j → exit 2 with a clear message', async (args, message) => {
    const run = serve(args);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(message);
  });
});
