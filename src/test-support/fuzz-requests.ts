/**
 * Generated requests over every operation of the three specs (Waldur, Maple,
 * the control API): valid bodies made by json-schema-faker from the spec's
 * request schemas, then mutated; odd JSON; junk query parameters (every
 * Object.prototype name as name and value); odd headers; wrong methods.
 * One seed gives one exact list of requests.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { generateSync, type JsonSchema } from 'json-schema-faker';
import { loadSpec } from '../http/openapi.js';
import {
  GOOD_HOSTS,
  METHODS,
  ODD_AUTH,
  ODD_CONTENT_TYPES,
  ODD_HOSTS,
  ODD_KEYS,
  ODD_ORIGINS,
  PROTO_NAMES,
  objectWith,
  oddJsonText,
  oddValue,
  prng,
  toJson,
  type Rnd,
} from './fuzz-values.js';

export type Api = 'waldur' | 'maple' | 'admin';

export interface FuzzOperation {
  api: Api;
  operationId: string;
  method: string;
  /** The path template, e.g. /api/customer-credits/{uuid}/. */
  path: string;
  query: string[];
  body?: JsonSchema;
  /** Every method the path answers. */
  methods: string[];
}

export interface FuzzRequest {
  label: string;
  api: Api;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What the generator fills path parameters and references with: ids that exist, mostly. */
export interface Known {
  waldur: {
    customerCredits: string[];
    projectCredits: string[];
    customers: string[];
    projects: string[];
    tokens: string[];
  };
  maple: { companies: string[]; credits: string[]; customers: string[]; tokens: string[] };
}

const SPECS: [Api, string][] = [
  ['waldur', 'waldur-credits.yaml'],
  ['maple', 'maple-credits.yaml'],
  ['admin', 'admin.yaml'],
];

interface Param {
  name: string;
  in: string;
}
interface Op {
  operationId?: string;
  parameters?: Param[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

/** Every operation of the three specs (or of the specs given), $refs resolved. */
export async function loadOperations(specs: readonly [Api, string][] = SPECS): Promise<FuzzOperation[]> {
  const out: FuzzOperation[] = [];
  for (const [api, file] of specs) {
    const doc = (await SwaggerParser.dereference(loadSpec(file) as never)) as unknown as {
      paths: Record<string, Record<string, Op>>;
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      const methods = Object.keys(item)
        .filter((m) => METHODS.includes(m.toUpperCase()))
        .map((m) => m.toUpperCase());
      for (const method of methods) {
        const op = item[method.toLowerCase()]!;
        const params = [...((item as { parameters?: Param[] }).parameters ?? []), ...(op.parameters ?? [])];
        const content = op.requestBody?.content;
        const body = content?.['application/json']?.schema ?? Object.values(content ?? {})[0]?.schema;
        out.push({
          api,
          operationId: op.operationId ?? `${method} ${path}`,
          method,
          path,
          methods,
          query: params.filter((p) => p.in === 'query').map((p) => p.name),
          body,
        });
      }
    }
  }
  return out;
}

const hex = (rnd: Rnd, n = 32) => Array.from({ length: n }, () => '0123456789abcdef'[rnd.int(0, 15)]).join('');
const dashed = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
const JUNK_SEGMENTS = [...PROTO_NAMES, '%00', '..', '%2e%2e', 'x'.repeat(300), '%F0%9F%99%82', '%ff', '-', '0'];

function pathValue(rnd: Rnd, name: string, op: FuzzOperation, k: Known): string {
  if (rnd.chance(0.12)) return encodeURIComponent(rnd.pick(JUNK_SEGMENTS)).replace(/%25/g, '%');
  if (rnd.chance(0.05)) return hex(rnd);
  if (op.api === 'maple' || name === 'company_id') {
    if (name === 'company_id') return rnd.pick(k.maple.companies);
    if (name === 'id') return rnd.pick(k.maple.credits);
    return rnd.pick(k.maple.customers);
  }
  const pool = op.path.includes('project')
    ? op.api === 'admin'
      ? k.waldur.projects
      : k.waldur.projectCredits
    : k.waldur.customerCredits;
  const id = rnd.pick(pool);
  return rnd.chance(0.2) ? dashed(id) : id;
}

function fillPath(rnd: Rnd, op: FuzzOperation, k: Known): string {
  return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => pathValue(rnd, name, op, k));
}

const QUERY_VALUES = (rnd: Rnd) =>
  rnd.pick([
    '',
    '1',
    '0',
    '-1',
    '300',
    '301',
    '99999999999999999999',
    'value',
    '-value,customer_name',
    'toString',
    '-__proto__',
    ' ',
    'x'.repeat(1001),
    '%',
    'é',
    ...PROTO_NAMES,
  ]);

function queryString(rnd: Rnd, op: FuzzOperation, junk: boolean): string {
  const parts: string[] = [];
  const names = junk
    ? [...op.query, ...PROTO_NAMES, 'x-auth-token', 'o', 'page', 'page_size', 'query', 'format']
    : op.query;
  const count = junk ? rnd.int(1, 6) : rnd.int(0, 2);
  for (let i = 0; i < count && names.length > 0; i++)
    parts.push(`${encodeURIComponent(rnd.pick(names))}=${encodeURIComponent(QUERY_VALUES(rnd))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function authFor(rnd: Rnd, api: Api, k: Known): Record<string, string> {
  if (api === 'waldur')
    return { Authorization: `Token ${rnd.chance(0.8) ? 'staff-token' : rnd.pick(k.waldur.tokens)}` };
  if (api === 'maple')
    return { Authorization: `Bearer ${rnd.chance(0.85) ? 'maple-token' : rnd.pick(k.maple.tokens)}` };
  return {};
}

/** json-schema-faker's bodies, a few per operation, made once per run (making one costs about a millisecond). */
const FAKES_PER_OPERATION = 12;
type Fakes = Map<string, unknown[]>;

function faked(rnd: Rnd, op: FuzzOperation, fakes: Fakes): unknown {
  let list = fakes.get(op.operationId);
  if (!list) fakes.set(op.operationId, (list = []));
  const i = rnd.int(0, FAKES_PER_OPERATION - 1);
  if (list[i] === undefined) {
    try {
      list[i] = generateSync(op.body!, { seed: rnd.int(1, 2 ** 31) }) ?? null;
    } catch {
      list[i] = {};
    }
  }
  return structuredClone(list[i]);
}

/** A valid-looking body: json-schema-faker from the schema, references pointed at things that exist. */
function fakeBody(rnd: Rnd, op: FuzzOperation, k: Known, fakes: Fakes): unknown {
  if (!op.body) return undefined;
  const body = faked(rnd, op, fakes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  if ('customer' in b && op.api === 'waldur')
    b.customer = `http://localhost/api/customers/${rnd.pick(k.waldur.customers)}/`;
  if ('project' in b && op.api === 'waldur')
    b.project = `http://localhost/api/projects/${rnd.pick(k.waldur.projects)}/`;
  if ('offerings' in b && op.api === 'waldur') b.offerings = [];
  if ('customer_id' in b && op.api === 'maple') b.customer_id = rnd.pick(k.maple.customers);
  if (op.operationId === 'adminMapleAddFault' || op.operationId === 'adminWaldurAddFault') {
    // A fault is a request for a failure: keep its delay short, so a run is not spent waiting.
    b.delay_ms = rnd.int(0, 20);
    b.count = rnd.int(1, 2);
  }
  if (op.operationId === 'adminSetClock') {
    delete b.advance_days;
    b.now = `2026-${String(rnd.int(10, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
  }
  return b;
}

/** One change to a body: a field set to an odd value, removed, or added under a name it should not have. */
function mutate(rnd: Rnd, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || rnd.chance(0.1)) return oddValue(rnd);
  const entries = Object.entries(body);
  const r = rnd.next();
  if (r < 0.55 && entries.length > 0) {
    const i = rnd.int(0, entries.length - 1);
    const [key, value] = entries[i]!;
    entries[i] = [
      key,
      typeof value === 'object' && value !== null && !Array.isArray(value) && rnd.chance(0.5)
        ? mutate(rnd, value)
        : oddValue(rnd),
    ];
  } else if (r < 0.7 && entries.length > 0) entries.splice(rnd.int(0, entries.length - 1), 1);
  else entries.push([rnd.pick([...PROTO_NAMES, 'unknown_field', '']), oddValue(rnd)]);
  return objectWith(entries);
}

function formBody(rnd: Rnd, body: unknown): { type: string; data: Buffer } {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.entries(body) : [];
  const flat = fields.map(([k, v]) => [k, typeof v === 'string' ? v : toJson(v)] as [string, string]);
  if (rnd.chance(0.3)) flat.push([rnd.pick(PROTO_NAMES), toJson(oddValue(rnd))]);
  if (rnd.chance(0.5))
    return { type: 'application/x-www-form-urlencoded', data: Buffer.from(new URLSearchParams(flat).toString()) };
  const boundary = 'fuzzboundary';
  const parts = flat.map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/"/g, '')}"\r\n\r\n${v}\r\n`,
  );
  const text = `${parts.join('')}--${boundary}--\r\n`;
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    data: Buffer.from(rnd.chance(0.2) ? text.slice(0, rnd.int(0, text.length)) : text),
  };
}

type Kind = 'valid' | 'mutated' | 'oddJson' | 'form' | 'junkQuery' | 'headers' | 'method';
const KINDS: [Kind, number][] = [
  ['valid', 0.22],
  ['mutated', 0.22],
  ['oddJson', 0.14],
  ['form', 0.06],
  ['junkQuery', 0.14],
  ['headers', 0.12],
  ['method', 0.1],
];

function pickKind(rnd: Rnd): Kind {
  let r = rnd.next();
  for (const [kind, w] of KINDS) if ((r -= w) < 0) return kind;
  return 'valid';
}

/** One generated request for `op`. */
export function generateRequest(
  rnd: Rnd,
  op: FuzzOperation,
  k: Known,
  index: number,
  fakes: Fakes = new Map(),
): FuzzRequest {
  const kind = pickKind(rnd);
  let method = op.method;
  if (kind === 'method') method = rnd.pick(METHODS.filter((m) => !op.methods.includes(m)).concat(['OPTIONS']));
  const path = fillPath(rnd, op, k) + queryString(rnd, op, kind === 'junkQuery');
  const headers: Record<string, string> = authFor(rnd, op.api, k);
  const valid = fakeBody(rnd, op, k, fakes);
  let body: Buffer | undefined;
  if (op.body || method === 'POST' || method === 'PUT' || method === 'PATCH') {
    if (kind === 'oddJson') body = oddJsonText(rnd, toJson(valid ?? {}));
    else if (kind === 'form' && op.api === 'waldur') {
      const form = formBody(rnd, valid);
      body = form.data;
      headers['Content-Type'] = form.type;
    } else if (valid !== undefined || kind === 'mutated')
      body = Buffer.from(toJson(kind === 'mutated' ? mutate(rnd, valid) : valid));
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  }
  if (op.api === 'maple' && method === 'POST' && rnd.chance(0.3)) headers['Idempotency-Key'] = `fuzz-${rnd.int(0, 50)}`;
  if (kind === 'headers') {
    const which = rnd.int(0, 5);
    if (which === 0) headers.Host = rnd.pick([...ODD_HOSTS, ...GOOD_HOSTS]);
    else if (which === 1) headers['Content-Type'] = rnd.pick(ODD_CONTENT_TYPES);
    else if (which === 2) headers.Authorization = rnd.pick(ODD_AUTH);
    else if (which === 3) headers['Idempotency-Key'] = rnd.pick(ODD_KEYS);
    else if (which === 4) headers.Origin = rnd.pick(ODD_ORIGINS);
    else headers.Accept = rnd.pick(['text/html', 'application/xml', '*/*;q=x', '']);
  }
  return { label: `#${index} ${kind} ${op.operationId}`, api: op.api, method, path, headers, body };
}

/** `count` requests spread over every operation (each one at least count / operations times), for one seed. */
export function generateRequests(ops: readonly FuzzOperation[], k: Known, seed: number, count: number): FuzzRequest[] {
  const rnd = prng(seed);
  const fakes: Fakes = new Map();
  return Array.from({ length: count }, (_, i) =>
    generateRequest(
      rnd,
      i < ops.length * Math.floor(count / ops.length) ? ops[i % ops.length]! : rnd.pick(ops),
      k,
      i,
      fakes,
    ),
  );
}
