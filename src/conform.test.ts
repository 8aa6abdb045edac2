import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownProfiles } from './conform.js';
import { PACKAGE_ROOT } from './paths.js';
import { startTestServer, type TestServer } from './test-support/mock-server.js';

/**
 * `credits-mock conform` refuses a run that cannot work before it starts the
 * suite: one line on stderr and exit 2, nothing on stdout, no report.
 */
const BIN = path.join(PACKAGE_ROOT, 'src', 'bin.ts');

function conform(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'conform', ...args], { cwd: PACKAGE_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'conform-cli-'));

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let mock: TestServer;
beforeAll(async () => {
  mock = await startTestServer();
});
afterAll(() => mock?.close());

describe.concurrent('credits-mock conform refuses a run that cannot work', () => {
  it('an unreachable target: exactly one line "cannot reach <url>: <reason>", exit 2', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const report = tempDir();
    const run = await conform(['--target', url, '--token', 'staff-token', '--report', report]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([`cannot reach ${url}: connect ECONNREFUSED ${url.slice(7)}`]);
    expect(run.stdout).toBe('');
    expect(existsSync(path.join(report, 'report-waldur.json'))).toBe(false);
  });

  it('Waldur without --token: one line naming the staff token, exit 2', async () => {
    const run = await conform(['--target', mock.url, '--api', 'waldur']);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      "--token is missing: Waldur's checks need a staff user's token (Authorization: Token …)",
    ]);
    expect(run.stdout).toBe('');
  });

  it('a Waldur token the mock rejects: one line with the 401, exit 2', async () => {
    const run = await conform(['--target', mock.url, '--token', 'not-a-token', '--read-only']);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      `--token is rejected by ${mock.url}: GET /api/customer-credits/ answered 401: {"detail":"Invalid token."}`,
    ]);
    expect(run.stdout).toBe('');
  });

  it('Maple with a configured company: a missing or rejected API key is one line, exit 2', async () => {
    const config = path.join(tempDir(), 'maple.json');
    const company = 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50';
    writeFileSync(
      config,
      JSON.stringify({ maple: { company_id: company, customers: ['cus_a', 'cus_b'], item_id: 'item_x' } }),
    );
    const missing = await conform(['--target', mock.url, '--api', 'maple', '--config', config]);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([
      `--token is missing: Maple's checks need the API key of company ${company} (Authorization: Bearer …)`,
    ]);
    const wrong = await conform(['--target', mock.url, '--api', 'maple', '--config', config, '--token', 'wrong-key']);
    expect(wrong.code).toBe(2);
    expect(lines(wrong.stderr)).toHaveLength(1);
    expect(wrong.stderr).toMatch(
      new RegExp(
        `^--token \\(the company's API key\\) is rejected by ${mock.url}: POST /api/v1/companies/${company}/credits/find answered 401`,
      ),
    );
    expect(missing.stdout + wrong.stdout).toBe('');
  });

  it('an unknown --profile: a usage error listing the known profiles, exit 2, nothing run', async () => {
    const report = tempDir();
    const run = await conform([
      '--target',
      mock.url,
      '--token',
      'staff-token',
      '--profile',
      'waldur-9',
      '--report',
      report,
    ]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      `credits-mock: --profile must be one of ${knownProfiles().join(', ')}, got "waldur-9"`,
    ]);
    expect(knownProfiles()).toEqual(expect.arrayContaining(['default', 'mock', 'waldur-8.0.5', 'maple-public-docs']));
    expect(existsSync(path.join(report, 'report-waldur.json'))).toBe(false);
  });

  it('an unknown profile in the --config file and an unknown --api are refused the same way', async () => {
    const config = path.join(tempDir(), 'target.json');
    writeFileSync(config, JSON.stringify({ profile: 'nope' }));
    const fromFile = await conform(['--target', mock.url, '--token', 'staff-token', '--config', config]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/--profile must be one of default, mock, .* got "nope"/);
    const api = await conform(['--target', mock.url, '--api', 'stripe']);
    expect(api.code).toBe(2);
    expect(lines(api.stderr)).toEqual(['credits-mock: --api must be waldur or maple, got "stripe"']);
  });

  it('--help names --no-session, the report files and the profiles', async () => {
    const run = await conform(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--no-session');
    expect(run.stdout).toContain('report-<api>.json and junit-<api>.xml');
    expect(run.stdout).toContain('maple-public-docs');
  });
});

describe("the README's GitHub Actions job", () => {
  interface Step {
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, string | number>;
  }
  const readme = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((y) => y.includes('credits-mock conform'));

  it('starts the mock, waits for its health, runs both halves with --report and uploads the JUnit files', () => {
    expect(block).toBeDefined();
    const job = (loadYaml(block!) as { jobs: Record<string, { steps: Step[] }> }).jobs.conformance!;
    const runs = job.steps.map((s) => s.run ?? '');
    const start = runs.findIndex((r) => /npx credits-mock serve --port 4010 .*&\n/.test(r));
    expect(start).toBeGreaterThan(-1);
    expect(runs[start]).toMatch(
      /curl -fsS --retry \d+ --retry-connrefused .*http:\/\/127\.0\.0\.1:4010\/__admin\/health/,
    );
    const conform = runs.filter((r) => r.startsWith('npx credits-mock conform'));
    expect(conform).toHaveLength(2);
    for (const api of ['waldur', 'maple'])
      expect(conform.some((r) => r.includes(`--api ${api}`) && r.includes('--report reports'))).toBe(true);
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.path)).toContain('reports/junit-*.xml');
    expect(upload?.if).toBe('${{ !cancelled() }}');
  });
});
