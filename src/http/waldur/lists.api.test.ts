/**
 * The two Waldur list endpoints, /api/customer-credits/ and /api/project-credits/:
 * pagination and its Link header (docs/behaviour/waldur.md §8.3), HEAD (§8.4), filters (§8.1),
 * ordering (§8.1), and filters on detail lookups (§8.2).
 *
 * The mock runs on fixtures built below (numbered organisations for paging,
 * hand-made ones for filters and ordering), so every expected list is known
 * from the fixtures alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

const CC = '/api/customer-credits/';
const PC = '/api/project-credits/';
const LISTS = [{ list: CC }, { list: PC }];
type List = string;
/** The field that names an item of each list. */
const labelOf = (list: List) => (list === CC ? 'customer_name' : 'project_name');

// ---------------------------------------------------------------------------
// Fixtures: organisations, each with (optionally) a credit and projects
// ---------------------------------------------------------------------------

interface CreditSpec {
  value: string;
  end_date?: string | null;
  expected_consumption?: string;
}
interface ProjectSpec {
  name: string;
  uuid?: string;
  credit?: CreditSpec;
}
interface OrgSpec {
  name: string;
  slug?: string;
  uuid?: string;
  credit?: CreditSpec;
  projects?: ProjectSpec[];
}

const STAFF_USER = {
  uuid: 'b766ff10b4374db5a51149bbe060a724',
  username: 'staff',
  token: 'staff-token',
  is_staff: true,
};
/** A 32-hex uuid: the prefix, then `i` in hex, zero-padded. */
const hexId = (prefix: string, i: number) => prefix + i.toString(16).padStart(32 - prefix.length, '0');
const dashed = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
const slugify = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const creditRow = (spec: CreditSpec, seq: number) => ({
  value: spec.value,
  end_date: spec.end_date ?? null,
  expected_consumption: spec.expected_consumption ?? '0',
  created: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
  seq,
});

/**
 * A fixtures document: customer credits are created in the order of `orgs`,
 * then project credits in the order their projects appear.
 */
function buildFixtures(orgs: OrgSpec[]) {
  let seq = 0;
  const customers = orgs.map((o, i) => ({
    uuid: o.uuid ?? hexId('c0', i + 1),
    name: o.name,
    slug: o.slug ?? slugify(o.name),
  }));
  const projects = orgs.flatMap((o, i) =>
    (o.projects ?? []).map((p, j) => ({
      ...p,
      uuid: p.uuid ?? hexId('d0', (i + 1) * 1000 + j),
      customer: customers[i]!.uuid,
    })),
  );
  return {
    customers,
    projects: projects.map((p) => ({ uuid: p.uuid, name: p.name, slug: slugify(p.name), customer: p.customer })),
    offerings: [],
    users: [STAFF_USER],
    customer_credits: orgs.flatMap((o, i) =>
      o.credit
        ? [{ uuid: hexId('e0', i + 1), customer: customers[i]!.uuid, offerings: [], ...creditRow(o.credit, ++seq) }]
        : [],
    ),
    project_credits: projects.flatMap((p, j) =>
      p.credit ? [{ uuid: hexId('f0', j + 1), project: p.uuid, ...creditRow(p.credit, ++seq) }] : [],
    ),
    invoices: [],
  };
}

const pad = (i: number) => String(i).padStart(3, '0');
/** `n` organisations "Org 001"…, each with a credit and one project "Project 001"… with a credit. */
const numberedOrgs = (n: number): OrgSpec[] =>
  Array.from({ length: n }, (_, k) => ({
    name: `Org ${pad(k + 1)}`,
    credit: { value: String(k + 1) },
    projects: [{ name: `Project ${pad(k + 1)}`, credit: { value: String(k + 1) } }],
  }));
/** The labels of the numbered fixtures, in creation order, for items from..to (1-based, inclusive). */
const numbered = (list: List, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, k) => `${list === CC ? 'Org' : 'Project'} ${pad(from + k)}`);

// ---------------------------------------------------------------------------
// Servers and small helpers
// ---------------------------------------------------------------------------

const servers = new Map<string, Promise<TestServer>>();
/** The mock on one fixtures set, started once and shared by the blocks that use it. */
function serve(name: string, orgs: () => OrgSpec[]): Promise<TestServer> {
  let server = servers.get(name);
  if (!server) {
    server = startTestServer({ fixtures: buildFixtures(orgs()) });
    servers.set(name, server);
  }
  return server;
}
afterAll(() => Promise.all([...servers.values()].map(async (s) => (await s).close())));
const emptyServer = () => serve('empty', () => []);
const pagedServer = () => serve('25 credits', () => numberedOrgs(25));

const labels = (res: TestResponse, list: List): string[] =>
  (res.json as Record<string, string>[]).map((i) => i[labelOf(list)]!);
const resultCount = (res: TestResponse) => res.headers.get('x-result-count');

type Rel = 'first' | 'prev' | 'next' | 'last';
const RELS: Rel[] = ['first', 'prev', 'next', 'last'];
/**
 * The Link header docs/behaviour/waldur.md §8.3 describes. Each entry is the literal query
 * string of that link ('' = none), already sorted and encoded.
 */
function linkHeader(base: string, queries: Partial<Record<Rel, string>>): string {
  return RELS.filter((rel) => queries[rel] !== undefined)
    .map((rel) => `<${base}${queries[rel] ? `?${queries[rel]}` : ''}>; rel="${rel}"`)
    .join(', ');
}
function parseLinks(header: string | null): Partial<Record<Rel, string>> {
  const links: Partial<Record<Rel, string>> = {};
  for (const m of (header ?? '').matchAll(/<([^>]*)>; rel="(\w+)"/g)) links[m[2] as Rel] = m[1];
  return links;
}

/** Follows `rel="next"` from `path` to the end; returns the first page's count and every item seen. */
async function walk(server: TestServer, path: string, list: List) {
  const seen: string[] = [];
  let count: string | null = null;
  let next: string | undefined = path;
  for (let pages = 0; next !== undefined; pages += 1) {
    expect(pages, 'rel="next" never ends').toBeLessThan(100);
    const res = await server.call('GET', next);
    expect(res.status, `GET ${next}`).toBe(200);
    if (pages === 0) count = resultCount(res);
    seen.push(...labels(res, list));
    const link = parseLinks(res.headers.get('link')).next;
    if (link !== undefined) expect(link.startsWith(`${server.url}/`), link).toBe(true);
    next = link?.slice(server.url.length);
  }
  return { count, seen };
}

async function expectHeadLikeGet(server: TestServer, path: string): Promise<void> {
  const get = await server.call('GET', path);
  const head = await server.call('HEAD', path);
  expect(head.status, `HEAD ${path}`).toBe(get.status);
  if (get.status === 200) expect(resultCount(get)).not.toBeNull();
  expect(resultCount(head)).toBe(resultCount(get));
  expect(head.headers.get('link')).toBe(get.headers.get('link'));
  expect(head.text).toBe('');
}

// ---------------------------------------------------------------------------
// Pagination (§8.3)
// ---------------------------------------------------------------------------

describe.each(LISTS)('pagination of $list', ({ list }) => {
  let empty: TestServer;
  let server: TestServer; // 25 credits: pages of 10, 10, 5
  const base = () => `${server.url}${list}`;
  beforeAll(async () => {
    [empty, server] = await Promise.all([emptyServer(), pagedServer()]);
  });

  it('an empty list: X-Result-Count 0, [], and first and last pointing at the URL without page', async () => {
    for (const query of ['', '?page=1']) {
      const res = await empty.call('GET', `${list}${query}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual([]);
      expect(resultCount(res)).toBe('0');
      expect(res.headers.get('link')).toBe(linkHeader(`${empty.url}${list}`, { first: '', last: '' }));
    }
  });

  it('a filter that matches nothing gives the same empty page, its links keeping the filter', async () => {
    const res = await server.call('GET', `${list}?customer_name=nomatch`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
    expect(resultCount(res)).toBe('0');
    expect(res.headers.get('link')).toBe(
      linkHeader(base(), { first: 'customer_name=nomatch', last: 'customer_name=nomatch' }),
    );
  });

  it.each([
    { query: '?page_size=50', links: { first: 'page_size=50', last: 'page_size=50' } },
    { query: '?page=1&page_size=25', links: { first: 'page_size=25', last: 'page_size=25' } },
  ])('a single page ($query): every item, first and last without page, no prev or next', async ({ query, links }) => {
    const res = await server.call('GET', `${list}${query}`);
    expect(res.status).toBe(200);
    expect(labels(res, list)).toEqual(numbered(list, 1, 25));
    expect(resultCount(res)).toBe('25');
    expect(res.headers.get('link')).toBe(linkHeader(base(), links));
  });

  it.each([
    { query: '', items: [1, 10], links: { first: '', next: 'page=2', last: 'page=3' } },
    { query: '?page=1', items: [1, 10], links: { first: '', next: 'page=2', last: 'page=3' } },
    { query: '?page=2', items: [11, 20], links: { first: '', prev: '', next: 'page=3', last: 'page=3' } },
    { query: '?page=3', items: [21, 25], links: { first: '', prev: 'page=2', last: 'page=3' } },
    { query: '?page=last', items: [21, 25], links: { first: '', prev: 'page=2', last: 'page=3' } },
    {
      query: '?page_size=5&page=3',
      items: [11, 15],
      links: {
        first: 'page_size=5',
        prev: 'page=2&page_size=5',
        next: 'page=4&page_size=5',
        last: 'page=5&page_size=5',
      },
    },
    {
      query: '?page_size=5&page=2',
      items: [6, 10],
      links: { first: 'page_size=5', prev: 'page_size=5', next: 'page=3&page_size=5', last: 'page=5&page_size=5' },
    },
    {
      query: '?page_size=5&customer_name=org&page=2',
      items: [6, 10],
      links: {
        first: 'customer_name=org&page_size=5',
        prev: 'customer_name=org&page_size=5',
        next: 'customer_name=org&page=3&page_size=5',
        last: 'customer_name=org&page=5&page_size=5',
      },
    },
    {
      query: '?zz=1&page=2&aa=2',
      items: [11, 20],
      links: { first: 'aa=2&zz=1', prev: 'aa=2&zz=1', next: 'aa=2&page=3&zz=1', last: 'aa=2&page=3&zz=1' },
    },
  ])('$query: items $items, Link with sorted parameters', async ({ query, items, links }) => {
    const res = await server.call('GET', `${list}${query}`);
    expect(res.status).toBe(200);
    expect(labels(res, list)).toEqual(numbered(list, items[0]!, items[1]!));
    expect(resultCount(res)).toBe('25');
    expect(res.headers.get('link')).toBe(linkHeader(base(), links));
  });

  it.each(['0', '-1', '4', '99', 'abc', '1.5'])('page=%s → 404 Invalid page., for GET and HEAD', async (page) => {
    const get = await server.call('GET', `${list}?page=${page}`);
    expect(get.status).toBe(404);
    expect(get.json).toEqual({ detail: 'Invalid page.' });
    expect((await server.call('HEAD', `${list}?page=${page}`)).status).toBe(404);
  });

  it('page=2 of an empty list → 404 Invalid page.', async () => {
    const res = await empty.call('GET', `${list}?page=2`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: 'Invalid page.' });
  });

  it.each(['0', '-1', 'abc'])('page_size=%s falls back to the default of 10', async (size) => {
    const res = await server.call('GET', `${list}?page_size=${size}`);
    expect(res.status).toBe(200);
    expect(labels(res, list)).toEqual(numbered(list, 1, 10));
    expect(resultCount(res)).toBe('25');
    expect(parseLinks(res.headers.get('link')).last).toBe(`${base()}?page=3&page_size=${size}`);
  });

  it.each([{ query: '' }, { query: '?page_size=7' }, { query: '?page_size=3&customer_name=org%2000', only: [1, 9] }])(
    'X-Result-Count is the number of items reachable through rel="next" ($query)',
    async ({ query, only }) => {
      const { count, seen } = await walk(server, `${list}${query}`, list);
      const expected = only ? numbered(list, only[0]!, only[1]!) : numbered(list, 1, 25);
      expect(seen).toEqual(expected);
      expect(count).toBe(String(expected.length));
    },
  );
});

describe.each(LISTS)('page_size cap of $list (305 credits)', ({ list }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve('305 credits', () => numberedOrgs(305));
  });

  it.each(['300', '301', '1000'])('page_size=%s gives pages of at most 300', async (size) => {
    const first = await server.call('GET', `${list}?page_size=${size}`);
    expect(first.status).toBe(200);
    expect(labels(first, list)).toEqual(numbered(list, 1, 300));
    expect(resultCount(first)).toBe('305');
    expect(first.headers.get('link')).toBe(
      linkHeader(`${server.url}${list}`, {
        first: `page_size=${size}`,
        next: `page=2&page_size=${size}`,
        last: `page=2&page_size=${size}`,
      }),
    );
    const second = await server.call('GET', `${list}?page_size=${size}&page=2`);
    expect(labels(second, list)).toEqual(numbered(list, 301, 305));
  });

  it('following rel="next" with page_size=1000 reaches all 305 items', async () => {
    const { count, seen } = await walk(server, `${list}?page_size=1000`, list);
    expect(seen).toEqual(numbered(list, 1, 305));
    expect(count).toBe('305');
  });
});

// ---------------------------------------------------------------------------
// HEAD (§8.4)
// ---------------------------------------------------------------------------

describe.each(LISTS)('HEAD on $list', ({ list }) => {
  let empty: TestServer;
  let server: TestServer;
  beforeAll(async () => {
    [empty, server] = await Promise.all([emptyServer(), pagedServer()]);
  });

  it('on an empty list: same status and headers as GET, no body', async () => {
    await expectHeadLikeGet(empty, list);
  });

  it.each([
    '',
    '?page=2',
    '?page=last',
    '?page_size=5&page=3',
    '?page_size=abc',
    '?customer_name=org%2001&o=-value',
    '?customer_name=nomatch',
    '?page=0',
    '?page=abc',
    '?customer_uuid=not-a-uuid',
    '?o=foo',
  ])('%s: same status, X-Result-Count and Link as GET, no body', async (query) => {
    await expectHeadLikeGet(server, `${list}${query}`);
  });
});

// ---------------------------------------------------------------------------
// Filters (§8.1) and their effect on detail lookups (§8.2)
// ---------------------------------------------------------------------------

const C1 = '10000000aaaa4aaa8aaa000000000001';
const C2 = '20000000bbbb4bbb8bbb000000000002';
const C3 = '30000000cccc4ccc8ccc000000000003';
const C4 = '40000000dddd4ddd8ddd000000000004';
const P1 = '50000000eeee4eee8eee000000000005';
const P3 = '70000000abab4bab8bab000000000007';

const FILTER_ORGS: OrgSpec[] = [
  {
    name: 'Alpha Research Institute',
    slug: 'alpha-research',
    uuid: C1,
    credit: { value: '1000' },
    projects: [
      { name: 'Genome Pipeline', uuid: P1, credit: { value: '300' } },
      { name: 'Data Lake', uuid: '60000000ffff4fff8fff000000000006', credit: { value: '150' } },
    ],
  },
  {
    name: 'Beta Cloud Lab',
    slug: 'beta-xyz',
    uuid: C2,
    credit: { value: '250' },
    projects: [{ name: 'Edge Testbed', uuid: P3, credit: { value: '50' } }],
  },
  {
    name: 'Gamma University',
    slug: 'Gamma-Uni',
    uuid: C3,
    credit: { value: '5000' },
    projects: [{ name: 'Teaching Cluster', uuid: '80000000cdcd4cdc8cdc000000000008', credit: { value: '100' } }],
  },
  {
    name: 'Alphabet Soup',
    slug: 'soup',
    uuid: C4,
    credit: { value: '10' },
    projects: [{ name: 'Genome Viewer', uuid: '90000000dede4ded8ded000000000009', credit: { value: '5' } }],
  },
  { name: 'Delta Startup', uuid: '5a000000aaaa4aaa8aaa00000000000a', projects: [{ name: 'MVP Backend' }] },
];
const ALL_CUSTOMERS = ['Alpha Research Institute', 'Beta Cloud Lab', 'Gamma University', 'Alphabet Soup'];
const ALL_PROJECTS = ['Genome Pipeline', 'Data Lake', 'Edge Testbed', 'Teaching Cluster', 'Genome Viewer'];

describe('filters', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve('filters', () => FILTER_ORGS);
  });

  it.each([
    // customer_uuid: exact, hex or dashed
    { list: CC, query: `customer_uuid=${C1}`, expected: ['Alpha Research Institute'] },
    { list: CC, query: `customer_uuid=${dashed(C2)}`, expected: ['Beta Cloud Lab'] },
    { list: PC, query: `customer_uuid=${C1}`, expected: ['Genome Pipeline', 'Data Lake'] },
    { list: PC, query: `customer_uuid=${dashed(C1)}`, expected: ['Genome Pipeline', 'Data Lake'] },
    // customer_name: icontains
    { list: CC, query: 'customer_name=ALPHA', expected: ['Alpha Research Institute', 'Alphabet Soup'] },
    { list: CC, query: 'customer_name=h%20inst', expected: ['Alpha Research Institute'] },
    { list: CC, query: 'customer_name=zzz', expected: [] },
    { list: PC, query: 'customer_name=alpha', expected: ['Genome Pipeline', 'Data Lake', 'Genome Viewer'] },
    // customer_slug: exact, case-sensitive
    { list: CC, query: 'customer_slug=Gamma-Uni', expected: ['Gamma University'] },
    { list: CC, query: 'customer_slug=gamma-uni', expected: [] },
    { list: CC, query: 'customer_slug=Gamma', expected: [] },
    { list: CC, query: 'customer_slug=alpha-research', expected: ['Alpha Research Institute'] },
    { list: PC, query: 'customer_slug=beta-xyz', expected: ['Edge Testbed'] },
    { list: PC, query: 'customer_slug=BETA-XYZ', expected: [] },
    // project_uuid (exact, hex or dashed) and project_name (icontains)
    { list: PC, query: `project_uuid=${P1}`, expected: ['Genome Pipeline'] },
    { list: PC, query: `project_uuid=${dashed(P3)}`, expected: ['Edge Testbed'] },
    { list: PC, query: 'project_name=GENOME', expected: ['Genome Pipeline', 'Genome Viewer'] },
    { list: PC, query: 'project_name=cluster', expected: ['Teaching Cluster'] },
    // query on customer credits: customer name, slug or dashed uuid, icontains
    { list: CC, query: 'query=alpha', expected: ['Alpha Research Institute', 'Alphabet Soup'] },
    { list: CC, query: 'query=RESEARCH', expected: ['Alpha Research Institute'] },
    { list: CC, query: 'query=xyz', expected: ['Beta Cloud Lab'] },
    { list: CC, query: 'query=aaaa-4aaa', expected: ['Alpha Research Institute'] },
    { list: CC, query: 'query=AAAA-4AAA', expected: ['Alpha Research Institute'] },
    { list: CC, query: `query=${dashed(C3)}`, expected: ['Gamma University'] },
    { list: CC, query: 'query=aaaa4aaa', expected: [] },
    // query on project credits: project name/uuid, customer name/slug/uuid
    { list: PC, query: 'query=lake', expected: ['Data Lake'] },
    { list: PC, query: 'query=genome', expected: ['Genome Pipeline', 'Genome Viewer'] },
    { list: PC, query: 'query=eeee-4eee', expected: ['Genome Pipeline'] },
    { list: PC, query: 'query=beta', expected: ['Edge Testbed'] },
    { list: PC, query: 'query=xyz', expected: ['Edge Testbed'] },
    { list: PC, query: 'query=gamma-uni', expected: ['Teaching Cluster'] },
    { list: PC, query: 'query=aaaa-4aaa', expected: ['Genome Pipeline', 'Data Lake'] },
    // filters combine with AND
    { list: CC, query: 'customer_name=alpha&query=soup', expected: ['Alphabet Soup'] },
    { list: PC, query: `customer_uuid=${C1}&project_name=lake`, expected: ['Data Lake'] },
    // empty values are ignored
    { list: CC, query: 'customer_uuid=&customer_name=&customer_slug=&query=&o=', expected: ALL_CUSTOMERS },
    {
      list: PC,
      query: 'project_uuid=&project_name=&customer_uuid=&customer_name=&customer_slug=&query=&o=',
      expected: ALL_PROJECTS,
    },
    // unknown parameters are ignored (project_uuid is not a customer-credit filter)
    { list: CC, query: 'colour=blue&customer=nobody&project_uuid=zz', expected: ALL_CUSTOMERS },
    { list: PC, query: 'colour=blue&project=nobody', expected: ALL_PROJECTS },
    // a repeated parameter keeps its last value
    { list: CC, query: 'customer_name=beta&customer_name=gamma', expected: ['Gamma University'] },
    { list: CC, query: `customer_uuid=not-a-uuid&customer_uuid=${C2}`, expected: ['Beta Cloud Lab'] },
    { list: PC, query: 'project_name=genome&project_name=lake', expected: ['Data Lake'] },
  ])('$list?$query', async ({ list, query, expected }) => {
    const res = await server.call('GET', `${list}?${query}`);
    expect(res.status, res.text).toBe(200);
    expect(labels(res, list)).toEqual(expected);
    expect(resultCount(res)).toBe(String(expected.length));
  });

  it.each(
    LISTS.flatMap(({ list }) =>
      ['not-a-uuid', '1234', C1.slice(0, 31), `${C1}0`, 'zz'].map((value) => ({ list, value })),
    ),
  )('$list?customer_uuid=$value → 400 Enter a valid UUID.', async ({ list, value }) => {
    const res = await server.call('GET', `${list}?customer_uuid=${value}`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ customer_uuid: ['Enter a valid UUID.'] });
  });

  const ccAlpha = hexId('e0', 1); // Alpha's customer credit
  const pcGenome = hexId('f0', 1); // Genome Pipeline's project credit
  it.each([
    { path: `${CC}${ccAlpha}/?customer_uuid=${C2}`, status: 404 },
    { path: `${CC}${ccAlpha}/?customer_uuid=${dashed(C1)}`, status: 200 },
    { path: `${CC}${ccAlpha}/?customer_name=beta`, status: 404 },
    { path: `${CC}${ccAlpha}/?customer_slug=alpha-research`, status: 200 },
    { path: `${CC}${ccAlpha}/?query=soup`, status: 404 },
    { path: `${PC}${pcGenome}/?project_uuid=${P3}`, status: 404 },
    { path: `${PC}${pcGenome}/?project_uuid=${P1}`, status: 200 },
    { path: `${PC}${pcGenome}/?customer_uuid=${C2}`, status: 404 },
    { path: `${PC}${pcGenome}/?project_name=lake`, status: 404 },
  ])('filters apply to detail lookups: GET $path → $status', async ({ path, status }) => {
    const res = await server.call('GET', path);
    expect(res.status).toBe(status);
    if (status === 404) {
      const model = path.startsWith(CC) ? 'CustomerCredit' : 'ProjectCredit';
      expect(res.json).toEqual({ detail: `No ${model} matches the given query.` });
    }
  });

  it.each([
    { method: 'PATCH', path: `${CC}${ccAlpha}/?customer_uuid=${C2}`, body: { value: '900.00' } },
    { method: 'DELETE', path: `${CC}${ccAlpha}/?customer_uuid=${C2}` },
    { method: 'PATCH', path: `${PC}${pcGenome}/?project_uuid=${P3}`, body: { value: '10.00' } },
    { method: 'DELETE', path: `${PC}${pcGenome}/?customer_name=beta` },
  ])('filters apply to write lookups too: $method $path → 404, nothing changes', async ({ method, path, body }) => {
    const before = (await server.call('GET', '/__admin/state', { token: null })).json;
    const res = await server.call(method, path, { body });
    expect(res.status).toBe(404);
    expect((await server.call('GET', '/__admin/state', { token: null })).json).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// Ordering (§8.1)
// ---------------------------------------------------------------------------

/** customer, project, value, end_date, expected_consumption; listed in creation order. */
const ORDER_ROWS: [string, string, string, string | null, string][] = [
  ['Delta', 'Yak', '10', '2027-03-01', '1'],
  ['Alpha', 'Zebra', '9', null, '5'],
  ['Echo', 'Wolf', '100', '2027-01-01', '20'],
  ['Charlie', 'Xerus', '10', '2028-01-01', '2'],
  ['Bravo', 'Vole', '2.5', '2027-06-01', '0.5'],
];
const ORDER_ORGS: OrgSpec[] = [
  ...ORDER_ROWS.map(([name, project, value, end_date, expected_consumption]) => {
    const credit = { value, end_date, expected_consumption };
    return { name, credit, projects: [{ name: project, credit }] };
  }),
  { name: 'Aaron', projects: [{ name: 'Aardvark' }] }, // no credits yet: for the creation-order test
];

/**
 * Each `o` key with the field it sorts and that field's values in ascending
 * order; descending is the exact reverse (a NULL end_date is last ascending,
 * first descending). Values are compared as numbers: "9" < "10" < "100".
 */
const ORDER_KEYS = [
  { list: CC, key: 'customer_name', field: 'customer_name', ascending: ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'] },
  { list: PC, key: 'project_name', field: 'project_name', ascending: ['Vole', 'Wolf', 'Xerus', 'Yak', 'Zebra'] },
  ...LISTS.flatMap(({ list }) => [
    { list, key: 'value', field: 'value', ascending: ['2.50000', '9.00000', '10.00000', '10.00000', '100.00000'] },
    {
      list,
      key: 'end_date',
      field: 'end_date',
      ascending: ['2027-01-01', '2027-03-01', '2027-06-01', '2028-01-01', null],
    },
    {
      list,
      key: 'expected_consumption',
      field: 'expected_consumption',
      ascending: ['0.50000', '1.00000', '2.00000', '5.00000', '20.00000'],
    },
  ]),
];

describe('ordering', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve('ordering', () => ORDER_ORGS);
  });
  const field = async (path: string, name: string) => {
    const res = await server.call('GET', path);
    expect(res.status, `GET ${path}: ${res.text}`).toBe(200);
    return (res.json as Record<string, unknown>[]).map((i) => i[name]);
  };

  it.each([
    { list: CC, expected: ['Delta', 'Alpha', 'Echo', 'Charlie', 'Bravo'] },
    { list: PC, expected: ['Yak', 'Zebra', 'Wolf', 'Xerus', 'Vole'] },
  ])('$list without o is in creation order', async ({ list, expected }) => {
    expect(await field(list, labelOf(list))).toEqual(expected);
  });

  it('a credit created later comes last without o, whatever its name', async () => {
    const url = (kind: string, uuid: string) => `${server.url}/api/${kind}/${uuid}/`;
    const { customers, projects } = buildFixtures(ORDER_ORGS);
    const aaron = customers.at(-1)!.uuid;
    const aardvark = projects.at(-1)!.uuid;
    try {
      for (const [list, body] of [
        [CC, { customer: url('customers', aaron), value: '50.00' }],
        [PC, { project: url('projects', aardvark), value: '5.00' }],
      ] as const) {
        const res = await server.call('POST', list, { body });
        expect(res.status, `POST ${list}: ${res.text} ${server.violations.join('; ')}`).toBe(201);
      }
      expect(await field(CC, 'customer_name')).toEqual(['Delta', 'Alpha', 'Echo', 'Charlie', 'Bravo', 'Aaron']);
      expect(await field(PC, 'project_name')).toEqual(['Yak', 'Zebra', 'Wolf', 'Xerus', 'Vole', 'Aardvark']);
      expect((await field(`${CC}?o=customer_name`, 'customer_name'))[0]).toBe('Aaron');
      expect((await field(`${PC}?o=project_name`, 'project_name'))[0]).toBe('Aardvark');
    } finally {
      await server.call('POST', '/__admin/reset', { token: null });
    }
  });

  it.each(
    ORDER_KEYS.flatMap((k) => [
      { ...k, o: k.key, expected: k.ascending },
      { ...k, o: `-${k.key}`, expected: [...k.ascending].reverse() },
    ]),
  )('$list?o=$o sorts $field', async ({ list, o, field: name, expected }) => {
    expect(await field(`${list}?o=${o}`, name)).toEqual(expected);
  });

  it.each([
    { list: CC, o: '-value,customer_name', expected: ['Echo', 'Charlie', 'Delta', 'Alpha', 'Bravo'] },
    { list: CC, o: 'value,-customer_name', expected: ['Bravo', 'Alpha', 'Delta', 'Charlie', 'Echo'] },
    { list: PC, o: '-value,project_name', expected: ['Wolf', 'Xerus', 'Yak', 'Zebra', 'Vole'] },
    { list: PC, o: 'value,-project_name', expected: ['Vole', 'Zebra', 'Yak', 'Xerus', 'Wolf'] },
    // a repeated o keeps only its last value
    { list: CC, o: 'customer_name&o=-customer_name', expected: ['Echo', 'Delta', 'Charlie', 'Bravo', 'Alpha'] },
  ])('$list?o=$o (several keys)', async ({ list, o, expected }) => {
    expect(await field(`${list}?o=${o}`, labelOf(list))).toEqual(expected);
  });

  it.each([
    { list: CC, o: 'foo', bad: 'foo' },
    { list: CC, o: '-foo', bad: '-foo' },
    { list: CC, o: 'value,foo', bad: 'foo' },
    { list: CC, o: 'project_name', bad: 'project_name' },
    { list: PC, o: 'foo', bad: 'foo' },
    { list: PC, o: 'customer_name', bad: 'customer_name' },
  ])('$list?o=$o → 400', async ({ list, o, bad }) => {
    const res = await server.call('GET', `${list}?o=${o}`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ o: [`Select a valid choice. ${bad} is not one of the available choices.`] });
  });
});
