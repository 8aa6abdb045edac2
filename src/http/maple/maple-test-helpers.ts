/**
 * Shared pieces of the Maple HTTP tests: the shipped fixtures (fixtures/maple.json)
 * by name, request bodies, and calls that the test files repeat. Every test
 * runs against startTestServer() with the fixtures reset, the faults cleared,
 * the switches at their defaults and the clock frozen at NOW.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startTestServer, type TestResponse, type TestServer } from '../../test-support/mock-server.js';

// ---------------------------------------------------------------------------
// fixtures/maple.json
// ---------------------------------------------------------------------------

/** Acme Analytics, opened by `maple-token` (the default token of server.maple). */
export const ACME = 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50';
/** Globex Corporation, opened by `maple-globex-token`. */
export const GLOBEX = 'cmp_2Mm8QhXv1bYxH6s0wz9P4KdRt3E';
export const ACME_TOKEN = 'maple-token';
export const GLOBEX_TOKEN = 'maple-globex-token';

/** Acme's customers. Northwind (identifier "northwind") holds the fixture credits; Fabrikam has none and no identifier. */
export const NORTHWIND = 'cus_0EIsHbZ86Y3mOPyoXbNytHiKYd5';
export const CONTOSO = 'cus_0EJBbIKS1iqGZBvpembCFMFAUTW';
export const FABRIKAM = 'cus_0ERUrAL9SJRKBkceBhjoEDdCMKC';
/** Globex's customer. */
export const INITECH = 'cus_0EKTUHDLAOZkNwOYMvgKSPSCP6z';

export const API_CALLS = 'item_0EIk9g5OWVFYt81Cs7KRs79yZEj';
export const STORAGE = 'item_0EIkAFkh8e2OEiaqaRQsg5gapCp';

/** What a credit without an amount or an item shows in their place (README, Maple behaviour choices). */
export const NO_AMOUNT = { currency: '', value_in_cents: 0 };
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

export const NORTHWIND_SUB = 'subs_0EJKftkQdewZi1m6Zj8zU8ogGHl';
export const CONTOSO_SUB = 'subs_0EJY2GtOgL9OJrIjJBOjgbbZ490';

export const FIXTURE_CREDITS = {
  /** Northwind, USD 50000, no expiry, 2026-06-01. */
  welcome: 'crd_0EK46Mq6xeoSdQvlBHShBCrhAWQ',
  /** Northwind, 10000 units of API calls, expires 2027-06-30, 2026-07-01. */
  apiBundle: 'crd_0ELMGbhtbTxh2e7TDx4vLbaD6lI',
  /** Northwind, EUR 20000 on NORTHWIND_SUB, expires 2027-03-31, 2026-08-01. */
  partner: 'crd_0EMh6WP4hr5Tb9kFxodfC4FOGLg',
  /** Contoso, USD 1500, no expiry, 2026-09-15. */
  goodwill: 'crd_0EOdLshkxIuC3q039fCanww3OOW',
  /** Globex's Initech, USD 10000. */
  starter: 'crd_0EKXUmxQhzvrToXY2zjjL7rYazj',
} as const;

/** The mock clock of every test (startTestServer's default day, 10:00 UTC). */
export const NOW = '2026-11-15T10:00:00.000Z';
export const DAY_MS = 86_400_000;
export const MAX_SAFE = 9007199254740991;

/** NOW moved by `ms`, as an ISO string. */
export const fromNow = (ms: number): string => new Date(Date.parse(NOW) + ms).toISOString();

// ---------------------------------------------------------------------------
// paths
// ---------------------------------------------------------------------------

export const companyPath = (company: string = ACME) => `/api/v1/companies/${company}`;
export const creditsPath = (company: string = ACME) => `${companyPath(company)}/credits`;
export const creditPath = (id: string, company: string = ACME) => `${creditsPath(company)}/${id}`;
export const findPath = (company: string = ACME) => `${creditsPath(company)}/find`;
export const consumePath = (company: string = ACME) => `${creditsPath(company)}/consume`;
export const logsPath = (company: string = ACME) => `${creditsPath(company)}/logs/find`;
export const balancePath = (customer: string, company: string = ACME) =>
  `${creditsPath(company)}/check_balance/${customer}`;

// ---------------------------------------------------------------------------
// the server
// ---------------------------------------------------------------------------

/** Back to the shipped state: fixtures, no faults, default switches, the clock frozen at NOW, no violations. */
export async function resetMaple(server: TestServer): Promise<void> {
  server.clock.set(new Date(NOW), true);
  expect((await admin(server, 'POST', '/reset')).status).toBe(200);
  expect((await admin(server, 'DELETE', '/maple/faults')).status).toBe(200);
  const settings = await admin(server, 'POST', '/maple/settings', {
    allow_partial_consume: false,
    same_key_different_request: 'conflict',
  });
  expect(settings.status).toBe(200);
  server.violations.length = 0;
}

/**
 * One server for the file, reset before each test; after each test the
 * self-check must have recorded no violation (and no internal error).
 */
export function useMapleServer(): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    await resetMaple(server!);
  });
  afterEach(() => {
    expect(server!.violations).toEqual([]);
  });
  return () => server!;
}

/** A call to /__admin (no token). */
export function admin(server: TestServer, method: string, path: string, body?: unknown): Promise<TestResponse> {
  return server.call(method, `/__admin${path}`, { token: null, body });
}

/** A request with a body exactly as given and exactly these headers: no Content-Type unless given. */
export async function rawRequest(
  server: TestServer,
  method: string,
  path: string,
  body: string | undefined,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  // Bytes rather than a string, so that fetch adds no Content-Type of its own.
  const bytes = body === undefined ? undefined : new Uint8Array(new TextEncoder().encode(body));
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ACME_TOKEN}`, ...headers },
    body: bytes,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A JSON body written out as text (for numbers such as `10.0` that JSON.stringify cannot write). */
export const postRaw = (server: TestServer, path: string, raw: string, headers: Record<string, string> = {}) =>
  rawRequest(server, 'POST', path, raw, { 'Content-Type': 'application/json', ...headers });

// ---------------------------------------------------------------------------
// bodies and calls
// ---------------------------------------------------------------------------

export const money = (value_in_cents: number, currency = 'USD') => ({ currency, value_in_cents });

export const amountBody = (customer: string, cents: number, extra: Record<string, unknown> = {}) => ({
  customer_id: customer,
  name: 'Test credit',
  type: 'AMOUNT',
  amount: money(cents),
  ...extra,
});

export const unitsBody = (
  customer: string,
  units: number,
  item: string = API_CALLS,
  extra: Record<string, unknown> = {},
) => ({
  customer_id: customer,
  name: 'Test units',
  type: 'UNITS',
  units,
  item_id: item,
  ...extra,
});

export const consumeAmount = (customer: string, cents: number, extra: Record<string, unknown> = {}) => ({
  customer_id: customer,
  type: 'AMOUNT',
  amount: money(cents),
  ...extra,
});

/** Creates a credit; it must answer 201. */
export async function issue(server: TestServer, body: unknown, company = ACME, token = ACME_TOKEN): Promise<any> {
  const res = await server.maple('POST', creditsPath(company), { body, token });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** check_balance; it must answer 200. */
export async function balanceOf(server: TestServer, customer: string): Promise<any> {
  const res = await server.maple('GET', balancePath(customer));
  expect(res.status, res.text).toBe(200);
  return res.json;
}

/** A balance holding only these amounts (currency → cents), no units. */
export const amounts = (total_amount: Record<string, number>) => ({
  total_amount,
  total_units: {},
  total_units_with_meta: {},
});

export const findBody = (
  query: Record<string, unknown> = {},
  limit = 100,
  sort_key = 'createdAtAsc',
  from_key?: string | null,
) => ({
  pagination: from_key === undefined ? { limit } : { limit, from_key },
  query,
  sort_key,
});

/** Walks every page of a find (credits or logs) and returns all results in order. */
export async function walk(
  server: TestServer,
  path: string,
  query: Record<string, unknown> = {},
  sort_key = 'createdAtAsc',
  limit = 100,
): Promise<any[]> {
  const out: any[] = [];
  let from_key: string | null | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await server.maple('POST', path, { body: findBody(query, limit, sort_key, from_key) });
    expect(res.status, res.text).toBe(200);
    out.push(...res.json.results);
    from_key = res.json.pagination.from_key;
    if (from_key === null) return out;
  }
  throw new Error('the walk never reached a null from_key');
}

export const findCredits = (server: TestServer, query: Record<string, unknown> = {}) => walk(server, findPath(), query);
export const findLogs = (server: TestServer, query: Record<string, unknown> = {}) => walk(server, logsPath(), query);

/** Adds an invoice through /__admin; it must answer 201. */
export async function addInvoice(server: TestServer, invoice: Record<string, unknown>, company = ACME): Promise<any> {
  const res = await admin(server, 'POST', `/maple/companies/${company}/invoices`, invoice);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

export async function addFault(server: TestServer, fault: Record<string, unknown>): Promise<void> {
  const res = await admin(server, 'POST', '/maple/faults', fault);
  expect(res.status, res.text).toBe(201);
}

export async function setSettings(server: TestServer, settings: Record<string, unknown>): Promise<void> {
  const res = await admin(server, 'POST', '/maple/settings', settings);
  expect(res.status, res.text).toBe(200);
}

/**
 * Waits until every injected fault has been taken, i.e. the request meant to
 * take it has arrived (and, with a key, claimed it): a fault is taken and the
 * key claimed in one step before the request's delay starts.
 */
export async function untilFaultsTaken(server: TestServer): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const res = await admin(server, 'GET', '/maple/faults');
    if (res.json.faults.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the fault was never taken');
}

// ---------------------------------------------------------------------------
// assertions
// ---------------------------------------------------------------------------

/** Maple's error envelope: error_status equal to the HTTP status, the given type and (when given) code. */
export function expectError(res: TestResponse, status: number, type: string, code?: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.json).toMatchObject({ error_type: type, error_status: status });
  expect(typeof res.json.error_message).toBe('string');
  expect(res.json.error_message.length).toBeGreaterThan(0);
  if (code !== undefined) expect(res.json.error_code).toBe(code);
}

/** 400 validation_error naming exactly these fields (in any order). */
export function expectInvalid(res: TestResponse, ...fields: string[]): void {
  expectError(res, 400, 'validation_error');
  const named = (res.json.validation_errors as { field: string; message: string }[]).map((e) => e.field);
  expect([...named].sort()).toEqual([...fields].sort());
  for (const e of res.json.validation_errors) expect(typeof e.message).toBe('string');
}
