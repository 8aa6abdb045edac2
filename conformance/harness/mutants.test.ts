import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { startMutationProxy, type Mutant } from './mutation-proxy.js';
import { runSuite, startMock, type Running } from './processes.js';
import { MAPLE_MUTANTS } from './maple-mutants.js';
import { WALDUR_81_MUTANTS, WALDUR_MUTANTS } from './waldur-mutants.js';

/**
 * Mutation check: the suite must fail against every deliberately broken server.
 * Each mutant is the mock behind a proxy that breaks one rule; the suite runs with
 * --bail, since one failing check is enough to kill it.
 */

/** Which mutants died, printed once a half has run them all. */
class Tally {
  readonly killed: string[] = [];
  readonly survived: string[] = [];

  print(label: string): void {
    const total = this.killed.length + this.survived.length;
    const share = total ? Math.round((100 * this.killed.length) / total) : 0;
    process.stdout.write(
      `\n${label}: ${this.killed.length}/${total} mutants killed (${share}%)${this.survived.length ? `; survived: ${this.survived.join(', ')}` : ''}\n`,
    );
  }
}

/** Runs the suite (with `args`) against `mutant` in front of the mock at `url`, tallies the outcome, and expects the suite to fail. */
async function expectKilled(
  check: typeof expect,
  tally: Tally,
  mutant: Mutant,
  url: string,
  args: string[],
  dirPrefix: string,
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  const proxy = await startMutationProxy(url, mutant);
  try {
    const run = await runSuite(
      ['--target', proxy.url, ...args, '--bail'],
      mkdtempSync(path.join(tmpdir(), dirPrefix)),
      env,
    );
    const failed = run.report.results.filter((r) => r.outcome === 'fail');
    (run.code !== 0 && failed.length > 0 ? tally.killed : tally.survived).push(mutant.name);
    check(run.code, `mutant "${mutant.name}" (${mutant.breaks}) survived:\n${run.output.slice(-2000)}`).not.toBe(0);
    check(failed.length).toBeGreaterThan(0);
  } finally {
    await proxy.stop();
  }
}

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
