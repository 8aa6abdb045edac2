import { generateSync, type JsonSchema } from 'json-schema-faker';
import { beforeAll, describe, expect } from 'vitest';
import { malformedJson, prng as seededPrng, specSchemas } from '../support/generated.js';
import { check } from '../support/check.js';
import { call, type Reply } from '../support/http.js';
import { contractProblems } from '../support/schema.js';
import { target } from '../support/target.js';
import { cleanUpAfterAll, createCredit, mustCreate, pathOf, remove, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';
import { WALDUR_SPEC } from '../support/waldur-version.js';

/**
 * Robustness: a deterministic batch of invalid requests. Bodies are generated
 * from the request schemas of specs/waldur-credits.yaml with json-schema-faker
 * (seeded), repaired into valid ones, then broken in exactly one way that the
 * docs/behaviour/waldur.md (§5, §9, §8) says is invalid. Every answer must be a 4xx in DRF's
 * error shape, and afterwards the world's credits must be exactly as before.
 *
 * The seed is fixed; CONFORMANCE_SEED overrides it. Every failure message
 * names the seed and the request's index, so a failure reproduces.
 */
const SEED = Number(process.env.CONFORMANCE_SEED ?? 20261122);
/** Invalid bodies per operation (6 operations). */
const PER_OPERATION = 10;
/** Junk query strings per list. */
const PER_LIST = 10;

let world: WaldurWorld;
let schemas: Record<string, JsonSchema>;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld; // null without a world: the writing checks then do not run
  schemas = await specSchemas(WALDUR_SPEC);
});
cleanUpAfterAll();

// ------------------------------------------------------------ randomness

/** The shared seeded source, plus what this file's broken values need. */
function prng(seed: number) {
  const base = seededPrng(seed);
  const int = base.int;
  return {
    ...base,
    hex: (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join(''),
    digits: (n: number) =>
      Array.from({ length: n }, (_, i) => String(i === n - 1 || i === 0 ? int(1, 9) : int(0, 9))).join(''),
  };
}
type Rnd = ReturnType<typeof prng>;

// ------------------------------------------------------------ operations

type Kind = 'customer' | 'project';
interface Operation {
  id: string;
  kind: Kind;
  method: 'POST' | 'PUT' | 'PATCH';
  schema: string;
}
const OPERATIONS: Operation[] = [
  { id: 'customer_credits_create', kind: 'customer', method: 'POST', schema: 'CreateCustomerCreditRequest' },
  { id: 'customer_credits_update', kind: 'customer', method: 'PUT', schema: 'CreateCustomerCreditRequest' },
  {
    id: 'customer_credits_partial_update',
    kind: 'customer',
    method: 'PATCH',
    schema: 'PatchedCreateCustomerCreditRequest',
  },
  { id: 'project_credits_create', kind: 'project', method: 'POST', schema: 'ProjectCreditRequest' },
  { id: 'project_credits_update', kind: 'project', method: 'PUT', schema: 'ProjectCreditRequest' },
  { id: 'project_credits_partial_update', kind: 'project', method: 'PATCH', schema: 'PatchedProjectCreditRequest' },
];

/** The credits the updates aim at, and the objects a create aims at (without a credit). */
interface Targets {
  credit: Record<Kind, CreditBody>;
  createFor: Record<Kind, string>;
}

const link = (kind: Kind) => kind; // the hyperlink field: `customer` or `project`
const DECIMALS = ['value', 'expected_consumption'];
const BOOLEANS = ['apply_as_minimal_consumption', 'mark_unused_credit_as_spent_on_project_termination'];

/** The writable fields of an operation's request schema. */
function fieldsOf(op: Operation): string[] {
  return Object.keys((schemas[op.schema] as { properties: object }).properties);
}

const futureFirst = (rnd: Rnd) =>
  `${new Date().getUTCFullYear() + rnd.int(2, 5)}-${String(rnd.int(1, 12)).padStart(2, '0')}-01`;
const amount = (rnd: Rnd, lo: number, hi: number) => `${rnd.int(lo, hi)}.${String(rnd.int(0, 99999)).padStart(5, '0')}`;

/**
 * A valid body for the operation: json-schema-faker picks the fields and their
 * raw values; each is then repaired into a value docs/behaviour/waldur.md accepts (the
 * faker knows nothing of hyperlinks that must exist or of cross-field rules).
 */
function validBody(op: Operation, t: Targets, seed: number): Record<string, unknown> {
  const raw = generateSync(schemas[op.schema]!, { seed }) as Record<string, unknown>;
  const rnd = prng(seed);
  const ownLink = op.method === 'POST' ? t.createFor[op.kind] : (t.credit[op.kind][link(op.kind)] as string);
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (field === link(op.kind)) body[field] = ownLink;
    else if (field === 'offerings') body[field] = [];
    // Customer credits: value >= 100 > expected_consumption (also against the stored 1000 on PATCH).
    // Project credits: small, within what the customer credit leaves.
    else if (field === 'value') body[field] = op.kind === 'customer' ? amount(rnd, 100, 999) : amount(rnd, 0, 4);
    else if (field === 'expected_consumption') body[field] = amount(rnd, 0, 49);
    else if (field === 'end_date') body[field] = rnd.bool() ? null : futureFirst(rnd);
    else if (field === 'minimal_consumption_logic') body[field] = value === 'linear' ? 'linear' : 'fixed';
    else if (field === 'grace_coefficient') body[field] = String(rnd.int(0, 100));
    else if (BOOLEANS.includes(field)) body[field] = typeof value === 'boolean' ? value : rnd.bool();
  }
  if (op.method !== 'PATCH') body[link(op.kind)] = ownLink;
  if (op.kind === 'customer' && 'expected_consumption' in body && !('value' in body))
    body.value = amount(rnd, 100, 999);
  if (body.minimal_consumption_logic === 'linear') body.end_date = futureFirst(rnd);
  return body;
}

// ------------------------------------------------------------ the breaks

/** What an invalid request must get: 400 naming the field, any 400, a parse error, or 415. */
type Expect = { kind: 'field'; field: string } | { kind: 'any400' } | { kind: 'parse400' } | { kind: '415' };

interface Broken {
  how: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  expect: Expect;
}

interface Breaker {
  name: string;
  /** The fields it can break for this operation ([] = it breaks the whole body); undefined = not applicable. */
  fields: (op: Operation) => string[] | undefined;
  make: (base: Record<string, unknown>, op: Operation, field: string, rnd: Rnd) => Broken;
}

const withField = (base: Record<string, unknown>, field: string, value: unknown) => ({ ...base, [field]: value });
const present = (op: Operation, names: string[]) => {
  const xs = fieldsOf(op).filter((f) => names.includes(f));
  return xs.length ? xs : undefined;
};
const fieldError = (base: Record<string, unknown>, field: string, value: unknown, how: string): Broken => ({
  how,
  body: withField(base, field, value),
  expect: { kind: 'field', field },
});
const unknownUuid = (rnd: Rnd) => rnd.hex(32);

function formEncode(body: Record<string, unknown>): string {
  return Object.entries(body)
    .filter(([, v]) => v !== null && !Array.isArray(v))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

function multipart(body: Record<string, unknown>, boundary: string): string {
  const parts = Object.entries(body)
    .filter(([, v]) => v !== null && !Array.isArray(v))
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${String(v)}\r\n`);
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** String values that are invalid for a field by themselves (used in JSON and in forms). */
function badString(field: string, rnd: Rnd): string {
  if (DECIMALS.includes(field)) {
    return rnd.pick([
      `${rnd.int(0, 99)}.${rnd.digits(rnd.int(6, 9))}`, // more than 5 places
      rnd.digits(12), // more than 11 digits before the point
      `-${rnd.int(1, 999)}.5`, // below 0
      rnd.pick(['abc', '12.5.3', '1,5', 'NaN', 'Infinity', '-Infinity', '0x10', '1e', '--1']),
    ]);
  }
  if (field === 'grace_coefficient') return rnd.pick(['50.5', '1000', '-1000', '0.5', '12.25', 'abc', 'NaN']);
  if (field === 'end_date')
    return rnd.pick([
      '2030-13-01',
      '2030-02-30',
      '01/03/2030',
      '2030-1-1x',
      'tomorrow',
      `${new Date().getUTCFullYear() + 2}-05-17`,
    ]);
  if (field === 'minimal_consumption_logic') return rnd.pick(['Fixed', 'LINEAR', 'constant', 'fixe', '1']);
  if (BOOLEANS.includes(field)) return rnd.pick(['maybe', '2', 'nope', 'truthy', '-1']);
  throw new Error(`no invalid string for ${field}`);
}

const STRING_FIELDS = [...DECIMALS, 'grace_coefficient', 'end_date', 'minimal_consumption_logic', ...BOOLEANS];
const NON_NULLABLE = [
  ...DECIMALS,
  'grace_coefficient',
  'minimal_consumption_logic',
  ...BOOLEANS,
  'customer',
  'project',
];

const BREAKERS: Breaker[] = [
  {
    name: 'decimal with more than 5 places',
    fields: (op) => present(op, DECIMALS),
    make: (base, _op, field, rnd) =>
      fieldError(base, field, `${rnd.int(0, 99)}.${rnd.digits(rnd.int(6, 9))}`, 'too many places'),
  },
  {
    name: 'decimal with more than 11 digits before the point',
    fields: (op) => present(op, DECIMALS),
    make: (base, _op, field, rnd) =>
      fieldError(base, field, rnd.bool() ? rnd.digits(12) : `${rnd.digits(rnd.int(12, 20))}.5`, 'too many digits'),
  },
  {
    name: 'negative amount',
    fields: (op) => present(op, DECIMALS),
    make: (base, _op, field, rnd) => fieldError(base, field, `-${rnd.int(1, 999)}.${rnd.int(1, 9)}`, 'below 0'),
  },
  {
    name: 'not a number',
    fields: (op) => present(op, [...DECIMALS, 'grace_coefficient']),
    make: (base, _op, field, rnd) =>
      fieldError(
        base,
        field,
        rnd.pick(['abc', '12.5.3', '1,5', 'NaN', 'Infinity', '-Infinity', '0x10', '1e', '--1']),
        'not a number',
      ),
  },
  {
    name: 'grace coefficient with places or more than 3 digits',
    fields: (op) => present(op, ['grace_coefficient']),
    make: (base, _op, field, rnd) =>
      fieldError(base, field, rnd.pick(['50.5', '1000', '-1000', '0.5', '12.25']), 'grace precision'),
  },
  {
    name: 'wrong JSON type',
    fields: (op) => fieldsOf(op),
    make: (base, op, field, rnd) => {
      const byField: Record<string, unknown[]> = {
        offerings: ['not-a-list', 42, true],
        end_date: [20300101, true, [], { year: 2030 }],
        minimal_consumption_logic: [1, true, [], { fixed: true }, ''],
        customer: [42, true, [], {}, 1.5],
        project: [42, true, [], {}, 1.5],
      };
      const choices =
        byField[field] ?? (BOOLEANS.includes(field) ? [2, -1, [], {}, 'maybe'] : [true, false, [], {}, ['1']]);
      return fieldError(base, field, rnd.pick(choices), `wrong type for ${op.kind} ${field}`);
    },
  },
  {
    name: 'unknown or mismatched hyperlink',
    fields: (op) => (op.kind === 'customer' ? ['customer', 'offerings'] : ['project']),
    make: (base, op, field, rnd) => {
      const uuid = unknownUuid(rnd);
      if (field === 'offerings') {
        return fieldError(
          base,
          field,
          rnd.pick([
            [`${target.url}/api/marketplace-provider-offerings/${uuid}/`],
            ['not a url'],
            [`${target.url}/api/customers/${uuid}/`],
          ]),
          'unknown offering',
        );
      }
      const other = op.kind === 'customer' ? 'projects' : 'customers';
      return fieldError(
        base,
        field,
        rnd.pick([
          `${target.url}/api/${field}s/${uuid}/`,
          `/api/${field}s/${uuid}/`,
          `${target.url}/api/${other}/${uuid}/`,
          `${target.url}/api/${op.kind}-credits/`,
          'not a url',
        ]),
        'unknown hyperlink',
      );
    },
  },
  {
    name: 'huge string',
    fields: (op) => fieldsOf(op).filter((f) => f !== 'offerings'),
    make: (base, _op, field, rnd) => {
      const n = rnd.int(20_000, 200_000);
      let value: string;
      if (DECIMALS.includes(field) || field === 'grace_coefficient') value = '9'.repeat(n);
      else if (field === 'end_date') value = `2030-01-01${'x'.repeat(n)}`;
      else if (field === 'customer' || field === 'project') value = 'z'.repeat(n);
      else value = 'linear'.repeat(Math.ceil(n / 6));
      return fieldError(base, field, value, `huge string (${value.length} characters)`);
    },
  },
  {
    name: 'nested junk',
    fields: (op) => fieldsOf(op),
    make: (base, _op, field, rnd) => {
      const junk = { a: { b: [1, { c: null, d: [[[rnd.int(0, 9)]]] }], e: 'x'.repeat(rnd.int(1, 50)) } };
      return fieldError(base, field, field === 'offerings' ? [junk] : junk, 'nested junk');
    },
  },
  {
    name: 'null for a field that may not be null',
    fields: (op) => present(op, NON_NULLABLE),
    make: (base, _op, field) => fieldError(base, field, null, 'null'),
  },
  {
    name: 'required hyperlink missing',
    fields: (op) => (op.method === 'PATCH' ? undefined : [link(op.kind)]),
    make: (base, _op, field) => {
      const body = { ...base };
      delete body[field];
      return { how: `no ${field}`, body, expect: { kind: 'field', field } };
    },
  },
  {
    name: 'an array instead of an object',
    fields: () => [],
    make: (base, _op, _field, rnd) => ({
      how: 'array body',
      body: rnd.pick([[base], [], [base, base]]),
      expect: { kind: 'any400' },
    }),
  },
  {
    name: 'a JSON scalar instead of an object',
    fields: () => [],
    make: (_base, _op, _field, rnd) => ({
      how: 'scalar body',
      body: rnd.pick(['text', 42, true, 'x'.repeat(rnd.int(1, 1000))]),
      expect: { kind: 'any400' },
    }),
  },
  {
    name: 'malformed JSON text',
    fields: () => [],
    make: (base, _op, _field, rnd) => ({
      how: 'malformed JSON',
      raw: malformedJson(base, 'value', rnd),
      contentType: 'application/json',
      expect: { kind: 'parse400' },
    }),
  },
  {
    name: 'an unsupported content type',
    fields: () => [],
    make: (base, _op, _field, rnd) => ({
      how: 'unsupported content type',
      raw: JSON.stringify(base),
      contentType: rnd.pick(['text/plain', 'application/xml', 'text/csv', 'application/yaml', 'image/png']),
      expect: { kind: '415' },
    }),
  },
  {
    name: 'JSON text sent as a form',
    // A form whose only key is the JSON text: the required hyperlink is missing. (On PATCH it would be a valid no-op.)
    fields: (op) => (op.method === 'PATCH' ? undefined : [link(op.kind)]),
    make: (base, _op, field) => ({
      how: 'JSON as application/x-www-form-urlencoded',
      raw: JSON.stringify(base).replace(/[&=]/g, ''),
      contentType: 'application/x-www-form-urlencoded',
      expect: { kind: 'field', field },
    }),
  },
  {
    name: 'a form with an invalid field',
    fields: (op) => present(op, STRING_FIELDS),
    make: (base, _op, field, rnd) => {
      const body = withField(base, field, badString(field, rnd));
      if (rnd.bool())
        return {
          how: 'form-urlencoded',
          raw: formEncode(body),
          contentType: 'application/x-www-form-urlencoded',
          expect: { kind: 'field', field },
        };
      const boundary = `conformance${rnd.hex(16)}`;
      return {
        how: 'multipart',
        raw: multipart(body, boundary),
        contentType: `multipart/form-data; boundary=${boundary}`,
        expect: { kind: 'field', field },
      };
    },
  },
  {
    name: 'multipart without a boundary',
    fields: () => [],
    make: (base) => ({
      how: 'multipart without boundary',
      raw: JSON.stringify(base),
      contentType: 'multipart/form-data',
      expect: { kind: 'parse400' },
    }),
  },
];

// ------------------------------------------------------------ the verdicts

const isMessages = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');

/** Why a body is not one of DRF's error shapes, or undefined when it is one. */
function drfShapeProblem(res: Reply): string | undefined {
  const body = res.body;
  if (body === undefined) return `the body is not JSON: ${res.text.slice(0, 120)}`;
  if (Array.isArray(body)) return isMessages(body) ? undefined : 'an array body that is not a list of messages';
  if (body === null || typeof body !== 'object') return `a JSON ${typeof body} body`;
  const entries = Object.entries(body);
  if (entries.length === 0) return 'an empty error object';
  if ('detail' in body)
    return typeof (body as { detail: unknown }).detail === 'string' && entries.length === 1
      ? undefined
      : '"detail" with other keys or not a string';
  for (const [key, v] of entries) {
    const nested =
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Object.values(v).length > 0 &&
      Object.values(v).every(isMessages);
    if (!isMessages(v) && typeof v !== 'string' && !nested)
      return `field "${key}" has no list of messages: ${JSON.stringify(v).slice(0, 80)}`;
  }
  return undefined;
}

/** The problems of one answer to an invalid request ([] when it is right). */
function verdict(
  operationId: string,
  res: Reply,
  expected: Expect | 'page404' | { kind: 'param'; param: string },
): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`a server error ${res.status}`);
  else if (res.status < 400) problems.push(`accepted with ${res.status}`);
  if (problems.length) return [...problems, `body: ${res.text.slice(0, 200)}`];
  const shape = drfShapeProblem(res);
  if (shape) problems.push(`not a DRF error body: ${shape}`);
  problems.push(...contractProblems(operationId, res));
  const keys = res.body && typeof res.body === 'object' && !Array.isArray(res.body) ? Object.keys(res.body) : [];
  const want = (status: number) => res.status !== status && problems.push(`expected ${status}, got ${res.status}`);
  if (expected === 'page404') {
    want(404);
    if (JSON.stringify(res.body) !== '{"detail":"Invalid page."}') problems.push('expected {"detail":"Invalid page."}');
  } else if (expected.kind === 'param') {
    want(400);
    if (!keys.includes(expected.param)) problems.push(`the errors do not name ${expected.param}`);
  } else if (expected.kind === 'field') {
    want(400);
    if (!keys.includes(expected.field)) problems.push(`the errors do not name ${expected.field}`);
  } else if (expected.kind === 'any400') {
    want(400);
  } else if (expected.kind === 'parse400') {
    want(400);
    if (keys.join() !== 'detail') problems.push('a parse error without {"detail": ...}');
  } else if (expected.kind === '415') {
    want(415);
  }
  return problems.length ? [...problems, `body: ${res.text.slice(0, 200)}`] : [];
}

const describeRequest = (b: Broken) => {
  const payload = b.raw ?? JSON.stringify(b.body);
  return `${b.how}${b.contentType ? ` (${b.contentType})` : ''}: ${payload.length > 160 ? `${payload.slice(0, 160)}… [${payload.length} chars]` : payload}`;
};

// ------------------------------------------------------------ the checks

/** Every credit of the world's customers, both kinds, as staff sees them. */
async function snapshot(): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const c of world.customers) {
    for (const kind of ['customer', 'project'] as const) {
      const res = await call('GET', `/api/${kind}-credits/?customer_uuid=${c.uuid}&page_size=300`);
      if (res.status !== 200) throw new Error(`snapshot: listing ${kind} credits of ${c.uuid} gave ${res.status}`);
      out[`${kind}:${c.uuid}`] = res.body;
    }
  }
  return JSON.stringify(out, null, 1);
}

describe('robustness: generated invalid requests', () => {
  let targets: Targets | undefined;
  let before: string | undefined;
  const ready = (): Targets => {
    if (!targets) throw new Error('setup: the target credits were not created (the first check of this block failed)');
    return targets;
  };

  check(
    'customer_credits_create',
    'creates the credits the invalid requests aim at',
    async () => {
      const credit = await mustCreate('customer', {
        customer: world.customers[0]!.url,
        value: '1000',
        expected_consumption: '10',
      });
      const projectCredit = await mustCreate('project', { project: world.projects[0]!.url, value: '10' });
      targets = {
        credit: { customer: credit, project: projectCredit },
        createFor: { customer: world.customers[2]!.url, project: world.projects[2]!.url },
      };
      before = await snapshot();
    },
    { writes: true },
  );

  for (const [opIndex, op] of OPERATIONS.entries()) {
    check(
      op.id,
      `${PER_OPERATION} generated invalid bodies are each refused with a 4xx in DRF's shape (seed ${SEED})`,
      async () => {
        const t = ready();
        const failures: string[] = [];
        const applicable = BREAKERS.filter((b) => b.fields(op) !== undefined);
        for (let i = 0; i < PER_OPERATION; i++) {
          const seed = (SEED + opIndex * 1000 + i) >>> 0;
          const rnd = prng(seed ^ 0x9e3779b9);
          const breaker = applicable[(i + opIndex * PER_OPERATION) % applicable.length]!;
          const fields = breaker.fields(op)!;
          const field = fields.length ? rnd.pick(fields) : '';
          const broken = breaker.make(validBody(op, t, seed), op, field, rnd);
          const url = op.method === 'POST' ? `/api/${op.kind}-credits/` : pathOf(t.credit[op.kind].url);
          const headers = broken.contentType ? { 'Content-Type': broken.contentType } : undefined;
          let res: Reply;
          if (op.method === 'POST' && broken.raw === undefined)
            res = await createCredit(op.kind, broken.body as Record<string, unknown>);
          else
            res = await call(
              op.method,
              url,
              broken.raw !== undefined ? { raw: broken.raw, headers } : { body: broken.body, headers },
            );
          // A create that was wrongly accepted is a failure (below); its credit is deleted at once.
          const made = res.body as CreditBody | undefined;
          if (op.method === 'POST' && res.status === 201 && made?.url) await remove(made.url);
          const problems = verdict(op.id, res, broken.expect);
          if (problems.length) {
            failures.push(
              `#${i} [${breaker.name}${field ? ` → ${field}` : ''}] ${op.method} ${url} ${describeRequest(broken)}\n      → ${res.status}: ${problems.join('; ')}`,
            );
          }
        }
        expect(
          failures,
          `seed ${SEED} (CONFORMANCE_SEED=${SEED} reproduces): ${failures.length} of ${PER_OPERATION} invalid requests were mishandled:\n  ${failures.join('\n  ')}`,
        ).toEqual([]);
      },
      { writes: true },
    );
  }

  check(
    'customer_credits_list',
    `the world's credits are exactly as before the invalid requests`,
    async () => {
      ready();
      expect(await snapshot(), `seed ${SEED}: an invalid request changed data`).toBe(before);
    },
    { writes: true },
  );
});

describe('robustness: junk query strings on the lists (read-only)', () => {
  for (const [listIndex, kind] of (['customer', 'project'] as const).entries()) {
    const operationId = `${kind}_credits_list`;
    check(
      operationId,
      `${PER_LIST} generated junk query strings are each refused with 400 or 404 in DRF's shape (seed ${SEED})`,
      async () => {
        const failures: string[] = [];
        const uuidParams = kind === 'customer' ? ['customer_uuid'] : ['customer_uuid', 'project_uuid'];
        const foreignKeys =
          kind === 'customer' ? ['project_name', '-project_name'] : ['customer_name', '-customer_name'];
        for (let i = 0; i < PER_LIST; i++) {
          const seed = (SEED + 100_000 + listIndex * 1000 + i) >>> 0;
          const rnd = prng(seed);
          const word = String(generateSync({ type: 'string', pattern: '^[a-z][a-z_]{2,14}$' }, { seed }));
          // A valid extra filter, so that the junk is not alone.
          const extra = rnd.bool() ? `&query=${rnd.hex(4)}` : '';
          let query: string;
          let expected: 'page404' | { kind: 'param'; param: string };
          switch (i % 3) {
            case 0: {
              const junk = rnd.pick([
                `${word}_x`,
                `-${word}_x`,
                rnd.pick(foreignKeys),
                `value,${word}_x`,
                'VALUE',
                '--value',
                '-',
                `value;${word}`,
                `${word}_x`.repeat(rnd.int(10, 200)),
              ]);
              query = `o=${encodeURIComponent(junk)}`;
              expected = { kind: 'param', param: 'o' };
              break;
            }
            case 1: {
              const param = rnd.pick(uuidParams);
              const junk = rnd.pick([
                rnd.hex(31),
                rnd.hex(33),
                `${rnd.hex(28)}${word.slice(0, 4).padEnd(4, 'z').replace(/[a-f]/g, 'x')}`,
                `' OR 1=1 --`,
                `${word}`,
                `g${rnd.hex(31).replace(/[0-9]/g, 'g')}`,
              ]);
              query = `${param}=${encodeURIComponent(junk)}`;
              expected = { kind: 'param', param };
              break;
            }
            default: {
              const junk = rnd.pick(['0', '-1', 'abc', '1.5', '99999999', '1e3', word, `${rnd.int(2, 9)}x`]);
              query = `page=${encodeURIComponent(junk)}`;
              expected = 'page404';
            }
          }
          const path = `/api/${kind}-credits/?${query}${extra}`;
          const res = await call('GET', path);
          const problems = verdict(operationId, res, expected);
          if (problems.length)
            failures.push(`#${i} GET ${path.slice(0, 200)}\n      → ${res.status}: ${problems.join('; ')}`);
        }
        expect(
          failures,
          `seed ${SEED} (CONFORMANCE_SEED=${SEED} reproduces): ${failures.length} of ${PER_LIST} junk queries were mishandled:\n  ${failures.join('\n  ')}`,
        ).toEqual([]);
      },
    );
  }
});
