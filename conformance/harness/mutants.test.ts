import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { startMutationProxy, type Mutant } from './mutation-proxy.js';
import { runSuite, startMock, type Running } from './processes.js';
import { MAPLE_MUTANTS } from './maple-mutants.js';
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

/**
 * The same for the Maple half: every broken Maple server must fail the Maple
 * suite. The runs go two at a time, each on its own mock (the clock and the
 * injected faults are a mock's own, so two runs must not share one).
 */
describe('the Maple conformance suite kills every Maple mutant', () => {
  const LANES = 2;
  const mocks: Running[] = [];
  const free: Running[] = [];
  const waiting: ((mock: Running) => void)[] = [];
  const acquire = () => new Promise<Running>((resolve) => (free.length ? resolve(free.pop()!) : waiting.push(resolve)));
  const release = (mock: Running) => (waiting.length ? waiting.shift()!(mock) : free.push(mock));
  const killed: string[] = [];
  const survived: string[] = [];
  beforeAll(async () => {
    mocks.push(...(await Promise.all(Array.from({ length: LANES }, () => startMock()))));
    free.push(...mocks);
  });
  afterAll(async () => {
    const total = killed.length + survived.length;
    process.stdout.write(`\nMaple mutation check: ${killed.length}/${total} mutants killed (${total ? Math.round((100 * killed.length) / total) : 0}%)${survived.length ? `; survived: ${survived.join(', ')}` : ''}\n`);
    await Promise.all(mocks.map((m) => m.stop()));
  });

  it('has at least 12 mutants', () => {
    expect(MAPLE_MUTANTS.length).toBeGreaterThanOrEqual(12);
  });

  it.concurrent.for(MAPLE_MUTANTS)('kills $name', { timeout: 600_000 }, async (mutant: Mutant, { expect }: TestContext) => {
    const mock = await acquire();
    const proxy = await startMutationProxy(mock.url, mutant);
    try {
      const run = await runSuite(['--target', proxy.url, '--api', 'maple', '--bail'], mkdtempSync(path.join(tmpdir(), 'mutant-maple-')));
      const failed = run.report.results.filter((r) => r.outcome === 'fail');
      (run.code !== 0 && failed.length > 0 ? killed : survived).push(mutant.name);
      expect(run.code, `mutant "${mutant.name}" (${mutant.breaks}) survived:\n${run.output.slice(-2000)}`).not.toBe(0);
      expect(failed.length).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
      release(mock);
    }
  });
});
