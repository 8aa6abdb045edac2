import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import { call } from '../support/http.js';
import {
  freshOrg,
  gist,
  LEDGER,
  ledger,
  monthStart,
  rowsOfCredit,
  rowsOfProjectCredit,
  sum,
  travel,
  type LedgerRow,
} from '../support/waldur-81.js';
import { cleanUpAfterAll, mustCreate, pathOf, remove, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';

/**
 * The rows each kind of write leaves in /api/credit-transactions/ (reference
 * 8.1 §5.1, §6, §11 scenarios 1, 8, 16, 20, 25–29): staff grants and edits of
 * both kinds of credit, withdrawable adjustments, expiry and project removal,
 * and what is left of them once a credit is deleted.
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld;
});
cleanUpAfterAll();

const HEX32 = /^[0-9a-f]{32}$/;
const CREATED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('staff grants, edits and adjustments', () => {
  let credit: CreditBody;
  let pc: CreditBody;
  const customer = () => world.customers[1]!;
  const project = () => world.projects[3]!;

  check(
    'credit_transactions_list',
    'creating a customer credit of 100 writes one staff_grant row of 100.00000, every field as documented',
    async () => {
      credit = await mustCreate('customer', { customer: customer().url, value: '100' });
      const rows = await rowsOfCredit(credit);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toEqual({
        uuid: row.uuid,
        created: row.created,
        amount: '100.00000',
        transaction_type: 'staff_grant',
        transaction_type_display: 'Staff grant',
        comment: '',
        customer_uuid: customer().uuid,
        customer_name: row.customer_name,
        project_uuid: '',
        project_name: '',
        billing_period: null,
      } satisfies LedgerRow);
      expect(row.uuid).toMatch(HEX32);
      expect(row.created).toMatch(CREATED);
      expect(row.customer_name).toBe(credit.customer_name);
      const one = await call('GET', `${LEDGER}${row.uuid}/`);
      expectStatus(one, 200);
      expectContract('credit_transactions_retrieve', one);
      expect(one.body).toEqual(row);
    },
    { writes: true },
  );

  check(
    'credit_transactions_list',
    'a staff edit writes the difference (100 → 80: −20.00000); a PATCH that leaves value alone writes nothing',
    async () => {
      expectStatus(await call('PATCH', pathOf(credit.url), { body: { value: '80' } }), 200);
      expectStatus(await call('PATCH', pathOf(credit.url), { body: { expected_consumption: '5' } }), 200);
      expectStatus(await call('PATCH', pathOf(credit.url), { body: { value: '80.00000' } }), 200);
      expectStatus(await call('PUT', pathOf(credit.url), { body: { customer: customer().url, value: '80.5' } }), 200);
      expect((await rowsOfCredit(credit)).map(gist)).toEqual([
        'staff_grant 100.00000',
        'staff_grant -20.00000',
        'staff_grant 0.50000',
      ]);
    },
    { writes: true },
  );

  check(
    'credit_transactions_list',
    'a project credit has rows of its own: staff_grant +50, then +10, with the project and the customer named',
    async () => {
      pc = await mustCreate('project', { project: project().url, value: '50' });
      expectStatus(await call('PATCH', pathOf(pc.url), { body: { value: '60' } }), 200);
      const rows = await rowsOfProjectCredit(pc);
      expect(rows.map(gist)).toEqual(['staff_grant 50.00000', 'staff_grant 10.00000']);
      for (const row of rows) {
        expect(row).toMatchObject({
          project_uuid: project().uuid,
          project_name: pc.project_name,
          customer_uuid: customer().uuid,
          billing_period: null,
        });
      }
      const orgRows = await rowsOfCredit(credit);
      expect(orgRows.map(gist), 'a project credit writes no organisation row').toEqual([
        'staff_grant 100.00000',
        'staff_grant -20.00000',
        'staff_grant 0.50000',
      ]);
      const ofProject = await ledger(`project_uuid=${project().uuid}`);
      expect(ofProject.map((r) => r.uuid)).toEqual(expect.arrayContaining(rows.map((r) => r.uuid)));
      for (const row of ofProject) expect(row.project_uuid).toBe(project().uuid);
    },
    { writes: true },
  );

  check(
    'customer_credits_adjust_withdrawable',
    'writes one withdrawable_adjustment row with the stripped comment, no period, no project',
    async () => {
      const res = await call('POST', `${pathOf(credit.url)}adjust_withdrawable/`, {
        body: { amount: '40', comment: '  manual grant \n' },
      });
      expectStatus(res, 200);
      const refused = await call('POST', `${pathOf(credit.url)}adjust_withdrawable/`, {
        body: { amount: '-41', comment: 'x' },
      });
      expectStatus(refused, 400);
      const rows = await rowsOfCredit(credit);
      expect(rows.map(gist).slice(3)).toEqual(['withdrawable_adjustment 40.00000']);
      expect(rows[3]).toMatchObject({
        comment: 'manual grant',
        transaction_type_display: 'Withdrawable adjustment',
        project_uuid: '',
        project_name: '',
        billing_period: null,
      });
      expect(sum(rows.map((r) => r.amount)), 'the rows add up to the value').toBe('120.50000');
    },
    { writes: true },
  );

  check(
    'credit_transactions_list',
    'deleting the project credit keeps its rows for staff, with the project named and no customer',
    async () => {
      const rows = await rowsOfProjectCredit(pc);
      await remove(pc.url);
      const ids = new Set(rows.map((r) => r.uuid));
      const kept = (await ledger(`project_uuid=${project().uuid}`)).filter((r) => ids.has(r.uuid));
      expect(kept).toHaveLength(rows.length);
      for (const row of kept)
        expect(row).toMatchObject({
          project_uuid: project().uuid,
          project_name: pc.project_name,
          customer_uuid: null,
          customer_name: null,
        });
      expect(
        (await ledger(`customer_uuid=${customer().uuid}`)).map((r) => r.uuid),
        "no longer the customer's",
      ).not.toContain(rows[0]!.uuid);
    },
    { writes: true },
  );

  check(
    'credit_transactions_list',
    'deleting the customer credit deletes its rows',
    async () => {
      const rows = await rowsOfCredit(credit);
      await remove(credit.url);
      expect(await ledger(`credit_uuid=${credit.uuid}`)).toEqual([]);
      expectStatus(await call('GET', `${LEDGER}${rows[0]!.uuid}/`), 404);
    },
    { writes: true },
  );
});

describe("expiry and project removal (the mock's clock and billing)", () => {
  check(
    'credit_transactions_list',
    'expiry writes an expiry row of −value in the month of the forfeiture and wipes the withdrawable balance',
    async () => {
      const org = await freshOrg(1);
      const end = await monthStart(1);
      const credit = await mustCreate('customer', { customer: org.customer.url, value: '30', end_date: end });
      const pc = await mustCreate('project', { project: org.projects[0]!.url, value: '12', end_date: end });
      expectStatus(
        await call('POST', `${pathOf(credit.url)}adjust_withdrawable/`, { body: { amount: '10', comment: 'fee' } }),
        200,
      );
      const forfeiture = await monthStart(2);
      const back = await travel(`${forfeiture}T12:00:00Z`);
      try {
        const after = await call('GET', pathOf(credit.url));
        expect(after.body).toMatchObject({ value: '0.00000', withdrawable_balance: 0 });
        expect((await rowsOfCredit(credit)).map(gist)).toEqual([
          'staff_grant 30.00000',
          'withdrawable_adjustment 10.00000',
          `expiry -40.00000 ${forfeiture}`,
        ]);
        expect((await rowsOfProjectCredit(pc)).map(gist)).toEqual([
          'staff_grant 12.00000',
          `expiry -12.00000 ${forfeiture}`,
        ]);
        expect((await ledger(`credit_uuid=${credit.uuid}&transaction_type=expiry`))[0]).toMatchObject({
          transaction_type_display: 'Expiry',
        });
      } finally {
        await back();
      }
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'credit_transactions_list',
    'removing a project: adjustment −value on its credit, and on the organisation when its unused credit counts as spent',
    async () => {
      const org = await freshOrg(2);
      const credit = await mustCreate('customer', { customer: org.customer.url, value: '100' });
      const spent = await mustCreate('project', {
        project: org.projects[0]!.url,
        value: '40',
        mark_unused_credit_as_spent_on_project_termination: true,
      });
      const kept = await mustCreate('project', { project: org.projects[1]!.url, value: '25' });
      for (const project of org.projects) {
        const res = await call('POST', `/__admin/waldur/projects/${project.uuid}/terminate`, { token: null });
        expectStatus(res, 200);
      }
      expect((await call('GET', pathOf(credit.url))).body).toMatchObject({ value: '60.00000' });
      expect((await rowsOfCredit(credit)).map(gist)).toEqual(['staff_grant 100.00000', 'adjustment -40.00000']);
      for (const [pc, project] of [
        [spent, org.projects[0]!],
        [kept, org.projects[1]!],
      ] as const) {
        const rows = await ledger(`project_uuid=${project.uuid}&o=created`);
        expect(rows.map(gist)).toEqual([`staff_grant ${pc.value}`, `adjustment -${pc.value}`]);
        expect(rows[1]).toMatchObject({
          transaction_type_display: 'Adjustment',
          project_name: project.name,
          billing_period: null,
        });
      }
    },
    { writes: true, needs: 'admin' },
  );
});
