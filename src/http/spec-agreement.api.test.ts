/**
 * The specs and the code agree, checked over HTTP against the running mock,
 * driven by each spec (specs/waldur-credits.yaml, its 8.1 profile
 * specs/waldur-credits-8.1.yaml when present, specs/maple-credits.yaml,
 * specs/admin.yaml):
 * - every operation of the spec is served (the journal names it, or the admin
 *   API answers it), and every handler the code has is an operation of the spec;
 * - every query parameter is honoured: some value of it changes the answer or is refused;
 * - a body is refused without a field exactly when the spec makes the body
 *   invalid without it (probe: a valid body, then without each of its fields).
 * Rules the spec can only state in prose are listed below with their reason,
 * and the list is checked too (an entry that no longer differs fails).
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRouter } from './admin/admin.routes.js';
import { createSessionsRouter } from './admin/sessions.routes.js';
import { MAPLE_OPERATION_IDS } from './maple/faults.js';
import { mapleHandlers } from './maple/maple.handlers.js';
import type { SessionRegistry } from './sessions.js';
import { customerCreditHandlers } from './waldur/customer-credits.handlers.js';
import { creditTransactionHandlers } from './waldur/credit-transactions.handlers.js';
import { projectCreditHandlers } from './waldur/project-credits.handlers.js';
import { WALDUR_OPERATION_IDS } from './waldur/waldur.faults.js';
import { adminSchema } from '../fixtures/admin-spec.js';
import { startTestServer, type TestResponse, type TestServer } from '../test-support/mock-server.js';
import {
  anonymousParams,
  candidateValues,
  expressRoutes,
  specOperations,
  specPresent,
  type SpecOperation,
} from '../test-support/spec-operations.js';
import {
  ACME,
  ALPHA,
  ALPHA_PROJECT_WITHOUT_CREDIT,
  IGNORED_BY_DESIGN,
  NORTHWIND,
  PROSE_RULES,
  VALID,
  type Ids,
} from '../test-support/spec-agreement-cases.js';

type Api = 'waldur' | 'maple' | 'admin';
interface Target {
  file: string;
  api: Api;
  /** The Waldur version profile the session is switched to (POST /__admin/waldur/settings). */
  profile?: string;
}
const TARGETS: Target[] = [
  { file: 'waldur-credits.yaml', api: 'waldur' },
  { file: 'waldur-credits-8.1.yaml', api: 'waldur', profile: '8.1' },
  { file: 'maple-credits.yaml', api: 'maple' },
  { file: 'admin.yaml', api: 'admin' },
];

let server: TestServer;
let ids: Ids;
beforeAll(async () => {
  server = await startTestServer();
  const state = (await server.call('GET', '/__admin/state', { token: null })).json as {
    waldur: {
      customer_credits: { uuid: string; customer: string }[];
      project_credits: { uuid: string; project: string }[];
    };
    maple: { companies: { id: string; credits: { id: string }[] }[] };
  };
  ids = {
    customerCredit: state.waldur.customer_credits.find((c) => c.customer === ALPHA)!,
    projectCredit: state.waldur.project_credits[0]!,
    project: ALPHA_PROJECT_WITHOUT_CREDIT,
    mapleCredit: state.maple.companies.find((c) => c.id === ACME)!.credits[0]!.id,
  };
});
afterAll(() => server.close());

/** Calls the target's API (Waldur as staff, Maple with the Acme token, the admin API bare) under `prefix`. */
function caller(t: Target, prefix: string) {
  return (method: string, path: string, body?: unknown): Promise<TestResponse> => {
    if (t.api === 'maple') return server.maple(method, `${prefix}${path}`, { body });
    return server.call(method, `${prefix}${path}`, t.api === 'admin' ? { token: null, body } : { body });
  };
}

/** The start state again in the session (with the target's profile), and what a route needs made first. */
async function fresh(t: Target, prefix: string, op?: SpecOperation): Promise<void> {
  expect((await server.call('POST', `${prefix}/__admin/reset`, { token: null })).status).toBe(200);
  if (t.profile)
    expect(
      (await server.call('POST', `${prefix}/__admin/waldur/settings`, { token: null, body: { version: t.profile } }))
        .status,
    ).toBe(200);
  if (op?.path.startsWith('/__admin/waldur/invoices/{uuid}')) {
    const made = await server.call('POST', `${prefix}/__admin/waldur/invoices`, {
      token: null,
      body: { customer: ALPHA, year: 2026, month: 11 },
    });
    ids.invoice = made.json.uuid as string;
  }
}

/** The spec path with real ids of the start state. */
function fill(specPath: string): string {
  return specPath.replace(/\{([^}]+)\}/g, (_all, name: string) => {
    if (name === 'uuid') {
      if (specPath.startsWith('/api/customer-credits/')) return ids.customerCredit.uuid;
      if (specPath.startsWith('/api/project-credits/')) return ids.projectCredit.uuid;
      if (specPath.startsWith('/__admin/waldur/invoices/')) return ids.invoice ?? '0123456789abcdef0123456789abcdef';
      if (specPath.startsWith('/__admin/waldur/projects/')) return '0123456789abcdef0123456789abcdef';
      if (specPath.startsWith('/api/credit-transactions/')) return '0123456789abcdef0123456789abcdef'; // no row yet: its 404 is still the operation's
    }
    const known: Record<string, string> = {
      company_id: ACME,
      id: ids.mapleCredit,
      customer: NORTHWIND,
      name: 'agreement-none',
    };
    if (known[name] === undefined) throw new Error(`${specPath}: the agreement test knows no value for {${name}}`);
    return known[name];
  });
}

/** The operationIds (or admin routes) the code serves, to compare with the spec's. */
function served(t: Target): { spec: (op: SpecOperation) => string; code: string[] } | null {
  // The Waldur handlers serve every profile: the newest spec (8.1) names them all; 8.0.5's operations are a subset, checked over HTTP above.
  if (t.api === 'waldur' && !t.profile) return null;
  if (t.api === 'waldur') {
    const handlers = {
      ...customerCreditHandlers({} as never, {} as never),
      ...projectCreditHandlers({} as never),
      ...creditTransactionHandlers({} as never),
    };
    return { spec: (op) => op.operationId, code: Object.keys(handlers) };
  }
  if (t.api === 'maple') return { spec: (op) => op.operationId, code: Object.keys(mapleHandlers({} as never)) };
  const routes = [
    ...expressRoutes(createAdminRouter(), '/__admin'),
    ...expressRoutes(createSessionsRouter({} as SessionRegistry), '/__admin/sessions'),
  ];
  return { spec: (op) => `${op.method} ${anonymousParams(op.path)}`, code: [...new Set(routes)] };
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });

describe.each(TARGETS)('$file', (t) => {
  const present = specPresent(t.file);
  const session = `/__session/agree-${t.api}${t.profile ? `-${t.profile.replace(/\W/g, '')}` : ''}`;
  let ops: SpecOperation[] = [];
  beforeAll(async () => {
    if (present) ops = await specOperations(t.file);
  });

  it.skipIf(!present)('serves every operation of the spec, and has no handler the spec does not list', async () => {
    // The admin routes are probed outside a session (/__admin/sessions lives only there), with ids that name nothing.
    const prefix = t.api === 'admin' ? '' : session;
    await fresh(t, prefix);
    const call = caller(t, prefix);
    const unserved: string[] = [];
    for (const op of ops) {
      const res = await call(
        op.method,
        t.api === 'admin' ? op.path.replace(/\{[^}]+\}/g, 'agreement-none') : fill(op.path),
      );
      if (t.api === 'admin') {
        if (res.json?.error === 'no such admin route') unserved.push(`${op.method} ${op.path}`);
        continue;
      }
      const last = (await server.call('GET', `${prefix}/__admin/requests?limit=1`, { token: null })).json.requests[0];
      if (last?.operation !== op.operationId)
        unserved.push(
          `${op.operationId}: ${op.method} ${op.path} was taken for ${String(last?.operation)} (${res.status})`,
        );
    }
    expect(unserved).toEqual([]);
    const code = served(t);
    if (code) {
      const spec = ops.map(code.spec);
      expect(
        code.code.filter((c) => !spec.includes(c)),
        'handlers the spec does not list',
      ).toEqual([]);
      expect(
        spec.filter((s) => !code.code.includes(s)),
        'operations without a handler',
      ).toEqual([]);
    }
  });

  it.skipIf(!present)('honours every query parameter of the spec', async () => {
    await fresh(t, session);
    const call = caller(t, session);
    // Something for the admin lists to list: an invoice, and journal entries.
    await server.call('POST', `${session}/__admin/waldur/invoices`, {
      token: null,
      body: { customer: ALPHA, year: 2026, month: 11 },
    });
    await server.call('GET', `${session}/api/customer-credits/`);
    await server.maple('GET', `${session}/api/v1/companies/${ACME}/credits/check_balance/${NORTHWIND}`);
    const answer = async (op: SpecOperation, query: string) => {
      const res = await call(op.method, `${fill(op.path)}${query}`);
      return `${res.status} ${res.headers.get('x-result-count')} ${res.headers.get('link')} ${res.text}`;
    };
    const ignored: string[] = [];
    for (const op of ops.filter((o) => o.query.length > 0 && (o.method === 'GET' || o.method === 'HEAD'))) {
      const before = await answer(op, '');
      expect(await answer(op, ''), `${op.operationId} answers the same twice`).toBe(before);
      for (const param of op.query) {
        let changed = false;
        for (const value of candidateValues(param.schema)) {
          if ((await answer(op, `?${encodeURIComponent(param.name)}=${encodeURIComponent(value)}`)) !== before) {
            changed = true;
            break;
          }
        }
        const key = `${op.operationId} ${param.name}`;
        if (changed === (IGNORED_BY_DESIGN[key] !== undefined))
          ignored.push(
            changed ? `${key} is honoured now: take it off IGNORED_BY_DESIGN` : `${op.operationId} ?${param.name}`,
          );
      }
    }
    expect(ignored, 'query parameters no value of which changes the answer').toEqual([]);
  });

  it.skipIf(!present)('refuses a body without a field exactly when the spec does', async () => {
    const call = caller(t, session);
    const disagree: string[] = [];
    const seen = new Set<string>();
    const noBody: string[] = [];
    for (const op of ops.filter((o) => o.body)) {
      const valid = (VALID[op.operationId]?.(ids) ?? op.body!.example) as Record<string, unknown> | undefined;
      if (valid === undefined) {
        noBody.push(op.operationId);
        continue;
      }
      const validate = ajv.compile(op.body!.schema);
      const send = async (body: unknown) => {
        await fresh(t, session, op);
        return call(op.method, fill(op.path), body);
      };
      const ok = await send(valid);
      expect(
        [validate(valid), ok.status < 400],
        `${op.operationId}: the valid body ${JSON.stringify(valid)} → ${ok.status} ${ok.text.slice(0, 300)}`,
      ).toEqual([true, true]);
      for (const field of Object.keys(valid)) {
        const { [field]: _dropped, ...without } = valid;
        const specTakes = validate(without);
        const res = await send(without);
        if (specTakes === res.status < 400) continue;
        const key = `${op.operationId} ${field}`;
        if (PROSE_RULES[key]) seen.add(key);
        else
          disagree.push(
            `${key}: the spec ${specTakes ? 'takes' : 'refuses'} the body without it, the mock answers ${res.status} ${res.text.slice(0, 200)}`,
          );
      }
    }
    expect(noBody, 'operations with a body but no valid example (give one in the spec, or in VALID)').toEqual([]);
    expect(disagree).toEqual([]);
    const mine = Object.keys(PROSE_RULES).filter((k) => ops.some((o) => o.operationId === k.split(' ')[0]));
    expect(
      mine.filter((k) => !seen.has(k)),
      'prose rules that no longer differ from the schema',
    ).toEqual([]);
  });
});

describe("the lists the code keeps of the specs' operations", () => {
  it('match the operationIds of the Waldur (every profile) and Maple specs, and the admin fault schemas name them', async () => {
    // Every Waldur profile's operations (the 8.1 spec's too, when present).
    const profiles = TARGETS.filter((t) => t.api === 'waldur' && specPresent(t.file));
    const waldur = [
      ...new Set((await Promise.all(profiles.map((t) => specOperations(t.file)))).flat().map((o) => o.operationId)),
    ];
    const maple = (await specOperations('maple-credits.yaml')).map((o) => o.operationId);
    expect([...WALDUR_OPERATION_IDS].sort()).toEqual([...waldur].sort());
    expect([...MAPLE_OPERATION_IDS].sort()).toEqual([...maple].sort());
    const enumOf = (name: 'NewWaldurFault' | 'NewMapleFault') =>
      (adminSchema(name).properties as Record<string, { enum: string[] }>)['operation']!.enum;
    expect([...enumOf('NewWaldurFault')].sort()).toEqual([...waldur].sort());
    expect([...enumOf('NewMapleFault')].sort()).toEqual([...maple].sort());
  });
});
