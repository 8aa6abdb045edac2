import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect } from 'vitest';
import { check, expectContractUnlessDeviating, expectStatus } from '../support/check.js';
import { call, type Reply } from '../support/http.js';
import { cleanUpAfterAll, createCredit, mustCreate, pathOf, type CreditBody } from '../support/waldur-data.js';
import { target } from '../support/target.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';
import { IS_81 } from '../support/waldur-version.js';

/**
 * Authentication (docs/behaviour/waldur.md §9) and the permission matrix of Waldur 8.0.5
 * (§9, the 8.0.5-era column): who sees which credits, and who may write them.
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld; // null without a world: the writing checks then do not run
});
cleanUpAfterAll();

const randomHex = () => randomBytes(16).toString('hex');

function expectDetail(res: Reply, detail?: string): void {
  const body = res.body as { detail?: unknown } | undefined;
  expect(typeof body?.detail, `expected a {"detail": "..."} body, got: ${res.text.slice(0, 300)}`).toBe('string');
  if (detail !== undefined) expect(body!.detail).toBe(detail);
}

function expectUnauthorized(res: Reply, operationId: string, detail: string): void {
  expectStatus(res, 401);
  expectContractUnlessDeviating(operationId, res);
  expect(res.headers['www-authenticate'], 'a 401 without WWW-Authenticate').toMatch(/^Token\b/i);
  expectDetail(res, detail);
}

describe('authentication', () => {
  check('customer_credits_list', 'no credentials: 401 with WWW-Authenticate: Token and a detail', async () => {
    expectUnauthorized(
      await call('GET', '/api/customer-credits/', { token: null }),
      'customer_credits_list',
      'Authentication credentials were not provided.',
    );
    expectUnauthorized(
      await call('GET', '/api/project-credits/', { token: null }),
      'project_credits_list',
      'Authentication credentials were not provided.',
    );
  });

  check('customer_credits_retrieve', 'no credentials: 401 before the lookup, even for an unknown uuid', async () => {
    expectUnauthorized(
      await call('GET', `/api/customer-credits/${randomHex()}/`, { token: null }),
      'customer_credits_retrieve',
      'Authentication credentials were not provided.',
    );
    expectUnauthorized(
      await call('GET', `/api/project-credits/${randomHex()}/`, { token: null }),
      'project_credits_retrieve',
      'Authentication credentials were not provided.',
    );
  });

  check(
    'customer_credits_create',
    'no credentials: 401, not 403 or 400',
    async () => {
      // Through createCredit (token null: no credentials) so that a wrongly accepted create is cleaned up.
      const res = await createCredit(
        'customer',
        { customer: world.customers[2]!.url, value: '1' },
        null as unknown as string,
      );
      expectUnauthorized(res, 'customer_credits_create', 'Authentication credentials were not provided.');
      const project = await createCredit(
        'project',
        { project: world.projects[2]!.url, value: '1' },
        null as unknown as string,
      );
      expectUnauthorized(project, 'project_credits_create', 'Authentication credentials were not provided.');
    },
    { writes: true },
  );

  check('customer_credits_list', 'a bad token: 401 Invalid token.', async () => {
    const bad = `conformance-bad-${randomHex()}`;
    expectUnauthorized(
      await call('GET', '/api/customer-credits/', { token: bad }),
      'customer_credits_list',
      'Invalid token.',
    );
    expectUnauthorized(
      await call('GET', '/api/project-credits/', { token: bad }),
      'project_credits_list',
      'Invalid token.',
    );
    expectUnauthorized(
      await call('GET', `/api/customer-credits/?x-auth-token=${bad}`, { token: null }),
      'customer_credits_list',
      'Invalid token.',
    );
  });

  check('customer_credits_list', 'the keyword Token without a key: 401', async () => {
    const res = await call('GET', '/api/customer-credits/', { token: null, headers: { Authorization: 'Token' } });
    expectUnauthorized(res, 'customer_credits_list', 'Invalid token. No credentials provided.');
  });

  check('customer_credits_list', 'the keyword is case-insensitive (Authorization: token <key>)', async () => {
    const res = await call('GET', '/api/customer-credits/?page_size=1', {
      token: null,
      headers: { Authorization: `token ${target.token}` },
    });
    expectStatus(res, 200);
    expectContractUnlessDeviating('customer_credits_list', res);
  });

  check('customer_credits_list', '?x-auth-token=<key> authenticates like the header', async () => {
    const byHeader = await call('GET', '/api/customer-credits/?page_size=1');
    expectStatus(byHeader, 200);
    for (const kind of ['customer', 'project']) {
      const byHead = await call('GET', `/api/${kind}-credits/?page_size=1`);
      const byQuery = await call(
        'GET',
        `/api/${kind}-credits/?page_size=1&x-auth-token=${encodeURIComponent(target.token)}`,
        { token: null },
      );
      expectStatus(byQuery, 200);
      expectContractUnlessDeviating(`${kind}_credits_list`, byQuery);
      expect(
        byQuery.headers['x-result-count'],
        `${kind} credits: X-Result-Count differs between header and query authentication`,
      ).toBe(byHead.headers['x-result-count']);
    }
  });
});

// ------------------------------------------------------ permission matrix

type Role = 'support' | 'owner' | 'manager' | 'user';
const ROLES: Role[] = ['support', 'owner', 'manager', 'user'];

/** The role's token; a role the world lacks is a configuration failure, never a pass. */
function tokenOf(role: Role): string {
  const token = world.tokens[role];
  if (!token) throw new Error(`no ${role} token configured`);
  return token;
}

/**
 * The data the matrix is checked on, created by staff:
 * A = credit of customers[0] (the owner's customer), B = credit of customers[1];
 * PA = project credit of projects[0] (under customers[0]; the manager manages that project),
 * PB = project credit of projects[3] (under customers[1]).
 */
interface Data {
  A: CreditBody;
  B: CreditBody;
  PA: CreditBody;
  PB: CreditBody;
}

/**
 * Which of the data each role sees (8.0.5: project roles give no access to
 * credits; 8.1: a project role reads its project's credit, docs/behaviour/waldur-8.1.md §3.4,
 * what it is shown is checked in waldur-8.1/).
 */
const SEES: Record<Role, Record<keyof Data, boolean>> = {
  support: { A: true, B: true, PA: true, PB: true },
  owner: { A: true, B: false, PA: true, PB: false },
  manager: { A: false, B: false, PA: IS_81, PB: false },
  user: { A: false, B: false, PA: false, PB: false },
};

describe(IS_81 ? 'permissions (Waldur 8.1)' : 'permissions (Waldur 8.0.5)', () => {
  let data: Data | undefined;
  const made = (): Data => {
    if (!data) throw new Error('setup: the credits were not created (the first check of this block failed)');
    return data;
  };
  /** Staff's view of a credit, to prove a refused write changed nothing. */
  const staffView = async (credit: CreditBody) => {
    const res = await call('GET', pathOf(credit.url));
    expectStatus(res, 200);
    return res.body;
  };

  check(
    'customer_credits_create',
    'staff creates the credits the matrix is checked on',
    async () => {
      const [c0, c1] = world.customers;
      const [p0, , , p3] = world.projects;
      const A = await mustCreate('customer', { customer: c0!.url, value: '100' });
      const B = await mustCreate('customer', { customer: c1!.url, value: '50' });
      const PA = await mustCreate('project', { project: p0!.url, value: '10' });
      const PB = await mustCreate('project', { project: p3!.url, value: '5' });
      data = { A, B, PA, PB };
    },
    { writes: true },
  );

  for (const role of ROLES) {
    const sees = SEES[role];
    const seen = (keys: (keyof Data)[]) => keys.filter((k) => sees[k]).join(', ') || 'none';

    check(
      'customer_credits_list',
      `${role}: lists the world's customer credits it may see (${seen(['A', 'B'])})`,
      async () => {
        const token = tokenOf(role);
        const d = made();
        for (const key of ['A', 'B'] as const) {
          const res = await call('GET', `/api/customer-credits/?customer_uuid=${d[key].customer_uuid as string}`, {
            token,
          });
          expectStatus(res, 200);
          expectContractUnlessDeviating('customer_credits_list', res);
          expect(
            (res.body as CreditBody[]).map((c) => c.uuid),
            `${role} listing ${key}`,
          ).toEqual(sees[key] ? [d[key].uuid] : []);
        }
        const all = await call('GET', '/api/customer-credits/?page_size=300', { token });
        expectStatus(all, 200);
        expectContractUnlessDeviating('customer_credits_list', all);
        const listed = all.body as CreditBody[];
        const worldCustomers = new Set(world.customers.map((c) => c.uuid));
        const foreign = listed.filter(
          (c) =>
            worldCustomers.has(c.customer_uuid as string) &&
            !(sees.A && c.customer_uuid === d.A.customer_uuid) &&
            !(sees.B && c.customer_uuid === d.B.customer_uuid),
        );
        expect(
          foreign.map((c) => c.customer_name),
          `${role} lists world credits it may not see`,
        ).toEqual([]);
        if (world.provisioned === 'admin' && role !== 'support') {
          // The provisioned users hold no other roles: the owner sees its customer only, the others nothing.
          const expected = role === 'owner' ? [d.A.customer_uuid] : [];
          expect([...new Set(listed.map((c) => c.customer_uuid))], `${role} lists credits of other customers`).toEqual(
            expected,
          );
          expect(all.headers['x-result-count']).toBe(String(expected.length));
        }
      },
      { writes: true },
    );

    check(
      'customer_credits_retrieve',
      `${role}: a visible credit is 200, an invisible one 404`,
      async () => {
        const token = tokenOf(role);
        const d = made();
        for (const key of ['A', 'B'] as const) {
          const res = await call('GET', pathOf(d[key].url), { token });
          expectStatus(res, sees[key] ? 200 : 404);
          expectContractUnlessDeviating('customer_credits_retrieve', res);
          if (sees[key]) expect((res.body as CreditBody).uuid).toBe(d[key].uuid);
          else expectDetail(res);
        }
      },
      { writes: true },
    );

    check(
      'project_credits_list',
      `${role}: lists the world's project credits it may see (${seen(['PA', 'PB'])})`,
      async () => {
        const token = tokenOf(role);
        const d = made();
        for (const key of ['PA', 'PB'] as const) {
          const res = await call('GET', `/api/project-credits/?project_uuid=${d[key].project_uuid as string}`, {
            token,
          });
          expectStatus(res, 200);
          expectContractUnlessDeviating('project_credits_list', res);
          expect(
            (res.body as CreditBody[]).map((c) => c.uuid),
            `${role} listing ${key}`,
          ).toEqual(sees[key] ? [d[key].uuid] : []);
        }
        if (world.provisioned === 'admin' && role !== 'support') {
          const all = await call('GET', '/api/project-credits/?page_size=300', { token });
          expectStatus(all, 200);
          const listed = all.body as CreditBody[];
          const expected = role === 'owner' || (IS_81 && role === 'manager') ? [d.A.customer_uuid] : [];
          expect(
            [...new Set(listed.map((c) => c.customer_uuid))],
            `${role} lists project credits of other customers`,
          ).toEqual(expected);
        }
      },
      { writes: true },
    );

    check(
      'project_credits_retrieve',
      `${role}: a visible project credit is 200, an invisible one 404`,
      async () => {
        const token = tokenOf(role);
        const d = made();
        for (const key of ['PA', 'PB'] as const) {
          const res = await call('GET', pathOf(d[key].url), { token });
          expectStatus(res, sees[key] ? 200 : 404);
          expectContractUnlessDeviating('project_credits_retrieve', res);
          if (sees[key]) expect((res.body as CreditBody).uuid).toBe(d[key].uuid);
          else expectDetail(res);
        }
      },
      { writes: true },
    );

    check(
      'customer_credits_create',
      `${role}: 403`,
      async () => {
        const token = tokenOf(role);
        made();
        for (const customer of [world.customers[2]!, world.customers[0]!]) {
          const res = await createCredit('customer', { customer: customer.url, value: '1' }, token);
          expectStatus(res, 403);
          expectContractUnlessDeviating('customer_credits_create', res);
          expectDetail(res);
        }
        const none = await call('GET', `/api/customer-credits/?customer_uuid=${world.customers[2]!.uuid}`);
        expect(none.body, 'a refused create left a credit behind').toEqual([]);
      },
      { writes: true },
    );

    for (const [method, op] of [
      ['PATCH', 'customer_credits_partial_update'],
      ['PUT', 'customer_credits_update'],
      ['DELETE', 'customer_credits_destroy'],
    ] as const) {
      check(
        op,
        `${role}: 403 on a visible, an invisible and an unknown credit; nothing changes`,
        async () => {
          const token = tokenOf(role);
          const d = made();
          const before = { A: await staffView(d.A), B: await staffView(d.B) };
          const body = method === 'DELETE' ? undefined : { customer: world.customers[0]!.url, value: '1' };
          for (const path of [pathOf(d.A.url), pathOf(d.B.url), `/api/customer-credits/${randomHex()}/`]) {
            const res = await call(method, path, { token, body });
            expect(res.status, `${role} ${method} ${path}: ${res.text.slice(0, 200)}`).toBe(403);
            expectContractUnlessDeviating(op, res);
            expectDetail(res);
          }
          expect(await staffView(d.A), 'A changed').toEqual(before.A);
          expect(await staffView(d.B), 'B changed').toEqual(before.B);
        },
        { writes: true },
      );
    }

    if (role === 'owner') {
      check(
        'project_credits_create',
        'owner: 201 on a project of its customer',
        async () => {
          made();
          const res = await createCredit('project', { project: world.projects[1]!.url, value: '1' }, tokenOf(role));
          expectStatus(res, 201);
          expectContractUnlessDeviating('project_credits_create', res);
          expect((res.body as CreditBody).project_uuid).toBe(world.projects[1]!.uuid);
        },
        { writes: true },
      );

      check(
        'project_credits_partial_update',
        'owner: 200 on its own project credit, 404 on an invisible one',
        async () => {
          const token = tokenOf(role);
          const d = made();
          const own = await call('PATCH', pathOf(d.PA.url), { token, body: { expected_consumption: '1' } });
          expectStatus(own, 200);
          expectContractUnlessDeviating('project_credits_partial_update', own);
          expect((own.body as CreditBody).expected_consumption).toBe('1.00000');
          const back = await call('PATCH', pathOf(d.PA.url), { body: { expected_consumption: '0' } });
          expectStatus(back, 200);
          const before = await staffView(d.PB);
          const other = await call('PATCH', pathOf(d.PB.url), { token, body: { expected_consumption: '1' } });
          expectStatus(other, 404);
          expectContractUnlessDeviating('project_credits_partial_update', other);
          expect(await staffView(d.PB), 'PB changed').toEqual(before);
        },
        { writes: true },
      );

      check(
        'project_credits_destroy',
        'owner: 204 on its own project credit, 404 on an invisible one',
        async () => {
          const token = tokenOf(role);
          const d = made();
          const before = await staffView(d.PB);
          const other = await call('DELETE', pathOf(d.PB.url), { token });
          expectStatus(other, 404);
          expectContractUnlessDeviating('project_credits_destroy', other);
          expect(await staffView(d.PB), 'PB changed').toEqual(before);
          const mine = await call('GET', `/api/project-credits/?project_uuid=${world.projects[1]!.uuid}`);
          const created = (mine.body as CreditBody[])[0];
          if (!created)
            throw new Error('setup: the project credit the owner created is not there (the create check failed)');
          const res = await call('DELETE', pathOf(created.url), { token });
          expectStatus(res, 204);
          expect(res.text).toBe('');
          expectStatus(await call('GET', pathOf(created.url)), 404);
        },
        { writes: true },
      );
    } else {
      // support sees the project credits but owns nothing: 403; project roles and no role see nothing: 404 (lookup first).
      // 8.1: a project role sees its project's credit and owns nothing: 403 there, 404 on the others (docs/behaviour/waldur-8.1.md §9).
      const writeStatus = role === 'support' ? 403 : 404;
      const writeStatusOn = (key: 'PA' | 'PB') => (IS_81 && role === 'manager' && key === 'PA' ? 403 : writeStatus);

      check(
        'project_credits_create',
        `${role}: 403`,
        async () => {
          made();
          const res = await createCredit('project', { project: world.projects[2]!.url, value: '1' }, tokenOf(role));
          expectStatus(res, 403);
          expectContractUnlessDeviating('project_credits_create', res);
          expectDetail(res);
          const none = await call('GET', `/api/project-credits/?project_uuid=${world.projects[2]!.uuid}`);
          expect(none.body, 'a refused create left a project credit behind').toEqual([]);
        },
        { writes: true },
      );

      for (const [method, op] of [
        ['PATCH', 'project_credits_partial_update'],
        ['PUT', 'project_credits_update'],
        ['DELETE', 'project_credits_destroy'],
      ] as const) {
        const statuses =
          IS_81 && role === 'manager' ? "403 on its project's credit, 404 on another" : String(writeStatus);
        check(
          op,
          `${role}: ${statuses} on the world's project credits; nothing changes`,
          async () => {
            const token = tokenOf(role);
            const d = made();
            for (const key of ['PA', 'PB'] as const) {
              const before = await staffView(d[key]);
              const body = method === 'DELETE' ? undefined : { project: d[key].project as string, value: '1' };
              const res = await call(method, pathOf(d[key].url), { token, body });
              expect(res.status, `${role} ${method} ${key}: ${res.text.slice(0, 200)}`).toBe(writeStatusOn(key));
              expectContractUnlessDeviating(op, res);
              expectDetail(res);
              expect(await staffView(d[key]), `${key} changed`).toEqual(before);
            }
          },
          { writes: true },
        );
      }
    }
  }
});
