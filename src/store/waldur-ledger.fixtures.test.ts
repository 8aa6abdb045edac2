import { describe, expect, it } from 'vitest';
import { ledgerWorld, ORG, P } from '../domain/waldur/ledger.fixture.js';
import { FixtureError, parseWaldurFixtures } from './waldur.fixtures.js';
import { WaldurStore } from './waldur.store.js';

const NOW = '2024-03-15T10:00:00.000Z';

describe('credit_transactions in the Waldur state', () => {
  it('an export with a ledger imports back to the same state, and the next row is written after the imported ones', () => {
    const w = ledgerWorld();
    w.grant(ORG, '100');
    const pc = w.allocate(P, '40');
    w.projectCredits.destroy(w.actor('staff'), pc.uuid);
    const exported = w.store.export();
    expect(exported.credit_transactions).toHaveLength(2);
    const state = parseWaldurFixtures(JSON.parse(JSON.stringify(exported)), NOW);
    const copy = new WaldurStore();
    copy.load(state);
    expect(copy.export()).toEqual(exported);
    w.store.load(state);
    w.clock.at = new Date('2020-01-01T00:00:00.000Z');
    w.patchCustomerCredit(w.store.customerCredits.getBy('customer', ORG)!.uuid, { value: '90' });
    const last = w.rows().at(-1)!;
    expect(last.created > exported.credit_transactions![1]!.created).toBe(true);
    expect(last.seq).toBeGreaterThan(Math.max(...exported.credit_transactions!.map((t) => t.seq)));
  });

  it('a state without a ledger exports none (as before the ledger)', () => {
    const store = new WaldurStore();
    store.load(parseWaldurFixtures({ customers: [{ uuid: ORG, name: 'Org', slug: 'org' }] }, NOW));
    expect(Object.keys(store.export())).not.toContain('credit_transactions');
  });

  it('rows are written short and completed; created gets microseconds', () => {
    const state = parseWaldurFixtures(
      {
        customers: [{ uuid: ORG, name: 'Org', slug: 'org' }],
        customer_credits: [{ uuid: 'cc'.padEnd(32, '0'), customer: ORG, value: '10' }],
        credit_transactions: [{ amount: 10, transaction_type: 'staff_grant', credit: 'cc'.padEnd(32, '0'), created: '2024-01-01T00:00:00Z' }],
      },
      NOW,
    );
    expect(state.credit_transactions).toEqual([
      expect.objectContaining({ amount: '10.00000', created: '2024-01-01T00:00:00.000000Z', seq: 1, comment: '', project_uuid: '', project_credit: null, billing_period: null }),
    ]);
  });

  it('refuses rows whose credit is unknown, rows of both kinds at once, unknown types and periods not on a first', () => {
    const doc = (row: Record<string, unknown>) => ({ customers: [{ uuid: ORG, name: 'Org', slug: 'org' }], credit_transactions: [{ amount: '1', transaction_type: 'staff_grant', ...row }] });
    const problems = (row: Record<string, unknown>) => {
      try {
        parseWaldurFixtures(doc(row), NOW);
      } catch (err) {
        if (err instanceof FixtureError) return err.problems.join('; ');
      }
      return 'accepted';
    };
    expect(problems({ credit: 'ab'.padEnd(32, '0') })).toMatch(/credit refers to unknown/);
    expect(problems({ project_credit: 'ab'.padEnd(32, '0'), project_uuid: P })).toMatch(/project_credit refers to unknown/);
    expect(problems({})).toMatch(/needs a credit or a project_uuid/);
    expect(problems({ project_uuid: P, transaction_type: 'gift' })).toMatch(/transaction_type/);
    expect(problems({ project_uuid: P, billing_period: '2024-03-02' })).toMatch(/billing_period/);
    expect(problems({ project_uuid: P, project_name: 'P' })).toBe('accepted');
  });
});
