import type autocannon from 'autocannon';
import type { MapleWorld, WaldurWorld } from './fixtures.js';
import { once } from './load.js';
import { STAFF } from './servers.js';

/** What the benchmark asks, per scenario: the autocannon requests, built afresh for every run. */
export interface Scenario {
  id: string;
  title: string;
  api: 'waldur' | 'maple';
  /** GET list and retrieve: held to the throughput targets. */
  read: boolean;
  /** The status every answer should have. */
  success: number;
  requests(): autocannon.Request[];
  /** Runs once against a target before it is warmed up (e.g. give a customer a credit to consume). */
  setup?(url: string): Promise<void>;
}

type Req = autocannon.Request;
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** Every request names its scenario, so the ceiling servers answer with the body the mock sent for it. */
function tagged(id: string, req: Req): Req {
  return { ...req, headers: { ...req.headers, 'x-bench-body': id } };
}

/** A request whose path, headers or body change every time: `vary` gets a counter shared by all connections. */
function varying(base: Req, vary: (n: number, req: Req) => Partial<Req>): Req {
  let n = 0;
  return { ...base, setupRequest: (req) => ({ ...req, ...vary(n++, req) }) };
}

const dashed = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

export function waldurScenarios(w: WaldurWorld): Scenario[] {
  const list = `/api/customer-credits/?customer_name=${w.needle}&o=-value&page_size=10`;
  const middle = Math.max(1, Math.ceil(w.matching / 10 / 2));
  // The dashed form: the spec's `format: uuid` asks for it (Prism refuses the 32-hex form with a 422); the mock takes both, as Waldur does.
  const uuidAt = (n: number) => dashed(w.creditUuids[(n * 7919) % w.creditUuids.length]!);
  const scenario = (id: string, title: string, read: boolean, success: number, req: () => Req): Scenario => ({
    id,
    title,
    api: 'waldur',
    read,
    success,
    requests: () => [tagged(id, req())],
  });
  return [
    scenario(
      'list-p1',
      `list, customer_name filter, o=-value, page 1 of ${Math.ceil(w.matching / 10)}`,
      true,
      200,
      () => ({
        method: 'GET',
        path: list,
        headers: STAFF,
      }),
    ),
    scenario('list-mid', `list, same filter and ordering, page ${middle}`, true, 200, () => ({
      method: 'GET',
      path: `${list}&page=${middle}`,
      headers: STAFF,
    })),
    scenario('retrieve', 'retrieve one credit (a different one each request)', true, 200, () =>
      varying({ method: 'GET', headers: STAFF }, (n) => ({ path: `/api/customer-credits/${uuidAt(n)}/` })),
    ),
    scenario('patch', 'partial update (PATCH value)', false, 200, () =>
      varying({ method: 'PATCH', headers: { ...STAFF, ...JSON_TYPE } }, (n) => ({
        path: `/api/customer-credits/${uuidAt(n)}/`,
        body: JSON.stringify({ value: `${1000 + (n % 5000)}.25` }),
      })),
    ),
    scenario('create', 'create (each on a customer without a credit)', false, 201, () =>
      varying({ method: 'POST', path: '/api/customer-credits/', headers: { ...STAFF, ...JSON_TYPE } }, (n) => ({
        body: JSON.stringify({
          // An absolute hyperlink: the spec's `format: uri` asks for one (Prism answers a relative one with a 400).
          customer: `http://localhost/api/customers/${w.spareCustomerUuids[n % w.spareCustomerUuids.length]}/`,
          value: '500.00',
        }),
      })),
    ),
  ];
}

export function mapleScenarios(m: MapleWorld): Scenario[] {
  const base = `/api/v1/companies/${m.company}/credits`;
  const headers = { Authorization: `Bearer ${m.token}`, ...JSON_TYPE };
  const run = Date.now().toString(36);
  const amount = (cents: number) => ({ currency: 'USD', value_in_cents: cents });
  const withKey = (path: string, body: (n: number) => unknown): Req =>
    varying({ method: 'POST', path, headers }, (n, req) => ({
      headers: { ...req.headers, 'Idempotency-Key': `bench-${run}-${path.length}-${n}` },
      body: JSON.stringify(body(n)),
    }));
  const consumer = m.customers[0]!;
  const scenario = (
    id: string,
    title: string,
    success: number,
    req: () => Req,
    setup?: Scenario['setup'],
  ): Scenario => ({
    id,
    title,
    api: 'maple',
    read: false,
    success,
    requests: () => [tagged(id, req())],
    setup,
  });
  return [
    scenario('maple-create', 'create with an Idempotency-Key (a new key each request)', 201, () =>
      withKey(base, (n) => ({ customer_id: m.customers[n % m.customers.length], type: 'AMOUNT', amount: amount(100) })),
    ),
    scenario(
      'maple-consume',
      'consume 1 cent from a customer holding one huge credit',
      200,
      () => withKey(`${base}/consume`, () => ({ customer_id: consumer, type: 'AMOUNT', amount: amount(1) })),
      async (url) => {
        await once(url, {
          method: 'POST',
          path: base,
          headers: { ...headers, 'Idempotency-Key': `bench-${run}-huge-${Date.now()}` },
          body: JSON.stringify({ customer_id: consumer, type: 'AMOUNT', amount: amount(9_000_000_000_000) }),
        });
      },
    ),
    scenario('maple-find', 'find, 20 newest credits of one customer', 200, () => ({
      method: 'POST',
      path: `${base}/find`,
      headers,
      body: JSON.stringify({ pagination: { limit: 20 }, sort_key: 'createdAtDesc', query: { customer_id: consumer } }),
    })),
  ];
}

/** Whether the mock serves the Maple API yet (it was being built when the benchmark was written). */
export async function mapleAvailable(url: string, m: MapleWorld | null): Promise<boolean> {
  if (!m) return false;
  const res = await once(url, {
    method: 'POST',
    path: `/api/v1/companies/${m.company}/credits/find`,
    headers: { Authorization: `Bearer ${m.token}`, ...JSON_TYPE },
    body: JSON.stringify({ pagination: { limit: 20 }, sort_key: 'createdAtDesc' }),
  });
  return res.status === 200;
}
