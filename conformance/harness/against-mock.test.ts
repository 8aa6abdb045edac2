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
    const notRun = run.report.results.filter((r) => r.outcome === 'not run');
    expect(notRun.length).toBeGreaterThan(0);
    for (const r of notRun) expect(r.reason).toMatch(/read-only/);
    expect(run.report.results.some((r) => r.outcome === 'pass')).toBe(true);
  });
});
