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
    const run = await runSuite(
      ['--target', prism.url, '--token', 'any', '--config', path.join(dir, 'config.json')],
      path.join(dir, 'report'),
    );
    expect(run.code, run.output).not.toBe(0);
    const failed = new Map(
      run.report.results.filter((r) => r.outcome === 'fail').map((r) => [`${r.operation} › ${r.check}`, r.reason]),
    );
    // Stateless: what was created is not what comes back.
    expect([...failed.keys()]).toEqual(
      expect.arrayContaining(['customer_credits_retrieve › returns what was created']),
    );
    for (const reason of failed.values()) expect(reason).toBeTruthy();
    expect(failed.size).toBeGreaterThan(5);
  }, 180_000);
});

/**
 * The 8.1 profile against Prism serving specs/waldur-credits-8.1.yaml: the
 * shapes of 8.1 are right, the arithmetic and the ledger's memory are not.
 * CONFORMANCE_ONLY keeps the run to the 8.1 checks and one 8.0.5 file.
 */
describe('the Waldur 8.1 conformance suite against Prism', () => {
  let prism: Running;
  let dir: string;
  beforeAll(async () => {
    prism = await startPrism('waldur-credits-8.1.yaml');
    dir = mkdtempSync(path.join(tmpdir(), 'conformance-prism-81-'));
    const id = (n: number) => `${String(n).padStart(8, '0')}000040008000000000000000`;
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        profile: 'waldur-8.1',
        waldur: {
          customers_without_credit: [id(1), id(2), id(3)],
          projects_without_credit: [0, 1, 2, 3].map((i) => ({ project: id(10 + i), customer: id(i < 3 ? 1 : 2) })),
          tokens: { support: 'support', owner: 'owner', manager: 'manager', user: 'user' },
        },
      }),
    );
  });
  afterAll(() => prism?.stop());

  it('fails the 8.1 checks that need memory or arithmetic, with reasons; the mock-only ones are not run, with why', async () => {
    // The checks 8.1 adds (the 8.0.5 files are proved against Prism above), and the 8.0.5 lifecycle on the 8.1 spec.
    const only = { CONFORMANCE_ONLY: 'waldur-8.1,waldur/customer-credits.conformance.test.ts' };
    const run = await runSuite(
      ['--target', prism.url, '--token', 'any', '--config', path.join(dir, 'config.json')],
      path.join(dir, 'report'),
      only,
    );
    expect(run.code, run.output.slice(-3000)).not.toBe(0);
    expect(run.report.profile).toBe('waldur-8.1');
    const failed = new Map(
      run.report.results.filter((r) => r.outcome === 'fail').map((r) => [`${r.operation} › ${r.check}`, r.reason]),
    );
    expect([...failed.keys()]).toEqual(
      expect.arrayContaining([
        'customer_credits_retrieve › returns what was created',
        'customer_credits_adjust_withdrawable › +40 "manual grant": 200 with the credit, value 140.00000 and withdrawable_balance 40.0',
        'credit_transactions_list › creating a customer credit of 100 writes one staff_grant row of 100.00000, every field as documented',
      ]),
    );
    const failed81 = run.report.results.filter((r) => r.outcome === 'fail' && r.file.startsWith('waldur-8.1/'));
    expect(failed81.length).toBeGreaterThan(10);
    for (const reason of failed.values()) expect(reason).toBeTruthy();
    const notRun = run.report.results.filter((r) => r.outcome === 'not_run' && r.file.startsWith('waldur-8.1/'));
    expect(notRun.length).toBeGreaterThan(0);
    for (const r of notRun) expect(r.reason).toMatch(/__admin|not reached/);
  }, 180_000);
});

/**
 * The Maple half against Prism serving specs/maple-credits.yaml, with a config
 * naming made-up ids: Prism answers every request from the schemas and keeps
 * nothing, and has no /__admin/, so the mock-only checks are not run, with why.
 */
describe('the Maple conformance suite against Prism', () => {
  let prism: Running;
  let dir: string;
  beforeAll(async () => {
    prism = await startPrism('maple-credits.yaml');
    dir = mkdtempSync(path.join(tmpdir(), 'conformance-prism-maple-'));
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        maple: {
          company_id: 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50',
          customers: ['cus_conformance1', 'cus_conformance2'],
          customer_identifier: 'conformance-customer-1',
          item_id: 'item_conformance',
          subscription_id: 'subs_conformance',
          other_company_token: 'another-company-token',
          other_company_id: 'cmp_2Mm8QhXv1bYxH6s0wz9P4KdRt3E',
          other_customer_id: 'cus_conformanceother',
          open_invoices: [
            { id: 'inv_conformance', customer_id: 'cus_conformance1', currency: 'USD', due_in_cents: 4500 },
          ],
        },
      }),
    );
  });
  afterAll(() => prism?.stop());

  it('fails the stateful and behavioural checks, with reasons; the mock-only checks are not run, with why', async () => {
    const run = await runSuite(
      ['--target', prism.url, '--api', 'maple', '--token', 'any', '--config', path.join(dir, 'config.json')],
      path.join(dir, 'report'),
    );
    expect(run.code, run.output.slice(-3000)).not.toBe(0);
    const failed = new Map(
      run.report.results.filter((r) => r.outcome === 'fail').map((r) => [`${r.operation} › ${r.check}`, r.reason]),
    );
    // Stateless: what was created is not what comes back, and a consume changes no balance.
    expect([...failed.keys()]).toEqual(
      expect.arrayContaining([
        'getCredit › returns the credit exactly as created',
        'consumeCredits › by credit_id deducts from that credit and answers the balance after',
      ]),
    );
    for (const reason of failed.values()) expect(reason).toBeTruthy();
    expect(failed.size).toBeGreaterThan(20);
    const notRun = run.report.results.filter((r) => r.outcome === 'not_run');
    expect(notRun.length).toBeGreaterThan(0);
    for (const r of notRun) expect(r.reason).toMatch(/__admin|not reached/);
  }, 180_000);
});
