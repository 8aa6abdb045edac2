import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSession, probeTarget } from './conform-preflight.js';
import { PACKAGE_ROOT } from './paths.js';

/**
 * The sessions contract as the conform command uses it, against a tiny fake
 * target: `GET /__admin/sessions` → 200 {"sessions": […]} when it offers
 * sessions, `/__session/<name>/…` addresses one, `DELETE
 * /__admin/sessions/<name>` → 204 drops it. The fake records what came in.
 */
interface Fake {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

interface FakeOptions {
  sessions: boolean | 'not-json' | 'no-array';
  /** Called on each of the suite's requests, which then get no answer. */
  stall?: () => void;
  deleteStatus?: number;
}

async function fakeTarget(opts: FakeOptions): Promise<Fake> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    seen.push(`${req.method} ${url}`);
    if (url === '/__admin/sessions' && req.method === 'GET') {
      if (opts.sessions === false) return res.writeHead(404).end();
      const body =
        opts.sessions === 'not-json' ? '<html>' : opts.sessions === 'no-array' ? '{"sessions":"x"}' : '{"sessions":[]}';
      return res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
    if (req.method === 'DELETE' && url.startsWith('/__admin/sessions/'))
      return res.writeHead(opts.deleteStatus ?? 204).end();
    // The token check answers; with `stall`, the suite's own requests never do.
    if (opts.stall && !url.endsWith('/api/customer-credits/?page_size=1')) return opts.stall();
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const fakes: Fake[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.close())));
async function fake(opts: FakeOptions): Promise<Fake> {
  const f = await fakeTarget(opts);
  fakes.push(f);
  return f;
}

function conform(args: string[]) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(PACKAGE_ROOT, 'src', 'bin.ts'),
      'conform',
      '--token',
      't',
      '--read-only',
      '--bail',
      ...args,
    ],
    {
      cwd: PACKAGE_ROOT,
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
  return Object.assign(done, { interrupt: () => child.kill('SIGINT') });
}

/** Processes (Linux /proc) whose environment holds `entry`. */
function leftovers(entry: string): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return (
          readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(entry) &&
          !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z ')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const SESSION = /^\/__session\/(conform-[0-9a-f]{12})\//;

describe.concurrent(
  'conform runs in a session of its own when the target offers sessions',
  { timeout: 180_000 },
  () => {
    it('every request after the probe carries /__session/conform-<random>/, and the session is dropped at the end', async () => {
      const target = await fake({ sessions: true });
      const report = mkdtempSync(path.join(tmpdir(), 'conform-session-'));
      const run = await conform(['--target', target.url, '--report', report]);
      expect(run.code, run.output).toBe(1); // the fake keeps no contract: the first check fails, --bail stops
      expect(target.seen[0]).toBe('GET /__admin/sessions');
      const last = target.seen.at(-1)!;
      const name = /^DELETE \/__admin\/sessions\/(conform-[0-9a-f]{12})$/.exec(last)?.[1];
      expect(name, target.seen.join('\n')).toBeDefined();
      const middle = target.seen.slice(1, -1);
      expect(middle.length).toBeGreaterThan(1);
      for (const line of middle) expect(SESSION.exec(line.split(' ')[1]!)?.[1], line).toBe(name);
      expect(middle.some((l) => l.includes('/__admin/health'))).toBe(true); // /__admin/ too goes through the session
      const json = JSON.parse(readFileSync(path.join(report, 'report-waldur.json'), 'utf8')) as {
        target: string;
        session: string;
      };
      expect(json).toMatchObject({ target: target.url, session: name });
    });

    it('--no-session, and a URL that already names a session, run plain (no probe, no prefix of its own, no DELETE)', async () => {
      const [offered, own] = await Promise.all([fake({ sessions: true }), fake({ sessions: true })]);
      await Promise.all([
        conform(['--target', offered.url, '--no-session']),
        conform(['--target', `${own.url}/__session/mine`]),
      ]);
      expect(
        offered.seen.some((l) => l.includes('/__session/') || l.startsWith('DELETE')),
        offered.seen.join('\n'),
      ).toBe(false);
      expect(offered.seen.some((l) => l.includes('/api/'))).toBe(true);
      for (const f of [offered, own]) expect(f.seen).not.toContain('GET /__admin/sessions');
      expect(
        own.seen.every((l) => l.split(' ')[1]!.startsWith('/__session/mine/')),
        own.seen.join('\n'),
      ).toBe(true);
      expect(own.seen.some((l) => l.startsWith('DELETE'))).toBe(false);
    });

    it('an interrupted run still drops its session', async () => {
      let interrupt = () => {};
      let sent = false;
      const target = await fake({
        sessions: true,
        stall: () => {
          if (!sent) interrupt(); // the suite has started: its first request hangs
          sent = true;
        },
      });
      const running = conform(['--target', target.url]);
      interrupt = running.interrupt;
      const run = await running;
      expect(sent, run.output).toBe(true);
      expect(run.code).not.toBe(0);
      const name = /^DELETE \/__admin\/sessions\/(conform-[0-9a-f]{12})$/.exec(target.seen.at(-1)!)?.[1];
      expect(name, target.seen.join('\n')).toBeDefined();
      expect(leftovers(`CONFORMANCE_SESSION=${name}`)).toEqual([]); // vitest's workers went with it
    });
  },
);

describe.concurrent('the session probe', () => {
  it('takes a target as offering sessions only for 200 JSON with a sessions array (a target without them runs plain)', async () => {
    expect(await probeTarget((await fake({ sessions: true })).url, true)).toBe(true);
    expect(await probeTarget((await fake({ sessions: false })).url, true)).toBe(false);
    expect(await probeTarget((await fake({ sessions: 'not-json' })).url, true)).toBe(false);
    expect(await probeTarget((await fake({ sessions: 'no-array' })).url, true)).toBe(false);
    expect(await probeTarget((await fake({ sessions: true })).url, false)).toBe(false);
  });

  it('reports a session it could not drop', async () => {
    const broken = await fake({ sessions: true, deleteStatus: 500 });
    expect(await dropSession(broken.url, 'conform-x')).toBe('DELETE /__admin/sessions/conform-x answered 500');
    expect(await dropSession((await fake({ sessions: true })).url, 'conform-x')).toBeNull();
  });
});
