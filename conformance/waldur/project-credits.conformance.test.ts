import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import { call, type Reply } from '../support/http.js';
import { cleanUpAfterAll, createCredit, mustCreate, pathOf, remove, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';
import { IS_81 } from '../support/waldur-version.js';

/**
 * Project credits: the lifecycle, the fields computed from the organisation
 * credit, the owner's rights, and project credits hidden with their
 * organisation credit (docs/behaviour/waldur.md §2.3, §3.2, §8.2, §9, §13).
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld; // null without a world: the writing checks then do not run
});
cleanUpAfterAll();

/**
 * A decimal as text without trailing zeros, whether the server wrote it as a
 * string ("1000.00000", the contract) or as a JSON number (1000.0, the real
 * server): the comparison is exact either way.
 */
function decimalText(v: unknown): string {
  expect(typeof v === 'string' || typeof v === 'number', `expected a decimal, got ${JSON.stringify(v)}`).toBe(true);
  const s = String(v);
  return /^-?\d+\.\d*$/.test(s) ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const listOfProject = (uuid: string) => `/api/project-credits/?project_uuid=${uuid}`;
const listOfCustomer = (uuid: string) => `/api/project-credits/?customer_uuid=${uuid}`;
const customerCreditsOf = (uuid: string) => `/api/customer-credits/?customer_uuid=${uuid}`;

/** The organisation credit of customers[0] (value 1000), made once for the checks that need it. */
let org0: Promise<CreditBody> | undefined;
const orgCredit = () => (org0 ??= mustCreate('customer', { customer: world.customers[0]!.url, value: '1000' }));

describe('project credits: lifecycle', () => {
  let credit: CreditBody;
  const replies: Partial<Record<string, Reply>> = {};
  const project = () => world.projects[0]!;
  const contract = (operationId: string) => {
    const reply = replies[operationId];
    if (!reply) throw new Error(`${operationId} was not reached (an earlier check failed)`);
    expectContract(operationId, reply);
  };

  check(
    'project_credits_create',
    'creates with 201, Location and the documented values',
    async () => {
      const org = await orgCredit();
      const res = await createCredit('project', {
        project: project().url,
        value: '150.50000',
        expected_consumption: '10.00000',
      });
      replies.project_credits_create = res;
      expectStatus(res, 201);
      credit = res.body as CreditBody;
      expect(res.headers.location).toBe(credit.url);
      expect(credit).toMatchObject({
        value: '150.50000',
        expected_consumption: '10.00000',
        project_uuid: project().uuid,
        customer_uuid: project().customer.uuid,
        minimal_consumption_logic: 'fixed',
        grace_coefficient: '0',
        apply_as_minimal_consumption: true,
        mark_unused_credit_as_spent_on_project_termination: false,
        end_date: null,
        offerings: [],
      });
      expect(pathOf(credit.project as string)).toBe(pathOf(project().url));
      expect(credit.uuid).toMatch(/^[0-9a-f]{32}$/);
      expect(credit.url).toMatch(new RegExp(`/api/project-credits/${credit.uuid}/$`));
      expect(decimalText(credit.customer_credit)).toBe(decimalText(org.value));
    },
    { writes: true },
  );

  check(
    'project_credits_create',
    'the 201 response matches the contract',
    async () => contract('project_credits_create'),
    { writes: true },
  );

  check(
    'project_credits_retrieve',
    'returns what was created',
    async () => {
      const res = await call('GET', pathOf(credit.url));
      replies.project_credits_retrieve = res;
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        uuid: credit.uuid,
        url: credit.url,
        value: '150.50000',
        expected_consumption: '10.00000',
        project: credit.project,
      });
    },
    { writes: true },
  );

  check(
    'project_credits_retrieve',
    'the 200 response matches the contract',
    async () => contract('project_credits_retrieve'),
    { writes: true },
  );

  check(
    'project_credits_list',
    'lists the credit when filtered by project_uuid and by customer_uuid',
    async () => {
      const res = await call('GET', listOfProject(project().uuid));
      replies.project_credits_list = res;
      expectStatus(res, 200);
      expect((res.body as CreditBody[]).map((c) => c.uuid)).toEqual([credit.uuid]);
      expect(res.headers['x-result-count']).toBe('1');
      const byCustomer = await call('GET', listOfCustomer(project().customer.uuid));
      expectStatus(byCustomer, 200);
      expect((byCustomer.body as CreditBody[]).map((c) => c.uuid)).toEqual([credit.uuid]);
    },
    { writes: true },
  );

  check('project_credits_list', 'the 200 response matches the contract', async () => contract('project_credits_list'), {
    writes: true,
  });

  check(
    'project_credits_update',
    'replaces the fields sent with PUT and keeps the others',
    async () => {
      const res = await call('PUT', pathOf(credit.url), {
        body: {
          project: project().url,
          value: '200',
          grace_coefficient: '25',
          end_date: '2099-01-01',
          mark_unused_credit_as_spent_on_project_termination: true,
        },
      });
      replies.project_credits_update = res;
      expectStatus(res, 200);
      const want = {
        uuid: credit.uuid,
        value: '200.00000',
        grace_coefficient: '25',
        end_date: '2099-01-01',
        mark_unused_credit_as_spent_on_project_termination: true,
        expected_consumption: '10.00000',
      };
      expect(res.body).toMatchObject(want);
      const again = await call('GET', pathOf(credit.url));
      expect(again.body).toMatchObject(want);
    },
    { writes: true },
  );

  check(
    'project_credits_update',
    'the 200 response matches the contract',
    async () => contract('project_credits_update'),
    { writes: true },
  );

  check(
    'project_credits_partial_update',
    'changes only the fields sent with PATCH',
    async () => {
      const res = await call('PATCH', pathOf(credit.url), { body: { expected_consumption: '20' } });
      replies.project_credits_partial_update = res;
      expectStatus(res, 200);
      const want = {
        value: '200.00000',
        expected_consumption: '20.00000',
        grace_coefficient: '25',
        end_date: '2099-01-01',
      };
      expect(res.body).toMatchObject(want);
      const again = await call('GET', pathOf(credit.url));
      expect(again.body).toMatchObject(want);
    },
    { writes: true },
  );

  check(
    'project_credits_partial_update',
    'the 200 response matches the contract',
    async () => contract('project_credits_partial_update'),
    { writes: true },
  );

  check(
    'project_credits_destroy',
    'deletes with 204; the credit is then 404 and gone from the list',
    async () => {
      const org = await orgCredit();
      const res = await call('DELETE', pathOf(credit.url));
      expectStatus(res, 204);
      expect(res.text).toBe('');
      const gone = await call('GET', pathOf(credit.url));
      expectStatus(gone, 404);
      expectContract('project_credits_retrieve', gone);
      expect(Object.keys(gone.body as object)).toContain('detail');
      const list = await call('GET', listOfProject(project().uuid));
      expect(list.body).toEqual([]);
      const again = await call('DELETE', pathOf(credit.url));
      expectStatus(again, 404);
      // The organisation credit is not changed by deleting a project credit.
      const orgNow = await call('GET', pathOf(org.url));
      expect(orgNow.body).toMatchObject({ value: org.value });
      expect(Number((orgNow.body as CreditBody).allocated_to_projects)).toBe(0);
    },
    { writes: true },
  );
});

describe('project credits: fields computed from the organisation credit', () => {
  const made: CreditBody[] = [];
  const p = (i: number) => world.projects[i]!;

  check(
    'project_credits_create',
    'customer_credit is the organisation credit and allocated_customer_credit the exact sum',
    async () => {
      const org = await orgCredit();
      made.push(await mustCreate('project', { project: p(0).url, value: '0.10000' }));
      made.push(await mustCreate('project', { project: p(1).url, value: '0.20000' }));
      for (const pc of made) {
        const res = await call('GET', pathOf(pc.url));
        expectStatus(res, 200);
        const body = res.body as CreditBody;
        expect(decimalText(body.customer_credit)).toBe(decimalText(org.value));
        if (!IS_81) expect(typeof body.allocated_customer_credit).toBe('number'); // 8.1: a string, as the contract checks say
        expect(decimalText(body.allocated_customer_credit)).toBe('0.3');
        expect(res.text).not.toContain('0.30000000000000004');
        expect(body.offerings).toEqual([]);
      }
      const orgNow = await call('GET', pathOf(org.url));
      expect(decimalText((orgNow.body as CreditBody).allocated_to_projects)).toBe('0.3');
    },
    { writes: true },
  );

  check(
    'project_credits_create',
    'sum of project credits may equal the organisation credit (0.1 + 0.2 + 999.7 = 1000)',
    async () => {
      const org = await orgCredit();
      const res = await createCredit('project', { project: p(2).url, value: '999.70000' });
      expectStatus(res, 201);
      made.push(res.body as CreditBody);
      expect(decimalText((res.body as CreditBody).allocated_customer_credit)).toBe('1000');
      expect(decimalText((res.body as CreditBody).customer_credit)).toBe(decimalText(org.value));
    },
    { writes: true },
  );

  check(
    'project_credits_partial_update',
    'a PATCH of one project credit moves allocated_customer_credit of all of them',
    async () => {
      const [a, b] = made;
      if (!a || !b) throw new Error('setup: the project credits of the previous checks are missing');
      const res = await call('PATCH', pathOf(b.url), { body: { value: '0.05' } });
      expectStatus(res, 200);
      expect((res.body as CreditBody).value).toBe('0.05000');
      for (const pc of made) {
        const read = await call('GET', pathOf(pc.url));
        expect(decimalText((read.body as CreditBody).allocated_customer_credit)).toBe('999.85');
      }
    },
    { writes: true },
  );

  check(
    'project_credits_list',
    'customer_credit follows a change of the organisation credit',
    async () => {
      const org = await orgCredit();
      const changed = await call('PATCH', pathOf(org.url), { body: { value: '2000.12345' } });
      expectStatus(changed, 200);
      try {
        const res = await call('GET', listOfCustomer(world.customers[0]!.uuid));
        expectStatus(res, 200);
        const rows = res.body as CreditBody[];
        expect(rows.map((r) => r.uuid).sort()).toEqual(made.map((m) => m.uuid).sort());
        for (const row of rows) expect(decimalText(row.customer_credit)).toBe('2000.12345');
      } finally {
        await call('PATCH', pathOf(org.url), { body: { value: '1000' } });
        for (const pc of made.splice(0)) await remove(pc.url);
      }
    },
    { writes: true },
  );
});

describe('project credits: owner of the customer', () => {
  check(
    'project_credits_create',
    "the owner token creates a credit for its own customer's project (201)",
    async () => {
      const token = world.tokens.owner;
      if (!token) throw new Error('no owner token configured');
      await orgCredit();
      const project = world.projects[1]!;
      const res = await createCredit('project', { project: project.url, value: '10' }, token);
      expectStatus(res, 201);
      expect(res.body).toMatchObject({ value: '10.00000', project_uuid: project.uuid });
      const changed = await call('PATCH', pathOf((res.body as CreditBody).url), { token, body: { value: 7 } });
      expectStatus(changed, 200);
      expect((changed.body as CreditBody).value).toBe('7.00000');
      const list = await call('GET', listOfProject(project.uuid));
      expect((list.body as CreditBody[]).map((c) => c.value)).toEqual(['7.00000']);
      await remove((res.body as CreditBody).url);
    },
    { writes: true },
  );

  check(
    'project_credits_create',
    "the owner token is refused (403) for another customer's project",
    async () => {
      const token = world.tokens.owner;
      if (!token) throw new Error('no owner token configured');
      const other = world.projects[3]!;
      const otherOrg = await mustCreate('customer', { customer: other.customer.url, value: '100' });
      let res: Reply | undefined;
      try {
        res = await createCredit('project', { project: other.url, value: '10' }, token);
        expectStatus(res, 403);
        expectContract('project_credits_create', res);
        expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
        const list = await call('GET', listOfProject(other.uuid));
        expect(list.body).toEqual([]);
      } finally {
        if (res?.status === 201) await remove((res.body as CreditBody).url);
        await remove(otherOrg.url);
      }
    },
    { writes: true },
  );
});

describe('project credits: hidden without an organisation credit', () => {
  check(
    'project_credits_retrieve',
    'a project credit whose customer credit is deleted is 404 and not listed',
    async () => {
      const project = world.projects[3]!;
      const customer = project.customer;
      const org = await mustCreate('customer', { customer: customer.url, value: '100' });
      const pc = await mustCreate('project', { project: project.url, value: '40' });
      try {
        const deleted = await call('DELETE', pathOf(org.url));
        expectStatus(deleted, 204);
        const res = await call('GET', pathOf(pc.url));
        expectStatus(res, 404);
        expectContract('project_credits_retrieve', res);
        for (const path of [
          listOfProject(project.uuid),
          listOfCustomer(customer.uuid),
          '/api/project-credits/?page_size=300',
        ]) {
          const list = await call('GET', path);
          expectStatus(list, 200);
          expect(
            (list.body as CreditBody[]).map((c) => c.uuid),
            path,
          ).not.toContain(pc.uuid);
        }
      } finally {
        // Leave nothing behind: an older server keeps the hidden project credit and shows it again once the
        // customer has a credit (a newer one deleted it with the organisation credit), so recreate, delete, and remove.
        const orgLeft = await call('GET', customerCreditsOf(customer.uuid));
        if (Array.isArray(orgLeft.body) && orgLeft.body.length === 0) {
          const again = await mustCreate('customer', { customer: customer.url, value: '100' });
          await remove(pc.url);
          await remove(again.url);
        } else {
          await remove(pc.url);
        }
      }
    },
    { writes: true },
  );
});
