import { randomBytes } from 'node:crypto';
import { call, type Reply } from './http.js';
import { target, type MapleOpenInvoice } from './target.js';

/**
 * What the Maple half needs and cannot create through the credits API: a
 * company and its token, customers, a billable item, a subscription, a second
 * company (for the 403 and cross-company checks) and, for invoice application,
 * open invoices. Provisioned through the mock's /__admin/ API with a random run
 * tag when the target has it, else read from the config file's `maple` section.
 */
export interface MapleCustomer {
  id: string;
  /** The customer's external identifier, when it has (or the config names) one. */
  identifier: string | null;
}

export interface MapleWorld {
  companyId: string;
  /** The company's API token: provisioned, or --token. */
  token: string;
  /** Another company: its token, id and one of its customers (each may be missing in a config). */
  other: { token?: string; companyId?: string; customerId?: string };
  /** At least two customers without active credits; customers[0] has the identifier (when known). */
  customers: MapleCustomer[];
  itemId: string;
  /** A subscription of customers[0]. */
  subscriptionId?: string;
  /** Open invoices named by the config (admin worlds make their own, per check). */
  openInvoices: MapleOpenInvoice[];
  provisioned: 'admin' | 'config';
  /** The random tag of this run (admin) or of this process (config): names and identifiers carry it. */
  run: string;
}

export const NO_MAPLE_WORLD =
  'the target has no /__admin/ API and the --config file has no maple section (company_id, customers, item_id): there is no company to check (see README: the config file)';
export const NO_ADMIN =
  "drives the mock's /__admin/ API (clock, fault injection or invoices), which the target does not have";
export const NO_INVOICES =
  'needs open invoices to pay: the target has no /__admin/ API to make them and the config names no maple.open_invoices';

let world: Promise<MapleWorld | null> | undefined;

/** The world the Maple checks work in, or null when there is none (then they are reported as not run, with why). */
export function mapleWorld(): Promise<MapleWorld | null> {
  world ??= (async () => {
    if (target.config.maple) return fromConfig();
    return (await hasAdmin()) ? provisionThroughAdmin() : null;
  })();
  return world;
}

/** The world, for code that runs inside a check (check() has made sure it exists). */
export async function needWorld(): Promise<MapleWorld> {
  const w = await mapleWorld();
  if (!w) throw new Error(NO_MAPLE_WORLD);
  return w;
}

async function hasAdmin(): Promise<boolean> {
  const res = await call('GET', '/__admin/health', { token: null });
  return res.status === 200 && (res.body as { status?: string } | undefined)?.status === 'ok';
}

/** One call to the mock's control API; anything but `status` is a setup failure. */
export async function admin<T>(
  method: string,
  path: string,
  body?: unknown,
  status = method === 'POST' ? 201 : 200,
): Promise<T> {
  const res: Reply = await call(method, `/__admin/${path}`, { token: null, body });
  if (res.status !== status)
    throw new Error(
      `setup: ${method} /__admin/${path} answered ${res.status} (expected ${status}): ${res.text.slice(0, 300)}`,
    );
  return res.body as T;
}

let customerCount = 0;

/** A fresh customer of the world's company, through /__admin/ (admin worlds only). */
export async function provisionCustomer(w: MapleWorld, withIdentifier = true): Promise<MapleCustomer> {
  const n = ++customerCount;
  const c = await admin<{ id: string; identifier: string | null }>('POST', `maple/companies/${w.companyId}/customers`, {
    name: `Conformance customer ${n} ${w.run}`,
    ...(withIdentifier ? { identifier: `conformance-${w.run}-${n}` } : {}),
    email: `conformance-${n}-${w.run}@example.org`,
  });
  return { id: c.id, identifier: c.identifier ?? null };
}

export interface AdminInvoice {
  id: string;
  customer_id: string;
  currency: string;
  state: string;
  total_in_cents: number;
  due_in_cents: number;
  created_at: string;
}

/** An invoice of the world's company, through /__admin/. */
export async function provisionInvoice(
  w: MapleWorld,
  body: Omit<Partial<AdminInvoice>, 'id'> & { customer_id: string; currency: string; total_in_cents: number },
): Promise<AdminInvoice> {
  return admin<AdminInvoice>('POST', `maple/companies/${w.companyId}/invoices`, body);
}

export async function adminInvoices(w: MapleWorld): Promise<Map<string, AdminInvoice>> {
  const list = await admin<AdminInvoice[]>('GET', `maple/companies/${w.companyId}/invoices`);
  return new Map(list.map((i) => [i.id, i]));
}

export interface Clock {
  now: string;
  today: string;
  frozen: boolean;
}

/**
 * Runs `fn` with the mock's clock frozen at its current time, then puts the
 * clock back where it would be had nobody touched it (a running clock keeps
 * running from the real time elapsed). `fn` gets the frozen now and a way to
 * move the clock.
 */
export async function withFrozenClock<T>(
  fn: (now: Date, advanceDays: (days: number) => Promise<Clock>) => Promise<T>,
): Promise<T> {
  const before = await admin<Clock>('GET', 'clock');
  const startedAt = Date.now();
  const setClock = (body: object) => admin<Clock>('POST', 'clock', body, 200);
  try {
    const frozen = await setClock({ now: before.now });
    return await fn(new Date(frozen.now), (days) => setClock({ advance_days: days }));
  } finally {
    const back = before.frozen ? before.now : new Date(Date.parse(before.now) + (Date.now() - startedAt)).toISOString();
    await setClock(before.frozen ? { now: back } : { now: back, freeze: false });
  }
}

/** Fault injection: the next `count` requests (of `operation`, when named) get `status` or are held `delay_ms`. */
export async function injectFault(fault: {
  status?: 429 | 500;
  count?: number;
  operation?: string;
  delay_ms?: number;
}): Promise<void> {
  await admin('POST', 'maple/faults', fault);
}

export async function clearFaults(): Promise<void> {
  const res = await call('DELETE', '/__admin/maple/faults', { token: null });
  if (res.status >= 300)
    throw new Error(`setup: DELETE /__admin/maple/faults answered ${res.status}: ${res.text.slice(0, 200)}`);
}

async function provisionThroughAdmin(): Promise<MapleWorld> {
  const run = randomBytes(4).toString('hex');
  const token = `conformance-maple-${run}`;
  const company = await admin<{ id: string }>('POST', 'maple/companies', {
    name: `Conformance ${run}`,
    tokens: [token],
  });
  const otherToken = `conformance-maple-other-${run}`;
  const other = await admin<{ id: string }>('POST', 'maple/companies', {
    name: `Conformance other ${run}`,
    tokens: [otherToken],
  });
  const w: MapleWorld = {
    companyId: company.id,
    token,
    other: { token: otherToken, companyId: other.id },
    customers: [],
    itemId: '',
    openInvoices: [],
    provisioned: 'admin',
    run,
  };
  w.customers.push(
    await provisionCustomer(w, true),
    await provisionCustomer(w, false),
    await provisionCustomer(w, false),
  );
  const item = await admin<{ id: string }>('POST', `maple/companies/${w.companyId}/items`, {
    name: `Conformance API calls ${run}`,
    type: 'usage',
  });
  w.itemId = item.id;
  const subscription = await admin<{ id: string }>('POST', `maple/companies/${w.companyId}/subscriptions`, {
    customer_id: w.customers[0]!.id,
  });
  w.subscriptionId = subscription.id;
  const otherCustomer = await admin<{ id: string }>('POST', `maple/companies/${other.id}/customers`, {
    name: `Conformance other customer ${run}`,
  });
  w.other.customerId = otherCustomer.id;
  return w;
}

function fromConfig(): MapleWorld {
  const c = target.config.maple!;
  const problems: string[] = [];
  if (typeof c.company_id !== 'string' || !c.company_id) problems.push('maple.company_id');
  if (!Array.isArray(c.customers) || c.customers.length < 2) problems.push('maple.customers (at least 2)');
  if (typeof c.item_id !== 'string' || !c.item_id) problems.push('maple.item_id');
  if (!target.token) problems.push('--token (the company API token)');
  if (problems.length)
    throw new Error(`the maple section of --config is incomplete: give ${problems.join(', ')} (see README)`);
  return {
    companyId: c.company_id,
    token: target.token,
    other: { token: c.other_company_token, companyId: c.other_company_id, customerId: c.other_customer_id },
    customers: c.customers.map((id, i) => ({ id, identifier: i === 0 ? (c.customer_identifier ?? null) : null })),
    itemId: c.item_id,
    subscriptionId: c.subscription_id,
    openInvoices: c.open_invoices ?? [],
    provisioned: 'config',
    run: randomBytes(4).toString('hex'),
  };
}

/** The server's now: the mock's clock through /__admin/, else this machine's (a real server runs on real time). */
export async function serverNow(w: MapleWorld): Promise<number> {
  if (w.provisioned !== 'admin') return Date.now();
  return Date.parse((await admin<Clock>('GET', 'clock')).now);
}

/** An RFC 3339 instant `days` after the server's now. */
export async function inDays(w: MapleWorld, days: number): Promise<string> {
  return new Date((await serverNow(w)) + days * 86_400_000).toISOString();
}
