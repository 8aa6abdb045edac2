import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import {
  amountCredit,
  byPosition,
  cleanUpAfterAll,
  consume,
  entries,
  findAll,
  later,
  maple,
  money,
  mustCreate,
  scenarioCustomer,
  sendRefusals,
  unitsCredit,
  type Credit,
  type CreditLog,
  type Page,
  type Refusal,
  unset,
} from '../support/maple-data.js';
import { mapleWorld, type MapleCustomer, type MapleWorld } from '../support/maple-world.js';

/**
 * find and logs/find (docs/behaviour/maple.md §1.4, §1.5, Part 4 item 5): cursor paging in
 * both orders, the end of the list, stability under inserts, include_meta,
 * every query field, and the validation of the find body.
 */
let world: MapleWorld;
beforeAll(async () => {
  world = (await mapleWorld()) as MapleWorld; // null without a world: the checks then do not run
});
cleanUpAfterAll();

type Sort = 'createdAtAsc' | 'createdAtDesc';

async function page<T>(
  kind: 'credits' | 'logs',
  query: Record<string, unknown>,
  sort: Sort,
  limit: number,
  from_key?: string | null,
  include_meta?: boolean,
): Promise<Page<T>> {
  const body: Record<string, unknown> = {
    pagination: from_key ? { limit, from_key } : { limit },
    sort_key: sort,
    query,
  };
  if (include_meta !== undefined) body.include_meta = include_meta;
  const res = await maple('POST', kind === 'credits' ? '/find' : '/logs/find', { body });
  expectStatus(res, 200);
  expectContract(kind === 'credits' ? 'findCredits' : 'findCreditLogs', res);
  return res.body as Page<T>;
}

/** Walks every page; returns the ids page by page, checking limit echo and from_key. */
async function walk<T extends { id: string }>(
  kind: 'credits' | 'logs',
  query: Record<string, unknown>,
  sort: Sort,
  limit: number,
): Promise<string[][]> {
  const pages: string[][] = [];
  let from_key: string | null = null;
  do {
    const p: Page<T> = await page<T>(kind, query, sort, limit, from_key);
    expect(p.pagination.limit, 'pagination.limit is not echoed').toBe(limit);
    expect(p.results.length, `a page longer than the limit ${limit}`).toBeLessThanOrEqual(limit);
    pages.push(p.results.map((r) => r.id));
    const previous: string | null = from_key;
    from_key = p.pagination.from_key ?? null;
    if (from_key !== null) expect(p.results.length, 'a page before the end is not full').toBe(limit);
    if (from_key !== null && from_key === previous)
      throw new Error('the same from_key came back: the cursor does not advance');
    if (pages.length > 100) throw new Error('more than 100 pages: from_key never became null');
  } while (from_key !== null);
  return pages;
}

const ids = (cs: { id: string }[]) => cs.map((c) => c.id);
const desc = <T extends { created_at: string; id: string }>(xs: T[]) => [...xs].sort(byPosition).reverse();
const asc = <T extends { created_at: string; id: string }>(xs: T[]) => [...xs].sort(byPosition);

describe('findCredits: paging', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  const made: Credit[] = [];
  /** What the customer had before the block (on a configured server: earlier runs' terminal credits; else nothing). */
  let before: Credit[] = [];
  /** The block's credits, all ACTIVE until the status check: the paging checks walk these. */
  const mine = () => ({ customer_id: customer.id, status: 'ACTIVE' });

  check(
    'findCredits',
    'pages of limit 2 visit every credit once, newest first; the last page has from_key null',
    async () => {
      customer = await scenarioCustomer();
      before = await findAll<Credit>('credits', { customer_id: customer.id });
      for (const [i, body] of [
        amountCredit('', 100),
        amountCredit('', 200),
        amountCredit('', 300, {}, 'EUR'),
        unitsCredit('', 5, world.itemId),
        amountCredit('', 500, { name: `needle ${world.run}` }),
      ].entries()) {
        made.push(
          await mustCreate({
            ...body,
            customer_id: customer.id,
            name: (body.name as string | undefined) ?? `paging ${i} ${world.run}`,
          }),
        );
        await later();
      }
      const pages = await walk<Credit>('credits', mine(), 'createdAtDesc', 2);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(ids(desc(made)));
    },
    { writes: true },
  );

  check(
    'findCredits',
    'createdAtAsc walks the same credits oldest first',
    async () => {
      const pages = await walk<Credit>('credits', mine(), 'createdAtAsc', 2);
      expect(pages.flat()).toEqual(ids(asc(made)));
    },
    { writes: true },
  );

  check(
    'findCredits',
    'a page that ends the list exactly has from_key null (limit 5 of 5)',
    async () => {
      const p = await page<Credit>('credits', mine(), 'createdAtDesc', 5);
      expect(ids(p.results)).toEqual(ids(desc(made)));
      expect(p.pagination.from_key ?? null).toBeNull();
    },
    { writes: true },
  );

  check(
    'findCredits',
    'the cursor is stable under inserts (createdAtDesc): a credit made between pages neither repeats nor shifts a page',
    async () => {
      const first = await page<Credit>('credits', mine(), 'createdAtDesc', 2);
      const expected = ids(desc(made));
      expect(ids(first.results)).toEqual(expected.slice(0, 2));
      made.push(await mustCreate(amountCredit(customer.id, 600, { name: `inserted ${world.run}` })));
      const second = await page<Credit>('credits', mine(), 'createdAtDesc', 2, first.pagination.from_key);
      const third = await page<Credit>('credits', mine(), 'createdAtDesc', 2, second.pagination.from_key);
      expect([...ids(second.results), ...ids(third.results)]).toEqual(expected.slice(2));
      expect(third.pagination.from_key ?? null).toBeNull();
      await later();
    },
    { writes: true },
  );

  check(
    'findCredits',
    'the cursor is stable under inserts (createdAtAsc): a credit made between pages comes at the end',
    async () => {
      const before = ids(asc(made));
      const first = await page<Credit>('credits', mine(), 'createdAtAsc', 2);
      expect(ids(first.results)).toEqual(before.slice(0, 2));
      made.push(await mustCreate(amountCredit(customer.id, 700, { name: `appended ${world.run}` })));
      const rest: string[] = [];
      let from_key = first.pagination.from_key;
      while (from_key) {
        const p = await page<Credit>('credits', mine(), 'createdAtAsc', 2, from_key);
        rest.push(...ids(p.results));
        from_key = p.pagination.from_key ?? null;
      }
      expect(rest).toEqual(ids(asc(made)).slice(2));
      expect(rest.at(-1)).toBe(made.at(-1)!.id);
    },
    { writes: true },
  );

  check(
    'findCredits',
    'include_meta gives meta.total, the number of matches, on every page',
    async () => {
      const one = await page<Credit>('credits', mine(), 'createdAtDesc', 1, null, true);
      expect(one.meta?.total).toBe(made.length);
      const two = await page<Credit>('credits', mine(), 'createdAtDesc', 1, one.pagination.from_key, true);
      expect(two.meta?.total).toBe(made.length);
      expect(ids(two.results)).toEqual([ids(desc(made))[1]]);
    },
    { writes: true },
  );

  check(
    'findCredits',
    'query.type and query.currency select by type and currency',
    async () => {
      const units = await findAll<Credit>('credits', { ...mine(), type: 'UNITS' });
      expect(ids(units)).toEqual(ids(made.filter((c) => c.type === 'UNITS')));
      const eur = await findAll<Credit>('credits', { ...mine(), currency: 'EUR' });
      expect(ids(eur)).toEqual(ids(made.filter((c) => c.amount?.currency === 'EUR')));
      const amount = await findAll<Credit>('credits', { ...mine(), type: 'AMOUNT', currency: 'USD' });
      expect(ids(amount)).toEqual(ids(asc(made.filter((c) => c.amount?.currency === 'USD'))));
      for (const c of await findAll<Credit>('credits', { customer_id: customer.id, type: 'UNITS' }))
        expect(c.type).toBe('UNITS');
    },
    { writes: true },
  );

  check(
    'findCredits',
    'query.status and query.statuses select by state',
    async () => {
      const revoked = made[0]!;
      expectStatus(await maple('DELETE', `/${revoked.id}`), 200);
      const consumed = made[1]!;
      expectStatus(
        await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(200), credit_id: consumed.id }),
        200,
      );
      const earlier = (...states: string[]) => before.filter((c) => states.includes(c.state));
      expect(ids(await findAll<Credit>('credits', { customer_id: customer.id, status: 'REVOKED' }))).toEqual(
        ids(asc([...earlier('REVOKED'), revoked])),
      );
      expect(ids(await findAll<Credit>('credits', { customer_id: customer.id, status: 'CONSUMED' }))).toEqual(
        ids(asc([...earlier('CONSUMED'), consumed])),
      );
      const active = await findAll<Credit>('credits', { customer_id: customer.id, status: 'ACTIVE' });
      expect(ids(active)).toEqual(ids(asc(made.slice(2))));
      const some = await findAll<Credit>('credits', { customer_id: customer.id, statuses: ['REVOKED', 'CONSUMED'] });
      expect(ids(some)).toEqual(ids(asc([...earlier('REVOKED', 'CONSUMED'), revoked, consumed])));
      for (const c of some) expect(['REVOKED', 'CONSUMED']).toContain(c.state);
    },
    { writes: true },
  );

  check(
    'findCredits',
    "query.customer_id shows that customer's credits only",
    async () => {
      const other = await scenarioCustomer(0);
      const theirs = await mustCreate(amountCredit(other.id, 100));
      const all = await findAll<Credit>('credits', { customer_id: customer.id });
      expect(ids(all)).toEqual(ids(asc([...before, ...made])));
      const found = await findAll<Credit>('credits', { customer_id: other.id });
      expect(ids(found)).toContain(theirs.id);
      for (const c of found) expect(c.customer_id).toBe(other.id);
    },
    { writes: true },
  );

  check(
    'findCredits',
    'query.search finds a credit by its name',
    async () => {
      const needle = made.find((c) => c.name === `needle ${world.run}`)!;
      const found = await findAll<Credit>('credits', { customer_id: customer.id, search: `needle ${world.run}` });
      expect(ids(found)).toEqual([needle.id]);
    },
    { writes: true },
  );

  check(
    'findCredits',
    "query.subscription_id selects the subscription's credits",
    async () => {
      if (!world.subscriptionId)
        throw new Error('no maple.subscription_id configured (a subscription of customers[0])');
      const c0 = world.customers[0]!;
      const withSub = await mustCreate(amountCredit(c0.id, 100, { subscription_id: world.subscriptionId }));
      const withoutSub = await mustCreate(amountCredit(c0.id, 100));
      const found = await findAll<Credit>('credits', {
        customer_id: c0.id,
        subscription_id: world.subscriptionId,
        status: 'ACTIVE',
      });
      expect(ids(found)).toContain(withSub.id);
      expect(ids(found)).not.toContain(withoutSub.id);
      for (const c of found) expect(c.subscription_id).toBe(world.subscriptionId);
    },
    { writes: true },
  );
});

describe('findCredits: the find body is validated (read-only)', () => {
  const find = (body: unknown) => ({ body });
  const ok = { pagination: { limit: 5 }, sort_key: 'createdAtDesc' };

  check('findCredits', 'limit 1 and limit 100 are accepted, and echoed', async () => {
    for (const limit of [1, 100]) {
      const res = await maple('POST', '/find', find({ ...ok, pagination: { limit } }));
      expectStatus(res, 200);
      expectContract('findCredits', res);
      expect((res.body as Page<Credit>).pagination.limit).toBe(limit);
    }
  });

  check(
    'findCredits',
    'pagination.limit outside 1–100 is refused, not clamped: 0, 101, 1.5, -1, "5" (400 validation_error pagination.limit)',
    async () => {
      const cases: Refusal[] = [0, 101, 1.5, -1, '5', null].map((limit) => ({
        how: `limit ${JSON.stringify(limit)}`,
        body: { ...ok, pagination: { limit } },
        field: 'pagination.limit',
      }));
      const failures = await sendRefusals('findCredits', '/find', cases);
      expect(failures, failures.join('\n  ')).toEqual([]);
    },
  );

  check('findCredits', 'pagination and sort_key are required; sort_key is createdAtDesc or createdAtAsc', async () => {
    const failures = await sendRefusals('findCredits', '/find', [
      { how: 'no pagination', body: { sort_key: 'createdAtDesc' }, field: 'pagination' },
      { how: 'no limit', body: { ...ok, pagination: {} }, field: 'pagination.limit' },
      { how: 'no sort_key', body: { pagination: { limit: 5 } }, field: 'sort_key' },
      { how: 'sort_key name', body: { ...ok, sort_key: 'nameAsc' }, field: 'sort_key' },
      { how: 'sort_key lowercase', body: { ...ok, sort_key: 'createdatdesc' }, field: 'sort_key' },
    ]);
    expect(failures, failures.join('\n  ')).toEqual([]);
  });

  check(
    'findCredits',
    'unknown query fields and bad query values are refused (400 validation_error query.<field>)',
    async () => {
      const q = (query: unknown) => ({ ...ok, query });
      const failures = await sendRefusals('findCredits', '/find', [
        { how: 'unknown query field', body: q({ colour: 'blue' }), field: 'query.colour' },
        { how: 'query.type POINTS', body: q({ type: 'POINTS' }), field: 'query.type' },
        { how: 'query.status GONE', body: q({ status: 'GONE' }), field: 'query.status' },
        { how: 'query.statuses not a list', body: q({ statuses: 'ACTIVE' }), field: 'query.statuses' },
        { how: 'query.statuses with a bad state', body: q({ statuses: ['ACTIVE', 'GONE'] }), field: 'query.statuses' },
        { how: 'query.customer_id a number', body: q({ customer_id: 5 }), field: 'query.customer_id' },
        { how: 'query not an object', body: q('ACTIVE'), field: 'query' },
        { how: 'include_meta not a boolean', body: { ...ok, include_meta: 'yes' }, field: 'include_meta' },
      ]);
      expect(failures, failures.join('\n  ')).toEqual([]);
    },
  );
});

describe('findCreditLogs', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  /** The customer's log before the block (on a configured server: earlier runs' entries; else nothing), by query. */
  const before = new Map<string, CreditLog[]>();
  const queries: Record<string, Record<string, unknown>> = {};
  /** The entries a query finds now that it did not find before the block; none may have gone. */
  const added = async (name: string) => {
    const now = await findAll<CreditLog>('logs', queries[name]!);
    const old = before.get(name) ?? [];
    expect(
      ids(now).filter((id) => ids(old).includes(id)),
      'entries found before the block are gone',
    ).toEqual(ids(old));
    return now.filter((l) => !ids(old).includes(l.id));
  };
  let credit = unset<Credit>('the credit of the block');
  let unitsCreditMade = unset<Credit>('the UNITS credit of the block');
  const note = () => `second ${world.run}`;

  check(
    'findCreditLogs',
    "a credit's log with createdAtAsc: ISSUED, each CONSUMED, REVOKED, oldest first",
    async () => {
      customer = await scenarioCustomer();
      Object.assign(queries, {
        all: { customer_id: customer.id },
        units: { customer_id: customer.id, type: 'UNITS' },
        revoked: { customer_id: customer.id, action_type: 'REVOKED' },
      });
      for (const name of Object.keys(queries)) before.set(name, await findAll<CreditLog>('logs', queries[name]!));
      credit = await mustCreate(amountCredit(customer.id, 1000));
      await later();
      expectStatus(
        await consume({
          customer_id: customer.id,
          type: 'AMOUNT',
          amount: money(100),
          credit_id: credit.id,
          note: `first ${world.run}`,
        }),
        200,
      );
      await later();
      expectStatus(
        await consume({
          customer_id: customer.id,
          type: 'AMOUNT',
          amount: money(200),
          credit_id: credit.id,
          note: note(),
        }),
        200,
      );
      await later();
      expectStatus(await maple('DELETE', `/${credit.id}`), 200);
      await later();
      unitsCreditMade = await mustCreate(unitsCredit(customer.id, 5, world.itemId));
      await later();
      expectStatus(await consume({ customer_id: customer.id, type: 'UNITS', units: 2, item_id: world.itemId }), 200);
      const logs = await findAll<CreditLog>('logs', { credit_id: credit.id }, 'createdAtAsc');
      expect(entries(logs)).toEqual(['ISSUED 1000 USD', 'CONSUMED 100 USD', 'CONSUMED 200 USD', 'REVOKED 700 USD']);
      for (const l of logs) expect(l).toMatchObject({ credit_id: credit.id, customer_id: customer.id });
      expect(logs.map((l) => l.created_at)).toEqual([...logs].sort(byPosition).map((l) => l.created_at));
    },
    { writes: true },
  );

  check(
    'findCreditLogs',
    'createdAtDesc gives the same entries newest first',
    async () => {
      const logs = await findAll<CreditLog>('logs', { credit_id: credit.id }, 'createdAtDesc');
      expect(entries(logs)).toEqual(['REVOKED 700 USD', 'CONSUMED 200 USD', 'CONSUMED 100 USD', 'ISSUED 1000 USD']);
    },
    { writes: true },
  );

  check(
    'findCreditLogs',
    "pages of limit 1 visit every entry once; the last has from_key null; the customer's log has all six",
    async () => {
      const all = await findAll<CreditLog>('logs', { credit_id: credit.id }, 'createdAtAsc');
      const pages = await walk<CreditLog>('logs', { credit_id: credit.id }, 'createdAtAsc', 1);
      expect(pages.map((p) => p.length)).toEqual([1, 1, 1, 1]);
      expect(pages.flat()).toEqual(ids(all));
      const back = await walk<CreditLog>('logs', { credit_id: credit.id }, 'createdAtDesc', 3);
      expect(back.map((p) => p.length)).toEqual([3, 1]);
      expect(back.flat()).toEqual(ids(all).reverse());
      const customers = await added('all');
      expect(entries(customers)).toEqual([
        'ISSUED 1000 USD',
        'CONSUMED 100 USD',
        'CONSUMED 200 USD',
        'REVOKED 700 USD',
        'ISSUED 5 units',
        'CONSUMED 2 units',
      ]);
    },
    { writes: true },
  );

  check(
    'findCreditLogs',
    'query.action_type, note, search, type and customer_id filter the log',
    async () => {
      const consumed = await findAll<CreditLog>('logs', { credit_id: credit.id, action_type: 'CONSUMED' });
      expect(entries(consumed)).toEqual(['CONSUMED 100 USD', 'CONSUMED 200 USD']);
      const byNote = await findAll<CreditLog>('logs', { customer_id: customer.id, note: note() });
      expect(entries(byNote)).toEqual(['CONSUMED 200 USD']);
      expect(byNote[0]!.note).toBe(note());
      const bySearch = await findAll<CreditLog>('logs', { customer_id: customer.id, search: note() });
      expect(ids(bySearch)).toEqual(ids(byNote));
      const units = await added('units');
      expect(entries(units)).toEqual(['ISSUED 5 units', 'CONSUMED 2 units']);
      for (const l of units) expect(l.credit_id).toBe(unitsCreditMade.id);
      expect(entries(await added('revoked'))).toEqual(['REVOKED 700 USD']);
      for (const l of await findAll<CreditLog>('logs', queries.revoked!)) expect(l.action_type).toBe('REVOKED');
    },
    { writes: true },
  );
});

describe('findCreditLogs: the find body is validated (read-only)', () => {
  const ok = { pagination: { limit: 5 }, sort_key: 'createdAtAsc' };

  check(
    'findCreditLogs',
    'pagination.limit outside 1–100 is refused, not clamped: 0, 101, 1.5 (400 validation_error pagination.limit)',
    async () => {
      const failures = await sendRefusals(
        'findCreditLogs',
        '/logs/find',
        [0, 101, 1.5].map((limit) => ({
          how: `limit ${limit}`,
          body: { ...ok, pagination: { limit } },
          field: 'pagination.limit',
        })),
      );
      expect(failures, failures.join('\n  ')).toEqual([]);
    },
  );

  check('findCreditLogs', 'unknown query fields, a bad action_type and a missing sort_key are refused', async () => {
    const failures = await sendRefusals('findCreditLogs', '/logs/find', [
      { how: 'unknown query field', body: { ...ok, query: { colour: 'blue' } }, field: 'query.colour' },
      { how: 'a credit query field on logs', body: { ...ok, query: { currency: 'USD' } }, field: 'query.currency' },
      { how: 'action_type SPENT', body: { ...ok, query: { action_type: 'SPENT' } }, field: 'query.action_type' },
      { how: 'query.type POINTS', body: { ...ok, query: { type: 'POINTS' } }, field: 'query.type' },
      { how: 'no sort_key', body: { pagination: { limit: 5 } }, field: 'sort_key' },
      { how: 'no pagination', body: { sort_key: 'createdAtAsc' }, field: 'pagination' },
    ]);
    expect(failures, failures.join('\n  ')).toEqual([]);
  });

  check('findCreditLogs', 'limit 1 and 100 are accepted; every entry matches the contract', async () => {
    for (const limit of [1, 100]) {
      const res = await maple('POST', '/logs/find', { body: { ...ok, pagination: { limit } } });
      expectStatus(res, 200);
      expectContract('findCreditLogs', res);
      expect((res.body as Page<CreditLog>).pagination.limit).toBe(limit);
    }
  });
});
