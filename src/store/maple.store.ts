import type { IdempotencyRecord } from '../domain/maple/idempotency.js';
import type {
  BillableItem,
  Company,
  Credit,
  CreditLog,
  CreditType,
  Customer,
  Invoice,
  Subscription,
} from '../domain/maple/model.js';
import { scaledUnits } from '../domain/maple/units.js';
import { Table, type Journal } from './table.js';
import { TransactionManager } from './transaction.js';

/** One company's data as plain JSON, in the fixtures format (fixtures/maple.json). */
export interface MapleCompanyState extends Company {
  /** The API tokens bound to this company. */
  tokens: string[];
  customers: Customer[];
  items: BillableItem[];
  subscriptions: Subscription[];
  invoices: Invoice[];
  credits: Credit[];
  logs: CreditLog[];
}

export interface MapleState {
  companies: MapleCompanyState[];
}

/** The key of a draw-down pool: one customer's ACTIVE credits of one type and currency (AMOUNT) or item (UNITS). */
export function poolKey(customerId: string, type: CreditType, pool: string): string {
  return `${customerId}\u0000${type}\u0000${pool}`;
}

const activeOnly = <T>(c: Credit, key: T): T | null => (c.state === 'ACTIVE' ? key : null);
const byId = (r: { id: string }) => r.id;

/**
 * One company's tables. Credits are indexed by customer (all states), by
 * customer over ACTIVE credits, by draw-down pool (with the exact sum of what
 * remains in it), and the ACTIVE ones that can expire; log entries by credit, customer and invoice. The idempotency
 * records are kept beside the tables and outside the transactions: a stored
 * response is written after the request's transaction has ended.
 */
export class MapleBook {
  readonly customers: Table<Customer>;
  readonly items: Table<BillableItem>;
  readonly subscriptions: Table<Subscription>;
  readonly invoices: Table<Invoice>;
  readonly credits: Table<Credit>;
  readonly logs: Table<CreditLog>;
  readonly idempotency = new Map<string, IdempotencyRecord>();

  constructor(readonly company: Company, journal: () => Journal | null) {
    this.customers = new Table<Customer>('customers', journal, [{ name: 'identifier', key: (c) => c.identifier }], [], byId);
    this.items = new Table<BillableItem>('items', journal, [], [], byId);
    this.subscriptions = new Table<Subscription>('subscriptions', journal, [], [], byId);
    this.invoices = new Table<Invoice>('invoices', journal, [], [{ name: 'customer', key: (i) => i.customer_id }], byId);
    this.credits = new Table<Credit>(
      'credits',
      journal,
      [],
      [
        { name: 'customer', key: (c) => c.customer_id },
        { name: 'active', key: (c) => activeOnly(c, c.customer_id) },
        {
          name: 'pool',
          key: (c) => activeOnly(c, poolKey(c.customer_id, c.type, c.type === 'AMOUNT' ? c.amount!.currency : c.item_id!)),
          amount: (c) => (c.type === 'AMOUNT' ? c.amount!.value_in_cents : scaledUnits(c.units!)),
        },
        { name: 'expiring', key: (c) => (c.expiration_date === null ? null : activeOnly(c, 'expiring')) },
      ],
      byId,
    );
    this.logs = new Table<CreditLog>(
      'logs',
      journal,
      [],
      [
        { name: 'credit', key: (l) => l.credit_id },
        { name: 'customer', key: (l) => l.customer_id },
        { name: 'invoice', key: (l) => l.invoice_id },
      ],
      byId,
    );
  }

  /** A customer by Maple id, else by the external identifier. */
  customer(ref: string): Customer | undefined {
    return this.customers.get(ref) ?? this.customers.getBy('identifier', ref);
  }

  export(tokens: string[]): MapleCompanyState {
    return structuredClone({
      ...this.company,
      tokens,
      customers: [...this.customers.all()],
      items: [...this.items.all()],
      subscriptions: [...this.subscriptions.all()],
      invoices: [...this.invoices.all()],
      credits: [...this.credits.all()],
      logs: [...this.logs.all()],
    });
  }
}

/** Everything the Maple half of the mock knows: one book per company, and which company each token opens. */
export class MapleStore {
  private readonly tx = new TransactionManager();
  private books = new Map<string, MapleBook>();
  private tokens = new Map<string, string>();

  /** Runs `work` as one transaction: if it throws, every table write it made is undone. */
  transaction<R>(work: () => R): R {
    return this.tx.run(work);
  }

  book(companyId: string): MapleBook | undefined {
    return this.books.get(companyId);
  }

  companies(): MapleBook[] {
    return [...this.books.values()];
  }

  /** The company a token is bound to. */
  companyOfToken(token: string): string | undefined {
    return this.tokens.get(token);
  }

  /** Replaces the whole state (already validated); stored idempotency keys are forgotten. */
  load(state: MapleState): void {
    this.books = new Map();
    this.tokens = new Map();
    for (const c of state.companies) this.addCompany(c);
  }

  /** Adds one company with its data (already validated against the rest of the state). */
  addCompany(c: MapleCompanyState): MapleBook {
    const book = new MapleBook({ id: c.id, name: c.name }, this.tx.journal);
    for (const t of c.tokens) this.tokens.set(t, c.id);
    for (const r of c.customers) book.customers.put(r);
    for (const r of c.items) book.items.put(r);
    for (const r of c.subscriptions) book.subscriptions.put(r);
    for (const r of c.invoices) book.invoices.put(r);
    for (const r of c.credits) book.credits.put(r);
    for (const r of c.logs) book.logs.put(r);
    this.books.set(c.id, book);
    return book;
  }

  export(): MapleState {
    const tokensOf = (companyId: string) => [...this.tokens].filter(([, c]) => c === companyId).map(([t]) => t);
    return { companies: this.companies().map((b) => b.export(tokensOf(b.company.id))) };
  }
}
