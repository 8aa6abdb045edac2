import { beforeAll, describe, expect } from 'vitest';
import { check, expectContractUnlessDeviating, expectStatus } from '../support/check.js';
import { call } from '../support/http.js';
import { freshOrg, getCredit, invoice, newHex, offering, type Org } from '../support/waldur-81.js';
import { cleanUpAfterAll, mustCreate, pathOf, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';

/**
 * The figures 8.1 adds to a project credit (docs/behaviour/waldur-8.1.md §3.1–3.3, §11
 * scenarios 31–46): `spendable_value` and `is_limited_by_organization_credit`
 * from the two values, `allocated_customer_credit` as a string,
 * `creditable_cost_this_month` from this month's invoice and
 * `consumption_last_month` from last month's.
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld;
});
cleanUpAfterAll();

const get = async (credit: CreditBody) => {
  const res = await getCredit(credit);
  expectContractUnlessDeviating('project_credits_retrieve', res);
  return res.body;
};

describe('spendable value', () => {
  check(
    'project_credits_retrieve',
    'spendable_value is min(value, organisation value) with 5 places; is_limited_by_organization_credit says which',
    async () => {
      const project = world.projects[3]!;
      const org = await mustCreate('customer', { customer: project.customer.url, value: '100' });
      const pc = await mustCreate('project', { project: project.url, value: '50.5' });
      expect(await get(pc)).toMatchObject({
        value: '50.50000',
        spendable_value: '50.50000',
        is_limited_by_organization_credit: false,
      });
      for (const [orgValue, spendable, limited] of [
        ['50.49999', '50.49999', true],
        ['50.5', '50.50000', false],
        ['0', '0.00000', true],
        ['1000', '50.50000', false],
      ] as const) {
        expectStatus(await call('PATCH', pathOf(org.url), { body: { value: orgValue } }), 200);
        expect(await get(pc), `organisation value ${orgValue}`).toMatchObject({
          spendable_value: spendable,
          is_limited_by_organization_credit: limited,
        });
        const listed = await call('GET', `/api/project-credits/?project_uuid=${project.uuid}`);
        expectContractUnlessDeviating('project_credits_list', listed);
        expect(listed.body).toMatchObject([
          { uuid: pc.uuid, spendable_value: spendable, is_limited_by_organization_credit: limited },
        ]);
      }
      const zero = await call('PATCH', pathOf(pc.url), { body: { value: '0' } });
      expectStatus(zero, 200);
      expect(zero.body).toMatchObject({ spendable_value: '0.00000', is_limited_by_organization_credit: false });
    },
    { writes: true },
  );
});

describe("this month and last month (the mock's invoices)", () => {
  let org: Org;
  let orgCredit: CreditBody;
  let pc: CreditBody;
  let covered: { uuid: string };
  let thisMonth: { uuid: string };

  check(
    'project_credits_retrieve',
    'no invoice this month or last: creditable_cost_this_month and consumption_last_month are null',
    async () => {
      org = await freshOrg(2);
      orgCredit = await mustCreate('customer', { customer: org.customer.url, value: '1000' });
      pc = await mustCreate('project', { project: org.projects[0]!.url, value: '50' });
      const body = await get(pc);
      expect(body.creditable_cost_this_month).toBeNull();
      expect(body.consumption_last_month).toBeNull();
      expect(typeof body.allocated_customer_credit).toBe('string');
      expect(body.allocated_customer_credit).toBe('50.00000');
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'project_credits_retrieve',
    "creditable_cost_this_month: resource items of this project on the credit's offerings, net of their discounts, not capped by value",
    async () => {
      const [gpu, storage] = [await offering('GPU 8.1'), await offering('Storage 8.1')];
      const [p, q] = org.projects as [(typeof org.projects)[0], (typeof org.projects)[0]];
      covered = { uuid: newHex() };
      const resource = newHex();
      thisMonth = await invoice(org.customer, [
        { uuid: covered.uuid, unit_price: '100', project: p.uuid, offering: gpu.uuid, resource },
        {
          unit_price: '-60',
          project: p.uuid,
          offering: gpu.uuid,
          resource,
          details: { is_discount: true, discount_of_item: covered.uuid, discount_type: 'org_volume_discount' },
        },
        { unit_price: '900', project: p.uuid, offering: storage.uuid, resource: newHex() },
        { unit_price: '50', project: p.uuid, offering: gpu.uuid, resource: null },
        { unit_price: '70', project: q.uuid, offering: gpu.uuid, resource: newHex() },
      ]);
      expectStatus(await call('PATCH', pathOf(orgCredit.url), { body: { offerings: [gpu.url] } }), 200);
      expect((await get(pc)).creditable_cost_this_month, 'the GPU item net of its discount').toBe('40.00000');
      expectStatus(await call('PATCH', pathOf(orgCredit.url), { body: { offerings: [] } }), 200);
      expect((await get(pc)).creditable_cost_this_month, 'every offering: 40 + 900, not capped at the value 50').toBe(
        '940.00000',
      );
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'project_credits_retrieve',
    'creditable_cost_this_month counts no compensation line, and a discount never makes an item negative',
    async () => {
      const line = await call('POST', `/__admin/waldur/invoices/${thisMonth.uuid}/items`, {
        token: null,
        body: {
          name: 'compensation',
          unit_price: '-100',
          project: org.projects[0]!.uuid,
          resource: newHex(),
          credit: orgCredit.uuid,
          details: { is_compensation: true, compensation_of_item: covered.uuid },
        },
      });
      expectStatus(line, 201);
      expect((await get(pc)).creditable_cost_this_month, 'with a compensation line of −100 on the invoice').toBe(
        '940.00000',
      );
      const other = await freshOrg(1);
      await mustCreate('customer', { customer: other.customer.url, value: '10' });
      const small = await mustCreate('project', { project: other.projects[0]!.url, value: '5' });
      const item = newHex();
      const resource = newHex();
      await invoice(other.customer, [
        { uuid: item, unit_price: '100', project: other.projects[0]!.uuid, resource },
        {
          unit_price: '-160',
          project: other.projects[0]!.uuid,
          resource,
          details: { is_discount: true, discount_of_item: item, discount_type: 'org_volume_discount' },
        },
      ]);
      expect((await get(small)).creditable_cost_this_month).toBe('0.00000');
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'project_credits_retrieve',
    "consumption_last_month: what the organisation credit paid for this project on last month's invoice, 0 for another project",
    async () => {
      const [p, q] = org.projects as [(typeof org.projects)[0], (typeof org.projects)[0]];
      const qc = await mustCreate('project', { project: q.url, value: '1' });
      await invoice(
        org.customer,
        [
          { unit_price: '200', project: p.uuid, resource: newHex() },
          {
            unit_price: '-40',
            project: p.uuid,
            resource: newHex(),
            credit: orgCredit.uuid,
            details: { is_compensation: true },
          },
        ],
        -1,
      );
      const body = await get(pc);
      expect(body.consumption_last_month).toBe(40);
      expect((await get(qc)).consumption_last_month).toBe(0);
    },
    { writes: true, needs: 'admin' },
  );
});
