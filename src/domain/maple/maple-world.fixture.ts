/**
 * A small Maple world for the tests beside this file: one company's book with
 * two customers, one billable item, one subscription, invoices on demand, a
 * frozen clock, seeded ids and the credits service over them.
 */
import { MapleStore, type MapleBook } from './maple.store.js';
import type { Clock } from '../clock.js';
import { DEFAULT_MAPLE_SETTINGS, MapleCreditsService, type MapleSettings } from './credits.service.js';
import type { MapleFailure, Outcome } from './errors.js';
import { createMapleIds, seededRandom, type MapleIdGenerator } from './ids.js';
import type { LedgerContext } from './ledger.js';
import type { Invoice, InvoiceState } from './model.js';

export const T0 = new Date('2024-01-01T00:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const COMPANY = 'cmp_test';
export const ALICE = 'cus_alice';
export const BOB = 'cus_bob';
export const API_CALLS = 'item_api_calls';
export const SUBS = 'subs_alice';

export class TestClock implements Clock {
  constructor(public at: Date = T0) {}
  now(): Date {
    return this.at;
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export const after = (ms: number, from: Date = T0) => new Date(from.getTime() + ms);
export const isoAfter = (ms: number, from: Date = T0) => after(ms, from).toISOString();

/** A store holding one company (COMPANY) with Alice, Bob, the API-calls item and Alice's subscription. */
export function baseStore(): MapleStore {
  const at = '2023-12-01T00:00:00.000Z';
  const store = new MapleStore();
  store.load({
    companies: [
      {
        id: COMPANY,
        name: 'Test Co',
        tokens: ['test-token'],
        customers: [
          { id: ALICE, identifier: 'ext-alice', name: 'Alice', email: 'alice@example.com', created_at: at },
          { id: BOB, identifier: null, name: 'Bob', email: null, created_at: at },
        ],
        items: [
          {
            id: API_CALLS,
            company_id: COMPANY,
            name: 'API calls',
            external_name: null,
            description: null,
            display_type: null,
            type: 'metered',
            standard: true,
            editable: false,
            created_at: at,
            updated_at: at,
          },
        ],
        subscriptions: [{ id: SUBS, customer_id: ALICE, created_at: at }],
        invoices: [],
        credits: [],
        logs: [],
      },
    ],
  });
  return store;
}

/** Adds an invoice owing `due` (default: Alice's, USD, PENDING). */
export function addInvoice(
  book: MapleBook,
  id: string,
  due: number,
  created_at: string,
  extra: { customer_id?: string; currency?: string; state?: InvoiceState } = {},
): Invoice {
  return book.invoices.put({
    id,
    customer_id: extra.customer_id ?? ALICE,
    currency: extra.currency ?? 'USD',
    state: extra.state ?? 'PENDING',
    total_in_cents: due,
    due_in_cents: due,
    created_at,
  });
}

export interface World {
  clock: TestClock;
  ids: MapleIdGenerator;
  store: MapleStore;
  book: MapleBook;
  settings: MapleSettings;
  service: MapleCreditsService;
  /** The ledger context at the clock's now, for calling the ledger functions directly. */
  ledger(): LedgerContext;
}

export function world(seed = 1): World {
  const clock = new TestClock();
  const ids = createMapleIds(clock, seededRandom(seed));
  const store = baseStore();
  const settings: MapleSettings = { ...DEFAULT_MAPLE_SETTINGS };
  const service = new MapleCreditsService({ store, clock, ids, settings });
  return {
    clock,
    ids,
    store,
    book: store.book(COMPANY)!,
    settings,
    service,
    ledger: () => ({ now: clock.now(), ids }),
  };
}

export function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome.failure)}`);
  return outcome.value;
}

export function failure<T>(outcome: Outcome<T>): MapleFailure {
  if (outcome.ok) throw new Error('expected a failure');
  return outcome.failure;
}

export const amountBody = (cents: number, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  name: 'Promo',
  type: 'AMOUNT',
  amount: { currency: 'USD', value_in_cents: cents },
  ...extra,
});

export const unitsBody = (units: number, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  name: 'Calls',
  type: 'UNITS',
  units,
  item_id: API_CALLS,
  ...extra,
});
