import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKilled, Tally } from './mutant-runs.js';
import { startMock, type Running } from './processes.js';
import { WALDUR_MUTANTS } from './waldur-mutants.js';

describe('the conformance suite kills every mutant', () => {
  let mock: Running;
  const tally = new Tally();
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    tally.print('mutation check');
    await mock?.stop();
  });

  it('has at least 12 mutants', () => {
    expect(WALDUR_MUTANTS.length).toBeGreaterThanOrEqual(12);
  });

  // A whole run of the suite: a busy machine takes longer than vitest's default 30 s.
  it.each(WALDUR_MUTANTS.map((m) => [m.name, m] as const))(
    'kills %s',
    async (_name, mutant) => {
      await expectKilled(expect, tally, mutant, mock.url, ['--token', 'staff-token'], 'mutant-');
    },
    600_000,
  );
});
