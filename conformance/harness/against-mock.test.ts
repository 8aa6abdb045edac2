import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSuite, startMock, type Running, type SuiteRun } from './processes.js';

/**
 * What every full run must also show a CI job: the version and each check's
 * duration in report-<api>.json, JUnit counts equal to the JSON's, progress
 * lines on stderr and nothing but the suite's own lines on stdout; and, when
 * the mock offers sessions, a session of the run's own, dropped at the end.
 */
async function expectCiReady(run: SuiteRun, api: string, mockUrl: string): Promise<void> {
  expect(run.report.version).toMatch(/^\d+\.\d+\.\d+/);
  for (const r of run.report.results) expect(typeof r.durationMs).toBe('number');
  const [, tests, failures, skipped] =
    /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)"/.exec(run.junit) ?? [];
  expect([tests, failures, skipped].map(Number)).toEqual([
    run.report.results.length,
    run.report.totals.fail,
    run.report.totals.not_run,
  ]);
  expect(run.junit.match(/<testcase /g)).toHaveLength(run.report.results.length);
  expect(run.stderr).toMatch(new RegExp(`^\\[${api}\\] \\d+ checks, 0 failed \\(file \\d+/\\d+ done: ${api}/`, 'm'));
  expect(run.stdout).not.toMatch(/\[(E|W)\]|\x1b\[\d+m(E|W)\x1b/);
  const sessions = await fetch(`${mockUrl}/__admin/sessions`);
  if (sessions.status === 200) {
    expect(run.report.session).toMatch(/^conform-[0-9a-f]{12}$/);
    expect(JSON.stringify(((await sessions.json()) as { sessions: unknown[] }).sessions)).not.toContain(
      run.report.session,
    ); // dropped
  } else {
    expect(run.report.session).toBeNull();
  }
}

/**
 * The suite passes against the mock, every check, no deviations needed; and
 * one mock serves eight runs at once (four Waldur, four Maple), each in a
 * session of its own, without them seeing each other or touching the default
 * world.
 */
describe('the conformance suite against one mock', { timeout: 600_000 }, () => {
  let mock: Running;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock?.stop());

  const stateText = async () => (await fetch(`${mock.url}/__admin/state`)).text();

  it('eight parallel runs (Waldur 8.0.5, Waldur 8.1 and Maple), each in its own session, all pass; the default world is byte-identical after', async () => {
    const before = await stateText();
    const suites = ['waldur', 'maple', 'waldur-8.1', 'maple', 'waldur', 'maple', 'waldur-8.1', 'maple'] as const;
    const apiOf = (suite: (typeof suites)[number]) => (suite === 'maple' ? 'maple' : 'waldur');
    const runs = await Promise.all(
      suites.map((suite) => {
        const args =
          suite === 'maple'
            ? ['--target', mock.url, '--api', 'maple']
            : [
                '--target',
                mock.url,
                '--api',
                'waldur',
                '--token',
                'staff-token',
                ...(suite === 'waldur-8.1' ? ['--profile', 'waldur-8.1'] : []),
              ];
        return runSuite(args, mkdtempSync(path.join(tmpdir(), `conformance-${suite}-`)));
      }),
    );
    for (const [i, run] of runs.entries()) {
      const failures = run.report.results.filter((r) => r.outcome !== 'pass');
      expect(failures, run.output.slice(-5000)).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.report.api).toBe(apiOf(suites[i]!));
      expect(run.report.profile).toBe(suites[i] === 'waldur-8.1' ? 'waldur-8.1' : 'default');
      expect(run.report.totals.pass).toBeGreaterThan({ waldur: 200, 'waldur-8.1': 240, maple: 100 }[suites[i]!]);
      if (suites[i] === 'waldur-8.1')
        expect(run.report.results.filter((r) => r.file.startsWith('waldur-8.1/')).length).toBeGreaterThan(30);
      else expect(run.report.results.filter((r) => r.file.startsWith('waldur-8.1/'))).toEqual([]);
      expect(run.output).toMatch(/conformance: \d+ passed, 0 failed, 0 deviations, 0 not run/);
      await expectCiReady(run, apiOf(suites[i]!), mock.url);
    }
    expect(new Set(runs.map((r) => r.report.session)).size).toBe(suites.length);
    expect(
      ((await (await fetch(`${mock.url}/__admin/health`)).json()) as { waldur_version?: string }).waldur_version,
    ).toBe('8.0.5'); // the 8.1 runs switched their sessions only
    expect(await stateText()).toBe(before);
  });

  it.each([
    ['waldur', ['--token', 'staff-token'], 0],
    ['maple', [], 50],
  ])(
    '%s --read-only runs only the checks that change nothing, and says which were not run',
    async (api, more, atLeast) => {
      const run = await runSuite(
        ['--target', mock.url, '--api', api, '--read-only', ...more],
        mkdtempSync(path.join(tmpdir(), 'conformance-')),
      );
      expect(run.code, run.output.slice(-3000)).toBe(0);
      const notRun = run.report.results.filter((r) => r.outcome === 'not_run');
      expect(notRun.length).toBeGreaterThan(atLeast);
      for (const r of notRun) expect(r.reason).toMatch(/read-only/);
      expect(run.report.results.some((r) => r.outcome === 'pass')).toBe(true);
    },
  );
});
