import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { Mutant } from './mutation-proxy.js';
import { expectKilled, Tally } from './mutant-runs.js';
import { startMock, type Running } from './processes.js';
import { MAPLE_MUTANTS } from './maple-mutants.js';

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
  const tally = new Tally();
  beforeAll(async () => {
    mocks.push(...(await Promise.all(Array.from({ length: LANES }, () => startMock()))));
    free.push(...mocks);
  });
  afterAll(async () => {
    tally.print('Maple mutation check');
    await Promise.all(mocks.map((m) => m.stop()));
  });

  it('has at least 12 mutants', () => {
    expect(MAPLE_MUTANTS.length).toBeGreaterThanOrEqual(12);
  });

  it.concurrent.for(MAPLE_MUTANTS)(
    'kills $name',
    { timeout: 600_000 },
    async (mutant: Mutant, { expect }: TestContext) => {
      const mock = await acquire();
      try {
        await expectKilled(expect, tally, mutant, mock.url, ['--api', 'maple'], 'mutant-maple-');
      } finally {
        release(mock);
      }
    },
  );
});
