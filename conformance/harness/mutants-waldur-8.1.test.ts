import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { startMutationProxy, type Mutant } from './mutation-proxy.js';
import { expectKilled, Tally } from './mutant-runs.js';
import { runSuite, startMock, type Running } from './processes.js';
import { WALDUR_81_MUTANTS } from './waldur-mutants.js';

/**
 * The mutants of the 8.1 behaviour, each killed by the file of the 8.1 checks
 * it names (CONFORMANCE_ONLY keeps the runs short). One mock serves two runs
 * at a time, each in a session of its own, switched to 8.1.
 */
describe('the Waldur 8.1 checks kill every 8.1 mutant', () => {
  let mock: Running;
  const tally = new Tally();
  let lanes = 2;
  const waiting: (() => void)[] = [];
  const acquire = () => new Promise<void>((resolve) => (lanes > 0 ? (lanes--, resolve()) : waiting.push(resolve)));
  const release = () => (waiting.length ? waiting.shift()!() : lanes++);
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    tally.print('Waldur 8.1 mutation check');
    await mock?.stop();
  });

  it('has at least 6 mutants', () => {
    expect(WALDUR_81_MUTANTS.length).toBeGreaterThanOrEqual(6);
  });

  it("a real 8.1 server's 500 from apply/clear is the profile's deviation, not a failure; a body from them is a failure", async () => {
    const answers500: Mutant = {
      name: 'compensation-actions-500',
      breaks: "apply/clear answer 500 and roll back, as Waldur 8.1's code does",
      request: (ex) =>
        ex.method === 'POST' && /_compensations\/$/.test(ex.url.pathname)
          ? { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>Server Error (500)</h1>' }
          : ex,
    };
    const proxy = await startMutationProxy(mock.url, answers500);
    try {
      const run = await runSuite(
        ['--target', proxy.url, '--token', 'staff-token', '--profile', 'waldur-8.1'],
        mkdtempSync(path.join(tmpdir(), 'mutant-81-')),
        {
          CONFORMANCE_ONLY: 'waldur-8.1/compensations.conformance.test.ts,waldur/customer-credits.conformance.test.ts',
        },
      );
      const actions = run.report.results.filter((r) =>
        /^customer_credits_(apply|clear)_compensations$/.test(r.operation),
      );
      expect(actions.length).toBeGreaterThan(3);
      for (const r of actions)
        expect([r.check, r.outcome, r.deviation]).toEqual([r.check, 'deviation', 'compensation-actions-500']);
    } finally {
      await proxy.stop();
    }
  }, 600_000);

  it.concurrent.for(WALDUR_81_MUTANTS)(
    'kills $name',
    { timeout: 600_000 },
    async (mutant: Mutant & { killedBy: string }, { expect }: TestContext) => {
      await acquire();
      try {
        await expectKilled(
          expect,
          tally,
          mutant,
          mock.url,
          ['--token', 'staff-token', '--profile', 'waldur-8.1'],
          'mutant-81-',
          { CONFORMANCE_ONLY: mutant.killedBy },
        );
      } finally {
        release();
      }
    },
  );
});
