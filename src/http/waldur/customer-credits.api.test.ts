/**
 * HTTP tests of /api/customer-credits/, written from the research notes
 * (docs/behaviour/waldur.md, cited as §n), the contract
 * (seed 000) and the README's behaviour choices where the notes leave a
 * choice open:
 *  - apply/clear compensations answer 200 with the credit; a body, when sent,
 *    must be a valid CustomerCreditRequest and is otherwise ignored;
 *  - offerings errors are keyed by the index of the bad entry;
 *  - computed numbers are written as Python writes floats (`90.0`, `0`);
 *  - a POST with expected_consumption > 0 and no value is a non-field error;
 *  - deleting a customer credit hides its project credits (8.0.5).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

// ---------------------------------------------------------------------------
// fixtures (fixtures/waldur.json)
// ---------------------------------------------------------------------------

const CUSTOMERS = {
  alpha: { uuid: 'f38b2ffc80a44f5a91c9bc701e7ea419', name: 'Alpha Research Institute', slug: 'alpha-research' },
  beta: { uuid: 'f3f49249dc284f90a5aec7978306d03b', name: 'Beta Cloud Lab', slug: 'beta-cloud-lab' },
  gamma: { uuid: 'e512148239294d22a255accb1a466884', name: 'Gamma University', slug: 'gamma-university' },
  delta: { uuid: '6bad6be28e7a46e99f19950499dd251d', name: 'Delta Startup', slug: 'delta-startup' },
  epsilon: { uuid: 'd7a7a3cc8c3d4f169293de8fc88b2875', name: 'Epsilon Foundation', slug: 'epsilon-foundation' },
} as const;
type CustomerKey = keyof typeof CUSTOMERS;
const CUSTOMER = Object.fromEntries(Object.entries(CUSTOMERS).map(([k, c]) => [k, c.uuid])) as Record<
  CustomerKey,
  string
>;

const OFFERINGS = {
  openstack: { uuid: 'bef7e268ffe946aba0581ccace1d62e0', type: 'OpenStack.Tenant', name: 'OpenStack Tenant' },
  slurm: { uuid: 'b91dddd913894372a341738c837a7935', type: 'SlurmInvoices.SlurmPackage', name: 'Slurm Allocation' },
  storage: { uuid: '89be9c1c8eb5440f96f4488157241955', type: 'Marketplace.Basic', name: 'Object Storage' },
  kubernetes: { uuid: '24114258751b4c8389a047dc4ac87fc0', type: 'Marketplace.Rancher', name: 'Kubernetes Cluster' },
} as const;
type OfferingKey = keyof typeof OFFERINGS;

const CREDIT = {
  alpha: '864fa3f3eab04e9ba5ed0de47db4304d',
  beta: '90624fe36b8246c9982fb0f1423674a6',
  gamma: '8350a73f7aac419fbb759e0fed1d9d16',
} as const;

const PROJECT_GENOME = '7dabe929c4a344bf86cd75e9bb049a79';
const PROJECT_CREDIT_EDGE = '85f184e0b4644554b675299b0c83e786';
const UNKNOWN = '0123456789abcdef0123456789abcdef';
const HEX32 = /^[0-9a-f]{32}$/;

/** §3.1, the order the fields are emitted in (8.0.5). */
const FIELD_ORDER = [
  'uuid',
  'url',
  'value',
  'customer',
  'customer_name',
  'customer_uuid',
  'customer_slug',
  'offerings',
  'end_date',
  'expected_consumption',
  'minimal_consumption',
  'minimal_consumption_logic',
  'grace_coefficient',
  'apply_as_minimal_consumption',
  'allocated_to_projects',
  'consumption_last_month',
];

const NOT_FOUND = { detail: 'No CustomerCredit matches the given query.' };
const REQUIRED = 'This field is required.';
const NOT_NULL = 'This field may not be null.';
const EXPECTED_TOO_BIG = { non_field_errors: ['Expected consumption must be smaller than the credit.'] };
const LINEAR_NEEDS_END = { non_field_errors: ['End date is required if minimal consumption logic is linear.'] };
const LINEAR_END_TOO_SOON = { non_field_errors: ['End date must be greater if minimal consumption logic is linear.'] };
const NOT_FIRST_DAY = 'End date must be the first day of the month.';
const IN_THE_PAST = "The end date must be greater than today's date.";
const WRONG_DATE = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.';

// ---------------------------------------------------------------------------
// URLs and requests
// ---------------------------------------------------------------------------

type Body = Record<string, unknown>;

/** 32-hex → the dashed 8-4-4-4-12 form. */
const dashed = (hex: string) => hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** The absolute URLs a server at `base` writes (§10). */
function urlsOf(base: string) {
  return {
    base,
    credit: (hex: string) => `${base}/api/customer-credits/${hex}/`,
    customer: (hex: string) => `${base}/api/customers/${hex}/`,
    project: (hex: string) => `${base}/api/projects/${hex}/`,
    providerOffering: (hex: string) => `${base}/api/marketplace-provider-offerings/${hex}/`,
    publicOffering: (hex: string) => `${base}/api/marketplace-public-offerings/${hex}/`,
  };
}
type Urls = ReturnType<typeof urlsOf>;

const LIST = '/api/customer-credits/';
const creditPath = (id: string, action?: string) => `${LIST}${id}/${action ? `${action}/` : ''}`;

/** The requests of this file against one server, as staff unless a token is given. */
function clientOf(server: TestServer) {
  const u = urlsOf(server.url);
  const admin = { token: null };
  return {
    server,
    u,
    list: () => server.call('GET', `${LIST}?page_size=300`),
    retrieve: (id: string) => server.call('GET', creditPath(id)),
    create: (body: unknown) => server.call('POST', LIST, { body }),
    /** POST a credit for `customer` with the other fields in `extra`. */
    createFor: (customer: CustomerKey, extra: Body = {}) =>
      server.call('POST', LIST, { body: { customer: u.customer(CUSTOMER[customer]), ...extra } }),
    put: (id: string, body: unknown) => server.call('PUT', creditPath(id), { body }),
    patch: (id: string, body: unknown) => server.call('PATCH', creditPath(id), { body }),
    destroy: (id: string) => server.call('DELETE', creditPath(id)),
    /** A request with a raw JSON text as its body. */
    raw: (method: string, path: string, raw: string) =>
      server.call(method, path, { raw, headers: { 'Content-Type': 'application/json' } }),
    reset: async () => expect((await server.call('POST', '/__admin/reset', admin)).status).toBe(200),
    state: async () => {
      const res = await server.call('GET', '/__admin/state', admin);
      expect(res.status).toBe(200);
      return res.json as unknown;
    },
  };
}
type Client = ReturnType<typeof clientOf>;

/**
 * A server for the enclosing describe block, frozen at `now`, reset before
 * every test; a response that broke the spec fails the test that got it.
 */
function useServer(now?: string): () => Client {
  let client: Client | undefined;
  beforeAll(async () => {
    client = clientOf(await startTestServer(now ? { now } : {}));
  });
  afterAll(async () => {
    await client?.server.close();
  });
  beforeEach(async () => {
    await client!.reset();
  });
  afterEach(() => {
    const violations = client!.server.violations.splice(0);
    expect(violations, 'responses that break the spec').toEqual([]);
  });
  return () => client!;
}

/** Status and JSON body at once, so a failure shows both. */
function expectResponse(res: TestResponse, status: number, body: unknown): void {
  expect({ status: res.status, body: res.json }).toEqual({ status, body });
}

function expectStatus(res: TestResponse, status: number): void {
  expect(res.status, `${res.status} ${res.text.slice(0, 500)}`).toBe(status);
}

/** The raw JSON text of a scalar field of a single-object body (to tell `90.0` from `90`). */
function rawField(res: TestResponse, field: string): string | undefined {
  return new RegExp(`"${field}":(null|true|false|"[^"]*"|[-0-9.eE+]+)`).exec(res.text)?.[1];
}

// ---------------------------------------------------------------------------
// expected bodies
// ---------------------------------------------------------------------------

/** What a credit holds; absent fields have the model defaults (§2.1). */
interface Facts {
  uuid: string;
  customer: CustomerKey;
  value?: string;
  offerings?: OfferingKey[];
  end_date?: string | null;
  expected_consumption?: string;
  minimal_consumption?: number;
  minimal_consumption_logic?: 'fixed' | 'linear';
  grace_coefficient?: string;
  apply_as_minimal_consumption?: boolean;
  allocated_to_projects?: number;
  consumption_last_month?: number | null;
}

/**
 * The whole body of a credit (§3.1): offerings as `{uuid,url,type,name}`
 * objects on reads and compensations, as URL strings on create/update answers.
 */
function creditBody(u: Urls, f: Facts, offerings: 'objects' | 'urls'): Body {
  const customer = CUSTOMERS[f.customer];
  return {
    uuid: f.uuid,
    url: u.credit(f.uuid),
    value: f.value ?? '0.00000',
    customer: u.customer(customer.uuid),
    customer_name: customer.name,
    customer_uuid: customer.uuid,
    customer_slug: customer.slug,
    offerings: (f.offerings ?? []).map((key) => {
      const o = OFFERINGS[key];
      const url = u.providerOffering(o.uuid);
      return offerings === 'urls' ? url : { uuid: o.uuid, url, type: o.type, name: o.name };
    }),
    end_date: f.end_date ?? null,
    expected_consumption: f.expected_consumption ?? '0.00000',
    minimal_consumption: f.minimal_consumption ?? 0,
    minimal_consumption_logic: f.minimal_consumption_logic ?? 'fixed',
    grace_coefficient: f.grace_coefficient ?? '0',
    apply_as_minimal_consumption: f.apply_as_minimal_consumption ?? true,
    allocated_to_projects: f.allocated_to_projects ?? 0,
    consumption_last_month: f.consumption_last_month ?? null,
  };
}

/** The fixture credits, with their computed fields (§2.4). */
const FIXTURE: Record<'alpha' | 'beta' | 'gamma', Facts> = {
  // floor (100 − 10)/100 × 100 = 90; project credits 300 + 150
  alpha: {
    uuid: CREDIT.alpha,
    customer: 'alpha',
    value: '1000.00000',
    offerings: ['openstack', 'slurm'],
    end_date: '2027-07-01',
    expected_consumption: '100.00000',
    minimal_consumption: 90,
    grace_coefficient: '10',
    allocated_to_projects: 450,
  },
  // floor 20; Edge Testbed's project credit 50
  beta: {
    uuid: CREDIT.beta,
    customer: 'beta',
    value: '250.50000',
    end_date: '2027-12-01',
    expected_consumption: '20.00000',
    minimal_consumption: 20,
    minimal_consumption_logic: 'linear',
    allocated_to_projects: 50,
  },
  // not applied as a floor: 0; no project credits: 0
  gamma: {
    uuid: CREDIT.gamma,
    customer: 'gamma',
    value: '5000.00000',
    offerings: ['storage'],
    apply_as_minimal_consumption: false,
  },
};

// ---------------------------------------------------------------------------
// 1. every operation once
// ---------------------------------------------------------------------------

describe('customer credits: every operation on the happy path', () => {
  const c = useServer();

  it('list: the fixtures in creation order, whole bodies, fields in the documented order (§3.1, §8.1)', async () => {
    const { u } = c();
    const res = await c().list();
    expectResponse(
      res,
      200,
      [FIXTURE.alpha, FIXTURE.beta, FIXTURE.gamma].map((f) => creditBody(u, f, 'objects')),
    );
    expect(res.headers.get('x-result-count')).toBe('3');
    for (const item of res.json as Body[]) expect(Object.keys(item)).toEqual(FIELD_ORDER);
  });

  it('retrieve: the whole credit, offerings as {uuid,url,type,name} with provider-offering URLs (§3.1)', async () => {
    const res = await c().retrieve(CREDIT.alpha);
    expectResponse(res, 200, creditBody(c().u, FIXTURE.alpha, 'objects'));
    expect(Object.keys(res.json as Body)).toEqual(FIELD_ORDER);
    expect((res.json as Body).offerings).toEqual([
      {
        uuid: 'bef7e268ffe946aba0581ccace1d62e0',
        url: `${c().u.base}/api/marketplace-provider-offerings/bef7e268ffe946aba0581ccace1d62e0/`,
        type: 'OpenStack.Tenant',
        name: 'OpenStack Tenant',
      },
      {
        uuid: 'b91dddd913894372a341738c837a7935',
        url: `${c().u.base}/api/marketplace-provider-offerings/b91dddd913894372a341738c837a7935/`,
        type: 'SlurmInvoices.SlurmPackage',
        name: 'Slurm Allocation',
      },
    ]);
  });

  it.each<[keyof typeof CREDIT, Record<string, string>]>([
    ['alpha', { minimal_consumption: '90.0', allocated_to_projects: '450.0', consumption_last_month: 'null' }],
    ['beta', { minimal_consumption: '20.0', allocated_to_projects: '50.0', consumption_last_month: 'null' }],
    ['gamma', { minimal_consumption: '0', allocated_to_projects: '0', consumption_last_month: 'null' }],
  ])('retrieve %s: computed numbers written as Python writes them (§2.4, §10)', async (key, raw) => {
    const res = await c().retrieve(CREDIT[key]);
    expectStatus(res, 200);
    for (const [field, text] of Object.entries(raw)) expect(rawField(res, field), field).toBe(text);
  });

  it('create: 201, Location = url, offerings as URLs, the model defaults (§1, §2.1, §3.1)', async () => {
    const { u } = c();
    const res = await c().createFor('delta');
    expectStatus(res, 201);
    const uuid = (res.json as Body).uuid as string;
    expect(uuid).toMatch(HEX32);
    expect(res.json).toEqual(creditBody(u, { uuid, customer: 'delta' }, 'urls'));
    expect(Object.keys(res.json as Body)).toEqual(FIELD_ORDER);
    expect(res.headers.get('location')).toBe((res.json as Body).url);
    expect(rawField(res, 'allocated_to_projects')).toBe('0');
    expect(rawField(res, 'consumption_last_month')).toBe('null');
    // then it is retrievable and listed last
    expectResponse(await c().retrieve(uuid), 200, creditBody(u, { uuid, customer: 'delta' }, 'objects'));
    const list = await c().list();
    expect(list.headers.get('x-result-count')).toBe('4');
    expect((list.json as Body[]).map((x) => x.uuid)).toEqual([CREDIT.alpha, CREDIT.beta, CREDIT.gamma, uuid]);
  });

  it('create with every writable field: offerings as URL strings in the answer, objects on GET', async () => {
    const { u } = c();
    const res = await c().createFor('epsilon', {
      value: '1000',
      offerings: [u.providerOffering(OFFERINGS.kubernetes.uuid), u.providerOffering(OFFERINGS.openstack.uuid)],
      end_date: '2027-03-01',
      expected_consumption: '200',
      minimal_consumption_logic: 'fixed',
      grace_coefficient: '25',
      apply_as_minimal_consumption: true,
    });
    expectStatus(res, 201);
    const facts: Facts = {
      uuid: (res.json as Body).uuid as string,
      customer: 'epsilon',
      value: '1000.00000',
      offerings: ['kubernetes', 'openstack'],
      end_date: '2027-03-01',
      expected_consumption: '200.00000',
      minimal_consumption: 150,
      grace_coefficient: '25',
    };
    expect(res.json).toEqual(creditBody(u, facts, 'urls'));
    expect(rawField(res, 'minimal_consumption')).toBe('150.0');
    expectResponse(await c().retrieve(facts.uuid), 200, creditBody(u, facts, 'objects'));
  });

  it('update (PUT): 200 with the whole new state, offerings as URLs; GET agrees', async () => {
    const { u } = c();
    const res = await c().put(CREDIT.gamma, {
      value: '6000',
      customer: u.customer(CUSTOMER.gamma),
      offerings: [u.providerOffering(OFFERINGS.slurm.uuid)],
      end_date: '2027-03-01',
      expected_consumption: '600',
      minimal_consumption_logic: 'linear',
      grace_coefficient: '20',
      apply_as_minimal_consumption: true,
    });
    const facts: Facts = {
      ...FIXTURE.gamma,
      value: '6000.00000',
      offerings: ['slurm'],
      end_date: '2027-03-01',
      expected_consumption: '600.00000',
      minimal_consumption: 480,
      minimal_consumption_logic: 'linear',
      grace_coefficient: '20',
      apply_as_minimal_consumption: true,
    };
    expectResponse(res, 200, creditBody(u, facts, 'urls'));
    expect(rawField(res, 'minimal_consumption')).toBe('480.0');
    expectResponse(await c().retrieve(CREDIT.gamma), 200, creditBody(u, facts, 'objects'));
  });

  it('partial update (PATCH {"value": 500}, §13 item 12): 200, only the sent field changes', async () => {
    const { u } = c();
    const res = await c().patch(CREDIT.alpha, { value: 500 });
    const facts = { ...FIXTURE.alpha, value: '500.00000' };
    expectResponse(res, 200, creditBody(u, facts, 'urls'));
    expectResponse(await c().retrieve(CREDIT.alpha), 200, creditBody(u, facts, 'objects'));
  });

  it('PATCH {} changes nothing', async () => {
    const before = await c().state();
    expectResponse(await c().patch(CREDIT.alpha, {}), 200, creditBody(c().u, FIXTURE.alpha, 'urls'));
    expect(await c().state()).toEqual(before);
  });

  it('delete: 204 with no body; then GET → 404 with the model message, and it is out of the list', async () => {
    const res = await c().destroy(CREDIT.alpha);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectResponse(await c().retrieve(CREDIT.alpha), 404, NOT_FOUND);
    expectResponse(await c().destroy(CREDIT.alpha), 404, NOT_FOUND);
    const list = await c().list();
    expect((list.json as Body[]).map((x) => x.uuid)).toEqual([CREDIT.beta, CREDIT.gamma]);
  });

  it("delete hides the customer's project credits; a new credit for the customer brings them back (§2.2, README)", async () => {
    expectStatus(await c().destroy(CREDIT.alpha), 204);
    const pcs = await c().server.call('GET', '/api/project-credits/');
    expect((pcs.json as Body[]).map((x) => x.uuid)).toEqual([PROJECT_CREDIT_EDGE]);
    const again = await c().createFor('alpha', { value: '1000' });
    expectStatus(again, 201);
    expect(rawField(again, 'allocated_to_projects')).toBe('450.0');
    expect((await c().server.call('GET', '/api/project-credits/')).headers.get('x-result-count')).toBe('3');
  });

  it('consumptions: [] for a credit with no invoices, not paginated (§7)', async () => {
    const res = await c().server.call('GET', creditPath(CREDIT.alpha, 'consumptions'));
    expectResponse(res, 200, []);
    expect(res.headers.get('x-result-count')).toBeNull();
  });

  it('consumptions: the query filter takes part in the lookup like the other filters (a match → 200, none → 404)', async () => {
    expectResponse(
      await c().server.call('GET', `${creditPath(CREDIT.alpha, 'consumptions')}?query=alpha%20research`),
      200,
      [],
    );
    expectResponse(
      await c().server.call('GET', `${creditPath(CREDIT.alpha, 'consumptions')}?query=beta`),
      404,
      NOT_FOUND,
    );
    expectResponse(await c().server.call('GET', `${creditPath(CREDIT.alpha, 'consumptions')}?query=`), 200, []);
  });

  it('consumptions of an unknown credit → 404', async () => {
    expectResponse(await c().server.call('GET', creditPath(UNKNOWN, 'consumptions')), 404, NOT_FOUND);
  });

  describe.each(['apply_compensations', 'clear_compensations'])('%s (§6.5, README)', (action) => {
    it('staff, no body → 200 with the credit (offerings as objects); nothing to compensate, nothing changes', async () => {
      const before = await c().state();
      const res = await c().server.call('POST', creditPath(CREDIT.alpha, action));
      expectResponse(res, 200, creditBody(c().u, FIXTURE.alpha, 'objects'));
      expect(await c().state()).toEqual(before);
    });

    it('staff, a valid CustomerCreditRequest body → 200 with the credit, the body ignored', async () => {
      const { u } = c();
      const body = { customer: u.customer(CUSTOMER.alpha), value: '1', grace_coefficient: '5' };
      const res = await c().server.call('POST', creditPath(CREDIT.alpha, action), { body });
      expectResponse(res, 200, creditBody(u, FIXTURE.alpha, 'objects'));
    });

    it('a malformed body {"customer": 5} → 400', async () => {
      const res = await c().server.call('POST', creditPath(CREDIT.alpha, action), { body: { customer: 5 } });
      expectResponse(res, 400, { customer: ['Incorrect type. Expected URL string, received int.'] });
    });

    it('an unknown credit → 404', async () => {
      expectResponse(await c().server.call('POST', creditPath(UNKNOWN, action)), 404, NOT_FOUND);
    });
  });
});

// ---------------------------------------------------------------------------
// 2. uuids and URLs
// ---------------------------------------------------------------------------

describe('customer credits: uuids and URLs (§10, §12)', () => {
  const c = useServer();

  it('every uuid written is 32 lowercase hex; every URL is absolute on the request host with a trailing slash', async () => {
    const { u } = c();
    const res = await c().list();
    for (const item of res.json as Body[]) {
      expect(item.uuid).toMatch(HEX32);
      expect(item.customer_uuid).toMatch(HEX32);
      expect(item.url).toBe(u.credit(item.uuid as string));
      expect(item.customer).toBe(u.customer(item.customer_uuid as string));
      for (const o of item.offerings as Body[]) {
        expect(o.uuid).toMatch(HEX32);
        expect(o.url).toBe(u.providerOffering(o.uuid as string));
      }
    }
  });

  it.each([
    ['dashed', dashed(CREDIT.alpha)],
    ['uppercase', CREDIT.alpha.toUpperCase()],
    ['dashed uppercase', dashed(CREDIT.alpha).toUpperCase()],
  ])('a %s uuid in the path is accepted, and the answer writes 32 lowercase hex', async (_form, id) => {
    expectResponse(await c().retrieve(id), 200, creditBody(c().u, FIXTURE.alpha, 'objects'));
  });

  it('a dashed uuid in the path works for PATCH and DELETE too', async () => {
    expectStatus(await c().patch(dashed(CREDIT.gamma), { value: '1' }), 200);
    expectStatus(await c().destroy(dashed(CREDIT.gamma)), 204);
  });

  it.each([
    ['not a uuid', 'not-a-uuid'],
    ['31 hex digits', CREDIT.alpha.slice(1)],
    ['33 hex digits', `${CREDIT.alpha}0`],
    ['a non-hex letter', `g${CREDIT.alpha.slice(1)}`],
  ])('a malformed uuid in the path (%s) → 404', async (_case, id) => {
    const res = await c().retrieve(id);
    expect(res.status).toBe(404);
    // §9: the detail is the model message, or DRF's generic one on some paths
    expect([NOT_FOUND, { detail: 'Not found.' }]).toContainEqual(res.json);
  });

  it.each<[string, (u: Urls) => string]>([
    ['another host (the host part is ignored)', () => `https://api.example.com/api/customers/${CUSTOMER.delta}/`],
    ['a relative path', () => `/api/customers/${CUSTOMER.delta}/`],
    ['a dashed uuid', (u) => u.customer(dashed(CUSTOMER.delta))],
    ['a dashed uuid on another host', () => `http://testserver/api/customers/${dashed(CUSTOMER.delta)}/`],
  ])('the customer hyperlink may be %s; the answer names the customer on this host', async (_case, link) => {
    const { u } = c();
    const res = await c().create({ customer: link(u) });
    expectStatus(res, 201);
    expect(res.json).toEqual(creditBody(u, { uuid: (res.json as Body).uuid as string, customer: 'delta' }, 'urls'));
  });

  it("offerings hyperlinks: host ignored, relative paths and dashed uuids accepted; answered as this host's URLs", async () => {
    const { u } = c();
    const res = await c().createFor('delta', {
      offerings: [
        `https://api.example.com/api/marketplace-provider-offerings/${OFFERINGS.storage.uuid}/`,
        `/api/marketplace-provider-offerings/${dashed(OFFERINGS.slurm.uuid)}/`,
      ],
    });
    expectStatus(res, 201);
    expect((res.json as Body).offerings).toEqual([
      u.providerOffering(OFFERINGS.storage.uuid),
      u.providerOffering(OFFERINGS.slurm.uuid),
    ]);
  });

  it("the seed's example URL /api/customer/<dashed uuid>/ (singular) → Invalid hyperlink - No URL match. (§12 item 11)", async () => {
    const res = await c().create({ customer: `https://api.example.com/api/customer/${dashed(CUSTOMER.delta)}/` });
    expectResponse(res, 400, { customer: ['Invalid hyperlink - No URL match.'] });
  });
});

// ---------------------------------------------------------------------------
// 3. validation (§5.1)
// ---------------------------------------------------------------------------

/** A rule of §5.1: the fields sent besides `customer` (Delta's URL, unless given) and the 400 body. */
interface Rule {
  rule: string;
  body: (u: Urls) => Body;
  errors: Body;
}

/** The decimal rules of a Decimal(16,5) ≥ 0 field (§2.1, §5.1). */
const decimalRules = (field: 'value' | 'expected_consumption'): Rule[] =>
  (
    [
      ['< 0 (JSON number)', -1, 'Ensure this value is greater than or equal to 0.'],
      ['< 0 (string, smallest step)', '-0.00001', 'Ensure this value is greater than or equal to 0.'],
      ['more than 5 decimal places', '1.123456', 'Ensure that there are no more than 5 decimal places.'],
      [
        'more than 11 digits before the point',
        '123456789012',
        'Ensure that there are no more than 11 digits before the decimal point.',
      ],
      ['more than 16 digits in total', '12345678901.123456', 'Ensure that there are no more than 16 digits in total.'],
      ['not a number', 'abc', 'A valid number is required.'],
      ['NaN', 'NaN', 'A valid number is required.'],
      ['Infinity', 'Infinity', 'A valid number is required.'],
    ] as const
  ).map(([rule, input, message]) => ({
    rule: `${field}: ${rule}`,
    body: () => ({ value: '99999999999', [field]: input }),
    errors: { [field]: [message] },
  }));

const RULES: Rule[] = [
  // customer (§5.1: hyperlink, uniqueness)
  { rule: 'customer missing', body: () => ({ customer: undefined, value: '10' }), errors: { customer: [REQUIRED] } },
  { rule: 'customer null', body: () => ({ customer: null }), errors: { customer: [NOT_NULL] } },
  // not in the notes: DRF's RelatedField.run_validation turns '' into None
  {
    rule: 'customer "" (DRF: an empty relation is null)',
    body: () => ({ customer: '' }),
    errors: { customer: [NOT_NULL] },
  },
  {
    rule: 'customer: not a URL at all',
    body: () => ({ customer: 'delta' }),
    errors: { customer: ['Invalid hyperlink - No URL match.'] },
  },
  {
    rule: 'customer: no URL match',
    body: (u) => ({ customer: `${u.base}/api/organisations/${CUSTOMER.delta}/` }),
    errors: { customer: ['Invalid hyperlink - No URL match.'] },
  },
  {
    rule: 'customer: incorrect URL match (a project URL)',
    body: (u) => ({ customer: u.project(PROJECT_GENOME) }),
    errors: { customer: ['Invalid hyperlink - Incorrect URL match.'] },
  },
  {
    rule: 'customer: incorrect URL match (a customer-credit URL)',
    body: (u) => ({ customer: u.credit(CREDIT.alpha) }),
    errors: { customer: ['Invalid hyperlink - Incorrect URL match.'] },
  },
  {
    rule: 'customer: object does not exist',
    body: (u) => ({ customer: u.customer(UNKNOWN) }),
    errors: { customer: ['Invalid hyperlink - Object does not exist.'] },
  },
  {
    rule: 'customer: not a string (int)',
    body: () => ({ customer: 5 }),
    errors: { customer: ['Incorrect type. Expected URL string, received int.'] },
  },
  {
    rule: 'customer: not a string (list)',
    body: (u) => ({ customer: [u.customer(CUSTOMER.delta)] }),
    errors: { customer: ['Incorrect type. Expected URL string, received list.'] },
  },
  {
    rule: 'customer already has a credit',
    body: (u) => ({ customer: u.customer(CUSTOMER.alpha) }),
    errors: { customer: ['customer credit with this customer already exists.'] },
  },
  // value and expected_consumption
  ...decimalRules('value'),
  ...decimalRules('expected_consumption'),
  // grace_coefficient: Decimal(3,0), precision checked before quantizing
  ...(
    [
      ['"50.0"', '50.0', 'Ensure that there are no more than 0 decimal places.'],
      ['50.5', 50.5, 'Ensure that there are no more than 0 decimal places.'],
      ['1000', 1000, 'Ensure that there are no more than 3 digits in total.'],
      ['"-1000"', '-1000', 'Ensure that there are no more than 3 digits in total.'],
      ['"abc"', 'abc', 'A valid number is required.'],
    ] as const
  ).map(([name, input, message]) => ({
    rule: `grace_coefficient ${name}`,
    body: () => ({ grace_coefficient: input }),
    errors: { grace_coefficient: [message] },
  })),
  // minimal_consumption_logic
  ...(
    [
      ['foo', '"foo" is not a valid choice.'],
      ['Fixed', '"Fixed" is not a valid choice.'],
      ['', '"" is not a valid choice.'],
      [null, NOT_NULL],
    ] as const
  ).map(([input, message]) => ({
    rule: `minimal_consumption_logic ${JSON.stringify(input)}`,
    body: () => ({ minimal_consumption_logic: input }),
    errors: { minimal_consumption_logic: [message] },
  })),
  // end_date
  ...(
    [
      ['wrong format (slashes)', '2027/01/01', WRONG_DATE],
      ['wrong format (day first)', '01-01-2027', WRONG_DATE],
      ['wrong format (no such day)', '2027-02-30', WRONG_DATE],
      ['wrong format (a datetime)', '2027-01-01T00:00:00Z', WRONG_DATE],
      ['wrong format (a number)', 20270101, WRONG_DATE],
      ['in the past (last month)', '2026-10-01', IN_THE_PAST],
      ['in the past (last year)', '2025-12-01', IN_THE_PAST],
      ['not the 1st of a month', '2027-01-15', NOT_FIRST_DAY],
      ['not the 1st (end of a month)', '2027-01-31', NOT_FIRST_DAY],
    ] as const
  ).map(([name, input, message]) => ({
    rule: `end_date ${name}`,
    body: () => ({ end_date: input }),
    errors: { end_date: [message] },
  })),
  // apply_as_minimal_consumption
  {
    rule: 'apply_as_minimal_consumption not a boolean',
    body: () => ({ apply_as_minimal_consumption: 'maybe' }),
    errors: { apply_as_minimal_consumption: ['Must be a valid boolean.'] },
  },
  {
    rule: 'apply_as_minimal_consumption null',
    body: () => ({ apply_as_minimal_consumption: null }),
    errors: { apply_as_minimal_consumption: [NOT_NULL] },
  },
  // offerings: provider-offering URLs, errors keyed by index (README)
  {
    rule: 'offerings not a list (a string)',
    body: (u) => ({ offerings: u.providerOffering(OFFERINGS.storage.uuid) }),
    errors: { offerings: ['Expected a list of items but got type "str".'] },
  },
  {
    rule: 'offerings not a list (a number)',
    body: () => ({ offerings: 5 }),
    errors: { offerings: ['Expected a list of items but got type "int".'] },
  },
  {
    rule: 'offerings: a public-offering URL (incorrect URL match), keyed by index',
    body: (u) => ({ offerings: [u.publicOffering(OFFERINGS.storage.uuid)] }),
    errors: { offerings: { '0': ['Invalid hyperlink - Incorrect URL match.'] } },
  },
  {
    rule: 'offerings: an unknown offering at index 1',
    body: (u) => ({ offerings: [u.providerOffering(OFFERINGS.storage.uuid), u.providerOffering(UNKNOWN)] }),
    errors: { offerings: { '1': ['Invalid hyperlink - Object does not exist.'] } },
  },
  {
    rule: 'offerings: no URL match at index 2',
    body: (u) => ({
      offerings: [
        u.providerOffering(OFFERINGS.storage.uuid),
        u.providerOffering(OFFERINGS.slurm.uuid),
        `${u.base}/api/nothing/`,
      ],
    }),
    errors: { offerings: { '2': ['Invalid hyperlink - No URL match.'] } },
  },
  {
    rule: 'offerings: a non-string entry',
    body: () => ({ offerings: [5] }),
    errors: { offerings: { '0': ['Incorrect type. Expected URL string, received int.'] } },
  },
  // rules across fields (the serializer's validate())
  {
    rule: 'expected_consumption = value',
    body: () => ({ value: '100', expected_consumption: '100' }),
    errors: EXPECTED_TOO_BIG,
  },
  {
    rule: 'expected_consumption > value by the smallest step',
    body: () => ({ value: '100', expected_consumption: '100.00001' }),
    errors: EXPECTED_TOO_BIG,
  },
  {
    rule: 'expected_consumption 2000 > value 1000 (§5.1 test)',
    body: () => ({ value: 1000, expected_consumption: 2000 }),
    errors: EXPECTED_TOO_BIG,
  },
  {
    rule: 'expected_consumption > 0 and no value (README)',
    body: () => ({ expected_consumption: '10' }),
    errors: EXPECTED_TOO_BIG,
  },
  {
    rule: 'linear without end_date',
    body: () => ({ value: '100', minimal_consumption_logic: 'linear' }),
    errors: LINEAR_NEEDS_END,
  },
  {
    rule: 'linear with end_date null',
    body: () => ({ value: '100', minimal_consumption_logic: 'linear', end_date: null }),
    errors: LINEAR_NEEDS_END,
  },
];

describe('customer credits: validation on create (§5.1)', () => {
  const c = useServer();

  it.each(RULES)('$rule → 400', async ({ body, errors }) => {
    const { u } = c();
    const res = await c().create({ customer: u.customer(CUSTOMER.delta), ...body(u) });
    expectResponse(res, 400, errors);
  });

  it('no body at all → customer is required', async () => {
    expectResponse(await c().server.call('POST', LIST), 400, { customer: [REQUIRED] });
  });

  it('several bad fields at once: all reported, in field order (not in the order sent)', async () => {
    const res = await c().create({
      apply_as_minimal_consumption: 'maybe',
      grace_coefficient: '50.5',
      minimal_consumption_logic: 'foo',
      expected_consumption: 'abc',
      end_date: 'bad',
      offerings: 'x',
      customer: 5,
      value: -1,
    });
    expectResponse(res, 400, {
      value: ['Ensure this value is greater than or equal to 0.'],
      customer: ['Incorrect type. Expected URL string, received int.'],
      offerings: ['Expected a list of items but got type "str".'],
      end_date: [WRONG_DATE],
      expected_consumption: ['A valid number is required.'],
      minimal_consumption_logic: ['"foo" is not a valid choice.'],
      grace_coefficient: ['Ensure that there are no more than 0 decimal places.'],
      apply_as_minimal_consumption: ['Must be a valid boolean.'],
    });
    expect(Object.keys(res.json as Body)).toEqual([
      'value',
      'customer',
      'offerings',
      'end_date',
      'expected_consumption',
      'minimal_consumption_logic',
      'grace_coefficient',
      'apply_as_minimal_consumption',
    ]);
  });

  it('field errors come before the rules across fields (expected ≥ value is not reported with them)', async () => {
    const res = await c().createFor('delta', { value: '10', expected_consumption: '20', end_date: '2027-01-15' });
    expectResponse(res, 400, { end_date: [NOT_FIRST_DAY] });
  });

  it.each([
    ['[]', 'list'],
    ['"text"', 'str'],
    ['5', 'int'],
    ['true', 'bool'],
  ])('a body that is not an object (%s) → non_field_errors', async (raw, type) => {
    const res = await c().raw('POST', LIST, raw);
    expectResponse(res, 400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`] });
  });

  it('a JSON null body → {"non_field_errors":["No data provided"]}', async () => {
    expectResponse(await c().raw('POST', LIST, 'null'), 400, { non_field_errors: ['No data provided'] });
  });

  it('malformed JSON → 400 JSON parse error (§9)', async () => {
    const res = await c().raw('POST', LIST, '{"customer": ');
    expect(res.status).toBe(400);
    expect(Object.keys(res.json as Body)).toEqual(['detail']);
    expect((res.json as Body).detail).toMatch(/^JSON parse error - /);
  });

  it('grace_coefficient as the JSON number 50.0 is a decimal with one place → 400 (README)', async () => {
    const res = await c().raw(
      'POST',
      LIST,
      `{"customer":"${c().u.customer(CUSTOMER.delta)}","grace_coefficient":50.0}`,
    );
    expectResponse(res, 400, { grace_coefficient: ['Ensure that there are no more than 0 decimal places.'] });
  });

  it.each<[string, Body, Partial<Record<keyof Facts, unknown>>]>([
    ['grace_coefficient negative ("-5")', { grace_coefficient: '-5' }, { grace_coefficient: '-5' }],
    ['grace_coefficient -999', { grace_coefficient: -999 }, { grace_coefficient: '-999' }],
    ['grace_coefficient 999', { grace_coefficient: 999 }, { grace_coefficient: '999' }],
    ['grace_coefficient "50." (exponent 0, §12 item 13)', { grace_coefficient: '50.' }, { grace_coefficient: '50' }],
    ['end_date null', { end_date: null }, { end_date: null }],
    ['end_date next month', { end_date: '2026-12-01' }, { end_date: '2026-12-01' }],
    ['offerings []', { offerings: [] }, { offerings: [] }],
    ['value with 16 digits, 11 before the point', { value: '12345678901.12345' }, { value: '12345678901.12345' }],
    ['value 0', { value: 0 }, { value: '0.00000' }],
    [
      'expected 100 < value 1000 (§5.1 test)',
      { value: 1000, expected_consumption: 100 },
      { expected_consumption: '100.00000' },
    ],
    [
      'expected 0 = value 0 (the rule is skipped for 0)',
      { value: '0', expected_consumption: '0' },
      { expected_consumption: '0.00000' },
    ],
    [
      'apply_as_minimal_consumption "false" (DRF boolean text)',
      { apply_as_minimal_consumption: 'false' },
      { apply_as_minimal_consumption: false },
    ],
  ])('accepted: %s', async (_case, extra, stored) => {
    const res = await c().createFor('delta', extra);
    expectStatus(res, 201);
    expect(res.json).toMatchObject(stored);
  });

  it('read-only and unknown fields are ignored (§5.2 last line)', async () => {
    const { u } = c();
    const res = await c().createFor('delta', {
      uuid: UNKNOWN,
      url: u.credit(UNKNOWN),
      customer_name: 'Someone else',
      customer_uuid: CUSTOMER.alpha,
      customer_slug: 'someone',
      minimal_consumption: 77,
      allocated_to_projects: 5,
      consumption_last_month: 3,
      withdrawable_balance: '9',
      spendable_value: '1',
      foo: 'bar',
    });
    expectStatus(res, 201);
    const uuid = (res.json as Body).uuid as string;
    expect(uuid).not.toBe(UNKNOWN);
    expect(res.json).toEqual(creditBody(u, { uuid, customer: 'delta' }, 'urls'));
  });
});

describe('customer credits: validation on update (§5.1)', () => {
  const c = useServer();

  it('PUT without customer → {"customer":["This field is required."]}', async () => {
    expectResponse(await c().put(CREDIT.alpha, { value: '10' }), 400, { customer: [REQUIRED] });
  });

  it.each(RULES.filter((r) => r.rule !== 'customer missing' && !r.rule.includes('no value')))(
    'PUT: $rule → 400',
    async ({ body, errors }) => {
      const { u } = c();
      // Delta has no credit, so PUT moves Gamma's credit there when everything else is valid
      const res = await c().put(CREDIT.gamma, { customer: u.customer(CUSTOMER.delta), ...body(u) });
      expectResponse(res, 400, errors);
    },
  );

  it.each<[string, Body, Body]>([
    ['expected ≥ the stored value', { expected_consumption: '1000' }, EXPECTED_TOO_BIG],
    ['a value ≤ the stored expected consumption', { value: '100' }, EXPECTED_TOO_BIG],
    ['both sent, expected ≥ value', { value: '50', expected_consumption: '60' }, EXPECTED_TOO_BIG],
    [
      'linear while the stored end_date is cleared',
      { minimal_consumption_logic: 'linear', end_date: null },
      LINEAR_NEEDS_END,
    ],
    [
      'a malformed field',
      { grace_coefficient: '1.5' },
      { grace_coefficient: ['Ensure that there are no more than 0 decimal places.'] },
    ],
    ['a past end_date', { end_date: '2026-01-01' }, { end_date: [IN_THE_PAST] }],
  ])(
    "PATCH Alpha's credit (value 1000, expected 100): %s → 400, the stored values fill in",
    async (_case, body, errors) => {
      expectResponse(await c().patch(CREDIT.alpha, body), 400, errors);
    },
  );

  it('PATCH linear on a credit with no stored end_date → end date required (Gamma)', async () => {
    expectResponse(await c().patch(CREDIT.gamma, { minimal_consumption_logic: 'linear' }), 400, LINEAR_NEEDS_END);
  });

  it('PATCH end_date null on a stored linear credit → end date required (Beta)', async () => {
    expectResponse(await c().patch(CREDIT.beta, { end_date: null }), 400, LINEAR_NEEDS_END);
  });

  it('PATCH end_date null on a fixed credit clears it', async () => {
    const res = await c().patch(CREDIT.alpha, { end_date: null });
    expectResponse(res, 200, creditBody(c().u, { ...FIXTURE.alpha, end_date: null }, 'urls'));
  });

  it('PATCH expected just below the stored value → 200', async () => {
    const res = await c().patch(CREDIT.alpha, { expected_consumption: '999.99999' });
    expectStatus(res, 200);
    expect((res.json as Body).expected_consumption).toBe('999.99999');
  });

  it('PUT keeps the credit on its own customer (not a duplicate of itself)', async () => {
    const { u } = c();
    const res = await c().put(CREDIT.alpha, { customer: u.customer(CUSTOMER.alpha), value: '1000' });
    expectStatus(res, 200);
    expect((res.json as Body).customer).toBe(u.customer(CUSTOMER.alpha));
  });

  it.each([
    ['[]', { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
    ['null', { non_field_errors: ['No data provided'] }],
  ])('PATCH with the body %s → 400', async (raw, errors) => {
    expectResponse(await c().raw('PATCH', creditPath(CREDIT.alpha), raw), 400, errors);
  });

  it('PATCH with only read-only and unknown fields changes nothing', async () => {
    const before = await c().state();
    const res = await c().patch(CREDIT.alpha, {
      uuid: UNKNOWN,
      minimal_consumption: 1,
      allocated_to_projects: 2,
      foo: 'bar',
    });
    expectResponse(res, 200, creditBody(c().u, FIXTURE.alpha, 'urls'));
    expect(await c().state()).toEqual(before);
  });
});

describe('customer credits: end dates against a clock on the 1st of the month', () => {
  describe('today is 2026-11-01', () => {
    const c = useServer('2026-11-01');

    it('end_date = today is accepted (§5.1: today itself is allowed)', async () => {
      const res = await c().createFor('delta', { end_date: '2026-11-01' });
      expectStatus(res, 201);
      expect((res.json as Body).end_date).toBe('2026-11-01');
    });

    it("end_date yesterday's month → in the past", async () => {
      expectResponse(await c().createFor('delta', { end_date: '2026-10-01' }), 400, { end_date: [IN_THE_PAST] });
    });

    it('end_date in the current month: the floor is expected_consumption, without grace (§2.4)', async () => {
      const res = await c().createFor('delta', {
        value: '1000',
        expected_consumption: '100',
        grace_coefficient: '10',
        end_date: '2026-11-01',
      });
      expectStatus(res, 201);
      expect(rawField(res, 'minimal_consumption')).toBe('100.0');
    });
  });

  describe('today is 2026-12-01', () => {
    const c = useServer('2026-12-01');

    it('linear with end_date in the current month → non_field_errors (§5.1)', async () => {
      const res = await c().createFor('delta', {
        value: '100',
        minimal_consumption_logic: 'linear',
        end_date: '2026-12-01',
      });
      expectResponse(res, 400, LINEAR_END_TOO_SOON);
    });

    it('linear with end_date next month is accepted', async () => {
      const res = await c().createFor('delta', {
        value: '100',
        minimal_consumption_logic: 'linear',
        end_date: '2027-01-01',
      });
      expectStatus(res, 201);
    });
  });

  describe("today is 2027-12-01, the month Beta's linear credit ends", () => {
    const c = useServer('2027-12-01');

    it('any PATCH of that credit fails: the stored logic and end_date count ([inference] §5.1)', async () => {
      expectResponse(await c().patch(CREDIT.beta, { value: '300' }), 400, LINEAR_END_TOO_SOON);
    });
  });
});

// ---------------------------------------------------------------------------
// 4. exact decimals and computed numbers
// ---------------------------------------------------------------------------

describe('customer credits: exact decimals and computed numbers (§2.4, §10)', () => {
  const c = useServer();

  it.each<[string, string, unknown]>([
    ['"0.1"', '0.10000', '0.1'],
    ['the JSON number 100.25', '100.25000', 100.25],
    ['"12345678901.12345" (beyond a double)', '12345678901.12345', '12345678901.12345'],
    ['"99999999999.99999" (the largest)', '99999999999.99999', '99999999999.99999'],
    ['"0.00001"', '0.00001', '0.00001'],
    ['" 7 " (DRF strips spaces)', '7.00000', ' 7 '],
  ])('value %s is stored exactly and written as "%s"', async (_case, written, value) => {
    const res = await c().createFor('delta', { value });
    expectStatus(res, 201);
    expect((res.json as Body).value).toBe(written);
    expect(rawField(await c().retrieve((res.json as Body).uuid as string), 'value')).toBe(`"${written}"`);
  });

  it.each<[string, Body, string]>([
    ['expected 100, grace 10 → 90.0', { expected_consumption: '100', grace_coefficient: '10' }, '90.0'],
    ['expected 100, grace 0 → 100.0', { expected_consumption: '100' }, '100.0'],
    ['expected 100, grace 50 → 50.0', { expected_consumption: '100', grace_coefficient: 50 }, '50.0'],
    ['expected 100, grace 100 → 0.0', { expected_consumption: '100', grace_coefficient: 100 }, '0.0'],
    ['expected 100, grace −5 → 105.0', { expected_consumption: '100', grace_coefficient: -5 }, '105.0'],
    ['expected 100, grace 150 → −50.0', { expected_consumption: '100', grace_coefficient: 150 }, '-50.0'],
    [
      'expected 33.33333, grace 10 → 29.999997',
      { expected_consumption: '33.33333', grace_coefficient: 10 },
      '29.999997',
    ],
    ['expected 0.00001 → 1e-05 (Python float repr)', { expected_consumption: '0.00001' }, '1e-05'],
    [
      'apply_as_minimal_consumption false → the int 0',
      { expected_consumption: '100', grace_coefficient: 10, apply_as_minimal_consumption: false },
      '0',
    ],
  ])('minimal_consumption: %s', async (_case, extra, raw) => {
    const res = await c().createFor('delta', { value: '1000', end_date: '2027-07-01', ...extra });
    expectStatus(res, 201);
    expect(rawField(res, 'minimal_consumption')).toBe(raw);
    expect(rawField(await c().retrieve((res.json as Body).uuid as string), 'minimal_consumption')).toBe(raw);
  });

  it('the raw text of the fixture Alpha contains "minimal_consumption":90.0', async () => {
    expect((await c().retrieve(CREDIT.alpha)).text).toContain('"minimal_consumption":90.0');
  });

  it('lowering the value below the project credits is allowed; allocated_to_projects stays 450.0 (§2.3)', async () => {
    const res = await c().patch(CREDIT.alpha, { value: '200' });
    expectResponse(res, 200, creditBody(c().u, { ...FIXTURE.alpha, value: '200.00000' }, 'urls'));
    expect(rawField(res, 'allocated_to_projects')).toBe('450.0');
  });
});

describe.each([
  ["the reference's clock, 2025-08-10", '2025-08-10', '2025-10-01'],
  ['the default clock, 2026-11-15', undefined, '2027-01-01'],
])('§13 item 5, a linear credit via the API, on %s', (_name, now, endDate) => {
  const c = useServer(now);

  it(`value 1600, end_date ${endDate}, linear, expected 500 → 201, both stored as sent`, async () => {
    const { u } = c();
    const res = await c().createFor('delta', {
      value: 1600,
      end_date: endDate,
      minimal_consumption_logic: 'linear',
      expected_consumption: 500,
    });
    expectStatus(res, 201);
    const facts: Facts = {
      uuid: (res.json as Body).uuid as string,
      customer: 'delta',
      value: '1600.00000',
      end_date: endDate,
      expected_consumption: '500.00000',
      minimal_consumption: 500,
      minimal_consumption_logic: 'linear',
    };
    expect(res.json).toEqual(creditBody(u, facts, 'urls'));
    expectResponse(await c().retrieve(facts.uuid), 200, creditBody(u, facts, 'objects'));
  });
});

// ---------------------------------------------------------------------------
// 5. one request = one transaction
// ---------------------------------------------------------------------------

describe('customer credits: a rejected request changes nothing (§10)', () => {
  const c = useServer();

  it.each<[string, string, (u: Urls) => string, ((u: Urls) => unknown) | undefined, number]>([
    [
      'create for a customer that has a credit',
      'POST',
      () => LIST,
      (u) => ({ customer: u.customer(CUSTOMER.alpha), value: '5' }),
      400,
    ],
    [
      'create with a valid customer and a bad offering',
      'POST',
      () => LIST,
      (u) => ({
        customer: u.customer(CUSTOMER.delta),
        value: '5',
        offerings: [u.providerOffering(OFFERINGS.slurm.uuid), u.providerOffering(UNKNOWN)],
      }),
      400,
    ],
    [
      'create with expected ≥ value',
      'POST',
      () => LIST,
      (u) => ({ customer: u.customer(CUSTOMER.delta), value: '5', expected_consumption: '5' }),
      400,
    ],
    ['create with a null body', 'POST', () => LIST, () => null, 400],
    [
      'PUT with every field valid but expected ≥ value',
      'PUT',
      () => creditPath(CREDIT.gamma),
      (u) => ({
        customer: u.customer(CUSTOMER.delta),
        value: '10',
        offerings: [],
        end_date: '2027-01-01',
        expected_consumption: '10',
      }),
      400,
    ],
    [
      'PATCH a valid value with a bad offering',
      'PATCH',
      () => creditPath(CREDIT.alpha),
      (u) => ({
        value: '2000',
        offerings: [u.providerOffering(OFFERINGS.storage.uuid), u.publicOffering(OFFERINGS.slurm.uuid)],
      }),
      400,
    ],
    [
      'PATCH to a customer that has a credit',
      'PATCH',
      () => creditPath(CREDIT.alpha),
      (u) => ({ customer: u.customer(CUSTOMER.beta) }),
      400,
    ],
    [
      'PATCH linear without end date',
      'PATCH',
      () => creditPath(CREDIT.alpha),
      () => ({ value: '500', minimal_consumption_logic: 'linear', end_date: null }),
      400,
    ],
    [
      'apply_compensations with a malformed body',
      'POST',
      () => creditPath(CREDIT.alpha, 'apply_compensations'),
      () => ({ customer: 5 }),
      400,
    ],
    ['PATCH an unknown credit', 'PATCH', () => creditPath(UNKNOWN), () => ({ value: '1' }), 404],
  ])('%s → the state is unchanged', async (_case, method, path, body, status) => {
    const { u, server } = c();
    const before = await c().state();
    const res = await server.call(method, path(u), body ? { body: body(u) } : {});
    expectStatus(res, status);
    expect(await c().state()).toEqual(before);
  });

  it('after a rejected create, the same customer can still get its credit', async () => {
    expectStatus(await c().createFor('delta', { value: '5', expected_consumption: '9' }), 400);
    expectStatus(await c().createFor('delta', { value: '5' }), 201);
  });
});

// ---------------------------------------------------------------------------
// 6. moving a credit to another customer
// ---------------------------------------------------------------------------

describe('customer credits: moving a credit to another customer (§3.1: protected_fields is ignored)', () => {
  const c = useServer();

  it('PATCH customer → a customer with no credit: 200, and the credit now belongs to it', async () => {
    const { u } = c();
    const res = await c().patch(CREDIT.alpha, { customer: u.customer(CUSTOMER.delta) });
    // Delta has no project credits, so nothing is allocated any more (§2.4)
    const moved: Facts = { ...FIXTURE.alpha, customer: 'delta', allocated_to_projects: 0 };
    expectResponse(res, 200, creditBody(u, moved, 'urls'));
    expectResponse(await c().retrieve(CREDIT.alpha), 200, creditBody(u, moved, 'objects'));
    // Alpha is free for a new credit; Delta is not
    expectStatus(await c().createFor('alpha'), 201);
    expectResponse(await c().createFor('delta'), 400, {
      customer: ['customer credit with this customer already exists.'],
    });
  });

  it('PUT customer → another customer with no credit: 200', async () => {
    const { u } = c();
    const res = await c().put(CREDIT.gamma, { customer: u.customer(CUSTOMER.epsilon) });
    expectResponse(res, 200, creditBody(u, { ...FIXTURE.gamma, customer: 'epsilon' }, 'urls'));
  });

  it.each<[string, string]>([
    ['PATCH', CREDIT.alpha],
    ['PUT', CREDIT.gamma],
  ])('%s customer → a customer that has a credit: uniqueness error', async (method, id) => {
    const { u, server } = c();
    const res = await server.call(method, creditPath(id), { body: { customer: u.customer(CUSTOMER.beta) } });
    expectResponse(res, 400, { customer: ['customer credit with this customer already exists.'] });
  });
});
