/**
 * A small Waldur world for the ledger tests beside this file: customer Org
 * with projects P and P2, customer Other with project Q, a user for every
 * role of the permission matrix, a frozen clock, counted uuids and the
 * services over them. It speaks 8.1 unless told otherwise.
 */
import { WaldurStore } from './waldur.store.js';
import type { Clock } from '../clock.js';
import { BillingCycle } from './billing-cycle.service.js';
import type { WaldurContext } from './context.js';
import { CreditTransactionsService } from './credit-transactions.service.js';
import { CustomerCreditsService } from './customer-credits.service.js';
import type { Input } from './input.js';
import type { CreditTransaction } from './ledger.model.js';
import type { InvoiceItem, User } from './model.js';
import { Actor } from './permissions.js';
import type { WaldurSettings } from './profile.js';
import { ProjectCreditsService } from './project-credits.service.js';

export const ORG = '0c'.padEnd(32, '0');
export const OTHER = '0d'.padEnd(32, '0');
export const P = '1a'.padEnd(32, '0');
export const P2 = '1b'.padEnd(32, '0');
export const Q = '1c'.padEnd(32, '0');

class FrozenClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return this.at;
  }
}

const user = (username: string, extra: Partial<User> = {}): User => ({
  uuid: username.padEnd(32, '0').replace(/[^0-9a-f]/g, 'e'),
  username,
  token: `${username}-token`,
  is_staff: false,
  is_support: false,
  is_active: true,
  token_expires_at: null,
  customer_roles: [],
  project_roles: [],
  ...extra,
});

export const USERS = {
  staff: user('staff', { is_staff: true }),
  support: user('support', { is_support: true }),
  owner: user('owner', { customer_roles: [{ customer: ORG, role: 'owner' }] }),
  serviceManager: user('sm', { customer_roles: [{ customer: ORG, role: 'service_manager' }] }),
  manager: user('manager', { project_roles: [{ project: P, role: 'manager' }] }),
  member2: user('member2', { project_roles: [{ project: P2, role: 'member' }] }),
  nobody: user('nobody'),
};

export type LedgerWorld = ReturnType<typeof ledgerWorld>;

export function ledgerWorld(opts: { version?: '8.0.5' | '8.1'; now?: string } = {}) {
  const store = new WaldurStore();
  store.load({
    customers: [
      { uuid: ORG, name: 'Org', slug: 'org' },
      { uuid: OTHER, name: 'Other', slug: 'other' },
    ],
    projects: [
      { uuid: P, name: 'P', slug: 'p', customer: ORG },
      { uuid: P2, name: 'P2', slug: 'p2', customer: ORG },
      { uuid: Q, name: 'Q', slug: 'q', customer: OTHER },
    ],
    offerings: [],
    users: Object.values(USERS),
    customer_credits: [],
    project_credits: [],
    invoices: [],
  });
  const clock = new FrozenClock(new Date(opts.now ?? '2024-03-15T10:00:00.000Z'));
  let n = 0;
  const settings: WaldurSettings = { version: opts.version ?? '8.1' };
  const ctx: WaldurContext = { store, clock, ids: { uuidHex: () => (++n).toString(16).padStart(32, 'f') }, settings };
  const customerCredits = new CustomerCreditsService(ctx);
  const projectCredits = new ProjectCreditsService(ctx);
  const staff = new Actor(USERS.staff);
  const body = (data: Record<string, Input>) => () => data;
  return {
    ctx,
    store,
    clock,
    settings,
    customerCredits,
    projectCredits,
    ledger: new CreditTransactionsService(ctx),
    billing: new BillingCycle(ctx),
    actor: (name: keyof typeof USERS) => new Actor(USERS[name]),
    grant: (customer: string, value: string, extra: Record<string, Input> = {}) =>
      customerCredits.create(staff, body({ customer: `http://h/api/customers/${customer}/`, value, ...extra })),
    allocate: (project: string, value: string, extra: Record<string, Input> = {}) =>
      projectCredits.create(staff, body({ project: `http://h/api/projects/${project}/`, value, ...extra })),
    patchCustomerCredit: (uuid: string, data: Record<string, Input>) =>
      customerCredits.update(staff, uuid, body(data), true),
    patchProjectCredit: (uuid: string, data: Record<string, Input>) =>
      projectCredits.update(staff, uuid, body(data), true),
    /** A pending invoice of `customer` for (year, month) with usage items. */
    invoice: (customer: string, year: number, month: number, items: Partial<InvoiceItem>[], tax = '0') => {
      const inv = {
        uuid: (++n).toString(16).padStart(32, 'e'),
        customer,
        year,
        month,
        state: 'pending' as const,
        tax_percent: tax,
        items: items.map((i) => ({
          uuid: (++n).toString(16).padStart(32, 'e'),
          name: 'VM',
          unit_price: '0',
          quantity: '1',
          project: null,
          offering: null,
          credit: null,
          resource: (++n).toString(16).padStart(32, 'e'),
          ...i,
        })),
      };
      return store.invoices.put(inv);
    },
    /** Every row, in write order. */
    rows: (): CreditTransaction[] => [...store.creditTransactions.all()].sort((a, b) => a.seq - b.seq),
  };
}

/** The (type, amount, period) of rows, for compact assertions. */
export const brief = (rows: readonly CreditTransaction[]) =>
  rows.map((r) => [r.transaction_type, r.amount, r.billing_period, r.project_uuid === '' ? 'org' : r.project_name]);
