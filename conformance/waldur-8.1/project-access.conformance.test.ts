import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectContractUnlessDeviating, expectStatus } from '../support/check.js';
import { call } from '../support/http.js';
import { freshOrg, ledger } from '../support/waldur-81.js';
import { cleanUpAfterAll, mustCreate, pathOf, remove, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';

/**
 * Who reads a project credit in 8.1 and what they are shown (docs/behaviour/waldur-8.1.md
 * §3.4, §9, §11 scenario 41), and the cascade of a customer credit's delete
 * (§2.3, scenario 47).
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld;
});
cleanUpAfterAll();

const ORG_FIGURES = ['customer_credit', 'allocated_customer_credit', 'offerings'];
const KEPT = [
  'uuid',
  'value',
  'spendable_value',
  'is_limited_by_organization_credit',
  'consumption_last_month',
  'creditable_cost_this_month',
  'customer_name',
  'customer_uuid',
  'customer_slug',
  'project_uuid',
];

function expectStripped(body: CreditBody, who: string): void {
  for (const key of ORG_FIGURES) expect(Object.keys(body), `${who} is shown ${key}`).not.toContain(key);
  for (const key of KEPT) expect(Object.keys(body), `${who} is not shown ${key}`).toContain(key);
}

function expectFull(body: CreditBody, who: string): void {
  for (const key of [...ORG_FIGURES, ...KEPT]) expect(Object.keys(body), `${who} is not shown ${key}`).toContain(key);
}

describe("project members read their project's credit, without the organisation's figures", () => {
  let pa: CreditBody;
  let pb: CreditBody;

  check(
    'project_credits_retrieve',
    'a project manager: 200 without customer_credit, allocated_customer_credit and offerings',
    async () => {
      const [p0, p1] = world.projects;
      await mustCreate('customer', { customer: p0!.customer.url, value: '100' });
      pa = await mustCreate('project', { project: p0!.url, value: '30' });
      pb = await mustCreate('project', { project: p1!.url, value: '20' });
      const token = world.tokens.manager;
      if (!token) throw new Error('no manager token configured');
      const res = await call('GET', pathOf(pa.url), { token });
      expectStatus(res, 200);
      expectContract('project_credits_retrieve', res);
      const body = res.body as CreditBody;
      expectStripped(body, 'the manager');
      expect(body).toMatchObject({
        uuid: pa.uuid,
        value: '30.00000',
        spendable_value: '30.00000',
        is_limited_by_organization_credit: false,
      });
      const other = await call('GET', pathOf(pb.url), { token });
      expectStatus(other, 404);
    },
    { writes: true },
  );

  check(
    'project_credits_list',
    "a project manager lists its project's credit only, stripped",
    async () => {
      const res = await call('GET', '/api/project-credits/?page_size=300', { token: world.tokens.manager });
      expectStatus(res, 200);
      expectContract('project_credits_list', res);
      const rows = res.body as CreditBody[];
      expect(rows.map((r) => r.uuid)).toEqual([pa.uuid]);
      expectStripped(rows[0]!, 'the manager');
    },
    { writes: true },
  );

  check(
    'project_credits_retrieve',
    'staff, support and the owner are shown everything',
    async () => {
      for (const [who, token] of [
        ['staff', undefined],
        ['support', world.tokens.support],
        ['owner', world.tokens.owner],
      ] as const) {
        const res = await call('GET', pathOf(pa.url), { token });
        expectStatus(res, 200);
        expectContractUnlessDeviating('project_credits_retrieve', res);
        expectFull(res.body as CreditBody, who);
        expect((res.body as CreditBody).offerings).toEqual([]);
      }
    },
    { writes: true },
  );

  check(
    'project_credits_retrieve',
    "a customer role that is not owner (service manager) sees the customer's project credits, stripped",
    async () => {
      const org = await freshOrg(1);
      await mustCreate('customer', { customer: org.customer.url, value: '10' });
      const pc = await mustCreate('project', { project: org.projects[0]!.url, value: '4' });
      const res = await call('GET', pathOf(pc.url), { token: org.tokens.serviceManager });
      expectStatus(res, 200);
      expectContract('project_credits_retrieve', res);
      expectStripped(res.body as CreditBody, 'the service manager');
      const owner = await call('GET', pathOf(pc.url), { token: org.tokens.owner });
      expectFull(owner.body as CreditBody, 'the owner');
      const list = await call('GET', '/api/project-credits/', { token: org.tokens.serviceManager });
      expect((list.body as CreditBody[]).map((r) => r.uuid)).toEqual([pc.uuid]);
      const customerCredits = await call('GET', '/api/customer-credits/', { token: org.tokens.manager });
      expect(customerCredits.body, 'a project role sees no customer credit').toEqual([]);
    },
    { writes: true, needs: 'admin' },
  );
});

describe('deleting a customer credit deletes its project credits', () => {
  check(
    'customer_credits_destroy',
    "every project credit of the customer goes with it; another customer's stay",
    async () => {
      const [p0, p1, , p3] = world.projects;
      const before = await call('GET', `/api/customer-credits/?customer_uuid=${p0!.customer.uuid}`);
      for (const c of (before.body as CreditBody[] | undefined) ?? []) await remove(c.url); // the members' checks' credit
      const org = await mustCreate('customer', { customer: p0!.customer.url, value: '100' });
      const other = await mustCreate('customer', { customer: p3!.customer.url, value: '100' });
      const a = await mustCreate('project', { project: p0!.url, value: '10' });
      const b = await mustCreate('project', { project: p1!.url, value: '20' });
      const kept = await mustCreate('project', { project: p3!.url, value: '30' });
      const [rowsOfA, rowsOfB] = [
        await ledger(`project_credit_uuid=${a.uuid}`),
        await ledger(`project_credit_uuid=${b.uuid}`),
      ];
      expect([rowsOfA.length, rowsOfB.length]).toEqual([1, 1]);
      const res = await call('DELETE', pathOf(org.url));
      expectStatus(res, 204);
      for (const pc of [a, b]) expectStatus(await call('GET', pathOf(pc.url)), 404);
      expectStatus(await call('GET', pathOf(kept.url)), 200);
      // Their ledger rows outlive them, still naming their project, no longer their customer (docs/behaviour/waldur-8.1.md §2.3).
      for (const [pc, before] of [
        [a, rowsOfA],
        [b, rowsOfB],
      ] as const) {
        const ids = new Set(before.map((r) => r.uuid));
        const after = (await ledger(`project_uuid=${pc.project_uuid as string}`)).filter((r) => ids.has(r.uuid));
        expect(
          after.map((r) => [r.transaction_type, r.amount, r.project_uuid, r.customer_uuid, r.customer_name]),
          `the rows of ${pc.project_name as string}`,
        ).toEqual([['staff_grant', pc.value, pc.project_uuid, null, null]]);
      }
      expectStatus(await call('GET', pathOf(other.url)), 200);
      // Gone, not hidden: a new organisation credit does not bring them back.
      await mustCreate('customer', { customer: p0!.customer.url, value: '100' });
      const listed = await call('GET', `/api/project-credits/?customer_uuid=${p0!.customer.uuid}`);
      expectStatus(listed, 200);
      expect(listed.body).toEqual([]);
      for (const pc of [a, b]) expectStatus(await call('GET', pathOf(pc.url)), 404);
      const again = await mustCreate('project', { project: p0!.url, value: '10' });
      expect(again.value).toBe('10.00000');
    },
    { writes: true },
  );
});
