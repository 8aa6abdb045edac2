import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import { call, type Reply } from '../support/http.js';
import { cleanUpAfterAll, createCredit, mustCreate, pathOf, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';
import { IS_81 } from '../support/waldur-version.js';

/** Customer credits: the lifecycle, exact money, and every response against the contract. */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld; // null without a world: the writing checks then do not run
});
cleanUpAfterAll();

describe('customer credits: lifecycle', () => {
  let credit: CreditBody;
  const customer = () => world.customers[0]!;

  check(
    'customer_credits_create',
    'creates with 201, Location and the documented body',
    async () => {
      const res = await createCredit('customer', {
        customer: customer().url,
        value: '150.50000',
        expected_consumption: '10.00000',
      });
      expectStatus(res, 201);
      expectContract('customer_credits_create', res);
      credit = res.body as CreditBody;
      expect(credit.value).toBe('150.50000');
      expect(credit.customer_uuid).toBe(customer().uuid);
      expect(res.headers.location).toBe(credit.url);
    },
    { writes: true },
  );

  check(
    'customer_credits_retrieve',
    'returns what was created',
    async () => {
      const res = await call('GET', pathOf(credit.url));
      expectStatus(res, 200);
      expectContract('customer_credits_retrieve', res);
      expect(res.body).toMatchObject({ uuid: credit.uuid, value: '150.50000', expected_consumption: '10.00000' });
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'lists the created credit',
    async () => {
      const res = await call('GET', `/api/customer-credits/?customer_uuid=${customer().uuid}`);
      expectStatus(res, 200);
      expectContract('customer_credits_list', res);
      expect((res.body as CreditBody[]).map((c) => c.uuid)).toEqual([credit.uuid]);
    },
    { writes: true },
  );

  check(
    'customer_credits_update',
    'replaces the writable fields with PUT',
    async () => {
      const res = await call('PUT', pathOf(credit.url), {
        body: { customer: customer().url, value: '200', grace_coefficient: '25' },
      });
      expectStatus(res, 200);
      expectContract('customer_credits_update', res);
      expect(res.body).toMatchObject({ value: '200.00000', grace_coefficient: '25' });
      const again = await call('GET', pathOf(credit.url));
      expect(again.body).toMatchObject({ value: '200.00000', grace_coefficient: '25' });
    },
    { writes: true },
  );

  check(
    'customer_credits_partial_update',
    'changes only the fields sent with PATCH',
    async () => {
      const res = await call('PATCH', pathOf(credit.url), { body: { expected_consumption: '20' } });
      expectStatus(res, 200);
      expectContract('customer_credits_partial_update', res);
      expect(res.body).toMatchObject({ value: '200.00000', expected_consumption: '20.00000', grace_coefficient: '25' });
    },
    { writes: true },
  );

  check(
    'customer_credits_consumptions_list',
    'answers a bare array, empty for a new credit',
    async () => {
      const res = await call('GET', `${pathOf(credit.url)}consumptions/`);
      expectStatus(res, 200);
      expectContract('customer_credits_consumptions_list', res);
      expect(res.body).toEqual([]);
    },
    { writes: true },
  );

  check(
    'customer_credits_destroy',
    'deletes with 204; the credit is then 404 and gone from the list',
    async () => {
      const res = await call('DELETE', pathOf(credit.url));
      expectStatus(res, 204);
      expect(res.text).toBe('');
      const gone = await call('GET', pathOf(credit.url));
      expectStatus(gone, 404);
      expectContract('customer_credits_retrieve', gone);
      const list = await call('GET', `/api/customer-credits/?customer_uuid=${customer().uuid}`);
      expect(list.body).toEqual([]);
    },
    { writes: true },
  );
});

describe('customer credits: exact money', () => {
  check(
    'customer_credits_create',
    'keeps decimals exact through create and read',
    async () => {
      const made = await mustCreate('customer', { customer: world.customers[1]!.url, value: '0.10000' });
      const read = await call('GET', pathOf(made.url));
      expect(read.body).toMatchObject({ value: '0.10000' });
      const patched = await call('PATCH', pathOf(made.url), { body: { value: '99999999999.99999' } });
      expectStatus(patched, 200);
      expect((patched.body as CreditBody).value).toBe('99999999999.99999');
      await call('DELETE', pathOf(made.url));
    },
    { writes: true },
  );

  check(
    'customer_credits_create',
    'allocated_to_projects sums project credits exactly (0.1 + 0.2 = 0.3)',
    async () => {
      const [a, b] = world.projects;
      const org = await mustCreate('customer', { customer: a!.customer.url, value: '1' });
      await mustCreate('project', { project: a!.url, value: '0.10000' });
      await mustCreate('project', { project: b!.url, value: '0.20000' });
      const read = await call('GET', pathOf(org.url));
      expect(read.text).toMatch(/"allocated_to_projects":\s*0\.3\b/);
      expect(read.text).not.toContain('0.30000000000000004');
    },
    { writes: true },
  );

  check(
    'customer_credits_create',
    'computes minimal_consumption from expected consumption and grace',
    async () => {
      const made = await mustCreate('customer', {
        customer: world.customers[2]!.url,
        value: '1000',
        expected_consumption: '100',
        grace_coefficient: '10',
      });
      expect(made.minimal_consumption).toBe(90);
      const off = await call('PATCH', pathOf(made.url), { body: { apply_as_minimal_consumption: false } });
      expect((off.body as CreditBody).minimal_consumption).toBe(0);
      await call('DELETE', pathOf(made.url));
    },
    { writes: true },
  );
});

describe('customer credits: read-only checks', () => {
  check('customer_credits_list', 'every listed credit matches the contract', async () => {
    const res = await call('GET', '/api/customer-credits/?page_size=50');
    expectStatus(res, 200);
    expectContract('customer_credits_list', res);
  });

  check('customer_credits_retrieve', 'an unknown uuid is 404 with a detail', async () => {
    const res = await call('GET', '/api/customer-credits/00000000000040008000000000000000/');
    expectStatus(res, 404);
    expectContract('customer_credits_retrieve', res);
  });
});

describe('customer credits: compensations and consumption history', () => {
  let credit: CreditBody;
  const valueNow = async () => ((await call('GET', pathOf(credit.url))).body as CreditBody).value;

  check(
    'customer_credits_apply_compensations',
    'apply then clear restores the credit; apply twice is apply once',
    async () => {
      const customer = world.customers[2]!;
      credit = await mustCreate('customer', { customer: customer.url, value: '1000' });
      if (world.provisioned === 'admin') {
        // The mock can be given usage to draw on; a real server's open invoice is whatever it is.
        const today = String(((await call('GET', '/__admin/clock', { token: null })).body as { today: string }).today);
        const invoice = await call('POST', '/__admin/waldur/invoices', {
          token: null,
          body: {
            customer: customer.uuid,
            year: Number(today.slice(0, 4)),
            month: Number(today.slice(5, 7)),
            items: [{ name: 'usage', unit_price: '12.34', quantity: '1' }],
          },
        });
        expectStatus(invoice, 201);
      }
      const before = await valueNow();
      // 8.1: the actions take no body and answer 200 with none (docs/behaviour/waldur-8.1.md §8); the value is read back.
      const valueAfter = async (reply: Reply) => (IS_81 ? await valueNow() : (reply.body as CreditBody).value);
      const applied = await call('POST', `${pathOf(credit.url)}apply_compensations/`);
      expectStatus(applied, 200);
      expectContract('customer_credits_apply_compensations', applied);
      if (IS_81) expect(applied.text, 'apply_compensations answers no body in 8.1').toBe('');
      const after = await valueAfter(applied);
      if (world.provisioned === 'admin') expect(after).toBe('987.66000');
      expect(await valueNow()).toBe(after);
      const again = await call('POST', `${pathOf(credit.url)}apply_compensations/`);
      expect(await valueAfter(again)).toBe(after);
      const cleared = await call('POST', `${pathOf(credit.url)}clear_compensations/`);
      expectStatus(cleared, 200);
      expectContract('customer_credits_clear_compensations', cleared);
      if (IS_81) expect(cleared.text, 'clear_compensations answers no body in 8.1').toBe('');
      expect(await valueAfter(cleared)).toBe(before);
    },
    { writes: true },
  );

  check(
    'customer_credits_consumptions_list',
    'rows are months (the 1st) with 2-place prices, oldest first',
    async () => {
      await call('POST', `${pathOf(credit.url)}apply_compensations/`);
      const res = await call('GET', `${pathOf(credit.url)}consumptions/`);
      expectStatus(res, 200);
      expectContract('customer_credits_consumptions_list', res);
      const rows = res.body as { date: string; price: string }[];
      for (const row of rows) {
        expect(row.date).toMatch(/^\d{4}-\d{2}-01$/);
        expect(row.price).toMatch(/^-?\d+\.\d{2}$/);
      }
      expect(rows.map((r) => r.date)).toEqual([...rows.map((r) => r.date)].sort());
      expect(res.headers['x-result-count']).toBeUndefined();
      if (world.provisioned === 'admin') expect(rows).toEqual([{ date: rows[0]!.date, price: '12.34' }]);
      await call('POST', `${pathOf(credit.url)}clear_compensations/`);
    },
    { writes: true },
  );
});
