/**
 * POST /credits/find and POST /credits/logs/find over HTTP (docs/behaviour/maple.md §1.4,
 * §1.5, Part 4 item 5; README behaviour choices: limit 1–100 refused beyond, opaque
 * cursor stable under inserts and null at the end, include_meta → meta.total).
 */
import { describe, expect, it } from 'vitest';
import {
  amountBody,
  API_CALLS,
  consumeAmount,
  consumePath,
  CONTOSO,
  creditPath,
  DAY_MS,
  EMPTY_ITEM,
  NO_AMOUNT,
  expectInvalid,
  FABRIKAM,
  findBody,
  findCredits,
  findLogs,
  findPath,
  FIXTURE_CREDITS,
  fromNow,
  issue,
  logsPath,
  money,
  NORTHWIND,
  NORTHWIND_SUB,
  postRaw,
  unitsBody,
  useMapleServer,
  walk,
} from './maple-test-helpers.js';

const server = useMapleServer();

const F = FIXTURE_CREDITS;
/** Acme's fixture credits by created_at. */
const ACME_CREDITS = [F.welcome, F.apiBundle, F.partner, F.goodwill];
const ids = (items: { id: string }[]) => items.map((i) => i.id);
const find = (body: unknown) => server().maple('POST', findPath(), { body });
const idsOf = async (query: Record<string, unknown>) => ids(await findCredits(server(), query));

/** Fabrikam gets `n` credits one hour apart (values 100, 200, …); returns their ids. */
async function hourly(n: number, startHour = 1): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    server().clock.set(new Date(fromNow((startHour + i) * 3_600_000)), true);
    out.push((await issue(server(), amountBody(FABRIKAM, 100 * (i + 1)))).id);
  }
  return out;
}

describe('POST /credits/find: query filters', () => {
  it("no query: every credit of the company (not Globex's), oldest first with createdAtAsc", async () => {
    expect(await idsOf({})).toEqual(ACME_CREDITS);
  });

  it('createdAtDesc: newest first', async () => {
    expect(ids(await walk(server(), findPath(), {}, 'createdAtDesc'))).toEqual([...ACME_CREDITS].reverse());
  });

  it.each([
    ['customer_id', { customer_id: NORTHWIND }, [F.welcome, F.apiBundle, F.partner]],
    ['customer_id as identifier', { customer_id: 'contoso-42' }, [F.goodwill]],
    ['type', { type: 'UNITS' }, [F.apiBundle]],
    ['status', { status: 'ACTIVE' }, ACME_CREDITS],
    ['currency', { currency: 'EUR' }, [F.partner]],
    ['currency in lower case', { currency: 'usd' }, [F.welcome, F.goodwill]],
    ['subscription_id', { subscription_id: NORTHWIND_SUB }, [F.partner]],
    ['search in the name, any case', { search: 'BUNDLE' }, [F.apiBundle]],
    ['search in the id', { search: F.goodwill.slice(4, 16) }, [F.goodwill]],
    ['search in the customer id', { search: CONTOSO }, [F.goodwill]],
    ['several filters at once', { customer_id: NORTHWIND, type: 'AMOUNT', currency: 'USD' }, [F.welcome]],
    ['no match', { customer_id: FABRIKAM }, []],
  ])('%s', async (_name, query, expected) => {
    expect(await idsOf(query)).toEqual(expected);
  });

  it('status and statuses after a revoke and a full consumption', async () => {
    expect((await server().maple('DELETE', creditPath(F.goodwill))).status).toBe(200);
    const c = await issue(server(), amountBody(FABRIKAM, 50));
    expect((await server().maple('POST', consumePath(), { body: consumeAmount(FABRIKAM, 50) })).status).toBe(200);
    expect(await idsOf({ status: 'REVOKED' })).toEqual([F.goodwill]);
    expect(await idsOf({ status: 'CONSUMED' })).toEqual([c.id]);
    expect(await idsOf({ statuses: ['REVOKED', 'CONSUMED'] })).toEqual([F.goodwill, c.id]);
    expect(await idsOf({ statuses: ['ACTIVE'] })).toEqual([F.welcome, F.apiBundle, F.partner]);
    expect(await idsOf({ statuses: [] })).toEqual([]);
  });

  it.each([
    ['an unknown query field', { colour: 'blue' }, 'query.colour'],
    ['an unknown status', { status: 'FROZEN' }, 'query.status'],
    ['statuses not a list of states', { statuses: ['ACTIVE', 'FROZEN'] }, 'query.statuses'],
    ['an unknown type', { type: 'CASH' }, 'query.type'],
    ['customer_id not a string', { customer_id: 7 }, 'query.customer_id'],
  ])('%s → 400', async (_name, query, field) => {
    expectInvalid(await find(findBody(query)), field);
  });
});

describe('POST /credits/find: pages', () => {
  it.each([
    ['createdAtAsc', 1],
    ['createdAtAsc', 3],
    ['createdAtDesc', 2],
    ['createdAtDesc', 5],
  ] as const)('walking every page (%s, limit %i) returns every credit once', async (sort, limit) => {
    const made = await hourly(10);
    const all = [...ACME_CREDITS, ...made];
    const walked = ids(await walk(server(), findPath(), {}, sort, limit));
    expect(walked).toEqual(sort === 'createdAtAsc' ? all : [...all].reverse());
  });

  it('credits made at one instant page in creation order', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await issue(server(), amountBody(FABRIKAM, 10 + i))).id);
    expect(ids(await walk(server(), findPath(), { customer_id: FABRIKAM }, 'createdAtAsc', 2))).toEqual(made);
  });

  it.each(['createdAtAsc', 'createdAtDesc'])('stable when credits are created between pages (%s)', async (sort) => {
    const before = await hourly(4);
    const originals = sort === 'createdAtAsc' ? [...ACME_CREDITS, ...before] : [...ACME_CREDITS, ...before].reverse();
    const seen: string[] = [];
    let from_key: string | null | undefined;
    let page = 0;
    do {
      const res = await find(findBody({}, 3, sort, from_key));
      expect(res.status).toBe(200);
      seen.push(...ids(res.json.results));
      from_key = res.json.pagination.from_key;
      page += 1;
      server().clock.set(new Date(fromNow((10 + page) * 3_600_000)), true);
      await issue(server(), amountBody(FABRIKAM, page));
      server().clock.set(new Date('2026-01-01T00:00:00Z'), true);
      await issue(server(), amountBody(FABRIKAM, page));
    } while (from_key !== null && page < 20);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => originals.includes(id))).toEqual(originals);
  });

  it('end of the list: from_key null, also when the last page is exactly full', async () => {
    const full = await find(findBody({}, 4));
    expect(full.json.pagination).toEqual({ from_key: null, limit: 4 });
    expect(ids(full.json.results)).toEqual(ACME_CREDITS);
    const first = await find(findBody({}, 2));
    expect(first.json.pagination.limit).toBe(2);
    expect(typeof first.json.pagination.from_key).toBe('string');
    const second = await find(findBody({}, 2, 'createdAtAsc', first.json.pagination.from_key));
    expect(ids(second.json.results)).toEqual([F.partner, F.goodwill]);
    expect(second.json.pagination.from_key).toBeNull();
    const none = await find(findBody({ customer_id: FABRIKAM }, 10));
    expect(none.json).toEqual({ pagination: { from_key: null, limit: 10 }, results: [] });
  });

  it('include_meta: meta.total counts every match, whatever the page', async () => {
    const first = await find({ ...findBody({ customer_id: NORTHWIND }, 1), include_meta: true });
    expect(first.json.meta).toEqual({ total: 3 });
    expect(first.json.results).toHaveLength(1);
    const next = await find({
      ...findBody({ customer_id: NORTHWIND }, 1, 'createdAtAsc', first.json.pagination.from_key),
      include_meta: true,
    });
    expect(next.json.meta).toEqual({ total: 3 });
    expect((await find(findBody({}, 1))).json.meta).toBeUndefined();
    expect((await find({ ...findBody({}, 1), include_meta: false })).json.meta).toBeUndefined();
  });

  it('limit 1 and 100 are accepted', async () => {
    expect((await find(findBody({}, 1))).json.results).toHaveLength(1);
    expect((await find(findBody({}, 100))).json.results).toHaveLength(4);
  });

  it.each([
    ['limit 0', findBody({}, 0), ['pagination.limit']],
    ['limit 101', findBody({}, 101), ['pagination.limit']],
    ['limit 1.5', findBody({}, 1.5), ['pagination.limit']],
    ['limit "20"', { pagination: { limit: '20' }, sort_key: 'createdAtAsc' }, ['pagination.limit']],
    ['limit -1', findBody({}, -1), ['pagination.limit']],
    ['no limit', { pagination: {}, sort_key: 'createdAtAsc' }, ['pagination.limit']],
    ['no pagination', { sort_key: 'createdAtAsc' }, ['pagination']],
    ['no sort_key', { pagination: { limit: 20 } }, ['sort_key']],
    ['an unknown sort_key', findBody({}, 20, 'nameAsc'), ['sort_key']],
    ['include_meta not a boolean', { ...findBody({}, 20), include_meta: 'yes' }, ['include_meta']],
    ['a bad from_key', findBody({}, 20, 'createdAtAsc', 'not a cursor!'), ['pagination.from_key']],
    ['a from_key this server never returned', findBody({}, 20, 'createdAtAsc', 'aGVsbG8'), ['pagination.from_key']],
    [
      'a from_key that is a number',
      { pagination: { limit: 20, from_key: 5 }, sort_key: 'createdAtAsc' },
      ['pagination.from_key'],
    ],
    ['an unknown top-level field', { ...findBody({}, 20), page: 2 }, ['page']],
  ])('%s → 400', async (_name, body, fields) => {
    expectInvalid(await find(body), ...fields);
  });

  it('limit written 20.0 → 400', async () => {
    expectInvalid(
      await postRaw(server(), findPath(), '{"pagination":{"limit":20.0},"sort_key":"createdAtAsc"}'),
      'pagination.limit',
    );
  });
});

describe('POST /credits/logs/find', () => {
  const OVERDUE = 'inv_0EO1wR6Fn3eqqSn6IWm6M3pGPXb';
  const PENDING = 'inv_0EPK6fy2ffJyplRVNuIddX6AXBN';

  /** One entry of each kind: consumed with a note, revoked, applied to two invoices, units consumed, expired. */
  async function history() {
    const post = (body: unknown) => server().maple('POST', consumePath(), { body });
    expect((await post(consumeAmount(NORTHWIND, 1000, { note: 'October usage' }))).status).toBe(200);
    expect(
      (await post({ customer_id: NORTHWIND, type: 'UNITS', units: 250, item_id: API_CALLS, note: 'API calls' })).status,
    ).toBe(200);
    expect((await server().maple('DELETE', creditPath(F.goodwill))).status).toBe(200);
    const applied = await issue(
      server(),
      amountBody(CONTOSO, 5000, { name: 'Settlement', apply_to_open_invoices: { enable: true } }),
    );
    const shortLived = await issue(server(), unitsBody(FABRIKAM, 40, API_CALLS, { expiration_date: fromNow(DAY_MS) }));
    server().clock.set(new Date(fromNow(2 * DAY_MS)), true);
    return { applied: applied.id as string, shortLived: shortLived.id as string };
  }
  const entries = async (query: Record<string, unknown>) =>
    (await findLogs(server(), query)).map((l) => [
      l.action_type,
      l.credit_id,
      l.units_applied ?? l.amount_applied.value_in_cents,
    ]);

  it('the fixtures: one ISSUED entry per credit, with credit and customer expanded', async () => {
    const logs = await findLogs(server(), {});
    expect(logs.map((l) => [l.action_type, l.credit_id])).toEqual(ACME_CREDITS.map((id) => ['ISSUED', id]));
    expect(logs[0]).toMatchObject({
      amount_applied: money(50000),
      units_applied: null,
      invoice_id: null,
      invoice: null,
      note: null,
      customer_id: NORTHWIND,
      credit: { id: F.welcome, name: 'Welcome credit' },
      item_id: null,
      item: EMPTY_ITEM,
      customer: {
        email: 'billing@northwind.example',
        id: NORTHWIND,
        identifier: 'northwind',
        name: 'Northwind Traders',
        org_name: null,
        parent_customer: null,
        parent_customer_id: null,
      },
    });
    expect(logs[1]).toMatchObject({
      amount_applied: NO_AMOUNT,
      units_applied: 10000,
      item_id: API_CALLS,
      item: { id: API_CALLS, name: 'API calls' },
    });
  });

  it.each([
    [
      'action_type CONSUMED',
      { action_type: 'CONSUMED' },
      (h: any) => [
        ['CONSUMED', F.welcome, 1000],
        ['CONSUMED', F.apiBundle, 250],
        ['CONSUMED', h.applied, 4500],
        ['CONSUMED', h.applied, 500],
      ],
    ],
    ['action_type REVOKED', { action_type: 'REVOKED' }, () => [['REVOKED', F.goodwill, 1500]]],
    ['action_type EXPIRED', { action_type: 'EXPIRED' }, (h: any) => [['EXPIRED', h.shortLived, 40]]],
    [
      'credit_id',
      { credit_id: F.goodwill },
      () => [
        ['ISSUED', F.goodwill, 1500],
        ['REVOKED', F.goodwill, 1500],
      ],
    ],
    [
      'customer_id',
      { customer_id: FABRIKAM },
      (h: any) => [
        ['ISSUED', h.shortLived, 40],
        ['EXPIRED', h.shortLived, 40],
      ],
    ],
    [
      'customer_id as identifier',
      { customer_id: 'contoso-42', action_type: 'CONSUMED' },
      (h: any) => [
        ['CONSUMED', h.applied, 4500],
        ['CONSUMED', h.applied, 500],
      ],
    ],
    ['invoice_id', { invoice_id: PENDING }, (h: any) => [['CONSUMED', h.applied, 500]]],
    ['note, exact', { note: 'October usage' }, () => [['CONSUMED', F.welcome, 1000]]],
    ['note, not a substring', { note: 'October' }, () => []],
    ['search in the note, any case', { search: 'october' }, () => [['CONSUMED', F.welcome, 1000]]],
    [
      'search in the credit name',
      { search: 'settlement' },
      (h: any) => [
        ['ISSUED', h.applied, 5000],
        ['CONSUMED', h.applied, 4500],
        ['CONSUMED', h.applied, 500],
      ],
    ],
    ['search in the invoice id', { search: OVERDUE }, (h: any) => [['CONSUMED', h.applied, 4500]]],
    [
      'type UNITS',
      { type: 'UNITS' },
      (h: any) => [
        ['ISSUED', F.apiBundle, 10000],
        ['CONSUMED', F.apiBundle, 250],
        ['ISSUED', h.shortLived, 40],
        ['EXPIRED', h.shortLived, 40],
      ],
    ],
    [
      'type AMOUNT with action_type',
      { type: 'AMOUNT', action_type: 'ISSUED', customer_id: NORTHWIND },
      () => [
        ['ISSUED', F.welcome, 50000],
        ['ISSUED', F.partner, 20000],
      ],
    ],
  ])('%s', async (_name, query, expected) => {
    const h = await history();
    expect(await entries(query)).toEqual(expected(h));
  });

  it('an applied entry carries the invoice, expanded', async () => {
    await history();
    const [entry] = await findLogs(server(), { invoice_id: OVERDUE });
    const usd = (value_in_cents: number) => ({ currency: 'USD', value_in_cents });
    expect(entry.invoice_id).toBe(OVERDUE);
    expect(entry.invoice).toEqual({
      uuid: OVERDUE,
      status: 'PAID',
      number: null,
      name: null,
      due: usd(0),
      paid: usd(4500),
      total: usd(4500),
      sub_total: usd(4500),
      prorated_amount: usd(0),
      due_date: null,
      invoice_date: '2026-09-01T00:00:00.000Z',
      paid_date: null,
      hosted_link: null,
      pdf_link: null,
      auto_charges: null,
      billed_customer_id: CONTOSO,
      customer_id: CONTOSO,
      subscription_id: null,
      created_at: '2026-09-01T00:00:00.000Z',
      updated_at: null,
    });
  });

  it("Maple's example request: every query field null, include_meta null or true", async () => {
    await history();
    const query = {
      action_type: null,
      credit_id: null,
      customer_id: null,
      invoice_id: null,
      note: null,
      search: null,
      type: null,
    };
    const all = await server().maple('POST', logsPath(), {
      body: { pagination: { limit: 100, from_key: null }, query, sort_key: 'createdAtAsc', include_meta: null },
    });
    expect(all.status, all.text).toBe(200);
    expect(all.json.results).toHaveLength(12);
    const meta = await server().maple('POST', logsPath(), {
      body: { pagination: { limit: 5 }, query: null, sort_key: 'createdAtAsc', include_meta: true },
    });
    expect(meta.json.meta).toEqual({ total: 12 });
  });

  it('both sort keys, and every page walked once', async () => {
    await history();
    const asc = await walk(server(), logsPath(), {}, 'createdAtAsc', 100);
    expect(asc).toHaveLength(12);
    expect(ids(await walk(server(), logsPath(), {}, 'createdAtAsc', 2))).toEqual(ids(asc));
    expect(ids(await walk(server(), logsPath(), {}, 'createdAtDesc', 3))).toEqual(ids(asc).reverse());
    const times = asc.map((l) => Date.parse(l.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it.each([
    ['an unknown query field', findBody({ colour: 'blue' }), ['query.colour']],
    ['an unknown action_type', findBody({ action_type: 'APPLIED' }), ['query.action_type']],
    ['an unknown type', findBody({ type: 'CASH' }), ['query.type']],
    ['limit 101', findBody({}, 101), ['pagination.limit']],
    ['no sort_key', { pagination: { limit: 20 } }, ['sort_key']],
  ])('%s → 400', async (_name, body, fields) => {
    expectInvalid(await server().maple('POST', logsPath(), { body }), ...fields);
  });
});
