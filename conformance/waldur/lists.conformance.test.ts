import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectContractUnlessDeviating, expectStatus } from '../support/check.js';
import { call, type Reply } from '../support/http.js';
import { cleanUpAfterAll, mustCreate, pathOf, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';

/**
 * Both lists: pagination (`X-Result-Count`, `Link`, `page`, `page_size`, HEAD)
 * checked read-only over whatever the server holds, then filters and ordering
 * checked on credits the file creates itself (docs/behaviour/waldur.md §8).
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld; // null without a world: the writing checks then do not run
});
cleanUpAfterAll();

type Kind = 'customer' | 'project';
const KINDS: Kind[] = ['customer', 'project'];
const listPath = (kind: Kind) => `/api/${kind}-credits/`;
const listOp = (kind: Kind) => `${kind}_credits_list`;
const countOp = (kind: Kind) => `${kind}_credits_count`;

/** How many pages a walk may take before the check gives up (and says so). */
const MAX_PAGES = 200;

// ---------------------------------------------------------------- helpers

/** The `Link` header as rel → URL, and the rels in the order they came. */
function links(reply: Reply): { rels: string[]; byRel: Record<string, string> } {
  const header = reply.headers.link ?? '';
  const rels: string[] = [];
  const byRel: Record<string, string> = {};
  for (const part of header.split(/,\s*(?=<)/)) {
    const m = /^\s*<([^>]*)>\s*;\s*rel="?([^";]+)"?\s*$/.exec(part);
    if (!m) continue;
    rels.push(m[2]!);
    byRel[m[2]!] = m[1]!;
  }
  return { rels, byRel };
}

/** The page number a link points at (no `page` parameter means page 1). */
function pageOf(url: string): number {
  const page = new URL(url).searchParams.get('page');
  return page === null ? 1 : Number(page);
}

function resultCount(reply: Reply): number {
  const raw = reply.headers['x-result-count'];
  expect(raw, `X-Result-Count is missing (status ${reply.status})`).toBeDefined();
  expect(raw, `X-Result-Count is not an integer: ${raw}`).toMatch(/^\d+$/);
  return Number(raw);
}

const items = (reply: Reply) => reply.body as CreditBody[];

interface Page {
  path: string;
  reply: Reply;
}

/**
 * Follows `rel="next"` from `first` (a path), checking each page's contract,
 * status and header presence. Throws when the walk exceeds MAX_PAGES.
 */
async function walk(kind: Kind, first: string): Promise<Page[]> {
  const pages: Page[] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    if (pages.length >= MAX_PAGES) {
      throw new Error(
        `walking ${first} took more than ${MAX_PAGES} pages (X-Result-Count ${pages[0]?.reply.headers['x-result-count']}); the check gives up`,
      );
    }
    const reply = await call('GET', next);
    expectStatus(reply, 200);
    expectContractUnlessDeviating(listOp(kind), reply);
    pages.push({ path: next, reply });
    const nextUrl: string | undefined = links(reply).byRel.next;
    next = nextUrl === undefined ? undefined : pathOf(nextUrl);
  }
  return pages;
}

/**
 * Every item of a list, in the server's order: page_size chosen so that the
 * walk stays within MAX_PAGES for any data set up to 300 × MAX_PAGES items.
 */
async function allItems(kind: Kind, query: string): Promise<CreditBody[]> {
  const sep = query === '' ? '' : '&';
  const pages = await walk(kind, `${listPath(kind)}?${query}${sep}page_size=300`);
  return pages.flatMap((p) => items(p.reply));
}

/** A page size that keeps a walk of `count` items well within MAX_PAGES. */
const walkPageSize = (count: number) => Math.min(300, Math.max(2, Math.ceil(count / (MAX_PAGES / 2))));

const randomHex = () => randomBytes(16).toString('hex');
const dashed = (hex: string) => hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
const swapCase = (s: string) => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');

/** Page count of a list of `count` items at `pageSize` (an empty list still has one page). */
const pageCount = (count: number, pageSize: number) => Math.max(1, Math.ceil(count / pageSize));

async function expectInvalidPage(kind: Kind, path: string): Promise<void> {
  const res = await call('GET', path);
  expectStatus(res, 404);
  expectContractUnlessDeviating(listOp(kind), res);
  expect(res.body, `GET ${path}`).toEqual({ detail: 'Invalid page.' });
}

// ------------------------------------------------------- read-only checks

for (const kind of KINDS) {
  describe(`${kind} credits list: pagination (read-only, any data)`, () => {
    check(listOp(kind), 'every page matches the contract', async () => {
      const count = resultCount(await call('GET', `${listPath(kind)}?page_size=2`));
      const pages = await walk(kind, `${listPath(kind)}?page_size=${walkPageSize(count)}`);
      for (const p of pages) expectContract(listOp(kind), p.reply);
    });

    check(listOp(kind), 'X-Result-Count equals the items reached by following next, without duplicates', async () => {
      const head = await call('GET', `${listPath(kind)}?page_size=2`);
      expectStatus(head, 200);
      const count = resultCount(head);
      const size = walkPageSize(count);
      const pages = await walk(kind, `${listPath(kind)}?page_size=${size}`);
      const uuids = pages.flatMap((p) => items(p.reply).map((c) => c.uuid));
      for (const p of pages)
        expect(resultCount(p.reply), `X-Result-Count changed during the walk at ${p.path}`).toBe(count);
      expect(
        uuids.length,
        `${pages.length} pages of ${size} hold ${uuids.length} items, X-Result-Count says ${count}`,
      ).toBe(count);
      const dupes = uuids.filter((u, i) => uuids.indexOf(u) !== i);
      expect(dupes, 'items listed twice while following next').toEqual([]);
      expect(pages.length).toBe(pageCount(count, size));
    });

    check(listOp(kind), 'last is reachable and is the page where next is absent', async () => {
      const head = await call('GET', `${listPath(kind)}?page_size=2`);
      const size = walkPageSize(resultCount(head));
      const pages = await walk(kind, `${listPath(kind)}?page_size=${size}`);
      const final = pages[pages.length - 1]!;
      const lastUrl = links(pages[0]!.reply).byRel.last;
      expect(lastUrl, 'the first page has no rel="last"').toBeDefined();
      expect(pageOf(lastUrl!), `rel="last" is ${lastUrl}, but next ran out after ${pages.length} pages`).toBe(
        pages.length,
      );
      for (const p of pages)
        expect(pageOf(links(p.reply).byRel.last!), `rel="last" differs on ${p.path}`).toBe(pages.length);
      const last = await call('GET', pathOf(lastUrl!));
      expectStatus(last, 200);
      expectContractUnlessDeviating(listOp(kind), last);
      expect(links(last).byRel.next, 'the last page links a next page').toBeUndefined();
      expect(items(last).map((c) => c.uuid)).toEqual(items(final.reply).map((c) => c.uuid));
      // DRF also accepts the literal `page=last`.
      const literal = await call('GET', `${listPath(kind)}?page=last&page_size=${size}`);
      expectStatus(literal, 200);
      expectContractUnlessDeviating(listOp(kind), literal);
      expect(items(literal).map((c) => c.uuid)).toEqual(items(final.reply).map((c) => c.uuid));
    });

    check(
      listOp(kind),
      'first and last are always present, prev and next only where such a page exists, in that order',
      async () => {
        const head = await call('GET', `${listPath(kind)}?page_size=2`);
        const size = walkPageSize(resultCount(head));
        const pages = await walk(kind, `${listPath(kind)}?page_size=${size}`);
        const order = ['first', 'prev', 'next', 'last'];
        for (const [i, p] of pages.entries()) {
          const { rels, byRel } = links(p.reply);
          const where = `page ${i + 1} of ${pages.length} (${p.path}), Link: ${p.reply.headers.link}`;
          expect(rels, where).toContain('first');
          expect(rels, where).toContain('last');
          expect('prev' in byRel, `prev on ${where}`).toBe(i > 0);
          expect('next' in byRel, `next on ${where}`).toBe(i < pages.length - 1);
          expect(rels, `rels out of order on ${where}`).toEqual(order.filter((r) => rels.includes(r)));
          expect(pageOf(byRel.first!), `rel="first" on ${where}`).toBe(1);
          if (byRel.prev) expect(pageOf(byRel.prev), `rel="prev" on ${where}`).toBe(i);
          if (byRel.next) expect(pageOf(byRel.next), `rel="next" on ${where}`).toBe(i + 2);
        }
        // An empty result (a customer uuid nobody has) still has first and last, both without page.
        const empty = await call('GET', `${listPath(kind)}?customer_uuid=${randomHex()}`);
        expectStatus(empty, 200);
        expectContractUnlessDeviating(listOp(kind), empty);
        expect(empty.body).toEqual([]);
        expect(resultCount(empty)).toBe(0);
        const { byRel } = links(empty);
        expect(Object.keys(byRel).sort(), `Link: ${empty.headers.link}`).toEqual(['first', 'last']);
        expect(new URL(byRel.first!).searchParams.has('page')).toBe(false);
        expect(new URL(byRel.last!).searchParams.has('page')).toBe(false);
      },
    );

    check(listOp(kind), "links keep the request's parameters, sorted by name, with page replaced", async () => {
      const res = await call('GET', `${listPath(kind)}?page_size=1&o=-value&query=`);
      expectStatus(res, 200);
      expectContractUnlessDeviating(listOp(kind), res);
      const count = resultCount(res);
      const { byRel } = links(res);
      const expected: Record<string, string[]> = {
        first: ['o', 'page_size', 'query'],
        last: count > 1 ? ['o', 'page', 'page_size', 'query'] : ['o', 'page_size', 'query'],
      };
      if (count > 1) expected.next = ['o', 'page', 'page_size', 'query'];
      for (const [rel, keys] of Object.entries(expected)) {
        const url = byRel[rel];
        expect(url, `rel="${rel}" is missing: ${res.headers.link}`).toBeDefined();
        const params = new URL(url!).searchParams;
        expect([...params.keys()], `rel="${rel}": ${url}`).toEqual(keys);
        expect(params.get('o'), `rel="${rel}": ${url}`).toBe('-value');
        expect(params.get('page_size'), `rel="${rel}": ${url}`).toBe('1');
      }
    });

    check(listOp(kind), 'page_size is respected; one that is not a positive integer falls back to 10', async () => {
      const count = resultCount(await call('GET', `${listPath(kind)}?page_size=2`));
      for (const size of [1, 2, 3, 7]) {
        const res = await call('GET', `${listPath(kind)}?page_size=${size}`);
        expectStatus(res, 200);
        expectContractUnlessDeviating(listOp(kind), res);
        expect(items(res).length, `page_size=${size}`).toBe(Math.min(count, size));
        expect(pageOf(links(res).byRel.last!), `rel="last" for page_size=${size}`).toBe(pageCount(count, size));
      }
      const plain = await call('GET', listPath(kind));
      expect(items(plain).length, 'no page_size').toBe(Math.min(count, 10));
      for (const junk of ['abc', '0', '-5', '2.5']) {
        const res = await call('GET', `${listPath(kind)}?page_size=${junk}`);
        expectStatus(res, 200);
        expectContractUnlessDeviating(listOp(kind), res);
        expect(items(res).length, `page_size=${junk} should fall back to 10`).toBe(Math.min(count, 10));
      }
    });

    check(listOp(kind), 'page_size is capped at 300', async () => {
      const count = resultCount(await call('GET', `${listPath(kind)}?page_size=2`));
      const expected = Math.min(count, 300);
      for (const size of [300, 301, 1000]) {
        const res = await call('GET', `${listPath(kind)}?page_size=${size}`);
        expectStatus(res, 200);
        expectContractUnlessDeviating(listOp(kind), res);
        expect(resultCount(res)).toBe(count);
        expect(items(res).length, `page_size=${size} with X-Result-Count ${count}`).toBe(expected);
        expect(pageOf(links(res).byRel.last!), `rel="last" for page_size=${size}`).toBe(pageCount(count, 300));
      }
    });

    check(listOp(kind), 'an invalid page (0, -1, abc, beyond the last) is 404 {"detail":"Invalid page."}', async () => {
      const count = resultCount(await call('GET', `${listPath(kind)}?page_size=2`));
      const beyond = pageCount(count, 2) + 1;
      for (const page of ['0', '-1', 'abc', '1.5', String(beyond), String(beyond + 1000)]) {
        await expectInvalidPage(kind, `${listPath(kind)}?page=${page}&page_size=2`);
      }
    });

    check(countOp(kind), 'HEAD carries the same X-Result-Count and Link as GET, and no body', async () => {
      const count = resultCount(await call('GET', `${listPath(kind)}?page_size=2`));
      const paths = [
        `${listPath(kind)}`,
        `${listPath(kind)}?page_size=2`,
        `${listPath(kind)}?customer_uuid=${randomHex()}`,
      ];
      if (count > 2) paths.push(`${listPath(kind)}?page=2&page_size=2`);
      for (const path of paths) {
        const get = await call('GET', path);
        const head = await call('HEAD', path);
        expectStatus(head, 200);
        expectContractUnlessDeviating(countOp(kind), head);
        expect(head.text, `HEAD ${path} has a body`).toBe('');
        expect(head.headers['x-result-count'], `HEAD ${path}`).toBe(get.headers['x-result-count']);
        expect(head.headers.link, `HEAD ${path}`).toBe(get.headers.link);
      }
    });

    check(countOp(kind), 'HEAD with an invalid page is 404 without a body', async () => {
      const head = await call('HEAD', `${listPath(kind)}?page=0`);
      expectStatus(head, 404);
      expectContractUnlessDeviating(countOp(kind), head);
      expect(head.text).toBe('');
    });

    check(listOp(kind), 'an invalid o is 400 keyed o', async () => {
      const bad =
        kind === 'customer'
          ? ['bogus', '-project_name', 'value,bogus', 'VALUE']
          : ['bogus', 'customer_name', '-value,-customer_name', 'VALUE'];
      for (const o of bad) {
        const res = await call('GET', `${listPath(kind)}?o=${encodeURIComponent(o)}`);
        expectStatus(res, 400);
        expectContractUnlessDeviating(listOp(kind), res);
        expect(Object.keys(res.body as object), `o=${o}: ${res.text}`).toEqual(['o']);
      }
    });

    check(listOp(kind), 'an invalid uuid filter is 400 keyed by the filter', async () => {
      const params = kind === 'customer' ? ['customer_uuid'] : ['customer_uuid', 'project_uuid'];
      for (const param of params) {
        for (const junk of ['xyz', '1234', `${randomHex()}0`, 'g'.repeat(32)]) {
          const res = await call('GET', `${listPath(kind)}?${param}=${junk}`);
          expectStatus(res, 400);
          expectContractUnlessDeviating(listOp(kind), res);
          expect(Object.keys(res.body as object), `${param}=${junk}: ${res.text}`).toEqual([param]);
        }
      }
    });
  });
}

// --------------------------------------------- checks on data they create

/** The first day of a month `years` years from now (end dates must be the 1st and not in the past). */
function firstOfMonth(years: number, month: number): string {
  return `${new Date().getUTCFullYear() + years}-${String(month).padStart(2, '0')}-01`;
}

/** The relative order of `ours` (uuids) within `list`. */
const orderOf = (list: CreditBody[], ours: CreditBody[]) => {
  const mine = new Set(ours.map((c) => c.uuid));
  return list.filter((c) => mine.has(c.uuid)).map((c) => c.uuid);
};

/**
 * Name orderings a server may legitimately use: code-point order (the mock),
 * case-insensitive order, or a locale collation (a real Waldur on PostgreSQL
 * with e.g. en_US.UTF-8, which ignores case and, at the first level, punctuation).
 * A list passes when it is sorted under at least one of them; equal names may come in any order.
 */
const NAME_ORDERS: [string, (a: string, b: string) => number][] = [
  ['code point', (a, b) => (a < b ? -1 : a > b ? 1 : 0)],
  ['case-insensitive', (a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)],
  ['locale', new Intl.Collator('en', { sensitivity: 'base' }).compare],
];

function expectNamesSorted(names: string[], descending: boolean, what: string): void {
  const sorted = (cmp: (a: string, b: string) => number) =>
    names.every((n, i) => i === 0 || (descending ? cmp(names[i - 1]!, n) >= 0 : cmp(names[i - 1]!, n) <= 0));
  const ok = NAME_ORDERS.filter(([, cmp]) => sorted(cmp)).map(([name]) => name);
  expect(
    ok,
    `${what}: ${JSON.stringify(names)} is not sorted ${descending ? 'descending' : 'ascending'} under any accepted collation`,
  ).not.toEqual([]);
}

describe('customer credits list: filters and ordering (on credits the checks create)', () => {
  /** a, b, c: the credits of the three world customers, created in that order. */
  let a: CreditBody | undefined;
  let b: CreditBody | undefined;
  let c: CreditBody | undefined;
  const made = () => {
    if (!a || !b || !c) throw new Error('setup: the credits were not created (the first check of this block failed)');
    return { a, b, c, all: [a, b, c] };
  };
  const END_A = firstOfMonth(2, 3);
  const END_C = firstOfMonth(3, 1);

  check(
    'customer_credits_create',
    'creates one credit per world customer for the list checks',
    async () => {
      const [ca, cb, cc] = world.customers;
      a = await mustCreate('customer', {
        customer: ca!.url,
        value: '100',
        expected_consumption: '30',
        end_date: END_A,
      });
      b = await mustCreate('customer', { customer: cb!.url, value: '9', expected_consumption: '5', end_date: null });
      c = await mustCreate('customer', { customer: cc!.url, value: '10', expected_consumption: '2', end_date: END_C });
      expect([a.value, b.value, c.value]).toEqual(['100.00000', '9.00000', '10.00000']);
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'without o, lists the oldest credit first',
    async () => {
      const { a, b, c, all } = made();
      expect(orderOf(await allItems('customer', ''), all)).toEqual([a.uuid, b.uuid, c.uuid]);
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'customer_uuid filters, in hex and in dashed form',
    async () => {
      const { a } = made();
      for (const form of [a.customer_uuid as string, dashed(a.customer_uuid as string)]) {
        const res = await call('GET', `/api/customer-credits/?customer_uuid=${form}`);
        expectStatus(res, 200);
        expectContractUnlessDeviating('customer_credits_list', res);
        expect(
          items(res).map((x) => x.uuid),
          `customer_uuid=${form}`,
        ).toEqual([a.uuid]);
        expect(resultCount(res)).toBe(1);
      }
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'customer_name filters by a case-insensitive part of the name',
    async () => {
      const { b, all } = made();
      const name = b.customer_name as string;
      expect(name.length, 'the created credit has no customer_name').toBeGreaterThan(0);
      const part = swapCase(name.length > 2 ? name.slice(1) : name);
      const listed = await allItems('customer', `customer_name=${encodeURIComponent(part)}`);
      for (const x of listed)
        expect((x.customer_name as string).toLowerCase(), `customer_name=${part} listed ${x.customer_name}`).toContain(
          part.toLowerCase(),
        );
      const expected = all
        .filter((x) => (x.customer_name as string).toLowerCase().includes(part.toLowerCase()))
        .map((x) => x.uuid);
      expect(orderOf(listed, all)).toEqual(expected);
      expect(expected).toContain(b.uuid);
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'customer_slug filters by the exact, case-sensitive slug',
    async () => {
      const { c, all } = made();
      const slug = c.customer_slug as string;
      if (typeof slug !== 'string' || slug === '')
        throw new Error('the created credit has no customer_slug to filter by');
      const exact = await allItems('customer', `customer_slug=${encodeURIComponent(slug)}`);
      for (const x of exact) expect(x.customer_slug).toBe(slug);
      expect(orderOf(exact, all)).toEqual([c.uuid]);
      if (slug.length > 1) {
        const prefix = await allItems('customer', `customer_slug=${encodeURIComponent(slug.slice(0, -1))}`);
        expect(orderOf(prefix, all), 'customer_slug matched a prefix of the slug').toEqual([]);
      }
      if (swapCase(slug) !== slug) {
        const other = await allItems('customer', `customer_slug=${encodeURIComponent(swapCase(slug))}`);
        expect(orderOf(other, all), 'customer_slug ignored case').toEqual([]);
      }
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'query searches the customer name, slug and uuid',
    async () => {
      const { a, c, all } = made();
      // 8 hex characters read the same in the dashed and the hex form of a uuid.
      const byUuid = (a.customer_uuid as string).slice(0, 8);
      const listed = await allItems('customer', `query=${byUuid}`);
      expect(orderOf(listed, all)).toContain(a.uuid);
      for (const x of listed) {
        const hay = [x.customer_name, x.customer_slug, x.customer_uuid, dashed(x.customer_uuid as string)].map((s) =>
          String(s).toLowerCase(),
        );
        expect(
          hay.some((h) => h.includes(byUuid)),
          `query=${byUuid} listed ${x.uuid} (${x.customer_name})`,
        ).toBe(true);
      }
      const bySlug = await allItems('customer', `query=${encodeURIComponent(swapCase(c.customer_slug as string))}`);
      expect(orderOf(bySlug, all)).toContain(c.uuid);
      const unfiltered = await call('GET', '/api/customer-credits/?page_size=1');
      const emptyQuery = await call('GET', '/api/customer-credits/?page_size=1&query=');
      expect(resultCount(emptyQuery), 'an empty query filters').toBe(resultCount(unfiltered));
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'o=value and o=-value order numerically (9 < 10 < 100)',
    async () => {
      const { a, b, c, all } = made();
      expect(orderOf(await allItems('customer', 'o=value'), all)).toEqual([b.uuid, c.uuid, a.uuid]);
      expect(orderOf(await allItems('customer', 'o=-value'), all)).toEqual([a.uuid, c.uuid, b.uuid]);
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'o=expected_consumption and its reverse order numerically (2 < 5 < 30)',
    async () => {
      const { a, b, c, all } = made();
      expect(orderOf(await allItems('customer', 'o=expected_consumption'), all)).toEqual([c.uuid, b.uuid, a.uuid]);
      expect(orderOf(await allItems('customer', 'o=-expected_consumption'), all)).toEqual([a.uuid, b.uuid, c.uuid]);
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'o=end_date puts a NULL end date last, o=-end_date first',
    async () => {
      const { a, b, c, all } = made();
      expect(orderOf(await allItems('customer', 'o=end_date'), all)).toEqual([a.uuid, c.uuid, b.uuid]);
      expect(orderOf(await allItems('customer', 'o=-end_date'), all)).toEqual([b.uuid, c.uuid, a.uuid]);
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'o=customer_name and o=-customer_name order by name',
    async () => {
      const { all } = made();
      const mine = new Set(all.map((x) => x.uuid));
      for (const descending of [false, true]) {
        const o = `${descending ? '-' : ''}customer_name`;
        // Only our credits are judged: other names may sort differently under the server's collation.
        const ours = (await allItems('customer', `o=${o}`)).filter((x) => mine.has(x.uuid));
        expect(ours.length).toBe(3);
        expectNamesSorted(
          ours.map((x) => x.customer_name as string),
          descending,
          `o=${o}`,
        );
      }
    },
    { writes: true },
  );

  check(
    'customer_credits_list',
    'a comma list orders by each key in turn',
    async () => {
      const { a, b, c, all } = made();
      expect(orderOf(await allItems('customer', 'o=-value,customer_name'), all)).toEqual([a.uuid, c.uuid, b.uuid]);
      // Tie a and c on end_date: the second key decides between them.
      const tie = await call('PATCH', pathOf(c.url), { body: { end_date: END_A } });
      expectStatus(tie, 200);
      expect(orderOf(await allItems('customer', `o=${encodeURIComponent('end_date,-value')}`), all)).toEqual([
        a.uuid,
        c.uuid,
        b.uuid,
      ]);
      expect(orderOf(await allItems('customer', `o=${encodeURIComponent('end_date,value')}`), all)).toEqual([
        c.uuid,
        a.uuid,
        b.uuid,
      ]);
      expect(orderOf(await allItems('customer', `o=${encodeURIComponent('-end_date,value')}`), all)).toEqual([
        b.uuid,
        c.uuid,
        a.uuid,
      ]);
    },
    { writes: true },
  );

  describe('project credits list: filters and ordering (on credits the checks create)', () => {
    /** pa, pb under customer a (projects[0], [1]); pc under customer b (projects[3]). */
    let pa: CreditBody | undefined;
    let pb: CreditBody | undefined;
    let pc: CreditBody | undefined;
    const pmade = () => {
      if (!pa || !pb || !pc)
        throw new Error('setup: the project credits were not created (the first check of this block failed)');
      return { pa, pb, pc, all: [pa, pb, pc] };
    };
    const P_END_A = firstOfMonth(3, 1);
    const P_END_C = firstOfMonth(2, 6);

    check(
      'project_credits_create',
      'creates three project credits for the list checks',
      async () => {
        made();
        const [p0, p1, , p3] = world.projects;
        pa = await mustCreate('project', {
          project: p0!.url,
          value: '3',
          expected_consumption: '2',
          end_date: P_END_A,
        });
        pb = await mustCreate('project', { project: p1!.url, value: '20', expected_consumption: '11', end_date: null });
        pc = await mustCreate('project', {
          project: p3!.url,
          value: '2',
          expected_consumption: '1.5',
          end_date: P_END_C,
        });
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'without o, lists the oldest project credit first',
      async () => {
        const { pa, pb, pc, all } = pmade();
        expect(orderOf(await allItems('project', ''), all)).toEqual([pa.uuid, pb.uuid, pc.uuid]);
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'project_uuid filters, in hex and in dashed form',
      async () => {
        const { pa } = pmade();
        for (const form of [pa.project_uuid as string, dashed(pa.project_uuid as string)]) {
          const res = await call('GET', `/api/project-credits/?project_uuid=${form}`);
          expectStatus(res, 200);
          expectContractUnlessDeviating('project_credits_list', res);
          expect(
            items(res).map((x) => x.uuid),
            `project_uuid=${form}`,
          ).toEqual([pa.uuid]);
          expect(resultCount(res)).toBe(1);
        }
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'project_name filters by a case-insensitive part of the name',
      async () => {
        const { pb, all } = pmade();
        const name = pb.project_name as string;
        expect(name.length, 'the created project credit has no project_name').toBeGreaterThan(0);
        const part = swapCase(name.length > 2 ? name.slice(1) : name);
        const listed = await allItems('project', `project_name=${encodeURIComponent(part)}`);
        for (const x of listed)
          expect((x.project_name as string).toLowerCase(), `project_name=${part} listed ${x.project_name}`).toContain(
            part.toLowerCase(),
          );
        const expected = all
          .filter((x) => (x.project_name as string).toLowerCase().includes(part.toLowerCase()))
          .map((x) => x.uuid);
        expect(orderOf(listed, all)).toEqual(expected);
        expect(expected).toContain(pb.uuid);
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      "customer_uuid, customer_name and customer_slug filter by the project's customer",
      async () => {
        const { pa, pb, pc, all } = pmade();
        for (const form of [pa.customer_uuid as string, dashed(pa.customer_uuid as string)]) {
          const listed = await allItems('project', `customer_uuid=${form}`);
          for (const x of listed) expect(x.customer_uuid, `customer_uuid=${form}`).toBe(pa.customer_uuid);
          expect(orderOf(listed, all), `customer_uuid=${form}`).toEqual([pa.uuid, pb.uuid]);
        }
        const name = pc.customer_name as string;
        const part = swapCase(name.length > 2 ? name.slice(1) : name);
        const byName = await allItems('project', `customer_name=${encodeURIComponent(part)}`);
        for (const x of byName) expect((x.customer_name as string).toLowerCase()).toContain(part.toLowerCase());
        expect(orderOf(byName, all)).toEqual(
          all.filter((x) => (x.customer_name as string).toLowerCase().includes(part.toLowerCase())).map((x) => x.uuid),
        );
        expect(orderOf(byName, all)).toContain(pc.uuid);
        const slug = pa.customer_slug as string;
        if (typeof slug !== 'string' || slug === '')
          throw new Error('the created project credit has no customer_slug to filter by');
        const bySlug = await allItems('project', `customer_slug=${encodeURIComponent(slug)}`);
        for (const x of bySlug) expect(x.customer_slug).toBe(slug);
        expect(orderOf(bySlug, all)).toEqual([pa.uuid, pb.uuid]);
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'query searches the project and customer names, slugs and uuids',
      async () => {
        const { pa, pc, all } = pmade();
        const byProjectUuid = (pa.project_uuid as string).slice(0, 8);
        const listed = await allItems('project', `query=${byProjectUuid}`);
        expect(orderOf(listed, all)).toContain(pa.uuid);
        for (const x of listed) {
          const hay = [
            x.project_name,
            x.customer_name,
            x.customer_slug,
            x.project_uuid,
            x.customer_uuid,
            dashed(x.project_uuid as string),
            dashed(x.customer_uuid as string),
          ].map((s) => String(s).toLowerCase());
          expect(
            hay.some((h) => h.includes(byProjectUuid)),
            `query=${byProjectUuid} listed ${x.uuid} (${x.project_name})`,
          ).toBe(true);
        }
        const byProjectName = await allItems(
          'project',
          `query=${encodeURIComponent(swapCase(pc.project_name as string))}`,
        );
        expect(orderOf(byProjectName, all)).toContain(pc.uuid);
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'o=value and o=-value order numerically (2 < 3 < 20)',
      async () => {
        const { pa, pb, pc, all } = pmade();
        expect(orderOf(await allItems('project', 'o=value'), all)).toEqual([pc.uuid, pa.uuid, pb.uuid]);
        expect(orderOf(await allItems('project', 'o=-value'), all)).toEqual([pb.uuid, pa.uuid, pc.uuid]);
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'o=expected_consumption and its reverse order numerically (1.5 < 2 < 11)',
      async () => {
        const { pa, pb, pc, all } = pmade();
        expect(orderOf(await allItems('project', 'o=expected_consumption'), all)).toEqual([pc.uuid, pa.uuid, pb.uuid]);
        expect(orderOf(await allItems('project', 'o=-expected_consumption'), all)).toEqual([pb.uuid, pa.uuid, pc.uuid]);
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'o=end_date puts a NULL end date last, o=-end_date first',
      async () => {
        const { pa, pb, pc, all } = pmade();
        expect(orderOf(await allItems('project', 'o=end_date'), all)).toEqual([pc.uuid, pa.uuid, pb.uuid]);
        expect(orderOf(await allItems('project', 'o=-end_date'), all)).toEqual([pb.uuid, pa.uuid, pc.uuid]);
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'o=project_name and o=-project_name order by name',
      async () => {
        const { all } = pmade();
        const mine = new Set(all.map((x) => x.uuid));
        for (const descending of [false, true]) {
          const o = `${descending ? '-' : ''}project_name`;
          const ours = (await allItems('project', `o=${o}`)).filter((x) => mine.has(x.uuid));
          expect(ours.length).toBe(3);
          expectNamesSorted(
            ours.map((x) => x.project_name as string),
            descending,
            `o=${o}`,
          );
        }
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      'a comma list orders by each key in turn',
      async () => {
        const { pa, pb, pc, all } = pmade();
        expect(orderOf(await allItems('project', `o=${encodeURIComponent('-value,project_name')}`), all)).toEqual([
          pb.uuid,
          pa.uuid,
          pc.uuid,
        ]);
        // Tie pa and pc on end_date: the second key decides between them.
        const tie = await call('PATCH', pathOf(pc.url), { body: { end_date: P_END_A } });
        expectStatus(tie, 200);
        expect(orderOf(await allItems('project', `o=${encodeURIComponent('end_date,-value')}`), all)).toEqual([
          pa.uuid,
          pc.uuid,
          pb.uuid,
        ]);
        expect(orderOf(await allItems('project', `o=${encodeURIComponent('end_date,value')}`), all)).toEqual([
          pc.uuid,
          pa.uuid,
          pb.uuid,
        ]);
        expect(orderOf(await allItems('project', `o=${encodeURIComponent('-end_date,value')}`), all)).toEqual([
          pb.uuid,
          pc.uuid,
          pa.uuid,
        ]);
      },
      { writes: true },
    );
  });
});
