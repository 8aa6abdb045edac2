import type { IdempotencyRecord } from './idempotency.js';
import type { BillableItem, Company, Credit, CreditLog, Customer, Invoice, Subscription } from './model.js';
import { CREDIT_INDEXES } from './credit-indexes.js';
import { BookSearch } from './book-search.js';
import { ObservedMap, type StoreObserver } from '../../store/observer.js';
import type { AnyTable, Table } from '../../store/table.js';
import { TableSet } from '../../store/table-set.js';
import { TransactionManager } from '../../store/transaction.js';

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

const byId = (r: { id: string }) => r.id;

/**
 * One company's tables on the generic store. Credits are indexed as
 * credit-indexes.ts rules (by customer, ACTIVE ones by customer and by
 * draw-down pool, the ACTIVE ones that can expire); log entries by credit, customer and invoice. The idempotency
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
  readonly idempotency = new ObservedMap<string, IdempotencyRecord>();
  /** The search indexes over the credits and the log entries (book-search.ts). */
  readonly search: BookSearch;
  /** The tables, in the order a company loads them. */
  readonly set: TableSet;

  constructor(
    readonly company: Company,
    tx: TransactionManager,
  ) {
    const set = (this.set = new TableSet(tx, 'Maple'));
    this.customers = set.table<Customer>({
      name: 'customers',
      key: byId,
      uniques: [{ name: 'identifier', key: (c) => c.identifier }],
    });
    this.items = set.table<BillableItem>({ name: 'items', key: byId });
    this.subscriptions = set.table<Subscription>({ name: 'subscriptions', key: byId });
    this.invoices = set.table<Invoice>({
      name: 'invoices',
      key: byId,
      groups: [{ name: 'customer', key: (i) => i.customer_id }],
    });
    this.credits = set.table<Credit>({ name: 'credits', key: byId, groups: CREDIT_INDEXES });
    this.logs = set.table<CreditLog>({
      name: 'logs',
      key: byId,
      groups: [
        { name: 'credit', key: (l) => l.credit_id },
        { name: 'customer', key: (l) => l.customer_id },
        { name: 'invoice', key: (l) => l.invoice_id },
      ],
    });
    this.search = new BookSearch(this.credits, this.logs);
  }

  /** The tables by name, idempotency records aside. */
  tables(): AnyTable[] {
    return this.set.tables();
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
  private observer: StoreObserver | null = null;
  /** Stored Idempotency-Keys kept per company at most; the oldest are forgotten first. */
  private keyLimit = Number.POSITIVE_INFINITY;
  private onKeyEvicted: ((company: string, key: string) => void) | null = null;

  /** Runs `work` as one transaction: if it throws, every table write it made is undone. */
  transaction<R>(work: () => R): R {
    return this.tx.run(work);
  }

  /** Keeps at most `max` Idempotency-Key records per company, telling `onEvict` of each one forgotten. */
  limitIdempotencyKeys(max: number, onEvict: (company: string, key: string) => void): void {
    this.keyLimit = max;
    this.onKeyEvicted = onEvict;
    for (const book of this.books.values()) this.wire(book);
  }

  /** Tells `observer` of every later change (see StoreObserver); null stops it. Idempotency records count as rows of table "idempotency". */
  observe(observer: StoreObserver | null): void {
    this.observer = observer;
    this.tx.onSettled = observer && (() => observer.settled());
    for (const book of this.books.values()) this.wire(book);
  }

  private wire(book: MapleBook): void {
    const sink = book.set.observe(`maple/${book.company.id}`, this.observer);
    book.idempotency.onChange = sink && ((key, record) => sink('idempotency', key, record));
    book.idempotency.limit = this.keyLimit;
    const evicted = this.onKeyEvicted;
    book.idempotency.onEvict = evicted && ((key) => evicted(book.company.id, key));
  }

  /** Writes (or removes, `record` undefined) one row, as a journal replays it: not told to the observer. */
  applyRow(companyId: string, table: string, key: string, record: object | undefined): void {
    const book = this.books.get(companyId);
    if (!book) throw new Error(`no Maple company ${companyId}`);
    if (table === 'idempotency') {
      if (record === undefined) Map.prototype.delete.call(book.idempotency, key);
      else Map.prototype.set.call(book.idempotency, key, record as IdempotencyRecord);
      return;
    }
    book.set.applyRow(table, key, record);
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

  /** Replaces the whole state (already validated); stored idempotency keys are forgotten. An observer is told once. */
  load(state: MapleState): void {
    this.books = new Map();
    this.tokens = new Map();
    for (const c of state.companies) this.fillCompany(c);
    this.observer?.replaced();
  }

  /** Adds one company with its data (already validated against the rest of the state). An observer is told once. */
  addCompany(c: MapleCompanyState): MapleBook {
    const book = this.fillCompany(c);
    this.observer?.replaced();
    return book;
  }

  private fillCompany(c: MapleCompanyState): MapleBook {
    const book = new MapleBook({ id: c.id, name: c.name }, this.tx);
    for (const t of c.tokens) this.tokens.set(t, c.id);
    for (const r of c.customers) book.customers.put(r);
    for (const r of c.items) book.items.put(r);
    for (const r of c.subscriptions) book.subscriptions.put(r);
    for (const r of c.invoices) book.invoices.put(r);
    for (const r of c.credits) book.credits.put(r);
    for (const r of c.logs) book.logs.put(r);
    book.search.warm();
    this.books.set(c.id, book);
    this.wire(book);
    return book;
  }

  /** The tokens bound to a company. */
  tokensOf(companyId: string): string[] {
    return [...this.tokens].filter(([, c]) => c === companyId).map(([t]) => t);
  }

  export(): MapleState {
    return { companies: this.companies().map((b) => b.export(this.tokensOf(b.company.id))) };
  }
}
