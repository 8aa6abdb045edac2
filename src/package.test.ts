import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './paths.js';

/**
 * The package as a user gets it: built, packed with `npm pack`, installed from
 * the tarball into an empty folder (from npm's cache: every dependency is in
 * it), then run as `npx credits-mock` and imported as `credits-mock`. One pack
 * and one install, shared by every check.
 */
const run = promisify(execFile);
const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const BALANCE = '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits/check_balance/northwind';
const work = mkdtempSync(path.join(tmpdir(), 'credits-mock-package-'));
const consumer = path.join(work, 'consumer');
const installed = path.join(consumer, 'node_modules', 'credits-mock');
let installOutput = '';

/** npm and npx as the user runs them, without the settings of an npm run that started this test. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const npx = (args: string[], timeout = 120_000) =>
  run('npx', ['credits-mock', ...args], { cwd: consumer, env, timeout });

beforeAll(async () => {
  await run(
    process.execPath,
    [path.join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'],
    { cwd: PACKAGE_ROOT },
  );
  await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], {
    cwd: PACKAGE_ROOT,
    env,
    maxBuffer: 64 << 20,
  });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${work}`);
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, tarball)],
    {
      cwd: consumer,
      env,
      maxBuffer: 64 << 20,
    },
  );
  installOutput = install.stdout + install.stderr;
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent('the packed and installed package', { timeout: 400_000 }, () => {
  it('installs on this Node without an engine warning', () => {
    expect(installOutput).toMatch(/added \d+ packages/);
    expect(installOutput).not.toMatch(/EBADENGINE/);
  });

  it('ships the built code with type declarations, the specs, fixtures, bin and the conformance suite, and no tests of its own', () => {
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/bin.js',
      'bin/credits-mock.js',
      'specs/waldur-credits.yaml',
      'specs/maple-credits.yaml',
      'specs/admin.yaml',
      'fixtures/waldur.json',
      'fixtures/maple.json',
      'conformance/vitest.config.ts',
      'conformance/support/setup.ts',
      'conformance/waldur/lists.conformance.test.ts',
      'conformance/waldur-8.1/ledger-list.conformance.test.ts',
      'conformance/maple/credits.conformance.test.ts',
    ]) {
      expect(existsSync(path.join(installed, file)), file).toBe(true);
    }
    for (const file of [
      'src/index.ts',
      'dist/index.js.map',
      'dist/test-support',
      'dist/.tsbuildinfo',
      'conformance/harness',
      'specs/specs.test.ts',
      'tsconfig.json',
    ]) {
      expect(existsSync(path.join(installed, file)), file).toBe(false);
    }
  });

  it('npx credits-mock --version prints the version', async () => {
    const { stdout } = await npx(['--version']);
    expect(stdout.trim()).toBe(VERSION);
  });

  it('npx credits-mock serve answers both APIs, and conform checks it', async () => {
    const child = spawn('npx', ['credits-mock', 'serve', '--port', '0'], { cwd: consumer, env, detached: true });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" line in 120 s: ${output}`)), 120_000);
      const read = (d: Buffer) => {
        output += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`serve exited with ${code}: ${output}`))));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      expect(output).toContain(path.join(installed, 'fixtures', 'waldur.json'));
      await expectBothApis(url);
      const conform = await npx(
        [
          'conform',
          '--target',
          url,
          '--api',
          'maple',
          '--token',
          'maple-token',
          '--profile',
          'mock',
          '--read-only',
          '--bail',
        ],
        300_000,
      );
      expect(conform.stdout + conform.stderr).toMatch(/conformance: [1-9]\d* passed, 0 failed/);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });

  it("imports startMock from 'credits-mock' and runs the same server in-process", async () => {
    const script = path.join(consumer, 'start-mock.mjs');
    writeFileSync(
      script,
      `import { startMock, version } from 'credits-mock';
const mock = await startMock({ port: 0, now: '2026-11-20', log: () => {} });
const get = async (p, auth) => { const r = await fetch(mock.url + p, { headers: { Authorization: auth } }); return { status: r.status, json: await r.json() }; };
const out = { version, url: mock.url, list: await get('/api/customer-credits/', 'Token staff-token'), balance: await get(${JSON.stringify(BALANCE)}, 'Bearer maple-token'), clock: await mock.clock.get() };
await mock.close();
console.log(JSON.stringify(out));
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: consumer, env, timeout: 120_000 });
    const out = JSON.parse(stdout) as {
      version: string;
      list: { status: number; json: unknown[] };
      balance: { status: number; json: { total_amount: unknown } };
      clock: unknown;
    };
    expect(out.version).toBe(VERSION);
    expect(out.list.status).toBe(200);
    expect(out.list.json).toHaveLength(3);
    expect(out.balance).toEqual({
      status: 200,
      json: expect.objectContaining({ total_amount: { EUR: 20000, USD: 50000 } }),
    });
    expect(out.clock).toEqual({ now: '2026-11-20T00:00:00.000Z', today: '2026-11-20', frozen: true });
  });
});

async function expectBothApis(url: string): Promise<void> {
  const list = await fetch(`${url}/api/customer-credits/`, { headers: { Authorization: 'Token staff-token' } });
  expect(list.status).toBe(200);
  expect(await list.json()).toHaveLength(3);
  const balance = await fetch(`${url}${BALANCE}`, { headers: { Authorization: 'Bearer maple-token' } });
  expect(balance.status).toBe(200);
  expect(((await balance.json()) as { total_amount: unknown }).total_amount).toEqual({ EUR: 20000, USD: 50000 });
}
