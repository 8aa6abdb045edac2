import { randomUUID } from 'node:crypto';
import { afterAll, expect } from 'vitest';
import { expectContract, expectStatus, replyContractProblems } from './check.js';
import { call, type CallOptions, type Reply } from './http.js';
import { needWorld, provisionCustomer, type MapleCustomer } from './maple-world.js';
import { target } from './target.js';

/** The Maple objects as the API renders them (the fields the suite reads). */
export interface Money {
  currency: string;
  value_in_cents: number;
}

export interface Credit {
  id: string;
  created_at: string;
  customer_id: string;
  name: string;
  type: 'AMOUNT' | 'UNITS';
  state: 'ACTIVE' | 'CONSUMED' | 'EXPIRED' | 'REVOKED';
  /** The empty amount `{currency: "", value_in_cents: 0}` on a UNITS credit. */
  amount: Money;
  issued_amount: Money;
  /** 0 on an AMOUNT credit. */
  units: number;
  issued_units: number;
  item_id: string | null;
  /** The empty item (id "") on a credit without one. */
  item: { id: string; [field: string]: unknown };
  subscription_id: string | null;
  expiration_date: string | null;
  [field: string]: unknown;
}

export interface CreditLog {
  id: string;
  action_type: string;
  amount_applied?: Money | null;
  units_applied?: number | null;
  created_at: string;
  credit_id: string;
  customer_id: string;
  invoice_id?: string | null;
  note?: string | null;
  [field: string]: unknown;
}

export interface Balance {
  total_amount: Record<string, number> | null;
  total_units: Record<string, number> | null;
  total_units_with_meta: Record<string, { units: number; item: { id: string } }> | null;
}

export interface Page<T> {
  results: T[];
  pagination: { from_key: string | null; limit: number };
  meta?: { total: number };
}

export interface MapleCallOptions extends CallOptions {
  /** Another company's id in the path (default: the world's). */
  company?: string;
}

/** The credits resource of the world's company, or of `company`. */
export async function creditsPath(sub = '', company?: string): Promise<string> {
  const w = await needWorld();
  return `/api/v1/companies/${company ?? w.companyId}/credits${sub}`;
}

/** Sub-paths that are operations of their own, not a credit id. */
const RESERVED = new Set(['find', 'consume', 'check_balance', 'logs']);

/** The operationId a request under /credits is, or undefined for a method or path the contract does not have. */
export function operationOf(method: string, sub: string): string | undefined {
  const path = sub.split('?')[0]!;
  const one = /^\/([^/]+)$/.exec(path)?.[1];
  if (method === 'POST')
    return (
      {
        '': 'createCredit',
        '/find': 'findCredits',
        '/consume': 'consumeCredits',
        '/logs/find': 'findCreditLogs',
      } as Record<string, string>
    )[path];
  if (method === 'GET' && /^\/check_balance\/[^/]+$/.test(path)) return 'checkBalance';
  if (one !== undefined && !RESERVED.has(one))
    return ({ GET: 'getCredit', DELETE: 'revokeCredit' } as Record<string, string>)[method];
  return undefined;
}

/**
 * One call under /api/v1/companies/{company}/credits, with the company's token
 * unless `token` says otherwise. Every answer to an operation of the contract
 * is checked against it here (status documented, body, headers), whatever the
 * check then looks at; a violation fails the check with the problems.
 */
export async function maple(method: string, sub: string, opts: MapleCallOptions = {}): Promise<Reply> {
  const w = await needWorld();
  const { company, ...rest } = opts;
  const res = await call(method, await creditsPath(sub, company), {
    ...rest,
    token: opts.token === undefined ? w.token : opts.token,
  });
  const operation = operationOf(method, sub);
  if (operation) {
    const problems = replyContractProblems(operation, res);
    if (problems.length)
      throw new Error(
        `${method} ${sub || '/'}: ${operation} ${res.status} breaks the contract:\n  ${problems.join('\n  ')}\n  body: ${res.text.slice(0, 300)}`,
      );
  }
  return res;
}

/** What this file created: revoked afterwards on a real server (Maple has no delete). */
const made = new Map<string, { customer: string; token: string | null | undefined; company?: string }>();

/** POST /credits, remembering what was made. */
export async function createCredit(body: unknown, opts: MapleCallOptions = {}): Promise<Reply> {
  const res = await maple('POST', '', { ...opts, body });
  remember(res, opts);
  return res;
}

/** Remembers a credit in a 201 answer (for requests not sent through createCredit). */
export function remember(res: Reply, opts: MapleCallOptions = {}): void {
  const credit = res.body as Credit | undefined;
  if (res.status === 201 && typeof credit?.id === 'string')
    made.set(credit.id, { customer: credit.customer_id, token: opts.token, company: opts.company });
}

/** Creates and insists on 201, returning the credit. */
export async function mustCreate(body: unknown, opts: MapleCallOptions = {}): Promise<Credit> {
  const res = await createCredit(body, opts);
  if (res.status !== 201)
    throw new Error(
      `setup: creating a credit failed: ${res.status} ${res.text.slice(0, 400)}\n  request: ${JSON.stringify(body).slice(0, 300)}`,
    );
  return res.body as Credit;
}

export const money = (value_in_cents: number, currency = 'USD'): Money => ({ currency, value_in_cents });
/** What a credit shows for the amount it does not have (a UNITS credit) and for the item it does not have (an AMOUNT credit). */
export const NO_AMOUNT: Money = { currency: '', value_in_cents: 0 };
export const EMPTY_ITEM = {
  company_id: '',
  created_at: '0001-01-01T00:00:00Z',
  description: null,
  display_type: null,
  editable: false,
  external_name: null,
  id: '',
  name: '',
  standard: false,
  type: '',
  updated_at: '0001-01-01T00:00:00Z',
};

/** A create body for an AMOUNT credit. */
export function amountCredit(
  customer: string,
  cents: number,
  extra: Record<string, unknown> = {},
  currency = 'USD',
): Record<string, unknown> {
  return { customer_id: customer, type: 'AMOUNT', amount: money(cents, currency), ...extra };
}

/** A create body for a UNITS credit. */
export function unitsCredit(
  customer: string,
  units: number,
  itemId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { customer_id: customer, type: 'UNITS', units, item_id: itemId, ...extra };
}

export async function getCredit(id: string): Promise<Credit> {
  const res = await maple('GET', `/${encodeURIComponent(id)}`);
  if (res.status !== 200) throw new Error(`reading credit ${id} gave ${res.status}: ${res.text.slice(0, 300)}`);
  return res.body as Credit;
}

export async function consume(body: unknown, opts: MapleCallOptions = {}): Promise<Reply> {
  return maple('POST', '/consume', { ...opts, body });
}

/** GET /check_balance/{customer}, insisting on 200 and the contract. */
export async function balanceOf(customer: string): Promise<Balance> {
  const res = await maple('GET', `/check_balance/${encodeURIComponent(customer)}`);
  expectStatus(res, 200);
  expectContract('checkBalance', res);
  return res.body as Balance;
}

/** The remaining minor units of a currency in a balance (0 when absent). */
export const cents = (b: Balance, currency = 'USD'): number => b.total_amount?.[currency] ?? 0;
export const unitsIn = (b: Balance, item: string): number => b.total_units?.[item] ?? 0;

export const EMPTY_BALANCE: Balance = { total_amount: {}, total_units: {}, total_units_with_meta: {} };

/** Every page of a find (credits or logs), checked against the contract page by page. */
export async function findAll<T>(
  kind: 'credits' | 'logs',
  query: Record<string, unknown> = {},
  sort: 'createdAtAsc' | 'createdAtDesc' = 'createdAtAsc',
  limit = 100,
): Promise<T[]> {
  const out: T[] = [];
  let from_key: string | null = null;
  const cursors = new Set<string>();
  for (let page = 0; page < 500; page++) {
    const res = await maple('POST', kind === 'credits' ? '/find' : '/logs/find', {
      body: { pagination: from_key === null ? { limit } : { limit, from_key }, sort_key: sort, query },
    });
    expectStatus(res, 200);
    expectContract(kind === 'credits' ? 'findCredits' : 'findCreditLogs', res);
    const body = res.body as Page<T>;
    out.push(...body.results);
    from_key = body.pagination.from_key ?? null;
    if (from_key === null) return out;
    if (cursors.has(from_key))
      throw new Error(
        `${kind}/find answered the same from_key twice (${from_key.slice(0, 60)}): the cursor does not advance`,
      );
    cursors.add(from_key);
  }
  throw new Error(`${kind}/find never reached the end of the list (500 pages)`);
}

/** The log of one credit, oldest first. */
export const logsOf = (creditId: string, sort: 'createdAtAsc' | 'createdAtDesc' = 'createdAtAsc') =>
  findAll<CreditLog>('logs', { credit_id: creditId }, sort);

/** The customer's credits in one state (default ACTIVE), oldest first. */
export const creditsOf = (customer: string, status = 'ACTIVE') =>
  findAll<Credit>('credits', { customer_id: customer, status });

/** A compact view of log entries, for comparisons: action, quantity, invoice. */
export function entries(logs: CreditLog[]): string[] {
  return logs.map((l) => {
    const units = l.units_applied !== null && l.units_applied !== undefined;
    const q = units
      ? `${l.units_applied} units`
      : l.amount_applied
        ? `${l.amount_applied.value_in_cents} ${l.amount_applied.currency}`
        : '? units';
    return `${l.action_type} ${q}${l.invoice_id ? ` invoice ${l.invoice_id}` : ''}`;
  });
}

/** (created_at, id) ascending: the order find walks. */
export function byPosition(a: { created_at: string; id: string }, b: { created_at: string; id: string }): number {
  return Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Waits a little, so that the next credit is strictly younger (created_at has millisecond resolution). */
export const later = (ms = 4) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh idempotency key. */
export const newKey = () => `conformance-${randomUUID()}`;

/**
 * A customer with no active credits for one scenario: a new customer through
 * /__admin/, or (on a configured server) customers[index] with this file's
 * active credits revoked first.
 */
export async function scenarioCustomer(index = 1): Promise<MapleCustomer> {
  const w = await needWorld();
  if (w.provisioned === 'admin') return provisionCustomer(w, true);
  const c = w.customers[index];
  if (!c) throw new Error(`the config names no maple.customers[${index}]`);
  await settle(c.id);
  const active = await creditsOf(c.id);
  if (active.length > 0)
    throw new Error(
      `setup: customer ${c.id} has active credits the suite did not make (${active.map((x) => x.id).join(', ')}): configure customers without active credits`,
    );
  return c;
}

/** Revokes every still-active credit this file made (for one customer, or all). */
export async function settle(customer?: string): Promise<void> {
  for (const [id, m] of made) {
    if (customer !== undefined && m.customer !== customer) continue;
    const res = await maple('GET', `/${encodeURIComponent(id)}`, { token: m.token, company: m.company });
    if (res.status === 200 && (res.body as Credit).state === 'ACTIVE')
      await maple('DELETE', `/${encodeURIComponent(id)}`, { token: m.token, company: m.company });
    made.delete(id);
  }
}

/** Registers the cleanup for the calling file: on a configured server, what it made and left active is revoked. */
export function cleanUpAfterAll(): void {
  afterAll(async () => {
    if (target.readOnly) return;
    const w = await needWorld().catch(() => null);
    if (!w || w.provisioned === 'admin') return; // a fresh company of the mock's: nothing to leave behind for anyone
    await settle();
  });
}

// ------------------------------------------------------------ errors

const TYPES_BY_STATUS: Record<number, string[]> = {
  400: ['request_error', 'validation_error'],
  401: ['auth_error'],
  403: ['auth_error'],
  404: ['request_error'],
  405: ['request_error'],
  409: ['idempotency_error'],
  413: ['request_error'],
  429: ['request_error'],
  500: ['request_error'],
};

/** Why an answer is not in Maple's error envelope ([] when it is). */
export function envelopeProblems(res: Reply): string[] {
  const b = res.body as Record<string, unknown> | undefined;
  if (b === undefined || b === null || typeof b !== 'object' || Array.isArray(b))
    return [`the body is not a JSON object: ${res.text.slice(0, 160)}`];
  const problems: string[] = [];
  if (typeof b.error_message !== 'string' || b.error_message === '')
    problems.push('error_message is not a non-empty string');
  if (b.error_status !== res.status)
    problems.push(`error_status is ${JSON.stringify(b.error_status)}, the HTTP status ${res.status}`);
  const types = TYPES_BY_STATUS[res.status];
  if (!types) problems.push(`status ${res.status} is not one Maple documents for errors`);
  else if (!types.includes(String(b.error_type)))
    problems.push(`error_type ${JSON.stringify(b.error_type)} for ${res.status} (expected ${types.join(' or ')})`);
  if (b.error_code !== undefined && b.error_code !== null && typeof b.error_code !== 'string')
    problems.push('error_code is not a string');
  if (b.validation_errors !== undefined) {
    const v = b.validation_errors;
    if (
      !Array.isArray(v) ||
      !v.every((e) => e && typeof e === 'object' && typeof e.field === 'string' && typeof e.message === 'string')
    ) {
      problems.push('validation_errors is not a list of {field, message}');
    }
  }
  return problems;
}

export interface ErrorExpectation {
  /** The operation whose contract the answer must match (omit for undocumented answers such as 405). */
  operation?: string;
  /** Fields validation_errors must name (each one). */
  fields?: string[];
  code?: string;
}

/** Expects a Maple error: status, envelope, error_type, and (when given) the contract, the fields and the error_code. */
export function expectError(res: Reply, status: number, type: string, e: ErrorExpectation = {}): void {
  expectStatus(res, status);
  expect(envelopeProblems(res), `not Maple's error envelope: ${res.text.slice(0, 300)}`).toEqual([]);
  if (e.operation) expectContract(e.operation, res);
  const body = res.body as { error_type: string; error_code?: string; validation_errors?: { field: string }[] };
  expect(body.error_type, res.text.slice(0, 300)).toBe(type);
  if (e.fields) {
    const named = (body.validation_errors ?? []).map((v) => v.field);
    expect(named, `validation_errors should name ${e.fields.join(', ')}: ${res.text.slice(0, 300)}`).toEqual(
      expect.arrayContaining(e.fields),
    );
  }
  if (e.code) expect(body.error_code, res.text.slice(0, 300)).toBe(e.code);
}

/**
 * The problems of one answer that should have been an error ([] when right):
 * the status, the envelope, the error_type, the field validation_errors must
 * name (when given), the error_code (when given) and the operation's contract.
 */
export function errorProblems(
  res: Reply,
  operation: string,
  want: { status?: number; type?: string; field?: string; code?: string } = {},
): string[] {
  const status = want.status ?? 400;
  const type = want.type ?? (status === 400 ? 'validation_error' : undefined);
  if (res.status !== status) return [`expected ${status}, got ${res.status}: ${res.text.slice(0, 200)}`];
  const problems = envelopeProblems(res);
  const body = res.body as
    { error_type?: string; error_code?: string; validation_errors?: { field: string }[] } | undefined;
  if (type && body?.error_type !== type) problems.push(`error_type ${JSON.stringify(body?.error_type)}, not ${type}`);
  if (want.field) {
    const named = (Array.isArray(body?.validation_errors) ? body!.validation_errors : []).map((v) => v?.field);
    if (!named.includes(want.field))
      problems.push(`validation_errors name ${JSON.stringify(named)}, not ${want.field}`);
  }
  if (want.code && body?.error_code !== want.code)
    problems.push(`error_code ${JSON.stringify(body?.error_code)}, not ${want.code}`);
  problems.push(...replyContractProblems(operation, res));
  return problems.length ? [...problems, `body: ${res.text.slice(0, 200)}`] : [];
}

/** One request that must be refused, for the table-driven checks. */
export interface Refusal {
  how: string;
  /** A JSON body, or `raw` text sent as application/json (for numbers JSON.stringify cannot write, such as 10.0). */
  body?: unknown;
  raw?: string;
  status?: number;
  type?: string;
  field?: string;
  code?: string;
}

/** JSON text with `"@"` replaced by a literal number spelling: rawWith({value_in_cents: '@'}, '10.0'). */
export function rawWith(body: unknown, spelling: string): string {
  const text = JSON.stringify(body);
  if (!text.includes('"@"')) throw new Error('rawWith: no "@" placeholder in the body');
  return text.replace('"@"', spelling);
}

/**
 * Sends each refusal to POST `sub` and collects what was mishandled; a create
 * that was wrongly accepted is remembered (and revoked on a real server).
 */
export async function sendRefusals(operation: string, sub: string, cases: Refusal[]): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    const res =
      c.raw !== undefined
        ? await maple('POST', sub, { raw: c.raw, headers: { 'Content-Type': 'application/json' } })
        : await maple('POST', sub, { body: c.body });
    if (operation === 'createCredit') remember(res);
    const problems = errorProblems(res, operation, c);
    if (problems.length)
      failures.push(`${c.how} (${(c.raw ?? JSON.stringify(c.body)).slice(0, 160)})\n      → ${problems.join('; ')}`);
  }
  return failures;
}

/**
 * A placeholder for what an earlier check of the block makes: reading it before
 * that check has set it fails with a clear reason instead of a TypeError.
 */
export function unset<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      throw new Error(`setup: ${what} was not made (an earlier check of this block failed)`);
    },
  });
}
