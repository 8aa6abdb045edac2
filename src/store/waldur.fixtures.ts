import { Ajv, type ErrorObject } from 'ajv';
import { WALDUR_FIXTURE_SCHEMA } from './waldur.fixture-schema.js';
import { Dec } from '../domain/money/decimal.js';
import type { CustomerCredit, Invoice, ProjectCredit, User } from '../domain/waldur/model.js';
import { normalizeUuid } from '../domain/waldur/uuid.js';
import type { WaldurState } from './waldur.store.js';
import { creditTransactionsOf, ledgerProblems } from './waldur-ledger.fixtures.js';

export { WALDUR_FIXTURE_SCHEMA };

/** A fixtures file or an imported state that does not hold together. */
export class FixtureError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

// The schema is ours and fixed: checking it against the meta-schema and optimising its code would only slow the start.
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, code: { optimize: false } });
ajv.addFormat('date-time', { validate: (s: string) => !Number.isNaN(Date.parse(s)) });
const validate = ajv.compile(WALDUR_FIXTURE_SCHEMA);

type Raw = Record<string, unknown>;
/**
 * One string for each distinct text of a parse: a uuid that a hundred
 * thousand credits refer to, or a decimal most of them share, is then held
 * once, not once per row (the parser makes a new string for every occurrence).
 */
let pool = new Map<string, string>();
function intern(text: string): string {
  const kept = pool.get(text);
  if (kept !== undefined) return kept;
  pool.set(text, text);
  return text;
}
const hex = (v: unknown) => intern(normalizeUuid(String(v))!);
const PLAIN = /^(?:0|[1-9]\d*)(?:\.(\d*))?$/;
/** A decimal with `n` places: zeros appended when that is all it takes (the usual case), else Decimal's rounding. */
function places(v: unknown, n: number): string {
  const text = String(v);
  const m = PLAIN.exec(text);
  const given = m ? (m[1]?.length ?? 0) : Infinity;
  if (given > n) return intern(new Dec(text).toFixed(n));
  const whole = m![1] === undefined ? text : text.slice(0, text.length - given - 1);
  return intern(n === 0 ? whole : `${whole}.${(m![1] ?? '').padEnd(n, '0')}`);
}
let generated = 0;
/** Deterministic uuids for fixture rows that give none, so a reload gives the same state. */
const fallbackUuid = (kind: string, index: number) =>
  (Buffer.from(`${kind}:${index}`).toString('hex') + '0'.repeat(32)).slice(0, 32);

/**
 * Validates a fixtures document and turns it into a state: uuids to hex,
 * decimals to their rendered places, defaults filled, references checked.
 */
export function parseWaldurFixtures(doc: unknown, nowIso: string): WaldurState {
  if (!validate(doc)) throw new FixtureError((validate.errors ?? []).map(describe));
  try {
    return parseValid(doc, nowIso);
  } finally {
    pool = new Map();
  }
}

function parseValid(doc: unknown, nowIso: string): WaldurState {
  const d = doc as Record<string, Raw[] | undefined>;
  const rows = (k: string) => d[k] ?? [];
  generated = 0;
  const state: WaldurState = {
    customers: rows('customers').map((c) => ({ uuid: hex(c.uuid), name: String(c.name), slug: String(c.slug) })),
    projects: rows('projects').map((p) => ({
      uuid: hex(p.uuid),
      name: String(p.name),
      slug: String(p.slug ?? slugify(String(p.name))),
      customer: hex(p.customer),
    })),
    offerings: rows('offerings').map((o) => ({
      uuid: hex(o.uuid),
      name: String(o.name),
      type: String(o.type ?? 'Marketplace.Basic'),
      customer: o.customer ? hex(o.customer) : null,
    })),
    users: rows('users').map(toUser),
    // Object.assign, not `{ ...base, more }`: V8 makes that literal a dictionary-mode object, 3.5× the memory and slower to read.
    customer_credits: rows('customer_credits').map((c, i) =>
      Object.assign(baseCredit(c, i, 'customer-credit', nowIso), {
        customer: hex(c.customer),
        offerings: ((c.offerings as unknown[]) ?? []).map(hex),
      }, c.withdrawable_earned === undefined ? {} : { withdrawable_earned: places(c.withdrawable_earned, 5) }),
    ),
    project_credits: rows('project_credits').map((c, i) =>
      Object.assign(baseCredit(c, i, 'project-credit', nowIso), {
        project: hex(c.project),
        mark_unused_credit_as_spent_on_project_termination: Boolean(c.mark_unused_credit_as_spent_on_project_termination),
      }),
    ),
    invoices: rows('invoices').map(toInvoice),
    ...creditTransactionsOf(d.credit_transactions, nowIso, (v) => places(v, 5), hex),
  };
  const problems = [...referenceProblems(state), ...ledgerProblems(state)];
  if (problems.length > 0) throw new FixtureError(problems);
  return state;
}

/** A slug like Django's slugify: accents dropped, lower case, runs of other characters as one dash. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'project';
}

function baseCredit(c: Raw, i: number, kind: string, nowIso: string) {
  generated += 1;
  return {
    uuid: c.uuid ? hex(c.uuid) : fallbackUuid(kind, i),
    created: typeof c.created === 'string' ? c.created : nowIso,
    seq: typeof c.seq === 'number' ? c.seq : generated,
    value: places(c.value ?? 0, 5),
    end_date: typeof c.end_date === 'string' ? intern(c.end_date) : null,
    expected_consumption: places(c.expected_consumption ?? 0, 5),
    minimal_consumption_logic: c.minimal_consumption_logic === 'linear' ? 'linear' : 'fixed',
    grace_coefficient: places(c.grace_coefficient ?? 0, 0),
    apply_as_minimal_consumption: c.apply_as_minimal_consumption !== false,
  } satisfies Omit<CustomerCredit & ProjectCredit, 'customer' | 'offerings' | 'project' | 'mark_unused_credit_as_spent_on_project_termination'>;
}

function toUser(u: Raw, i: number): User {
  const roles = <T>(v: unknown) => ((v as T[] | undefined) ?? []);
  return {
    uuid: u.uuid ? hex(u.uuid) : fallbackUuid('user', i),
    username: String(u.username ?? `user${i + 1}`),
    token: String(u.token),
    is_staff: u.is_staff === true,
    is_support: u.is_support === true,
    is_active: u.is_active !== false,
    token_expires_at: typeof u.token_expires_at === 'string' ? new Date(u.token_expires_at).toISOString() : null,
    customer_roles: roles<Raw>(u.customer_roles).map((r) => ({ customer: hex(r.customer), role: r.role as 'owner' })),
    project_roles: roles<Raw>(u.project_roles).map((r) => ({ project: hex(r.project), role: r.role as 'manager' })),
  };
}

function toInvoice(inv: Raw, i: number): Invoice {
  return {
    uuid: inv.uuid ? hex(inv.uuid) : fallbackUuid('invoice', i),
    customer: hex(inv.customer),
    year: Number(inv.year),
    month: Number(inv.month),
    state: (inv.state as Invoice['state'] | undefined) ?? 'pending',
    tax_percent: String(inv.tax_percent ?? '0'),
    items: ((inv.items as Raw[] | undefined) ?? []).map((it, j) => ({
      uuid: it.uuid ? hex(it.uuid) : fallbackUuid(`invoice-${i}-item`, j),
      name: String(it.name),
      unit_price: String(it.unit_price),
      quantity: String(it.quantity ?? '1'),
      project: it.project ? hex(it.project) : null,
      offering: it.offering ? hex(it.offering) : null,
      resource: it.resource ? hex(it.resource) : null,
      credit: it.credit ? hex(it.credit) : null,
      ...(isObject(it.details) ? { details: it.details } : {}),
    })),
  };
}

function referenceProblems(s: WaldurState): string[] {
  const problems: string[] = [];
  const ids = (rows: { uuid: string }[], what: string) => {
    const set = new Set<string>();
    for (const r of rows) {
      if (set.has(r.uuid)) problems.push(`${what} ${r.uuid} appears twice`);
      set.add(r.uuid);
    }
    return set;
  };
  const customers = ids(s.customers, 'customer');
  const projects = ids(s.projects, 'project');
  const offerings = ids(s.offerings, 'offering');
  ids(s.users, 'user');
  ids([...s.customer_credits, ...s.project_credits], 'credit');
  const need = (set: Set<string>, id: string | null, where: string) => {
    if (id !== null && !set.has(id)) problems.push(`${where} refers to unknown ${id}`);
  };
  s.projects.forEach((p, i) => need(customers, p.customer, `projects[${i}].customer`));
  s.offerings.forEach((o, i) => need(customers, o.customer, `offerings[${i}].customer`));
  const tokens = new Set<string>();
  s.users.forEach((u, i) => {
    if (tokens.has(u.token)) problems.push(`users[${i}].token is used twice`);
    tokens.add(u.token);
    u.customer_roles.forEach((r, j) => need(customers, r.customer, `users[${i}].customer_roles[${j}].customer`));
    u.project_roles.forEach((r, j) => need(projects, r.project, `users[${i}].project_roles[${j}].project`));
  });
  const credited = new Set<string>();
  s.customer_credits.forEach((c, i) => {
    need(customers, c.customer, `customer_credits[${i}].customer`);
    if (credited.has(c.customer)) problems.push(`customer_credits[${i}]: customer ${c.customer} has two credits`);
    credited.add(c.customer);
    c.offerings.forEach((o, j) => need(offerings, o, `customer_credits[${i}].offerings[${j}]`));
  });
  const projectCredited = new Set<string>();
  s.project_credits.forEach((c, i) => {
    need(projects, c.project, `project_credits[${i}].project`);
    if (projectCredited.has(c.project)) problems.push(`project_credits[${i}]: project ${c.project} has two credits`);
    projectCredited.add(c.project);
  });
  s.invoices.forEach((inv, i) => need(customers, inv.customer, `invoices[${i}].customer`));
  return problems;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(top level)' : e.instancePath.slice(1).replace(/\//g, '.');
  const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'` : '';
  return `${where}: ${e.message ?? 'is invalid'}${extra}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
