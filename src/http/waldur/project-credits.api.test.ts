/**
 * HTTP tests of /api/project-credits/, written from the research notes
 * (docs/behaviour/waldur.md, cited as §n) and the contract
 * (seed 002), with the README's behaviour choices:
 *  - `customer_credit` is a 5-place decimal string (the contract's type);
 *  - the sum rule counts the new or changed value ("as intended", not the
 *    real code's precedence bug, §2.3);
 *  - deleting a customer credit hides its project credits (§2.2, §8.2).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

// ---------------------------------------------------------------------------
// fixtures (fixtures/waldur.json)
// ---------------------------------------------------------------------------

const CUSTOMER = {
  alpha: 'f38b2ffc80a44f5a91c9bc701e7ea419',
  beta: 'f3f49249dc284f90a5aec7978306d03b',
  delta: '6bad6be28e7a46e99f19950499dd251d',
  epsilon: 'd7a7a3cc8c3d4f169293de8fc88b2875',
} as const;

const PROJECT = {
  genome: '7dabe929c4a344bf86cd75e9bb049a79', // Alpha, credit 300
  climate: '70eb9a0a96264ae685e818fac0433cbd', // Alpha, no credit
  dataLake: '14aa4e719d3c4dec80a61f933d6c51e3', // Alpha, credit 150
  edge: '1919e93ad11745ad898893101c593af5', // Beta, credit 50
  teaching: 'e4163207d094499682f0ee99731c9452', // Gamma, no credit
  mvp: '59001ac9406349bca5b00a2d35d14880', // Delta (no customer credit)
} as const;

const PROJECT_CREDIT = {
  genome: '93550840067f4cfc8e1fd3d9849acfb5',
  dataLake: 'd1711cbd2106419e840d31b5397a7623',
  edge: '85f184e0b4644554b675299b0c83e786',
} as const;

const CUSTOMER_CREDIT = {
  alpha: '864fa3f3eab04e9ba5ed0de47db4304d',
  beta: '90624fe36b8246c9982fb0f1423674a6',
} as const;

const UNKNOWN = '0123456789abcdef0123456789abcdef';
const HEX32 = /^[0-9a-f]{32}$/;

/** §3.2, the 8.0.5 field order. */
const FIELD_ORDER = [
  'uuid',
  'url',
  'value',
  'project',
  'project_name',
  'project_uuid',
  'project_slug',
  'customer_name',
  'customer_slug',
  'customer_uuid',
  'customer_credit',
  'allocated_customer_credit',
  'consumption_last_month',
  'offerings',
  'end_date',
  'expected_consumption',
  'minimal_consumption',
  'minimal_consumption_logic',
  'grace_coefficient',
  'apply_as_minimal_consumption',
  'mark_unused_credit_as_spent_on_project_termination',
];

const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const NOT_FOUND = { detail: 'No ProjectCredit matches the given query.' };
const NO_CUSTOMER_CREDIT = ['Customer credit does not exist.'];
const SUM_EXCEEDED = ['The sum of project credits cannot exceed the credit for organization.'];
const NOT_FIRST_DAY = { end_date: 'End date must be the first day of the month.' };

// ---------------------------------------------------------------------------
// server and helpers
// ---------------------------------------------------------------------------

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await server.call('POST', '/__admin/reset', { token: null })).status).toBe(200);
});

const projectUrl = (hex: string) => `${server.url}/api/projects/${hex}/`;
const customerUrl = (hex: string) => `${server.url}/api/customers/${hex}/`;
const creditUrl = (hex: string) => `${server.url}/api/project-credits/${hex}/`;
const customerCreditUrl = (hex: string) => `${server.url}/api/customer-credits/${hex}/`;
const publicOfferingUrl = (hex: string) => `${server.url}/api/marketplace-public-offerings/${hex}/`;

const creditPath = (hex: string) => `/api/project-credits/${hex}/`;
const LIST = '/api/project-credits/';

type Body = Record<string, unknown>;

const list = (token = 'staff-token') => server.call('GET', `${LIST}?page_size=300`, { token });
const retrieve = (hex: string, token = 'staff-token') => server.call('GET', creditPath(hex), { token });
const create = (body: unknown, token = 'staff-token') => server.call('POST', LIST, { body, token });
const put = (hex: string, body: unknown, token = 'staff-token') => server.call('PUT', creditPath(hex), { body, token });
const patch = (hex: string, body: unknown, token = 'staff-token') =>
  server.call('PATCH', creditPath(hex), { body, token });
const destroy = (hex: string, token = 'staff-token') => server.call('DELETE', creditPath(hex), { token });

/** Adds a project through the control API and returns its uuid. */
async function addProject(customer: string, name: string): Promise<string> {
  const res = await server.call('POST', '/__admin/waldur/projects', { token: null, body: { name, customer } });
  expect(res.status, res.text).toBe(201);
  return res.json.uuid as string;
}

async function exportState(): Promise<unknown> {
  const res = await server.call('GET', '/__admin/state', { token: null });
  expect(res.status).toBe(200);
  return res.json;
}

/** The raw JSON text of a scalar field of a single-object body (to tell `450.0` from `450`). */
function rawField(res: TestResponse, field: string): string | undefined {
  return new RegExp(`"${field}":(null|true|false|"[^"]*"|[-0-9.eE+]+)`).exec(res.text)?.[1];
}

function expectStatus(res: TestResponse, status: number): void {
  expect(res.status, `${res.status} ${res.text.slice(0, 400)}`).toBe(status);
}

const ALPHA_OFFERINGS = [
  {
    uuid: 'bef7e268ffe946aba0581ccace1d62e0',
    url: '', // filled by alphaOfferings()
    type: 'OpenStack.Tenant',
    name: 'OpenStack Tenant',
  },
  {
    uuid: 'b91dddd913894372a341738c837a7935',
    url: '',
    type: 'SlurmInvoices.SlurmPackage',
    name: 'Slurm Allocation',
  },
];
/** Alpha's CUSTOMER credit offerings, as public offerings (§3.2). */
const alphaOfferings = () => ALPHA_OFFERINGS.map((o) => ({ ...o, url: publicOfferingUrl(o.uuid) }));

const ALPHA_CUSTOMER = {
  customer_name: 'Alpha Research Institute',
  customer_slug: 'alpha-research',
  customer_uuid: CUSTOMER.alpha,
  customer_credit: '1000.00000',
};

/** Genome Pipeline's credit as the fixtures have it. */
const genomeBody = (): Body => ({
  uuid: PROJECT_CREDIT.genome,
  url: creditUrl(PROJECT_CREDIT.genome),
  value: '300.00000',
  project: projectUrl(PROJECT.genome),
  project_name: 'Genome Pipeline',
  project_uuid: PROJECT.genome,
  project_slug: 'genome-pipeline',
  ...ALPHA_CUSTOMER,
  allocated_customer_credit: 450,
  consumption_last_month: null,
  offerings: alphaOfferings(),
  end_date: '2027-07-01',
  expected_consumption: '0.00000',
  minimal_consumption: 0,
  minimal_consumption_logic: 'fixed',
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
  mark_unused_credit_as_spent_on_project_termination: false,
});

/** Data Lake's credit: floor (100 − 20)/100 × 25 = 20 (§2.4). */
const dataLakeBody = (): Body => ({
  uuid: PROJECT_CREDIT.dataLake,
  url: creditUrl(PROJECT_CREDIT.dataLake),
  value: '150.00000',
  project: projectUrl(PROJECT.dataLake),
  project_name: 'Data Lake',
  project_uuid: PROJECT.dataLake,
  project_slug: 'data-lake',
  ...ALPHA_CUSTOMER,
  allocated_customer_credit: 450,
  consumption_last_month: null,
  offerings: alphaOfferings(),
  end_date: null,
  expected_consumption: '25.00000',
  minimal_consumption: 20,
  minimal_consumption_logic: 'fixed',
  grace_coefficient: '20',
  apply_as_minimal_consumption: true,
  mark_unused_credit_as_spent_on_project_termination: true,
});

/** Edge Testbed's credit (Beta: credit 250.5, no offerings). */
const edgeBody = (): Body => ({
  uuid: PROJECT_CREDIT.edge,
  url: creditUrl(PROJECT_CREDIT.edge),
  value: '50.00000',
  project: projectUrl(PROJECT.edge),
  project_name: 'Edge Testbed',
  project_uuid: PROJECT.edge,
  project_slug: 'edge-testbed',
  customer_name: 'Beta Cloud Lab',
  customer_slug: 'beta-cloud-lab',
  customer_uuid: CUSTOMER.beta,
  customer_credit: '250.50000',
  allocated_customer_credit: 50,
  consumption_last_month: null,
  offerings: [],
  end_date: null,
  expected_consumption: '0.00000',
  minimal_consumption: 0,
  minimal_consumption_logic: 'fixed',
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
  mark_unused_credit_as_spent_on_project_termination: false,
});

/** A fresh credit on Climate Model (Alpha) with the model defaults (§2.1, §2.3). */
const climateBody = (uuid: string, overrides: Body = {}): Body => ({
  uuid,
  url: creditUrl(uuid),
  value: '0.00000',
  project: projectUrl(PROJECT.climate),
  project_name: 'Climate Model',
  project_uuid: PROJECT.climate,
  project_slug: 'climate-model',
  ...ALPHA_CUSTOMER,
  allocated_customer_credit: 450,
  consumption_last_month: null,
  offerings: alphaOfferings(),
  end_date: null,
  expected_consumption: '0.00000',
  minimal_consumption: 0,
  minimal_consumption_logic: 'fixed',
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
  mark_unused_credit_as_spent_on_project_termination: false,
  ...overrides,
});

/** POST for Climate Model as staff; expects 201 and returns the response. */
async function createClimate(extra: Body = {}): Promise<TestResponse> {
  const res = await create({ project: projectUrl(PROJECT.climate), ...extra });
  expectStatus(res, 201);
  return res;
}

// ---------------------------------------------------------------------------
// 1. happy path
// ---------------------------------------------------------------------------

describe('project credits: the happy path', () => {
  it('lists the fixtures in creation order, every field in the documented order (§3.2)', async () => {
    const res = await list();
    expectStatus(res, 200);
    expect(res.json).toEqual([genomeBody(), dataLakeBody(), edgeBody()]);
    for (const item of res.json as Body[]) expect(Object.keys(item)).toEqual(FIELD_ORDER);
    expect(res.headers.get('x-result-count')).toBe('3');
  });

  it('retrieves one credit with every field in the documented order', async () => {
    const res = await retrieve(PROJECT_CREDIT.genome);
    expectStatus(res, 200);
    expect(res.json).toEqual(genomeBody());
    expect(Object.keys(res.json)).toEqual(FIELD_ORDER);
  });

  it('writes computed numbers as Python floats, customer_credit as a 5-place string (§2.4, §10, README)', async () => {
    const res = await retrieve(PROJECT_CREDIT.dataLake);
    expectStatus(res, 200);
    expect(rawField(res, 'allocated_customer_credit')).toBe('450.0');
    expect(rawField(res, 'customer_credit')).toBe('"1000.00000"');
    expect(rawField(res, 'consumption_last_month')).toBe('null');
    expect(rawField(res, 'minimal_consumption')).toBe('20.0');
    const beta = await retrieve(PROJECT_CREDIT.edge);
    expect(rawField(beta, 'customer_credit')).toBe('"250.50000"');
    expect(rawField(beta, 'allocated_customer_credit')).toBe('50.0');
  });

  it('accepts a dashed uuid in the path (§10)', async () => {
    const dashed = PROJECT_CREDIT.genome.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const res = await retrieve(dashed);
    expectStatus(res, 200);
    expect(res.json).toEqual(genomeBody());
  });

  it('answers 404 with the model message for an unknown uuid', async () => {
    const res = await retrieve(UNKNOWN);
    expectStatus(res, 404);
    expect(res.json).toEqual(NOT_FOUND);
  });

  it('creates: 201, Location = url, the model defaults, and it is then listed and retrievable', async () => {
    const res = await create({ project: projectUrl(PROJECT.climate), value: '100' });
    expectStatus(res, 201);
    const uuid = res.json.uuid as string;
    expect(uuid).toMatch(HEX32);
    const expected = climateBody(uuid, { value: '100.00000', allocated_customer_credit: 550 });
    expect(res.json).toEqual(expected);
    expect(Object.keys(res.json)).toEqual(FIELD_ORDER);
    expect(res.headers.get('location')).toBe(creditUrl(uuid));
    expect(rawField(res, 'allocated_customer_credit')).toBe('550.0');

    const again = await retrieve(uuid);
    expectStatus(again, 200);
    expect(again.json).toEqual(expected);
    const all = await list();
    expect((all.json as Body[]).map((c) => c.uuid)).toEqual([
      PROJECT_CREDIT.genome,
      PROJECT_CREDIT.dataLake,
      PROJECT_CREDIT.edge,
      uuid,
    ]);
    // the other credits of the customer see the new allocation
    expect((await retrieve(PROJECT_CREDIT.genome)).json.allocated_customer_credit).toBe(550);
  });

  it('creates with every writable field, JSON numbers as input (§10)', async () => {
    const res = await create({
      project: projectUrl(PROJECT.climate),
      value: 200.5,
      end_date: '2027-03-01',
      expected_consumption: 40,
      minimal_consumption_logic: 'linear',
      grace_coefficient: 25,
      apply_as_minimal_consumption: true,
      mark_unused_credit_as_spent_on_project_termination: true,
    });
    expectStatus(res, 201);
    expect(res.json).toEqual(
      climateBody(res.json.uuid, {
        value: '200.50000',
        allocated_customer_credit: 650.5,
        end_date: '2027-03-01',
        expected_consumption: '40.00000',
        minimal_consumption: 30,
        minimal_consumption_logic: 'linear',
        grace_coefficient: '25',
        mark_unused_credit_as_spent_on_project_termination: true,
      }),
    );
  });

  it('accepts a relative project path and a dashed project uuid (§5.1, §10)', async () => {
    const dashed = PROJECT.climate.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const res = await create({ project: `/api/projects/${dashed}/`, value: '1' });
    expectStatus(res, 201);
    expect(res.json.project).toBe(projectUrl(PROJECT.climate));
  });

  it('PUT replaces the sent fields, keeps the rest, and may name the same project (§3.2)', async () => {
    const res = await put(PROJECT_CREDIT.genome, {
      project: projectUrl(PROJECT.genome),
      value: '200',
      grace_coefficient: '5',
      mark_unused_credit_as_spent_on_project_termination: true,
    });
    expectStatus(res, 200);
    const expected = {
      ...genomeBody(),
      value: '200.00000',
      grace_coefficient: '5',
      allocated_customer_credit: 350,
      mark_unused_credit_as_spent_on_project_termination: true,
    };
    expect(res.json).toEqual(expected);
    expect(Object.keys(res.json)).toEqual(FIELD_ORDER);
    expect((await retrieve(PROJECT_CREDIT.genome)).json).toEqual(expected);
  });

  it('PUT without project is 400 "This field is required." (§3.2)', async () => {
    const res = await put(PROJECT_CREDIT.genome, { value: '10' });
    expectStatus(res, 400);
    expect(res.json).toEqual({ project: ['This field is required.'] });
  });

  it('PATCH changes only the sent fields', async () => {
    const res = await patch(PROJECT_CREDIT.dataLake, { value: 7, end_date: null });
    expectStatus(res, 200);
    const expected = { ...dataLakeBody(), value: '7.00000', allocated_customer_credit: 307 };
    expect(res.json).toEqual(expected);
    expect((await retrieve(PROJECT_CREDIT.dataLake)).json).toEqual(expected);
  });

  it('PATCH {} changes nothing', async () => {
    const res = await patch(PROJECT_CREDIT.genome, {});
    expectStatus(res, 200);
    expect(res.json).toEqual(genomeBody());
  });

  it('PATCH can move a credit to another project of the same customer', async () => {
    const res = await patch(PROJECT_CREDIT.genome, { project: projectUrl(PROJECT.climate) });
    expectStatus(res, 200);
    expect(res.json).toEqual(climateBody(PROJECT_CREDIT.genome, { value: '300.00000', end_date: '2027-07-01' }));
  });

  it('DELETE answers 204 with no body, then the credit is 404 and out of the list', async () => {
    const res = await destroy(PROJECT_CREDIT.genome);
    expectStatus(res, 204);
    expect(res.text).toBe('');
    const gone = await retrieve(PROJECT_CREDIT.genome);
    expectStatus(gone, 404);
    expect(gone.json).toEqual(NOT_FOUND);
    expect((await destroy(PROJECT_CREDIT.genome)).json).toEqual(NOT_FOUND);
    const rest = await list();
    expect(rest.json).toEqual([{ ...dataLakeBody(), allocated_customer_credit: 150 }, edgeBody()]);
  });

  it.each([
    ['PUT', { project: '/api/projects/70eb9a0a96264ae685e818fac0433cbd/' }],
    ['PATCH', { value: '1' }],
    ['DELETE', undefined],
  ])('%s on an unknown uuid is 404', async (method, body) => {
    const res = await server.call(method, creditPath(UNKNOWN), { body });
    expectStatus(res, 404);
    expect(res.json).toEqual(NOT_FOUND);
  });
});

// ---------------------------------------------------------------------------
// 2. validation (§5.2)
// ---------------------------------------------------------------------------

describe('project credits: the project field (§5.1 hyperlinks, §5.2)', () => {
  it.each<[string, Body, string]>([
    ['missing', { value: '1' }, 'This field is required.'],
    ['null', { project: null }, 'This field may not be null.'],
    ['not a URL of any view', { project: 'http://example.com/api/nowhere/' }, 'Invalid hyperlink - No URL match.'],
    [
      "the seeds' singular /api/project/ path (§12.11)",
      { project: `/api/project/${PROJECT.climate}/` },
      'Invalid hyperlink - No URL match.',
    ],
    [
      'a URL of another view (a customer)',
      { project: `/api/customers/${CUSTOMER.alpha}/` },
      'Invalid hyperlink - Incorrect URL match.',
    ],
    ['an unknown project', { project: `/api/projects/${UNKNOWN}/` }, 'Invalid hyperlink - Object does not exist.'],
    ['an int', { project: 42 }, 'Incorrect type. Expected URL string, received int.'],
    [
      'a project that already has a credit',
      { project: `/api/projects/${PROJECT.genome}/` },
      'project credit with this project already exists.',
    ],
  ])('project %s → 400', async (_case, body, message) => {
    const res = await create(body);
    expectStatus(res, 400);
    expect(res.json).toEqual({ project: [message] });
  });

  it('the host part of the hyperlink is ignored (§5.1)', async () => {
    const res = await create({ project: `https://other.example.org/api/projects/${PROJECT.climate}/` });
    expectStatus(res, 201);
    expect(res.json.project).toBe(projectUrl(PROJECT.climate));
  });

  it('PATCH to a project that already has a credit → 400 already exists', async () => {
    const res = await patch(PROJECT_CREDIT.genome, { project: projectUrl(PROJECT.dataLake) });
    expectStatus(res, 400);
    expect(res.json).toEqual({ project: ['project credit with this project already exists.'] });
  });
});

describe('project credits: the organisation rules (§2.3, §5.2)', () => {
  it("customer without a customer credit → 400 bare list (Delta's project)", async () => {
    const res = await create({ project: projectUrl(PROJECT.mvp), value: '1' });
    expectStatus(res, 400);
    expect(res.json).toEqual(NO_CUSTOMER_CREDIT);
    expect(res.text).toBe('["Customer credit does not exist."]');
  });

  it('customer without a customer credit, with value 0 → still 400', async () => {
    const res = await create({ project: projectUrl(PROJECT.mvp) });
    expectStatus(res, 400);
    expect(res.json).toEqual(NO_CUSTOMER_CREDIT);
  });

  it("moving a credit (PATCH project) to Delta's project → 400 bare list", async () => {
    const res = await patch(PROJECT_CREDIT.genome, { project: projectUrl(PROJECT.mvp) });
    expectStatus(res, 400);
    expect(res.json).toEqual(NO_CUSTOMER_CREDIT);
  });

  it('sum exactly equal to the organisation credit is allowed (450 + 550 = 1000)', async () => {
    const res = await createClimate({ value: '550' });
    expect(res.json.allocated_customer_credit).toBe(1000);
    expect(rawField(res, 'allocated_customer_credit')).toBe('1000.0');
  });

  it('one cent over → 400 bare list (450 + 550.01 > 1000)', async () => {
    const res = await create({ project: projectUrl(PROJECT.climate), value: '550.01' });
    expectStatus(res, 400);
    expect(res.json).toEqual(SUM_EXCEEDED);
  });

  it('the smallest step over (0.00001) → 400', async () => {
    const res = await create({ project: projectUrl(PROJECT.climate), value: '550.00001' });
    expectStatus(res, 400);
    expect(res.json).toEqual(SUM_EXCEEDED);
  });

  it('the NEW value counts even when other project credits exist (README: as intended, not the §2.3 precedence bug)', async () => {
    // others 450 ≤ 1000, but 450 + 600 > 1000
    const res = await create({ project: projectUrl(PROJECT.climate), value: '600' });
    expectStatus(res, 400);
    expect(res.json).toEqual(SUM_EXCEEDED);
  });

  it('a single project credit above the organisation credit → 400 (no other credits)', async () => {
    const epsilon = await server.call('POST', '/api/customer-credits/', {
      body: { customer: customerUrl(CUSTOMER.epsilon), value: '10' },
    });
    expectStatus(epsilon, 201);
    const project = await addProject(CUSTOMER.epsilon, 'Lone Project');
    const over = await create({ project: projectUrl(project), value: '10.00001' });
    expectStatus(over, 400);
    expect(over.json).toEqual(SUM_EXCEEDED);
    const equal = await create({ project: projectUrl(project), value: '10' });
    expectStatus(equal, 201);
  });

  it("on update the credit's own old value is not double-counted (PATCH 300 → 850: 850 + 150 = 1000)", async () => {
    const res = await patch(PROJECT_CREDIT.genome, { value: '850' });
    expectStatus(res, 200);
    expect(res.json).toEqual({ ...genomeBody(), value: '850.00000', allocated_customer_credit: 1000 });
  });

  it('on update one cent over → 400 (PATCH 850.01)', async () => {
    const res = await patch(PROJECT_CREDIT.genome, { value: '850.01' });
    expectStatus(res, 400);
    expect(res.json).toEqual(SUM_EXCEEDED);
  });

  it('PUT is checked the same way', async () => {
    const ok = await put(PROJECT_CREDIT.dataLake, { project: projectUrl(PROJECT.dataLake), value: '700' });
    expectStatus(ok, 200);
    expect(ok.json.allocated_customer_credit).toBe(1000);
    const over = await put(PROJECT_CREDIT.dataLake, { project: projectUrl(PROJECT.dataLake), value: '700.01' });
    expectStatus(over, 400);
    expect(over.json).toEqual(SUM_EXCEEDED);
  });

  it('Beta: Edge Testbed alone may reach exactly 250.5, not 250.50001', async () => {
    expectStatus(await patch(PROJECT_CREDIT.edge, { value: '250.50001' }), 400);
    const ok = await patch(PROJECT_CREDIT.edge, { value: '250.5' });
    expectStatus(ok, 200);
    expect(ok.json).toEqual({ ...edgeBody(), value: '250.50000', allocated_customer_credit: 250.5 });
  });

  it("moving a credit to another customer is checked against that customer's credit", async () => {
    const betaProject = await addProject(CUSTOMER.beta, 'Beta Sandbox');
    // Beta: 50 + 300 > 250.5
    const res = await patch(PROJECT_CREDIT.genome, { project: projectUrl(betaProject) });
    expectStatus(res, 400);
    expect(res.json).toEqual(SUM_EXCEEDED);
    // 50 + 200 ≤ 250.5
    const ok = await patch(PROJECT_CREDIT.genome, { project: projectUrl(betaProject), value: '200' });
    expectStatus(ok, 200);
    expect(ok.json).toMatchObject({
      project: projectUrl(betaProject),
      customer_uuid: CUSTOMER.beta,
      customer_credit: '250.50000',
      allocated_customer_credit: 250,
      offerings: [],
    });
  });

  it('lowering the customer credit below the allocation is not checked (§2.3)', async () => {
    // 200 < 450 allocated; still above Alpha's expected_consumption of 100 (§5.1)
    const res = await server.call('PATCH', `/api/customer-credits/${CUSTOMER_CREDIT.alpha}/`, {
      body: { value: '200' },
    });
    expectStatus(res, 200);
    const pc = await retrieve(PROJECT_CREDIT.genome);
    expect(pc.json).toEqual({ ...genomeBody(), customer_credit: '200.00000' });
    // the next save of a project credit is checked against the lower credit
    const over = await patch(PROJECT_CREDIT.genome, { value: '50.00001' });
    expectStatus(over, 400);
    expect(over.json).toEqual(SUM_EXCEEDED);
    const ok = await patch(PROJECT_CREDIT.genome, { value: '50' });
    expectStatus(ok, 200);
    expect(ok.json.allocated_customer_credit).toBe(200);
  });
});

describe('project credits: dates and logic (§2.1, §5.2)', () => {
  it.each(['2027-01-15', '2026-11-30', '2020-06-02'])(
    'end_date %s (not the 1st) → 400 with a plain string',
    async (date) => {
      const res = await create({ project: projectUrl(PROJECT.climate), end_date: date });
      expectStatus(res, 400);
      expect(res.json).toEqual(NOT_FIRST_DAY);
      expect(res.text).toBe('{"end_date":"End date must be the first day of the month."}');
    },
  );

  it('PATCH end_date not the 1st → 400 with a plain string, nothing changed', async () => {
    const res = await patch(PROJECT_CREDIT.genome, { end_date: '2027-07-02' });
    expectStatus(res, 400);
    expect(res.json).toEqual(NOT_FIRST_DAY);
    expect((await retrieve(PROJECT_CREDIT.genome)).json).toEqual(genomeBody());
  });

  it('a past 1st of the month is accepted (no past-date check)', async () => {
    const res = await createClimate({ end_date: '2020-01-01' });
    expect(res.json.end_date).toBe('2020-01-01');
  });

  it('end_date null is accepted and clears it', async () => {
    const res = await patch(PROJECT_CREDIT.genome, { end_date: null });
    expectStatus(res, 200);
    expect(res.json).toEqual({ ...genomeBody(), end_date: null });
  });

  it('expected_consumption above the value is accepted (no expected-vs-value check)', async () => {
    const res = await createClimate({ value: '10', expected_consumption: '500' });
    expect(res.json).toEqual(
      climateBody(res.json.uuid, {
        value: '10.00000',
        expected_consumption: '500.00000',
        minimal_consumption: 500,
        allocated_customer_credit: 460,
      }),
    );
  });

  it('expected_consumption without a value is accepted (the value defaults to 0)', async () => {
    const res = await createClimate({ expected_consumption: '5' });
    expect(res.json).toMatchObject({ value: '0.00000', expected_consumption: '5.00000' });
  });

  it('linear without end_date is accepted', async () => {
    const res = await createClimate({ minimal_consumption_logic: 'linear' });
    expect(res.json).toEqual(climateBody(res.json.uuid, { minimal_consumption_logic: 'linear' }));
  });

  it('linear with an end_date in the current month is accepted (the customer-credit linear rules are not applied)', async () => {
    const res = await createClimate({ minimal_consumption_logic: 'linear', end_date: '2026-11-01' });
    expect(res.json).toMatchObject({ minimal_consumption_logic: 'linear', end_date: '2026-11-01' });
  });

  it.each<[string, Body, number]>([
    ['grace applied', { expected_consumption: '40', grace_coefficient: '25' }, 30],
    [
      'no grace in the final month (end_date this month)',
      { expected_consumption: '40', grace_coefficient: '25', end_date: '2026-11-01' },
      40,
    ],
    ['not applied', { expected_consumption: '40', grace_coefficient: '25', apply_as_minimal_consumption: false }, 0],
  ])('minimal_consumption (§2.4): %s', async (_case, fields, minimal) => {
    const res = await createClimate({ value: '100', ...fields });
    expect(res.json.minimal_consumption).toBe(minimal);
  });
});

describe('project credits: decimal, choice and date fields (§5.1 under the project-credit fields)', () => {
  const AMOUNT_CASES: [unknown, string][] = [
    ['-1', 'Ensure this value is greater than or equal to 0.'],
    [-0.5, 'Ensure this value is greater than or equal to 0.'],
    ['1.123456', 'Ensure that there are no more than 5 decimal places.'],
    ['123456789012', 'Ensure that there are no more than 11 digits before the decimal point.'],
    ['abc', 'A valid number is required.'],
    ['', 'A valid number is required.'],
  ];
  const cases: [string, unknown, string][] = [
    ...AMOUNT_CASES.map(([v, m]) => ['value', v, m] as [string, unknown, string]),
    ...AMOUNT_CASES.map(([v, m]) => ['expected_consumption', v, m] as [string, unknown, string]),
    ['grace_coefficient', '50.0', 'Ensure that there are no more than 0 decimal places.'],
    ['grace_coefficient', 50.5, 'Ensure that there are no more than 0 decimal places.'],
    ['grace_coefficient', 1000, 'Ensure that there are no more than 3 digits in total.'],
    ['grace_coefficient', 'x', 'A valid number is required.'],
    ['minimal_consumption_logic', 'foo', '"foo" is not a valid choice.'],
    ['end_date', '2027/01/01', 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    ['end_date', '2027-13-01', 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
  ];

  it.each(cases)('%s = %j → 400', async (field, input, message) => {
    const res = await create({ project: projectUrl(PROJECT.climate), [field]: input });
    expectStatus(res, 400);
    expect(res.json).toEqual({ [field]: [message] });
  });

  it.each(cases)('PATCH %s = %j → 400', async (field, input, message) => {
    const res = await patch(PROJECT_CREDIT.genome, { [field]: input });
    expectStatus(res, 400);
    expect(res.json).toEqual({ [field]: [message] });
  });

  it('collects the errors of several fields in one body', async () => {
    const res = await create({ value: '-1', grace_coefficient: '50.0', minimal_consumption_logic: 'foo' });
    expectStatus(res, 400);
    expect(res.json).toEqual({
      value: ['Ensure this value is greater than or equal to 0.'],
      project: ['This field is required.'],
      grace_coefficient: ['Ensure that there are no more than 0 decimal places.'],
      minimal_consumption_logic: ['"foo" is not a valid choice.'],
    });
  });

  it.each<[string, unknown, string]>([
    ['value', '0.00001', '0.00001'],
    ['value', '12.3', '12.30000'],
    ['value', 5, '5.00000'],
    ['expected_consumption', '0', '0.00000'],
    ['expected_consumption', '99999.99999', '99999.99999'],
    ['grace_coefficient', '-5', '-5'],
    ['grace_coefficient', '-999', '-999'],
    ['grace_coefficient', '999', '999'],
    ['grace_coefficient', '50.', '50'],
    ['grace_coefficient', 100, '100'],
  ])('%s = %j is accepted and rendered %j', async (field, input, rendered) => {
    const res = await createClimate({ [field]: input });
    expect(res.json[field]).toBe(rendered);
  });

  it('read-only and unknown fields in a request are ignored', async () => {
    const res = await createClimate({
      value: '1',
      uuid: UNKNOWN,
      url: creditUrl(UNKNOWN),
      customer_credit: '5',
      allocated_customer_credit: 9,
      minimal_consumption: 3,
      offerings: [],
      no_such_field: 'x',
    });
    expect(res.json.uuid).not.toBe(UNKNOWN);
    expect(res.json).toEqual(climateBody(res.json.uuid, { value: '1.00000', allocated_customer_credit: 451 }));
  });
});

describe('project credits: mark_unused_credit_as_spent_on_project_termination (§2.3)', () => {
  it('defaults to false', async () => {
    const res = await createClimate();
    expect(res.json.mark_unused_credit_as_spent_on_project_termination).toBe(false);
  });

  it('can be set to true on create', async () => {
    const res = await createClimate({ mark_unused_credit_as_spent_on_project_termination: true });
    expect(res.json.mark_unused_credit_as_spent_on_project_termination).toBe(true);
    expect((await retrieve(res.json.uuid)).json.mark_unused_credit_as_spent_on_project_termination).toBe(true);
  });

  it('can be switched with PATCH, both ways', async () => {
    const on = await patch(PROJECT_CREDIT.genome, { mark_unused_credit_as_spent_on_project_termination: true });
    expectStatus(on, 200);
    expect(on.json).toEqual({ ...genomeBody(), mark_unused_credit_as_spent_on_project_termination: true });
    const off = await patch(PROJECT_CREDIT.dataLake, { mark_unused_credit_as_spent_on_project_termination: false });
    expectStatus(off, 200);
    expect(off.json).toEqual({ ...dataLakeBody(), mark_unused_credit_as_spent_on_project_termination: false });
  });

  it('a non-boolean → 400 "Must be a valid boolean."', async () => {
    const res = await create({
      project: projectUrl(PROJECT.climate),
      mark_unused_credit_as_spent_on_project_termination: 'maybe',
    });
    expectStatus(res, 400);
    expect(res.json).toEqual({ mark_unused_credit_as_spent_on_project_termination: ['Must be a valid boolean.'] });
  });
});

// ---------------------------------------------------------------------------
// 3. permissions (§5.2 validate_project, §9)
// ---------------------------------------------------------------------------

describe('project credits: permissions', () => {
  const NON_OWNERS = ['support-token', 'manager-token', 'user-token'];

  it.each(NON_OWNERS)('%s: create with a valid project → 403', async (token) => {
    const res = await create({ project: projectUrl(PROJECT.climate), value: '1' }, token);
    expectStatus(res, 403);
    expect(res.json).toEqual(FORBIDDEN);
  });

  it.each(NON_OWNERS)(
    '%s: create with a valid project and an invalid value → still 403 (PermissionDenied is not collected)',
    async (token) => {
      const res = await create({ project: projectUrl(PROJECT.climate), value: '-1' }, token);
      expectStatus(res, 403);
      expect(res.json).toEqual(FORBIDDEN);
    },
  );

  const invalidProject: [string, Body, Body][] = [
    ['missing', { value: '1' }, { project: ['This field is required.'] }],
    ['a bad URL', { project: 'nonsense' }, { project: ['Invalid hyperlink - No URL match.'] }],
    [
      'an unknown project',
      { project: `/api/projects/${UNKNOWN}/` },
      { project: ['Invalid hyperlink - Object does not exist.'] },
    ],
    [
      'a duplicate',
      { project: `/api/projects/${PROJECT.genome}/` },
      { project: ['project credit with this project already exists.'] },
    ],
  ];
  const table = NON_OWNERS.flatMap((token) =>
    invalidProject.map(([what, body, error]) => [token, what, body, error] as const),
  );

  it.each(table)('%s: create with project %s → 400, not 403', async (token, _what, body, error) => {
    const res = await create(body, token);
    expectStatus(res, 400);
    expect(res.json).toEqual(error);
  });

  it("owner-token creates for Alpha's project → 201 (JSON number value, §13.12)", async () => {
    const res = await create({ project: projectUrl(PROJECT.climate), value: 10 }, 'owner-token');
    expectStatus(res, 201);
    expect(res.json).toEqual(climateBody(res.json.uuid, { value: '10.00000', allocated_customer_credit: 460 }));
    expect(res.headers.get('location')).toBe(creditUrl(res.json.uuid));
  });

  it("owner-token creating for Beta's project → 403", async () => {
    const betaProject = await addProject(CUSTOMER.beta, 'Beta Sandbox');
    const res = await create({ project: projectUrl(betaProject), value: '1' }, 'owner-token');
    expectStatus(res, 403);
    expect(res.json).toEqual(FORBIDDEN);
  });

  it("owner-token creating for Delta's project → 403 (not owner; before the model check)", async () => {
    const res = await create({ project: projectUrl(PROJECT.mvp) }, 'owner-token');
    expectStatus(res, 403);
    expect(res.json).toEqual(FORBIDDEN);
  });

  it("owner-token PATCHes Alpha's project credit {value: 7} → 200 (§13.12)", async () => {
    const res = await patch(PROJECT_CREDIT.genome, { value: 7 }, 'owner-token');
    expectStatus(res, 200);
    expect(res.json).toEqual({ ...genomeBody(), value: '7.00000', allocated_customer_credit: 157 });
  });

  it("owner-token PUTs Alpha's project credit → 200", async () => {
    const res = await put(
      PROJECT_CREDIT.dataLake,
      { project: projectUrl(PROJECT.dataLake), value: '100' },
      'owner-token',
    );
    expectStatus(res, 200);
    expect(res.json).toEqual({ ...dataLakeBody(), value: '100.00000', allocated_customer_credit: 400 });
  });

  it("owner-token DELETEs Alpha's project credit → 204", async () => {
    expectStatus(await destroy(PROJECT_CREDIT.dataLake, 'owner-token'), 204);
    expectStatus(await retrieve(PROJECT_CREDIT.dataLake), 404);
  });

  it('owner-token moving a credit to a project of another customer → 403, nothing changed', async () => {
    const betaProject = await addProject(CUSTOMER.beta, 'Beta Sandbox');
    for (const target of [betaProject, PROJECT.teaching]) {
      const res = await patch(PROJECT_CREDIT.genome, { project: projectUrl(target) }, 'owner-token');
      expectStatus(res, 403);
      expect(res.json).toEqual(FORBIDDEN);
    }
    expect((await retrieve(PROJECT_CREDIT.genome)).json).toEqual(genomeBody());
  });

  it('owner-token moving a credit within Alpha → 200', async () => {
    const res = await patch(PROJECT_CREDIT.genome, { project: projectUrl(PROJECT.climate) }, 'owner-token');
    expectStatus(res, 200);
    expect(res.json.project).toBe(projectUrl(PROJECT.climate));
  });

  it("owner-token sees only Alpha's credits; Beta's is 404 for read and write", async () => {
    const res = await list('owner-token');
    expectStatus(res, 200);
    expect(res.json).toEqual([genomeBody(), dataLakeBody()]);
    for (const r of [
      await retrieve(PROJECT_CREDIT.edge, 'owner-token'),
      await patch(PROJECT_CREDIT.edge, { value: '1' }, 'owner-token'),
      await put(PROJECT_CREDIT.edge, { project: projectUrl(PROJECT.edge) }, 'owner-token'),
      await destroy(PROJECT_CREDIT.edge, 'owner-token'),
    ]) {
      expectStatus(r, 404);
      expect(r.json).toEqual(NOT_FOUND);
    }
  });

  it('support-token reads everything', async () => {
    expect((await list('support-token')).json).toEqual([genomeBody(), dataLakeBody(), edgeBody()]);
    expect((await retrieve(PROJECT_CREDIT.edge, 'support-token')).json).toEqual(edgeBody());
  });

  it.each<[string, string, Body | undefined]>([
    ['PUT', 'support-token', { project: `/api/projects/${PROJECT.genome}/`, value: '1' }],
    ['PATCH', 'support-token', { value: '1' }],
    ['DELETE', 'support-token', undefined],
  ])('%s by %s (visible, not owner) → 403', async (method, token, body) => {
    const res = await server.call(method, creditPath(PROJECT_CREDIT.genome), { token, body });
    expectStatus(res, 403);
    expect(res.json).toEqual(FORBIDDEN);
  });

  it.each(['manager-token', 'user-token'])(
    '%s sees no project credits (8.0.5-era: project roles give no access)',
    async (token) => {
      const res = await list(token);
      expectStatus(res, 200);
      expect(res.json).toEqual([]);
      expect(res.headers.get('x-result-count')).toBe('0');
    },
  );

  it.each(
    ['manager-token', 'user-token'].flatMap((token) =>
      (['GET', 'PUT', 'PATCH', 'DELETE'] as const).map((method) => [method, token] as const),
    ),
  )('%s by %s (not visible) → 404', async (method, token) => {
    const body =
      method === 'PUT'
        ? { project: `/api/projects/${PROJECT.genome}/` }
        : method === 'PATCH'
          ? { value: '1' }
          : undefined;
    const res = await server.call(method, creditPath(PROJECT_CREDIT.genome), { token, body });
    expectStatus(res, 404);
    expect(res.json).toEqual(NOT_FOUND);
  });
});

// ---------------------------------------------------------------------------
// 4. exact money
// ---------------------------------------------------------------------------

describe('project credits: exact money', () => {
  it('0.1 + 0.2 is exactly 0.3 in allocated_to_projects and allocated_customer_credit', async () => {
    const cc = await server.call('POST', '/api/customer-credits/', {
      body: { customer: customerUrl(CUSTOMER.epsilon), value: '1' },
    });
    expectStatus(cc, 201);
    const ccUuid = cc.json.uuid as string;
    expect(rawField(cc, 'allocated_to_projects')).toBe('0');

    const p1 = await addProject(CUSTOMER.epsilon, 'Tenth');
    const p2 = await addProject(CUSTOMER.epsilon, 'Fifth');
    const a = await create({ project: projectUrl(p1), value: '0.10000' });
    expectStatus(a, 201);
    expect(rawField(a, 'allocated_customer_credit')).toBe('0.1');
    expect(a.json).toMatchObject({
      value: '0.10000',
      customer_uuid: CUSTOMER.epsilon,
      customer_name: 'Epsilon Foundation',
      customer_slug: 'epsilon-foundation',
      customer_credit: '1.00000',
      offerings: [],
    });
    const b = await create({ project: projectUrl(p2), value: '0.20000' });
    expectStatus(b, 201);
    expect(rawField(b, 'allocated_customer_credit')).toBe('0.3');

    const customerCredit = await server.call('GET', `/api/customer-credits/${ccUuid}/`);
    expectStatus(customerCredit, 200);
    expect(customerCredit.json.url).toBe(customerCreditUrl(ccUuid));
    expect(rawField(customerCredit, 'allocated_to_projects')).toBe('0.3');
    expect(customerCredit.text).not.toContain('0.30000000000000004');

    for (const uuid of [a.json.uuid as string, b.json.uuid as string]) {
      const pc = await retrieve(uuid);
      expectStatus(pc, 200);
      expect(rawField(pc, 'allocated_customer_credit')).toBe('0.3');
    }
    const listed = await server.call('GET', `${LIST}?customer_uuid=${CUSTOMER.epsilon}`);
    expectStatus(listed, 200);
    expect(listed.json).toHaveLength(2);
    expect(listed.text).toContain('"allocated_customer_credit":0.3,');
    expect(listed.text).not.toContain('0.30000000000000004');
  });

  it('fills the organisation credit to the last place: 0.33333 × 3 + 0.00001 = 1', async () => {
    expectStatus(
      await server.call('POST', '/api/customer-credits/', {
        body: { customer: customerUrl(CUSTOMER.epsilon), value: '1' },
      }),
      201,
    );
    const values = ['0.33333', '0.33333', '0.33333', '0.00001'];
    let last: TestResponse | undefined;
    for (const [i, value] of values.entries()) {
      last = await create({ project: projectUrl(await addProject(CUSTOMER.epsilon, `Part ${i}`)), value });
      expectStatus(last, 201);
    }
    expect(rawField(last!, 'allocated_customer_credit')).toBe('1.0');
    const over = await create({
      project: projectUrl(await addProject(CUSTOMER.epsilon, 'One too many')),
      value: '0.00001',
    });
    expectStatus(over, 400);
    expect(over.json).toEqual(SUM_EXCEEDED);
  });
});

// ---------------------------------------------------------------------------
// 5. visibility of project credits without a customer credit (§8.2, §13.11)
// ---------------------------------------------------------------------------

describe('project credits: hidden without a customer credit', () => {
  async function deleteBetaCredit(): Promise<void> {
    expectStatus(await server.call('DELETE', `/api/customer-credits/${CUSTOMER_CREDIT.beta}/`), 204);
  }

  it("deleting Beta's customer credit hides Edge Testbed's project credit from list and detail", async () => {
    await deleteBetaCredit();
    const res = await list();
    expectStatus(res, 200);
    expect(res.json).toEqual([genomeBody(), dataLakeBody()]);
    expect(res.headers.get('x-result-count')).toBe('2');
    const detail = await retrieve(PROJECT_CREDIT.edge);
    expectStatus(detail, 404);
    expect(detail.json).toEqual(NOT_FOUND);
    expect((await retrieve(PROJECT_CREDIT.edge, 'support-token')).status).toBe(404);
  });

  it('a hidden project credit is 404 for PUT, PATCH and DELETE too', async () => {
    await deleteBetaCredit();
    for (const r of [
      await put(PROJECT_CREDIT.edge, { project: projectUrl(PROJECT.edge) }),
      await patch(PROJECT_CREDIT.edge, { value: '1' }),
      await destroy(PROJECT_CREDIT.edge),
    ]) {
      expectStatus(r, 404);
      expect(r.json).toEqual(NOT_FOUND);
    }
  });

  it('creating for a Beta project while Beta has no credit → 400 bare list', async () => {
    await deleteBetaCredit();
    const betaProject = await addProject(CUSTOMER.beta, 'Beta Sandbox');
    const res = await create({ project: projectUrl(betaProject) });
    expectStatus(res, 400);
    expect(res.json).toEqual(NO_CUSTOMER_CREDIT);
  });

  it("re-creating Beta's customer credit brings it back (README choice), against the new credit", async () => {
    await deleteBetaCredit();
    const cc = await server.call('POST', '/api/customer-credits/', {
      body: { customer: customerUrl(CUSTOMER.beta), value: '100' },
    });
    expectStatus(cc, 201);
    const expected = { ...edgeBody(), customer_credit: '100.00000' };
    expect((await retrieve(PROJECT_CREDIT.edge)).json).toEqual(expected);
    expect((await list()).json).toEqual([genomeBody(), dataLakeBody(), expected]);
  });

  it('a re-created customer credit below the orphan allocation still brings it back (no check on the customer side, §2.3)', async () => {
    await deleteBetaCredit();
    expectStatus(
      await server.call('POST', '/api/customer-credits/', {
        body: { customer: customerUrl(CUSTOMER.beta), value: '10' },
      }),
      201,
    );
    expect((await retrieve(PROJECT_CREDIT.edge)).json).toEqual({ ...edgeBody(), customer_credit: '10.00000' });
  });
});

// ---------------------------------------------------------------------------
// 6. one request = one transaction (§10)
// ---------------------------------------------------------------------------

describe('project credits: a rejected request changes nothing', () => {
  const rejected: [string, string, () => string, () => unknown, string, number][] = [
    [
      'POST sum exceeded',
      'POST',
      () => LIST,
      () => ({ project: projectUrl(PROJECT.climate), value: '600' }),
      'staff-token',
      400,
    ],
    [
      'POST no customer credit',
      'POST',
      () => LIST,
      () => ({ project: projectUrl(PROJECT.mvp), value: '1' }),
      'staff-token',
      400,
    ],
    [
      'POST end_date not the 1st',
      'POST',
      () => LIST,
      () => ({ project: projectUrl(PROJECT.climate), value: '1', end_date: '2027-01-02' }),
      'staff-token',
      400,
    ],
    [
      'POST bad fields',
      'POST',
      () => LIST,
      () => ({ project: projectUrl(PROJECT.climate), value: '-1', grace_coefficient: '1.5' }),
      'staff-token',
      400,
    ],
    ['POST duplicate', 'POST', () => LIST, () => ({ project: projectUrl(PROJECT.genome) }), 'staff-token', 400],
    ['POST by support', 'POST', () => LIST, () => ({ project: projectUrl(PROJECT.climate) }), 'support-token', 403],
    [
      'PATCH value with a bad end_date',
      'PATCH',
      () => creditPath(PROJECT_CREDIT.genome),
      () => ({ value: '1', end_date: '2027-01-15' }),
      'staff-token',
      400,
    ],
    [
      'PATCH sum exceeded',
      'PATCH',
      () => creditPath(PROJECT_CREDIT.genome),
      () => ({ value: '900', mark_unused_credit_as_spent_on_project_termination: true }),
      'staff-token',
      400,
    ],
    [
      'PATCH move to Delta',
      'PATCH',
      () => creditPath(PROJECT_CREDIT.genome),
      () => ({ project: projectUrl(PROJECT.mvp), value: '1' }),
      'staff-token',
      400,
    ],
    [
      'PUT value with a bad end_date',
      'PUT',
      () => creditPath(PROJECT_CREDIT.dataLake),
      () => ({ project: projectUrl(PROJECT.dataLake), value: '1', end_date: '2028-02-29' }),
      'staff-token',
      400,
    ],
    [
      'PATCH by owner to another customer',
      'PATCH',
      () => creditPath(PROJECT_CREDIT.genome),
      () => ({ project: projectUrl(PROJECT.teaching), value: '1' }),
      'owner-token',
      403,
    ],
    ['DELETE by support', 'DELETE', () => creditPath(PROJECT_CREDIT.genome), () => undefined, 'support-token', 403],
    ['DELETE by user', 'DELETE', () => creditPath(PROJECT_CREDIT.genome), () => undefined, 'user-token', 404],
  ];

  it.each(rejected)('%s: state deep-equal before and after', async (_name, method, path, body, token, status) => {
    const before = await exportState();
    const res = await server.call(method, path(), { token, body: body() });
    expectStatus(res, status);
    expect(await exportState()).toEqual(before);
  });

  it('all of them in a row leave the state as it was', async () => {
    const before = await exportState();
    for (const [, method, path, body, token, status] of rejected) {
      expectStatus(await server.call(method, path(), { token, body: body() }), status);
    }
    expect(await exportState()).toEqual(before);
  });
});
