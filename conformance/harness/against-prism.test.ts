import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSuite, startPrism, type Running } from './processes.js';

/**
 * Prism 5.14.2 serving the same spec answers every request from examples and
 * schemas: its responses have the right shape but no memory. The suite must
 * notice, and say why.
 */
describe('the conformance suite against Prism', () => {
  let prism: Running;
  let dir: string;
  beforeAll(async () => {
    prism = await startPrism('waldur-credits.yaml');
    dir = mkdtempSync(path.join(tmpdir(), 'conformance-prism-'));
    const id = (n: number) => `${String(n).padStart(8, '0')}000040008000000000000000`;
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        waldur: {
          customers_without_credit: [id(1), id(2), id(3)],
          projects_without_credit: [0, 1, 2, 3].map((i) => ({ project: id(10 + i), customer: id(i < 3 ? 1 : 2) })),
          tokens: { support: 'support', owner: 'owner', manager: 'manager', user: 'user' },
        },
      }),
    );
  });
  afterAll(() => prism?.stop());

  it('fails the stateful and behavioural checks, with reasons', async () => {
    const run = await runSuite(['--target', prism.url, '--token', 'any', '--config', path.join(dir, 'config.json')], path.join(dir, 'report'));
    expect(run.code, run.output).not.toBe(0);
    const failed = new Map(run.report.results.filter((r) => r.outcome === 'fail').map((r) => [`${r.operation} › ${r.check}`, r.reason]));
    // Stateless: what was created is not what comes back.
    expect([...failed.keys()]).toEqual(expect.arrayContaining(['customer_credits_retrieve › returns what was created']));
    for (const reason of failed.values()) expect(reason).toBeTruthy();
    expect(failed.size).toBeGreaterThan(5);
  });
});
