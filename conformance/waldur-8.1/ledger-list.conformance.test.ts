import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import { call } from '../support/http.js';
import { LEDGER, ledger, newHex, type LedgerRow } from '../support/waldur-81.js';
import { cleanUpAfterAll, mustCreate, pathOf, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';

/**
 * GET/HEAD /api/credit-transactions/ and its detail (docs/behaviour/waldur-8.1.md §5.3, §5.4,
 * §11 scenarios 8–15): every filter, the orderings, DRF pagination and HEAD,
 * who sees which rows, 404/405/401 — each answer against the contract.
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld;
});
cleanUpAfterAll();

/**
 * The rows the checks read, written by staff on the world: customers[0] (the
 * owner's) gets a credit of 100, edited to 120, with +5 "seed"; its projects[0]
 * (the manager's) and projects[1] project credits of 50 and 20; customers[1]
 * a credit of 10.
 */
interface Data {
  org: CreditBody;
  other: CreditBody;
  pa: CreditBody;
  pb: CreditBody;
  /** The rows of customers[0], newest first, as staff lists them. */
  rows: LedgerRow[];
}
let data: Data | undefined;
const made = (): Data => {
  if (!data) throw new Error('setup: the rows were not written (the first check of this file failed)');
  return data;
};
const ids = (rows: LedgerRow[]) => rows.map((r) => r.uuid);
const tokenOf = (role: 'support' | 'owner' | 'manager' | 'user') => {
  const token = world.tokens[role];
  if (!token) throw new Error(`no ${role} token configured`);
  return token;
};

describe('filters and ordering', () => {
  check(
    'credit_transactions_list',
    'customer_uuid: the organisation rows and the project rows of the customer, newest first',
    async () => {
      const [c0, c1] = world.customers;
      const [p0, p1] = world.projects;
      const org = await mustCreate('customer', { customer: c0!.url, value: '100' });
      expectStatus(await call('PATCH', pathOf(org.url), { body: { value: '120' } }), 200);
      expectStatus(
        await call('POST', `${pathOf(org.url)}adjust_withdrawable/`, { body: { amount: '5', comment: 'seed' } }),
        200,
      );
      const pa = await mustCreate('project', { project: p0!.url, value: '50' });
      const pb = await mustCreate('project', { project: p1!.url, value: '20' });
      const other = await mustCreate('customer', { customer: c1!.url, value: '10' });
      const rows = await ledger(`customer_uuid=${c0!.uuid}`);
      expect(rows.map((r) => `${r.transaction_type} ${r.amount}`).sort()).toEqual(
        [
          'staff_grant 100.00000',
          'staff_grant 20.00000',
          'withdrawable_adjustment 5.00000',
          'staff_grant 50.00000',
          'staff_grant 20.00000',
        ].sort(),
      );
      const created = rows.map((r) => Date.parse(r.created));
      expect(created, 'newest first').toEqual([...created].sort((a, b) => b - a));
      expect(rows[0], 'the last write is listed first').toMatchObject({ amount: '20.00000', project_uuid: p1!.uuid });
      expect(rows.at(-1), 'the first write is listed last').toMatchObject({ amount: '100.00000', project_uuid: '' });
      data = { org, other, pa, pb, rows };
    },
    { writes: true },
  );

  check(
    'credit_transactions_list',
    'o=created is oldest first, o=-created newest first',
    async () => {
      const d = made();
      const asc = await ledger(`customer_uuid=${d.org.customer_uuid as string}&o=created`);
      expect(asc.map((r) => r.amount)[0]).toBe('100.00000');
      expect(asc.at(-1)!.amount).toBe('20.00000');
      expect(asc.map((r) => Date.parse(r.created))).toEqual(
        asc.map((r) => Date.parse(r.created)).sort((a, b) => a - b),
      );
      expect(ids(await ledger(`customer_uuid=${d.org.customer_uuid as string}&o=-created`))).toEqual(ids(d.rows));
    },
    { writes: true },
  );

  check(
    'credit_transactions_list',
    'credit_uuid, project_credit_uuid, project_uuid and transaction_type narrow the rows',
    async () => {
      const d = made();
      const org = await ledger(`credit_uuid=${d.org.uuid}`);
      expect(org.map((r) => r.amount).sort()).toEqual(['100.00000', '20.00000', '5.00000']);
      expect(org.every((r) => r.project_uuid === '')).toBe(true);
      expect((await ledger(`project_credit_uuid=${d.pa.uuid}`)).map((r) => r.amount)).toEqual(['50.00000']);
      const ofProject = await ledger(
        `project_uuid=${d.pa.project_uuid as string}&customer_uuid=${d.org.customer_uuid as string}`,
      );
      expect(ofProject.map((r) => [r.amount, r.project_name])).toEqual([['50.00000', d.pa.project_name]]);
      const seed = await ledger(
        `customer_uuid=${d.org.customer_uuid as string}&transaction_type=withdrawable_adjustment`,
      );
      expect(seed.map((r) => [r.amount, r.comment])).toEqual([['5.00000', 'seed']]);
      expect(await ledger(`customer_uuid=${d.org.customer_uuid as string}&transaction_type=no_such_type`)).toEqual([]);
      expect(await ledger(`credit_uuid=${d.other.uuid}&customer_uuid=${d.org.customer_uuid as string}`)).toEqual([]);
      expect(await ledger(`credit_uuid=${newHex()}`)).toEqual([]);
      expect(await ledger(`customer_uuid=${d.org.customer_uuid as string}&billing_period=2024-03-01`)).toEqual([]);
    },
    { writes: true },
  );

  check('credit_transactions_list', 'a malformed uuid or date filter: 400 naming the parameter', async () => {
    for (const [param, value] of [
      ['credit_uuid', 'nope'],
      ['customer_uuid', '123'],
      ['project_credit_uuid', 'x'],
      ['billing_period', '2024-13-01'],
      ['billing_period_after', 'soon'],
    ]) {
      const res = await call('GET', `${LEDGER}?${param}=${value}`);
      expectStatus(res, 400);
      expectContract('credit_transactions_list', res);
      expect(Object.keys(res.body as object)).toEqual([param]);
    }
  });
});

describe('pagination and HEAD', () => {
  check(
    'credit_transactions_list',
    'page_size=2 over 5 rows: three pages with X-Result-Count 5 and Link, together every row once; page 4 is 404',
    async () => {
      const d = made();
      const q = `customer_uuid=${d.org.customer_uuid as string}&page_size=2`;
      const seen: string[] = [];
      for (const page of [1, 2, 3]) {
        const res = await call('GET', `${LEDGER}?${q}&page=${page}`);
        expectStatus(res, 200);
        expectContract('credit_transactions_list', res);
        expect(res.headers['x-result-count']).toBe('5');
        expect(res.headers.link).toMatch(page < 3 ? /rel="next"/ : /rel="prev"/);
        seen.push(...ids(res.body as LedgerRow[]));
      }
      expect(seen).toEqual(ids(d.rows));
      const beyond = await call('GET', `${LEDGER}?${q}&page=4`);
      expectStatus(beyond, 404);
      expect(beyond.body).toEqual({ detail: 'Invalid page.' });
    },
    { writes: true },
  );

  check(
    'credit_transactions_count',
    'HEAD: 200, no body, the count and the links of the GET',
    async () => {
      const d = made();
      const path = `${LEDGER}?customer_uuid=${d.org.customer_uuid as string}&page_size=2`;
      const head = await call('HEAD', path);
      expectStatus(head, 200);
      expectContract('credit_transactions_count', head);
      expect(head.text).toBe('');
      const get = await call('GET', path);
      expect(head.headers['x-result-count']).toBe('5');
      expect(head.headers.link).toBe(get.headers.link);
      const none = await call('HEAD', `${LEDGER}?credit_uuid=${newHex()}`);
      expect(none.headers['x-result-count']).toBe('0');
    },
    { writes: true },
  );
});

describe('who sees which rows', () => {
  check(
    'credit_transactions_list',
    "the owner: its customer's organisation and project rows, nothing of another customer",
    async () => {
      const d = made();
      const token = tokenOf('owner');
      expect(ids(await ledger(`customer_uuid=${d.org.customer_uuid as string}`, token))).toEqual(ids(d.rows));
      expect(await ledger(`credit_uuid=${d.other.uuid}`, token)).toEqual([]);
      const detail = await call('GET', `${LEDGER}${d.rows[0]!.uuid}/`, { token });
      expectStatus(detail, 200);
      const theirs = (await ledger(`credit_uuid=${d.other.uuid}`))[0]!;
      const hidden = await call('GET', `${LEDGER}${theirs.uuid}/`, { token });
      expectStatus(hidden, 404);
      expectContract('credit_transactions_retrieve', hidden);
    },
    { writes: true },
  );

  check(
    'credit_transactions_list',
    "a project manager: its project's rows only, never an organisation row",
    async () => {
      const d = made();
      const token = tokenOf('manager');
      const rows = await ledger('', token);
      expect(rows.length).toBeGreaterThan(0);
      expect(
        rows.every((r) => r.project_uuid === d.pa.project_uuid),
        'rows of other projects or organisation rows',
      ).toBe(true);
      expect(ids(await ledger(`customer_uuid=${d.org.customer_uuid as string}`, token))).toEqual(
        ids(d.rows.filter((r) => r.project_uuid === d.pa.project_uuid)),
      );
      const orgRow = d.rows.find((r) => r.project_uuid === '')!;
      expectStatus(await call('GET', `${LEDGER}${orgRow.uuid}/`, { token }), 404);
    },
    { writes: true },
  );

  check(
    'credit_transactions_list',
    'support sees every row; a user without roles gets 200 [] and a count of 0',
    async () => {
      const d = made();
      expect(ids(await ledger(`customer_uuid=${d.org.customer_uuid as string}`, tokenOf('support')))).toEqual(
        ids(d.rows),
      );
      const res = await call('GET', LEDGER, { token: tokenOf('user') });
      expectStatus(res, 200);
      expectContract('credit_transactions_list', res);
      expect(res.body).toEqual([]);
      expect(res.headers['x-result-count']).toBe('0');
      expectStatus(await call('GET', `${LEDGER}${d.rows[0]!.uuid}/`, { token: tokenOf('user') }), 404);
    },
    { writes: true },
  );
});

describe('the rest of the contract', () => {
  check('credit_transactions_retrieve', 'an unknown row is 404 with a detail', async () => {
    const res = await call('GET', `${LEDGER}${newHex()}/`);
    expectStatus(res, 404);
    expectContract('credit_transactions_retrieve', res);
    expect(typeof (res.body as { detail?: unknown }).detail).toBe('string');
  });

  check(
    'credit_transactions_list',
    "read-only: POST, PUT, PATCH and DELETE are 405 with DRF's detail; no credentials are 401 first",
    async () => {
      const d = made();
      const row = `${LEDGER}${d.rows[0]!.uuid}/`;
      for (const [method, path] of [
        ['POST', LEDGER],
        ['PUT', row],
        ['PATCH', row],
        ['DELETE', row],
      ] as const) {
        const res = await call(method, path, { body: method === 'DELETE' ? undefined : { amount: '1' } });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.body).toEqual({ detail: `Method "${method}" not allowed.` });
        const anonymous = await call(method, path, {
          token: null,
          body: method === 'DELETE' ? undefined : { amount: '1' },
        });
        expect(anonymous.status, `${method} ${path} without credentials`).toBe(401);
      }
      for (const path of [LEDGER, row]) {
        const res = await call('GET', path, { token: null });
        expectStatus(res, 401);
        expectContract(path === LEDGER ? 'credit_transactions_list' : 'credit_transactions_retrieve', res);
      }
      expect(ids(await ledger(`customer_uuid=${d.org.customer_uuid as string}`))).toEqual(ids(d.rows));
    },
    { writes: true },
  );
});
