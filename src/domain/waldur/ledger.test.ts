import { describe, expect, it } from 'vitest';
import { Dec } from '../money/decimal.js';
import { CompensationsService } from './compensations.service.js';
import { isoMicros, microsOf, recordCustomerCredit } from './ledger.js';
import { brief, ledgerWorld, ORG, OTHER, P, P2 } from './ledger.fixture.js';

describe('ledger rows of staff writes (docs/behaviour/waldur-8.1.md §6)', () => {
  it('a grant is a staff_grant of its value; an edit one of the delta, negative too; no change, no row', () => {
    const w = ledgerWorld();
    const cc = w.grant(ORG, '100');
    w.patchCustomerCredit(cc.uuid, { value: '80' });
    w.patchCustomerCredit(cc.uuid, { value: '80.00000', end_date: '2025-01-01' });
    expect(brief(w.rows())).toEqual([
      ['staff_grant', '100.00000', null, 'org'],
      ['staff_grant', '-20.00000', null, 'org'],
    ]);
    const [row] = w.rows();
    expect(row).toMatchObject({
      credit: cc.uuid,
      project_credit: null,
      project_uuid: '',
      project_name: '',
      comment: '',
    });
  });

  it('a credit created at 0 writes nothing', () => {
    const w = ledgerWorld();
    w.grant(ORG, '0');
    expect(w.rows()).toEqual([]);
  });

  it('project credits get project rows: the project uuid and name kept on the row', () => {
    const w = ledgerWorld();
    w.grant(ORG, '100');
    const pc = w.allocate(P, '50');
    w.patchProjectCredit(pc.uuid, { value: '30.5' });
    expect(brief(w.rows())).toEqual([
      ['staff_grant', '100.00000', null, 'org'],
      ['staff_grant', '50.00000', null, 'P'],
      ['staff_grant', '-19.50000', null, 'P'],
    ]);
    expect(w.rows()[1]).toMatchObject({ credit: null, project_credit: pc.uuid, project_uuid: P });
  });

  it('a refused write leaves no row (the write and its row are one transaction)', () => {
    const w = ledgerWorld();
    w.grant(ORG, '100');
    expect(() => w.allocate(P, '150')).toThrow();
    const pc = w.allocate(P, '60');
    expect(() => w.patchProjectCredit(pc.uuid, { value: '101' })).toThrow();
    expect(() => w.patchCustomerCredit(w.rows()[0]!.credit!, { value: '-1' })).toThrow();
    expect(brief(w.rows())).toEqual([
      ['staff_grant', '100.00000', null, 'org'],
      ['staff_grant', '60.00000', null, 'P'],
    ]);
  });

  it('a world speaking 8.0.5 keeps no ledger; switched to 8.1 it starts one', () => {
    const w = ledgerWorld({ version: '8.0.5' });
    const cc = w.grant(ORG, '100');
    w.patchCustomerCredit(cc.uuid, { value: '90' });
    expect(w.rows()).toEqual([]);
    expect(w.store.export()).not.toHaveProperty('credit_transactions');
    w.settings.version = '8.1';
    w.patchCustomerCredit(cc.uuid, { value: '95' });
    expect(brief(w.rows())).toEqual([['staff_grant', '5.00000', null, 'org']]);
    expect(w.store.export().credit_transactions).toHaveLength(1);
  });

  it('rows written in one instant get increasing microseconds', () => {
    const w = ledgerWorld({ now: '2024-03-15T10:00:00.000Z' });
    w.grant(ORG, '100');
    w.allocate(P, '10');
    w.allocate(P2, '10');
    expect(w.rows().map((r) => r.created)).toEqual([
      '2024-03-15T10:00:00.000000Z',
      '2024-03-15T10:00:00.000001Z',
      '2024-03-15T10:00:00.000002Z',
    ]);
    w.clock.at = new Date('2024-03-15T10:00:00.123Z');
    w.grant(OTHER, '1');
    expect(w.rows().at(-1)!.created).toBe('2024-03-15T10:00:00.123000Z');
  });

  it('declared parts that do not add up to the delta give one row of the declared type (the breakdown is refused, not filed as a grant)', () => {
    const w = ledgerWorld();
    const cc = w.grant(ORG, '100');
    const after = { ...cc, value: '70.00000' };
    recordCustomerCredit(w.ctx, cc, after, {
      type: 'compensation',
      billingPeriod: '2024-03-01',
      parts: [
        { type: 'compensation', amount: new Dec(-20) },
        { type: 'minimal_draw', amount: new Dec(-11) },
      ],
    });
    recordCustomerCredit(
      w.ctx,
      after,
      { ...after, value: '40.00000' },
      {
        type: 'compensation',
        parts: [
          { type: 'compensation', amount: new Dec(-30) },
          { type: 'minimal_draw', amount: new Dec(0) },
        ],
      },
    );
    expect(brief(w.rows().slice(1))).toEqual([
      ['compensation', '-30.00000', '2024-03-01', 'org'],
      ['compensation', '-30.00000', null, 'org'],
    ]);
  });

  it('microsOf and isoMicros agree, also with fewer places', () => {
    expect(isoMicros(microsOf('2026-09-20T10:11:12.123456Z'))).toBe('2026-09-20T10:11:12.123456Z');
    expect(isoMicros(microsOf('2026-09-20T10:11:12.5Z'))).toBe('2026-09-20T10:11:12.500000Z');
    expect(isoMicros(microsOf('2026-09-20T10:11:12Z'))).toBe('2026-09-20T10:11:12.000000Z');
  });
});

describe('ledger rows of compensation runs (docs/behaviour/waldur-8.1.md §6, §7 worked examples)', () => {
  /** The CreditFixture: customer credit 100, project credit 50 on P, one item 10 × 30 = 300 on P, tax 0. */
  function creditFixture() {
    const w = ledgerWorld();
    const cc = w.grant(ORG, '100');
    const pc = w.allocate(P, '50');
    w.invoice(ORG, 2024, 3, [{ unit_price: '10', quantity: '30', project: P }]);
    return { w, cc, pc, service: new CompensationsService(w.ctx) };
  }

  it('apply: the project row first, then the organisation row, each with the invoice month', () => {
    const { w, cc, service } = creditFixture();
    service.apply(cc);
    expect(brief(w.rows().slice(2))).toEqual([
      ['compensation', '-50.00000', '2024-03-01', 'P'],
      ['compensation', '-50.00000', '2024-03-01', 'org'],
    ]);
  });

  it('apply again: rollbacks (organisation, then project) before the same draws; per-period sums equal the net change', () => {
    const { w, cc, pc, service } = creditFixture();
    service.apply(cc);
    service.apply(w.store.customerCredits.get(cc.uuid)!);
    expect(brief(w.rows().slice(4))).toEqual([
      ['rollback', '50.00000', '2024-03-01', 'org'],
      ['rollback', '50.00000', '2024-03-01', 'P'],
      ['compensation', '-50.00000', '2024-03-01', 'P'],
      ['compensation', '-50.00000', '2024-03-01', 'org'],
    ]);
    const periodSum = (f: (r: { credit: string | null; project_credit: string | null }) => boolean) =>
      w
        .rows()
        .filter((r) => r.billing_period === '2024-03-01' && f(r))
        .reduce((t, r) => t.plus(r.amount), new Dec(0))
        .toFixed(5);
    expect(periodSum((r) => r.credit === cc.uuid)).toBe('-50.00000');
    expect(periodSum((r) => r.project_credit === pc.uuid)).toBe('-50.00000');
  });

  it('clear: the rollback rows only', () => {
    const { w, cc, service } = creditFixture();
    service.apply(cc);
    service.clear(w.store.customerCredits.get(cc.uuid)!);
    expect(brief(w.rows().slice(4))).toEqual([
      ['rollback', '50.00000', '2024-03-01', 'org'],
      ['rollback', '50.00000', '2024-03-01', 'P'],
    ]);
  });

  it("the organisation's floor is its own minimal_draw row (usage 300, floor 1200)", () => {
    const w = ledgerWorld();
    const cc = w.grant(ORG, '30000', { expected_consumption: '1200', grace_coefficient: '0' });
    w.invoice(ORG, 2024, 3, [{ unit_price: '300', project: P }]);
    new CompensationsService(w.ctx).apply(cc);
    expect(brief(w.rows().slice(1))).toEqual([
      ['compensation', '-300.00000', '2024-03-01', 'org'],
      ['minimal_draw', '-900.00000', '2024-03-01', 'org'],
    ]);
  });

  it('a project floor: the project writes compensation and minimal_draw, the organisation the usage only', () => {
    const w = ledgerWorld();
    const cc = w.grant(ORG, '30000');
    w.allocate(P, '9000', { expected_consumption: '900', grace_coefficient: '0' });
    w.invoice(ORG, 2024, 3, [{ unit_price: '300', project: P }]);
    new CompensationsService(w.ctx).apply(cc);
    expect(brief(w.rows().slice(2))).toEqual([
      ['compensation', '-300.00000', '2024-03-01', 'P'],
      ['minimal_draw', '-600.00000', '2024-03-01', 'P'],
      ['compensation', '-300.00000', '2024-03-01', 'org'],
    ]);
  });

  it('an exhausted credit with VAT 22 %: the row is the whole remaining value, not the net-of-tax line', () => {
    const w = ledgerWorld();
    const cc = w.grant(ORG, '183');
    w.invoice(ORG, 2024, 3, [{ unit_price: '10', quantity: '30' }], '22');
    new CompensationsService(w.ctx).apply(cc);
    expect(brief(w.rows().slice(1))).toEqual([['compensation', '-183.00000', '2024-03-01', 'org']]);
    expect(w.store.invoices.getGroup('customer', ORG)[0]!.items.at(-1)!.unit_price).toBe('-150.0000000000');
  });

  it('no open invoice: nothing happens, no row', () => {
    const w = ledgerWorld();
    const cc = w.grant(ORG, '10');
    new CompensationsService(w.ctx).apply(cc);
    expect(w.rows()).toHaveLength(1);
  });

  it('the month-end run writes the same rows as apply, for the closed month', () => {
    const { w } = creditFixture();
    w.clock.at = new Date('2024-04-01T00:05:00.000Z');
    w.billing.catchUp();
    expect(brief(w.rows().slice(2))).toEqual([
      ['compensation', '-50.00000', '2024-03-01', 'P'],
      ['compensation', '-50.00000', '2024-03-01', 'org'],
    ]);
  });
});

describe('ledger rows of expiry, project removal and deletes', () => {
  it('expiry: −the old value, the billing period is the month of the forfeiture', () => {
    const w = ledgerWorld();
    w.grant(ORG, '100', { end_date: '2024-04-01' });
    w.allocate(P, '40', { end_date: '2024-04-01' });
    w.clock.at = new Date('2024-05-01T00:00:00.000Z');
    w.billing.catchUp();
    expect(brief(w.rows().slice(2))).toEqual([
      ['expiry', '-100.00000', '2024-05-01', 'org'],
      ['expiry', '-40.00000', '2024-05-01', 'P'],
    ]);
  });

  it('removing a project whose credit is spent on termination: organisation adjustment, then project adjustment', () => {
    const w = ledgerWorld();
    w.grant(ORG, '100');
    const pc = w.allocate(P, '30', { mark_unused_credit_as_spent_on_project_termination: true });
    w.billing.terminateProject(P);
    expect(brief(w.rows().slice(2))).toEqual([
      ['adjustment', '-30.00000', null, 'org'],
      ['adjustment', '-30.00000', null, 'P'],
    ]);
    expect(w.rows().every((r) => r.project_credit !== pc.uuid)).toBe(true);
  });

  it('without the flag only the project row is written', () => {
    const w = ledgerWorld();
    w.grant(ORG, '100');
    w.allocate(P, '30');
    w.billing.terminateProject(P);
    expect(brief(w.rows().slice(2))).toEqual([['adjustment', '-30.00000', null, 'P']]);
  });

  it('deleting a customer credit deletes its rows; deleting a project credit keeps its rows, unlinked', () => {
    const w = ledgerWorld();
    const other = w.grant(OTHER, '5');
    const cc = w.grant(ORG, '100');
    const pc = w.allocate(P, '50');
    w.projectCredits.destroy(w.actor('staff'), pc.uuid);
    const projectRow = w.rows().find((r) => r.project_uuid === P)!;
    expect(projectRow).toMatchObject({ project_credit: null, project_uuid: P, project_name: 'P' });
    w.customerCredits.destroy(w.actor('staff'), cc.uuid);
    expect(w.rows().map((r) => r.credit ?? r.project_uuid)).toEqual([other.uuid, P]);
    expect(w.ledger.view(projectRow).customer).toBeNull();
  });
});
