import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import { call } from '../support/http.js';
import {
  freshOrg,
  getCredit,
  gist,
  invoice,
  ledger,
  monthStart,
  newHex,
  rowsOfCredit,
  rowsOfProjectCredit,
  sum,
  type LedgerRow,
  type Org,
} from '../support/waldur-81.js';
import { cleanUpAfterAll, mustCreate, pathOf, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';

/**
 * apply/clear compensations in 8.1 (docs/behaviour/waldur-8.1.md §6–8, §11 scenarios 17–24
 * and 48): no body in or out, draws net of volume discounts, and the ledger
 * rows each run leaves: compensation and minimal_draw per credit, rollbacks
 * first when a month is applied again, every row with its billing period.
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld;
});
cleanUpAfterAll();

const apply = (credit: CreditBody, token?: string) =>
  call('POST', `${pathOf(credit.url)}apply_compensations/`, { token });
const clear = (credit: CreditBody, token?: string) =>
  call('POST', `${pathOf(credit.url)}clear_compensations/`, { token });
const valueOf = async (credit: CreditBody) => (await getCredit(credit)).body.value;

describe('the actions take no body and answer none', () => {
  check(
    'customer_credits_apply_compensations',
    'staff: 200 with an empty body, without a request body',
    async () => {
      const credit = await mustCreate('customer', { customer: world.customers[1]!.url, value: '10' });
      for (const [op, send] of [
        ['customer_credits_apply_compensations', apply],
        ['customer_credits_clear_compensations', clear],
      ] as const) {
        const res = await send(credit);
        expectStatus(res, 200);
        expectContract(op, res);
        expect(res.text, `${op} answers a body`).toBe('');
      }
      for (const role of ['support', 'owner', 'manager', 'user'] as const) {
        const token = world.tokens[role];
        if (!token) throw new Error(`no ${role} token configured`);
        for (const target of [credit, { ...credit, url: credit.url.replace(credit.uuid, newHex()) }]) {
          const res = await apply(target, token);
          expect(res.status, `${role}: ${res.text.slice(0, 200)}`).toBe(403);
          expectContract('customer_credits_apply_compensations', res);
          expectStatus(await clear(target, token), 403);
        }
      }
      const unknown = await apply({ ...credit, url: credit.url.replace(credit.uuid, newHex()) });
      expectStatus(unknown, 404);
      expectContract('customer_credits_apply_compensations', unknown);
      expect(await valueOf(credit)).toBe('10.00000');
    },
    { writes: true },
  );
});

describe("compensation runs and their ledger rows (the mock's invoices)", () => {
  let org: Org;
  let credit: CreditBody;
  let pc: CreditBody;
  let month: string;

  check(
    'customer_credits_apply_compensations',
    "a project credit draws first: project compensation −50, organisation compensation −50, both in the invoice's month",
    async () => {
      org = await freshOrg(1);
      month = await monthStart(0);
      credit = await mustCreate('customer', { customer: org.customer.url, value: '100' });
      pc = await mustCreate('project', { project: org.projects[0]!.url, value: '50' });
      await invoice(org.customer, [
        { unit_price: '30', quantity: '10', project: org.projects[0]!.uuid, resource: newHex() },
      ]);
      expectStatus(await apply(credit), 200);
      expect([await valueOf(credit), await valueOf(pc)]).toEqual(['50.00000', '0.00000']);
      expect((await rowsOfCredit(credit)).map(gist)).toEqual([
        'staff_grant 100.00000',
        `compensation -50.00000 ${month}`,
      ]);
      expect((await rowsOfProjectCredit(pc)).map(gist)).toEqual([
        'staff_grant 50.00000',
        `compensation -50.00000 ${month}`,
      ]);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'customer_credits_apply_compensations',
    "applying the month again rolls it back first (rollback +50 per credit), so each month's rows sum to the net change",
    async () => {
      expectStatus(await apply(credit), 200);
      expect([await valueOf(credit), await valueOf(pc)]).toEqual(['50.00000', '0.00000']);
      const orgRows = await rowsOfCredit(credit);
      expect(orgRows.map(gist)).toEqual([
        'staff_grant 100.00000',
        `compensation -50.00000 ${month}`,
        `rollback 50.00000 ${month}`,
        `compensation -50.00000 ${month}`,
      ]);
      const pcRows = await rowsOfProjectCredit(pc);
      expect(pcRows.map(gist)).toEqual([
        'staff_grant 50.00000',
        `compensation -50.00000 ${month}`,
        `rollback 50.00000 ${month}`,
        `compensation -50.00000 ${month}`,
      ]);
      for (const rows of [orgRows, pcRows])
        expect(sum(rows.filter((r) => r.billing_period === month).map((r) => r.amount))).toBe('-50.00000');
      // Within the run, the rollbacks come before the new draws.
      const run = (await ledger(`customer_uuid=${org.customer.uuid}&o=created`)).slice(-4);
      expect(run.map((r) => r.transaction_type).sort()).toEqual([
        'compensation',
        'compensation',
        'rollback',
        'rollback',
      ]);
      const latest = (type: string, f: (...xs: number[]) => number) =>
        f(...run.filter((r) => r.transaction_type === type).map((r) => Date.parse(r.created)));
      expect(latest('rollback', Math.max)).toBeLessThanOrEqual(latest('compensation', Math.min));
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'customer_credits_clear_compensations',
    'clear: rollback +50 on each credit, the values back to 100 and 50',
    async () => {
      expectStatus(await clear(credit), 200);
      expect([await valueOf(credit), await valueOf(pc)]).toEqual(['100.00000', '50.00000']);
      expect((await rowsOfCredit(credit)).map(gist).slice(-1)).toEqual([`rollback 50.00000 ${month}`]);
      expect((await rowsOfProjectCredit(pc)).map(gist).slice(-1)).toEqual([`rollback 50.00000 ${month}`]);
      for (const c of [credit, pc]) {
        const rows = c === credit ? await rowsOfCredit(c) : await rowsOfProjectCredit(c);
        expect(sum(rows.map((r) => r.amount)), 'the rows add up to the value').toBe(
          c === credit ? '100.00000' : '50.00000',
        );
      }
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'credit_transactions_list',
    'billing_period, billing_period_after/_before (inclusive) and ordering by billing_period (nulls last, first when descending)',
    async () => {
      const q = `customer_uuid=${org.customer.uuid}`;
      const all = await ledger(q);
      const inMonth = await ledger(`${q}&billing_period=${month}`);
      expect(inMonth.length).toBe(all.filter((r) => r.billing_period === month).length);
      expect(inMonth.length).toBe(8);
      expect(inMonth.every((r) => r.billing_period === month)).toBe(true);
      expect((await ledger(`${q}&billing_period_after=${month}`)).length).toBe(8);
      expect((await ledger(`${q}&billing_period_before=${month}`)).length).toBe(8);
      expect(await ledger(`${q}&billing_period_after=${await monthStart(1)}`)).toEqual([]);
      expect(await ledger(`${q}&billing_period_before=${await monthStart(-1)}`)).toEqual([]);
      expect(await ledger(`${q}&billing_period=${await monthStart(-1)}`)).toEqual([]);
      const asc = await ledger(`${q}&o=billing_period`);
      expect(asc.map((r) => r.billing_period)).toEqual([...Array<string>(8).fill(month), null, null]);
      const desc = await ledger(`${q}&o=-billing_period`);
      expect(desc.map((r) => r.billing_period)).toEqual([null, null, ...Array<string>(8).fill(month)]);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'customer_credits_apply_compensations',
    'a floor above the usage: compensation −300 then minimal_draw −900 on the organisation credit',
    async () => {
      const floor = await freshOrg(1);
      const big = await mustCreate('customer', {
        customer: floor.customer.url,
        value: '30000',
        expected_consumption: '1200',
        grace_coefficient: '0',
      });
      await invoice(floor.customer, [{ unit_price: '300', project: floor.projects[0]!.uuid, resource: newHex() }]);
      expectStatus(await apply(big), 200);
      expect(await valueOf(big)).toBe('28800.00000');
      expect((await rowsOfCredit(big)).map(gist)).toEqual([
        'staff_grant 30000.00000',
        `compensation -300.00000 ${month}`,
        `minimal_draw -900.00000 ${month}`,
      ]);
      const [draw] = await ledger(`credit_uuid=${big.uuid}&transaction_type=minimal_draw`);
      expect(draw).toMatchObject({
        transaction_type_display: 'Minimal consumption draw',
        project_uuid: '',
        project_name: '',
      } satisfies Partial<LedgerRow>);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'customer_credits_apply_compensations',
    "a project floor above the usage: the project credit's compensation −300 and minimal_draw −600; the organisation pays the usage only",
    async () => {
      const floor = await freshOrg(1);
      const big = await mustCreate('customer', { customer: floor.customer.url, value: '100000' });
      const pc = await mustCreate('project', {
        project: floor.projects[0]!.url,
        value: '9000',
        expected_consumption: '900',
        grace_coefficient: '0',
      });
      await invoice(floor.customer, [{ unit_price: '300', project: floor.projects[0]!.uuid, resource: newHex() }]);
      expectStatus(await apply(big), 200);
      expect((await rowsOfProjectCredit(pc)).map(gist)).toEqual([
        'staff_grant 9000.00000',
        `compensation -300.00000 ${month}`,
        `minimal_draw -600.00000 ${month}`,
      ]);
      expect((await rowsOfCredit(big)).map(gist)).toEqual([
        'staff_grant 100000.00000',
        `compensation -300.00000 ${month}`,
      ]);
      expect([await valueOf(big), await valueOf(pc)]).toEqual(['99700.00000', '8100.00000']);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'customer_credits_apply_compensations',
    'an exhausted credit under 22 % VAT: the row is the whole value (−183), the invoice line net of tax',
    async () => {
      const taxed = await freshOrg(1);
      const small = await mustCreate('customer', { customer: taxed.customer.url, value: '183' });
      await invoice(
        taxed.customer,
        [{ unit_price: '300', project: taxed.projects[0]!.uuid, resource: newHex() }],
        0,
        '22',
      );
      expectStatus(await apply(small), 200);
      expect(await valueOf(small)).toBe('0.00000');
      expect((await rowsOfCredit(small)).map(gist)).toEqual([
        'staff_grant 183.00000',
        `compensation -183.00000 ${month}`,
      ]);
      const history = await call('GET', `${pathOf(small.url)}consumptions/`);
      expectStatus(history, 200);
      expect(history.body).toEqual([{ date: month, price: '150.00' }]);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'customer_credits_apply_compensations',
    'a volume discount is drawn net: item 300 with a −60 discount takes 240 from a credit of 1000',
    async () => {
      const discounted = await freshOrg(1);
      const big = await mustCreate('customer', { customer: discounted.customer.url, value: '1000' });
      const item = newHex();
      const resource = newHex();
      const project = discounted.projects[0]!.uuid;
      await invoice(discounted.customer, [
        { uuid: item, unit_price: '30', quantity: '10', project, resource },
        {
          unit_price: '-60',
          project,
          resource,
          details: { is_discount: true, discount_of_item: item, discount_type: 'org_volume_discount' },
        },
      ]);
      expectStatus(await apply(big), 200);
      expect(await valueOf(big)).toBe('760.00000');
      expect((await rowsOfCredit(big)).map(gist).slice(1)).toEqual([`compensation -240.00000 ${month}`]);
      expectStatus(await clear(big), 200);
      expect(await valueOf(big)).toBe('1000.00000');
    },
    { writes: true, needs: 'admin' },
  );
});
