import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { expectContract, expectStatus } from './check.js';
import { call, type Reply } from './http.js';
import { target } from './target.js';
import { type CreditBody, pathOf } from './waldur-data.js';
import type { Ref } from './waldur-world.js';

/** What the checks of the 8.1 contract (waldur-8.1/) share: the ledger, the mock's billing, fresh customers. */

/** A row of /api/credit-transactions/ (docs/behaviour/waldur-8.1.md §5.1). */
export interface LedgerRow {
  uuid: string;
  created: string;
  amount: string;
  transaction_type: string;
  transaction_type_display: string;
  comment: string;
  customer_uuid: string | null;
  customer_name: string | null;
  project_uuid: string;
  project_name: string;
  billing_period: string | null;
}

export const LEDGER = '/api/credit-transactions/';

/** One page of the ledger (a query string without `?`), checked against the contract. */
export async function ledger(query: string, token?: string): Promise<LedgerRow[]> {
  const res = await call('GET', `${LEDGER}?page_size=300${query ? `&${query}` : ''}`, { token });
  expectStatus(res, 200);
  expectContract('credit_transactions_list', res);
  return res.body as LedgerRow[];
}

/** The rows of one organisation credit, oldest first (`o=created`). */
export async function rowsOfCredit(credit: CreditBody, token?: string): Promise<LedgerRow[]> {
  return ledger(`credit_uuid=${credit.uuid}&o=created`, token);
}

/** The rows of one project credit, oldest first (`o=created`). */
export async function rowsOfProjectCredit(credit: CreditBody, token?: string): Promise<LedgerRow[]> {
  return ledger(`project_credit_uuid=${credit.uuid}&o=created`, token);
}

/** What a row says, for comparisons: its type, amount and period. */
export const gist = (r: LedgerRow) =>
  `${r.transaction_type} ${r.amount}${r.billing_period ? ` ${r.billing_period}` : ''}`;

/** Sums decimal strings exactly (5 places at most), as text with 5 places. */
export function sum(amounts: string[]): string {
  const scaled = amounts.reduce((acc, a) => {
    const [int, frac = ''] = a.replace('-', '').split('.');
    const units = BigInt(int!) * 100000n + BigInt((frac + '00000').slice(0, 5));
    return acc + (a.startsWith('-') ? -units : units);
  }, 0n);
  const sign = scaled < 0n ? '-' : '';
  const abs = scaled < 0n ? -scaled : scaled;
  return `${sign}${abs / 100000n}.${String(abs % 100000n).padStart(5, '0')}`;
}

export async function getCredit(credit: CreditBody, token?: string): Promise<Reply & { body: CreditBody }> {
  const res = await call('GET', pathOf(credit.url), { token });
  expectStatus(res, 200);
  return res as Reply & { body: CreditBody };
}

/** `"field": <number>` as the server spelled it, e.g. `40.0`. */
export function numberText(text: string, field: string): string | undefined {
  return new RegExp(`"${field}":\\s*(-?[0-9.eE+-]+)`).exec(text)?.[1];
}

// ------------------------------------------------------------ the mock's /__admin/ (checks with needs: 'admin')

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await call(method, `/__admin/${path}`, { token: null, body });
  if (res.status >= 300) throw new Error(`setup: ${method} /__admin/${path} failed: ${res.status} ${res.text}`);
  return res.body as T;
}

const hexOf = (uuid: string) => uuid.replace(/-/g, '').toLowerCase();
const refOf = (kind: string, x: { uuid: string; name: string }): Ref => ({
  uuid: hexOf(x.uuid),
  name: x.name,
  url: `${target.url}/api/${kind}/${hexOf(x.uuid)}/`,
});

export interface Org {
  customer: Ref;
  projects: Ref[];
  /** Tokens of users made for this customer: an owner, a service manager (a customer role that is not owner), a manager of projects[0]. */
  tokens: { owner: string; serviceManager: string; manager: string };
}

/** A customer of its own with `projects` projects and a user per role, made through /__admin/. */
export async function freshOrg(projects = 2): Promise<Org> {
  const run = randomBytes(4).toString('hex');
  const c = await admin<{ uuid: string; name: string }>('POST', 'waldur/customers', {
    name: `Conformance 8.1 ${run}`,
    slug: `conformance-81-${run}`,
  });
  const customer = refOf('customers', c);
  const made: Ref[] = [];
  for (let i = 0; i < projects; i++) {
    made.push(
      refOf(
        'projects',
        await admin<{ uuid: string; name: string }>('POST', 'waldur/projects', {
          name: `P${i} ${run}`,
          customer: customer.uuid,
        }),
      ),
    );
  }
  const user = async (role: string, extra: object) => {
    const token = `conformance-81-${role}-${run}`;
    await admin('POST', 'waldur/users', { username: token, token, ...extra });
    return token;
  };
  return {
    customer,
    projects: made,
    tokens: {
      owner: await user('owner', { customer_roles: [{ customer: customer.uuid, role: 'owner' }] }),
      serviceManager: await user('service-manager', {
        customer_roles: [{ customer: customer.uuid, role: 'service_manager' }],
      }),
      manager: await user('manager', { project_roles: [{ project: made[0]!.uuid, role: 'manager' }] }),
    },
  };
}

/** The mock's today, `YYYY-MM-DD`. */
export async function today(): Promise<string> {
  return (await admin<{ today: string }>('GET', 'clock')).today;
}

/** The first of the month `offset` months from today's. */
export async function monthStart(offset = 0): Promise<string> {
  const t = await today();
  const d = new Date(Date.UTC(Number(t.slice(0, 4)), Number(t.slice(5, 7)) - 1 + offset, 1));
  return d.toISOString().slice(0, 10);
}

export interface Item {
  uuid?: string;
  name?: string;
  unit_price: string;
  quantity?: string;
  project?: string | null;
  offering?: string | null;
  resource?: string | null;
  credit?: string | null;
  details?: Record<string, unknown>;
}

/**
 * An invoice of the customer for the month `offset` months from today's:
 * this month's is pending (open to compensations), an earlier one is
 * `created` (closed, as the month-end leaves it; a pending one of a past
 * month would be compensated by the mock's next month-end run).
 */
export async function invoice(customer: Ref, items: Item[], offset = 0, tax = '0'): Promise<{ uuid: string }> {
  const month = await monthStart(offset);
  return admin('POST', 'waldur/invoices', {
    customer: customer.uuid,
    year: Number(month.slice(0, 4)),
    month: Number(month.slice(5, 7)),
    state: offset < 0 ? 'created' : 'pending',
    tax_percent: tax,
    items: items.map((i) => ({ name: 'usage', quantity: '1', ...i })),
  });
}

export async function offering(name: string): Promise<Ref> {
  return refOf(
    'marketplace-provider-offerings',
    await admin<{ uuid: string; name: string }>('POST', 'waldur/offerings', { name }),
  );
}

export const newHex = () => randomBytes(16).toString('hex');

/** Moves the mock's clock to `now` (frozen) and answers how to put it back. */
export async function travel(now: string): Promise<() => Promise<void>> {
  const before = await admin<{ now: string; frozen: boolean }>('GET', 'clock');
  await admin('POST', 'clock', { now });
  return async () => {
    await admin('POST', 'clock', { now: before.now, freeze: before.frozen });
  };
}

/** Expects a 400 whose body is exactly `body`, and the contract's 400. */
export function expectBadRequest(operationId: string, res: Reply, body: unknown): void {
  expectStatus(res, 400);
  expectContract(operationId, res);
  expect(res.body).toEqual(body);
}
