import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMutationProxy } from './mutation-proxy.js';
import { runSuite, startMock, type Running } from './processes.js';
import { WALDUR_MUTANTS } from './waldur-mutants.js';

/**
 * Mutation check: the suite must fail against every deliberately broken server.
 * Each mutant is the mock behind a proxy that breaks one rule; the suite runs with
 * --bail, since one failing check is enough to kill it.
 */
describe('the conformance suite kills every mutant', () => {
  let mock: Running;
  const killed: string[] = [];
  const survived: string[] = [];
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    const total = killed.length + survived.length;
    process.stdout.write(`\nmutation check: ${killed.length}/${total} mutants killed (${total ? Math.round((100 * killed.length) / total) : 0}%)${survived.length ? `; survived: ${survived.join(', ')}` : ''}\n`);
    await mock?.stop();
  });

  it('has at least 12 mutants', () => {
    expect(WALDUR_MUTANTS.length).toBeGreaterThanOrEqual(12);
  });

  it.each(WALDUR_MUTANTS.map((m) => [m.name, m] as const))('kills %s', async (_name, mutant) => {
    const proxy = await startMutationProxy(mock.url, mutant);
    try {
      const run = await runSuite(['--target', proxy.url, '--token', 'staff-token', '--bail'], mkdtempSync(path.join(tmpdir(), 'mutant-')));
      const failed = run.report.results.filter((r) => r.outcome === 'fail');
      (run.code !== 0 && failed.length > 0 ? killed : survived).push(mutant.name);
      expect(run.code, `mutant "${mutant.name}" (${mutant.breaks}) survived:\n${run.output.slice(-2000)}`).not.toBe(0);
      expect(failed.length).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });
});
