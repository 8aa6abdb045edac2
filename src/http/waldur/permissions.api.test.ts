/**
 * Authentication and the permission matrix of docs/behaviour/waldur.md (§9, the
 * 8.0.5-era column), on the default fixtures:
 *
 * - Alpha Research Institute has a customer credit and project credits on
 *   Genome Pipeline and Data Lake; Beta Cloud Lab has one on Edge Testbed;
 *   Gamma University has a customer credit only.
 * - owner-token owns Alpha; manager-token manages the Genome Pipeline project.
 *
 * Every refused write must leave the state (GET /__admin/state) unchanged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

const ROLES = ['staff', 'support', 'owner', 'manager', 'user'] as const;
type Role = (typeof ROLES)[number];
const tokenOf = (role: Role) => `${role}-token`;

const CUSTOMER = {
  alpha: 'f38b2ffc80a44f5a91c9bc701e7ea419',
  beta: 'f3f49249dc284f90a5aec7978306d03b',
  gamma: 'e512148239294d22a255accb1a466884',
  delta: '6bad6be28e7a46e99f19950499dd251d',
};
const PROJECT = {
  genome: '7dabe929c4a344bf86cd75e9bb049a79',
  climate: '70eb9a0a96264ae685e818fac0433cbd',
  edge: '1919e93ad11745ad898893101c593af5',
  teaching: 'e4163207d094499682f0ee99731c9452',
};
/** Customer credits, keyed by their customer. */
const CC = {
  alpha: '864fa3f3eab04e9ba5ed0de47db4304d',
  beta: '90624fe36b8246c9982fb0f1423674a6',
  gamma: '8350a73f7aac419fbb759e0fed1d9d16',
};
/** Project credits, keyed by their project. */
const PC = {
  genome: '93550840067f4cfc8e1fd3d9849acfb5',
  dataLake: 'd1711cbd2106419e840d31b5397a7623',
  edge: '85f184e0b4644554b675299b0c83e786',
};
const UNKNOWN = '0123456789ab4cdef0123456789abcde';

const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const notFound = (model: string) => ({ detail: `No ${model} matches the given query.` });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const state = async () => (await server.call('GET', '/__admin/state', { token: null })).json;
const reset = () => server.call('POST', '/__admin/reset', { token: null });
const link = (kind: string, uuid: string) => `${server.url}/api/${kind}/${uuid}/`;
const uuids = (res: TestResponse) => (res.json as { uuid: string }[]).map((c) => c.uuid);

/** Sends a write as `role`; when the status is a refusal, asserts the state did not move. */
async function write(role: Role, method: string, path: string, body: unknown, expected: number): Promise<TestResponse> {
  const before = await state();
  const res = await server.call(method, path, { token: tokenOf(role), body });
  expect(res.status, `${role} ${method} ${path}: ${res.text}`).toBe(expected);
  if (expected >= 400) expect(await state(), 'a refused write changed the state').toEqual(before);
  return res;
}

// ---------------------------------------------------------------------------
// Authentication (§9)
// ---------------------------------------------------------------------------

describe('authentication', () => {
  const ENDPOINTS = [
    { method: 'GET', path: '/api/customer-credits/' },
    { method: 'HEAD', path: '/api/customer-credits/' },
    { method: 'GET', path: '/api/project-credits/' },
    { method: 'GET', path: `/api/customer-credits/${CC.alpha}/` },
    { method: 'GET', path: `/api/customer-credits/${CC.alpha}/consumptions/` },
    { method: 'POST', path: '/api/customer-credits/' },
    { method: 'DELETE', path: `/api/project-credits/${PC.genome}/` },
  ];
  const NO_CREDENTIALS = 'Authentication credentials were not provided.';
  const REFUSED: {
    credentials: string;
    token: string | null;
    headers?: Record<string, string>;
    query?: string;
    detail: string;
  }[] = [
    { credentials: 'none', token: null, detail: NO_CREDENTIALS },
    { credentials: 'a bad token', token: 'no-such-token', detail: 'Invalid token.' },
    { credentials: 'an inactive user', token: 'inactive-token', detail: 'User inactive or deleted.' },
    { credentials: 'an expired token', token: 'expired-token', detail: 'Token has expired.' },
    {
      credentials: '"Token" with no key',
      token: null,
      headers: { Authorization: 'Token' },
      detail: 'Invalid token. No credentials provided.',
    },
    {
      credentials: 'another scheme (Bearer)',
      token: null,
      headers: { Authorization: 'Bearer staff-token' },
      detail: NO_CREDENTIALS,
    },
    { credentials: 'a bad x-auth-token', token: null, query: '?x-auth-token=no-such-token', detail: 'Invalid token.' },
  ];

  beforeEach(reset);

  it.each(REFUSED.flatMap((c) => ENDPOINTS.map((e) => ({ ...c, ...e }))))(
    '$credentials: $method $path → 401 with WWW-Authenticate: Token',
    async ({ method, path, token, headers, query, detail }) => {
      const before = await state();
      const body = method === 'POST' ? { customer: link('customers', CUSTOMER.delta), value: '500.00' } : undefined;
      const res = await server.call(method, `${path}${query ?? ''}`, { token, headers, body });
      expect(res.status, res.text).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Token');
      if (method !== 'HEAD') expect(res.json).toEqual({ detail });
      expect(await state()).toEqual(before);
    },
  );

  it.each<{ credentials: string; path: string; headers: Record<string, string>; visible: number }>([
    {
      credentials: '?x-auth-token=staff-token',
      path: '/api/customer-credits/?x-auth-token=staff-token',
      headers: {},
      visible: 3,
    },
    {
      credentials: '?x-auth-token=owner-token',
      path: '/api/customer-credits/?x-auth-token=owner-token',
      headers: {},
      visible: 1,
    },
    {
      credentials: 'keyword "token"',
      path: '/api/customer-credits/',
      headers: { Authorization: 'token staff-token' },
      visible: 3,
    },
    {
      credentials: 'keyword "TOKEN"',
      path: '/api/customer-credits/',
      headers: { Authorization: 'TOKEN staff-token' },
      visible: 3,
    },
  ])('$credentials authenticates', async ({ path, headers, visible }) => {
    const res = await server.call('GET', path, { token: null, headers });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toHaveLength(visible);
  });
});

// ---------------------------------------------------------------------------
// CustomerCredit (§9 permission matrix)
// ---------------------------------------------------------------------------

/** The customer credits each role sees, in creation order. */
const CC_VISIBLE: Record<Role, string[]> = {
  staff: [CC.alpha, CC.beta, CC.gamma],
  support: [CC.alpha, CC.beta, CC.gamma],
  owner: [CC.alpha],
  manager: [],
  user: [],
};

describe('CustomerCredit reads', () => {
  it.each(ROLES)('%s: GET and HEAD on the list show the credits of its scope', async (role) => {
    const token = tokenOf(role);
    const get = await server.call('GET', '/api/customer-credits/', { token });
    expect(get.status).toBe(200);
    expect(uuids(get)).toEqual(CC_VISIBLE[role]);
    expect(get.headers.get('x-result-count')).toBe(String(CC_VISIBLE[role].length));
    const head = await server.call('HEAD', '/api/customer-credits/', { token });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-result-count')).toBe(String(CC_VISIBLE[role].length));
    expect(head.text).toBe('');
  });

  const DETAIL_READS = [
    { op: 'GET', method: 'GET', suffix: '' },
    { op: 'HEAD', method: 'HEAD', suffix: '' },
    { op: 'GET consumptions', method: 'GET', suffix: 'consumptions/' },
  ];
  it.each(
    ROLES.flatMap((role) =>
      Object.entries(CC).flatMap(([customer, uuid]) =>
        DETAIL_READS.map((r) => ({ role, customer, uuid, ...r, visible: CC_VISIBLE[role].includes(uuid) })),
      ),
    ),
  )('$role: $op on the $customer credit → visible: $visible', async ({ role, uuid, method, suffix, visible }) => {
    const res = await server.call(method, `/api/customer-credits/${uuid}/${suffix}`, { token: tokenOf(role) });
    expect(res.status, res.text).toBe(visible ? 200 : 404);
    if (method === 'HEAD') expect(res.text).toBe('');
    else if (!visible) expect(res.json).toEqual(notFound('CustomerCredit'));
    else if (suffix === '') expect(res.json.uuid).toBe(uuid);
    else expect(Array.isArray(res.json)).toBe(true);
  });
});

interface Write {
  op: string;
  method: string;
  path: (uuid: string) => string;
  body?: (customer: string) => unknown;
}
const CC_CREATE: Write = {
  op: 'create',
  method: 'POST',
  path: () => '/api/customer-credits/',
  body: () => ({ customer: link('customers', CUSTOMER.delta), value: '500.00' }),
};
const CC_DETAIL_WRITES: Write[] = [
  {
    op: 'PUT',
    method: 'PUT',
    path: (u) => `/api/customer-credits/${u}/`,
    body: (c) => ({ customer: link('customers', c), value: '1200.00' }),
  },
  { op: 'PATCH', method: 'PATCH', path: (u) => `/api/customer-credits/${u}/`, body: () => ({ value: '1100.00' }) },
  { op: 'DELETE', method: 'DELETE', path: (u) => `/api/customer-credits/${u}/` },
  { op: 'apply_compensations', method: 'POST', path: (u) => `/api/customer-credits/${u}/apply_compensations/` },
  { op: 'clear_compensations', method: 'POST', path: (u) => `/api/customer-credits/${u}/clear_compensations/` },
];
const CC_TARGETS = [
  { target: 'Alpha credit', uuid: CC.alpha, customer: CUSTOMER.alpha },
  { target: 'Beta credit', uuid: CC.beta, customer: CUSTOMER.beta },
  { target: 'an unknown uuid', uuid: UNKNOWN, customer: CUSTOMER.alpha },
];
const SUCCESS: Record<string, number> = { POST: 200, PUT: 200, PATCH: 200, DELETE: 204 };

describe('CustomerCredit writes', () => {
  beforeEach(reset);

  it('staff: create → 201', async () => {
    await write('staff', 'POST', CC_CREATE.path(''), CC_CREATE.body!(''), 201);
  });

  it.each(CC_DETAIL_WRITES.flatMap((w) => CC_TARGETS.map((t) => ({ ...w, ...t }))))(
    'staff: $op on $target',
    async ({ method, path, body, uuid, customer }) => {
      await write('staff', method, path(uuid), body?.(customer), uuid === UNKNOWN ? 404 : SUCCESS[method]!);
    },
  );

  const OTHERS = ROLES.filter((r) => r !== 'staff');
  it.each(OTHERS)('%s: create → 403 (also with an empty body: the check comes first)', async (role) => {
    const res = await write(role, 'POST', CC_CREATE.path(''), CC_CREATE.body!(''), 403);
    expect(res.json).toEqual(FORBIDDEN);
    expect((await write(role, 'POST', CC_CREATE.path(''), {}, 403)).json).toEqual(FORBIDDEN);
  });

  it.each(OTHERS.flatMap((role) => CC_DETAIL_WRITES.flatMap((w) => CC_TARGETS.map((t) => ({ role, ...w, ...t })))))(
    '$role: $op on $target → 403 before the lookup',
    async ({ role, method, path, body, uuid, customer }) => {
      expect((await write(role, method, path(uuid), body?.(customer), 403)).json).toEqual(FORBIDDEN);
    },
  );
});

// ---------------------------------------------------------------------------
// ProjectCredit (§9 permission matrix)
// ---------------------------------------------------------------------------

/** The project credits each role sees, in creation order. */
const PC_VISIBLE: Record<Role, string[]> = {
  staff: [PC.genome, PC.dataLake, PC.edge],
  support: [PC.genome, PC.dataLake, PC.edge],
  owner: [PC.genome, PC.dataLake],
  manager: [],
  user: [],
};

describe('ProjectCredit reads', () => {
  it.each(ROLES)('%s: GET and HEAD on the list show the credits of its scope', async (role) => {
    const token = tokenOf(role);
    const get = await server.call('GET', '/api/project-credits/', { token });
    expect(get.status).toBe(200);
    expect(uuids(get)).toEqual(PC_VISIBLE[role]);
    expect(get.headers.get('x-result-count')).toBe(String(PC_VISIBLE[role].length));
    const head = await server.call('HEAD', '/api/project-credits/', { token });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-result-count')).toBe(String(PC_VISIBLE[role].length));
  });

  it.each(
    ROLES.flatMap((role) =>
      Object.entries(PC).map(([project, uuid]) => ({ role, project, uuid, visible: PC_VISIBLE[role].includes(uuid) })),
    ),
  )('$role: GET the $project credit → visible: $visible', async ({ role, uuid, visible }) => {
    const res = await server.call('GET', `/api/project-credits/${uuid}/`, { token: tokenOf(role) });
    expect(res.status, res.text).toBe(visible ? 200 : 404);
    expect(res.json).toEqual(visible ? expect.objectContaining({ uuid }) : notFound('ProjectCredit'));
  });
});

/** Expected status for each role, in the order of ROLES: staff, support, owner, manager, user. */
type ByRole = [number, number, number, number, number];
const PC_WRITES: { op: string; target: string; method: string; path: string; body?: () => unknown; status: ByRole }[] =
  [
    ...[
      { target: 'Climate Model (Alpha)', project: PROJECT.climate, status: [201, 403, 201, 403, 403] as ByRole },
      { target: 'Teaching Cluster (Gamma)', project: PROJECT.teaching, status: [201, 403, 403, 403, 403] as ByRole },
    ].map(({ target, project, status }) => ({
      op: 'create',
      target,
      method: 'POST',
      path: '/api/project-credits/',
      body: () => ({ project: link('projects', project), value: '100.00' }),
      status,
    })),
    ...[
      {
        target: 'Genome Pipeline credit (Alpha)',
        uuid: PC.genome,
        project: PROJECT.genome,
        visible: [200, 403, 200, 404, 404],
      },
      {
        target: 'Edge Testbed credit (Beta)',
        uuid: PC.edge,
        project: PROJECT.edge,
        visible: [200, 403, 404, 404, 404],
      },
      { target: 'an unknown uuid', uuid: UNKNOWN, project: PROJECT.genome, visible: [404, 404, 404, 404, 404] },
    ].flatMap(({ target, uuid, project, visible }) =>
      [
        { op: 'PUT', method: 'PUT', body: () => ({ project: link('projects', project), value: '100.00' }) },
        { op: 'PATCH', method: 'PATCH', body: () => ({ value: '40.00' }) },
        { op: 'DELETE', method: 'DELETE' },
      ].map((w) => ({
        ...w,
        target,
        path: `/api/project-credits/${uuid}/`,
        status: visible.map((s) => (s === 200 && w.method === 'DELETE' ? 204 : s)) as ByRole,
      })),
    ),
  ];

describe('ProjectCredit writes', () => {
  beforeEach(reset);

  it.each(PC_WRITES.flatMap((w) => ROLES.map((role, i) => ({ role, ...w, expected: w.status[i]! }))))(
    '$role: $op on $target → $expected',
    async ({ role, method, path, body, expected }) => {
      const res = await write(role, method, path, body?.(), expected);
      if (expected === 403) expect(res.json).toEqual(FORBIDDEN);
      if (expected === 404) expect(res.json).toEqual(notFound('ProjectCredit'));
    },
  );
});
