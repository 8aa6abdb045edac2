import { describe, expect, it } from 'vitest';
import { WaldurError } from './errors.js';
import { CompensationsService } from './compensations.service.js';
import { ledgerWorld, ORG, OTHER, P, P2, type LedgerWorld } from './ledger.fixture.js';
import type { QueryParams } from './query-params.js';

/**
 * Org: credit 100, P 50, P2 20; an applied March invoice (P compensation −50,
 * org compensation −50). Other: credit 7.
 */
function world() {
  const w = ledgerWorld();
  const cc = w.grant(ORG, '100');
  const pc = w.allocate(P, '50');
  const pc2 = w.allocate(P2, '20');
  const other = w.grant(OTHER, '7');
  w.invoice(ORG, 2024, 3, [{ unit_price: '10', quantity: '30', project: P }]);
  w.clock.at = new Date('2024-03-16T10:00:00.000Z');
  new CompensationsService(w.ctx).apply(w.store.customerCredits.get(cc.uuid)!);
  return { w, cc, pc, pc2, other };
}

const list = (w: LedgerWorld, who: Parameters<LedgerWorld['actor']>[0], query: QueryParams = {}) =>
  w.ledger.list(w.actor(who), query).map((r) => `${r.transaction_type}:${r.amount}:${r.project_name || 'org'}`);

const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof WaldurError) return [err.kind, err.body];
  }
  return null;
};

describe('credit-transactions visibility (docs/behaviour/waldur-8.1.md §5.4)', () => {
  it('staff and support see every row, newest first', () => {
    const { w } = world();
    const all = [
      'compensation:-50.00000:org',
      'compensation:-50.00000:P',
      'staff_grant:7.00000:org',
      'staff_grant:20.00000:P2',
      'staff_grant:50.00000:P',
      'staff_grant:100.00000:org',
    ];
    expect(list(w, 'staff')).toEqual(all);
    expect(list(w, 'support')).toEqual(all);
  });

  it("any customer role sees the customer's organisation and project rows, not another customer's", () => {
    const { w } = world();
    const own = [
      'compensation:-50.00000:org',
      'compensation:-50.00000:P',
      'staff_grant:20.00000:P2',
      'staff_grant:50.00000:P',
      'staff_grant:100.00000:org',
    ];
    expect(list(w, 'owner')).toEqual(own);
    expect(list(w, 'serviceManager')).toEqual(own);
  });

  it("a project role sees its project's rows only: never the organisation's, never another project's", () => {
    const { w } = world();
    expect(list(w, 'manager')).toEqual(['compensation:-50.00000:P', 'staff_grant:50.00000:P']);
    expect(list(w, 'member2')).toEqual(['staff_grant:20.00000:P2']);
  });

  it('a user with no role gets an empty list and 404 on a row', () => {
    const { w } = world();
    expect(list(w, 'nobody')).toEqual([]);
    const row = w.rows()[0]!;
    expect(errorOf(() => w.ledger.retrieve(w.actor('nobody'), row.uuid))).toEqual([
      'not_found',
      { detail: 'No CreditTransaction matches the given query.' },
    ]);
    expect(w.ledger.retrieve(w.actor('owner'), row.uuid)).toBe(row);
  });

  it('after the project credit is deleted its rows keep the project, lose the customer, and only staff and support see them', () => {
    const { w, pc } = world();
    w.projectCredits.destroy(w.actor('staff'), pc.uuid);
    const orphans = w.ledger.list(w.actor('staff'), { project_uuid: P });
    expect(orphans.map((r) => [r.project_uuid, r.project_name, w.ledger.view(r).customer])).toEqual([
      [P, 'P', null],
      [P, 'P', null],
    ]);
    expect(w.ledger.list(w.actor('support'), { project_uuid: P })).toHaveLength(2);
    expect(list(w, 'owner', { project_uuid: P })).toEqual([]);
    expect(list(w, 'manager')).toEqual([]);
    expect(errorOf(() => w.ledger.retrieve(w.actor('owner'), orphans[0]!.uuid))?.[0]).toBe('not_found');
  });

  it('a malformed or unknown uuid is 404', () => {
    const { w } = world();
    expect(errorOf(() => w.ledger.retrieve(w.actor('staff'), 'nope'))).toEqual(['not_found', { detail: 'Not found.' }]);
    expect(errorOf(() => w.ledger.retrieve(w.actor('staff'), 'f'.repeat(32)))?.[0]).toBe('not_found');
  });
});

describe('credit-transactions filters (docs/behaviour/waldur-8.1.md §5.3)', () => {
  it('credit_uuid matches organisation rows only; customer_uuid both kinds; project_credit_uuid and project_uuid one project', () => {
    const { w, cc, pc, other } = world();
    expect(list(w, 'staff', { credit_uuid: cc.uuid })).toEqual([
      'compensation:-50.00000:org',
      'staff_grant:100.00000:org',
    ]);
    expect(list(w, 'staff', { customer_uuid: OTHER })).toEqual(['staff_grant:7.00000:org']);
    expect(list(w, 'staff', { customer_uuid: ORG })).toHaveLength(5);
    expect(list(w, 'staff', { project_credit_uuid: pc.uuid })).toEqual([
      'compensation:-50.00000:P',
      'staff_grant:50.00000:P',
    ]);
    expect(list(w, 'staff', { project_uuid: P2 })).toEqual(['staff_grant:20.00000:P2']);
    expect(list(w, 'staff', { credit_uuid: other.uuid.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-') })).toEqual([
      'staff_grant:7.00000:org',
    ]);
  });

  it('project_uuid is an exact string: the dashed form matches nothing', () => {
    const { w } = world();
    expect(list(w, 'staff', { project_uuid: P.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-') })).toEqual([]);
  });

  it('transaction_type is exact; an unknown type is an empty list, not an error', () => {
    const { w } = world();
    expect(list(w, 'staff', { transaction_type: 'compensation' })).toHaveLength(2);
    expect(list(w, 'staff', { transaction_type: 'bogus' })).toEqual([]);
  });

  it('billing_period exact and the inclusive _after/_before bounds; rows without a period never match', () => {
    const { w } = world();
    expect(list(w, 'staff', { billing_period: '2024-03-01' })).toHaveLength(2);
    expect(list(w, 'staff', { billing_period: '2024-04-01' })).toEqual([]);
    expect(list(w, 'staff', { billing_period_after: '2024-03-01' })).toHaveLength(2);
    expect(list(w, 'staff', { billing_period_after: '2024-03-02' })).toEqual([]);
    expect(list(w, 'staff', { billing_period_before: '2024-03-01' })).toHaveLength(2);
    expect(list(w, 'staff', { billing_period_before: '2024-02-29' })).toEqual([]);
  });

  it('bad values are 400, every one keyed by its parameter; empty values do not filter', () => {
    const { w } = world();
    expect(
      errorOf(() =>
        w.ledger.list(w.actor('staff'), {
          credit_uuid: 'x',
          customer_uuid: '12',
          billing_period: '2024-02-30',
          billing_period_after: 'soon',
          o: 'value',
        }),
      ),
    ).toEqual([
      'validation',
      {
        credit_uuid: ['Enter a valid UUID.'],
        customer_uuid: ['Enter a valid UUID.'],
        billing_period: ['Enter a valid date.'],
        billing_period_after: ['Enter a valid date.'],
        o: ['Select a valid choice. value is not one of the available choices.'],
      },
    ]);
    expect(list(w, 'staff', { credit_uuid: '', billing_period: '', o: '' })).toHaveLength(6);
  });

  it('the filters apply to a retrieve too (get_object runs through them)', () => {
    const { w, cc } = world();
    const row = w.rows().find((r) => r.credit === cc.uuid)!;
    expect(errorOf(() => w.ledger.retrieve(w.actor('staff'), row.uuid, { transaction_type: 'payout' }))?.[0]).toBe(
      'not_found',
    );
    expect(errorOf(() => w.ledger.retrieve(w.actor('staff'), row.uuid, { credit_uuid: 'x' }))?.[0]).toBe('validation');
  });
});

describe('credit-transactions ordering', () => {
  it('o=created is oldest first; -created (the default) newest first', () => {
    const { w } = world();
    expect(list(w, 'staff', { o: 'created' })).toEqual([...list(w, 'staff')].reverse());
    expect(list(w, 'staff', { o: '-created' })).toEqual(list(w, 'staff'));
  });

  it('o=billing_period puts rows without a period last, -billing_period first; ties newest first', () => {
    const { w } = world();
    expect(list(w, 'staff', { o: 'billing_period' }).slice(0, 2)).toEqual([
      'compensation:-50.00000:org',
      'compensation:-50.00000:P',
    ]);
    expect(list(w, 'staff', { o: '-billing_period' }).slice(-2)).toEqual([
      'compensation:-50.00000:org',
      'compensation:-50.00000:P',
    ]);
    expect(list(w, 'staff', { o: '-billing_period,created' })[0]).toBe('staff_grant:100.00000:org');
  });

  it('rows kept out of created order (an imported state) are still listed by created', () => {
    const w = ledgerWorld();
    const cc = w.grant(ORG, '100');
    const row = (n: number, created: string) => ({
      ...w.rows()[0]!,
      uuid: String(n).padStart(32, 'a'),
      seq: 100 + n,
      created,
      amount: `${n}.00000`,
    });
    w.store.creditTransactions.put(row(1, '2024-01-02T00:00:00.000000Z'));
    w.store.creditTransactions.put(row(2, '2024-01-01T00:00:00.000000Z'));
    expect(w.ledger.list(w.actor('staff'), { credit_uuid: cc.uuid }).map((r) => r.amount)).toEqual([
      '100.00000',
      '1.00000',
      '2.00000',
    ]);
    expect(w.ledger.list(w.actor('staff'), { o: 'created' }).map((r) => r.amount)).toEqual([
      '2.00000',
      '1.00000',
      '100.00000',
    ]);
  });
});
