import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { expect } from 'vitest';
import { startMutationProxy, type Mutant } from './mutation-proxy.js';
import { runSuite } from './processes.js';

/**
 * Mutation check (mutants-*.test.ts): the suite must fail against every
 * deliberately broken server. Each mutant is the mock behind a proxy that
 * breaks one rule; the suite runs with --bail, since one failing check is
 * enough to kill it. The three halves are files of their own so that they
 * can run at the same time.
 */

/** Which mutants died, printed once a half has run them all. */
export class Tally {
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
export async function expectKilled(
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
