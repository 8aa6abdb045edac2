import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSuite, startMock, type Running } from './processes.js';

/** The suite passes against the mock: every check, no deviations needed. */
describe('the conformance suite against the mock', () => {
  let mock: Running;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock?.stop());

  it('passes every check and exits 0', async () => {
    const run = await runSuite(['--target', mock.url, '--api', 'waldur', '--token', 'staff-token'], mkdtempSync(path.join(tmpdir(), 'conformance-')));
    const failures = run.report.results.filter((r) => r.outcome !== 'pass');
    expect(failures, run.output).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.report.totals.pass).toBeGreaterThan(20);
    expect(run.output).toMatch(/conformance: \d+ passed, 0 failed, 0 deviations, 0 not run/);
  });

  it('--read-only runs only the checks that change nothing, and says which were not run', async () => {
    const run = await runSuite(['--target', mock.url, '--token', 'staff-token', '--read-only'], mkdtempSync(path.join(tmpdir(), 'conformance-')));
    expect(run.code).toBe(0);
    const notRun = run.report.results.filter((r) => r.outcome === 'not_run');
    expect(notRun.length).toBeGreaterThan(0);
    for (const r of notRun) expect(r.reason).toMatch(/read-only/);
    expect(run.report.results.some((r) => r.outcome === 'pass')).toBe(true);
  });
});

/**
 * The Maple half passes against the mock too: it provisions its own companies
 * through /__admin/. The two runs go side by side, each on its own mock.
 */
describe.concurrent('the Maple conformance suite against the mock', () => {
  it('passes every check and exits 0', async ({ expect }) => {
    const mock = await startMock();
    try {
      const run = await runSuite(['--target', mock.url, '--api', 'maple'], mkdtempSync(path.join(tmpdir(), 'conformance-maple-')));
      const failures = run.report.results.filter((r) => r.outcome !== 'pass');
      expect(failures, run.output.slice(-5000)).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.report.api).toBe('maple');
      expect(run.report.totals.pass).toBeGreaterThan(100);
      expect(run.output).toMatch(/conformance: \d+ passed, 0 failed, 0 deviations, 0 not run/);
    } finally {
      await mock.stop();
    }
  }, 300_000);

  it('--read-only runs only the checks that change nothing, and says which were not run', async ({ expect }) => {
    const mock = await startMock();
    try {
      const run = await runSuite(['--target', mock.url, '--api', 'maple', '--read-only'], mkdtempSync(path.join(tmpdir(), 'conformance-maple-')));
      expect(run.code, run.output.slice(-3000)).toBe(0);
      const notRun = run.report.results.filter((r) => r.outcome === 'not_run');
      expect(notRun.length).toBeGreaterThan(50);
      for (const r of notRun) expect(r.reason).toMatch(/read-only/);
      expect(run.report.results.filter((r) => r.outcome === 'pass').length).toBeGreaterThan(10);
    } finally {
      await mock.stop();
    }
  }, 300_000);
});
