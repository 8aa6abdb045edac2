import type { Customer, CustomerCredit, Invoice, Offering, Project, ProjectCredit, User } from './model.js';
import type { StoreObserver } from '../../store/observer.js';
import type { AnyTable } from '../../store/table.js';
import { TableSet } from '../../store/table-set.js';
import { TransactionManager } from '../../store/transaction.js';
import type { CreditTransaction } from './ledger.model.js';

/** Everything the Waldur half of the mock knows, as plain JSON-able data. */
export interface WaldurState {
  customers: Customer[];
  projects: Project[];
  offerings: Offering[];
  users: User[];
  customer_credits: CustomerCredit[];
  project_credits: ProjectCredit[];
  invoices: Invoice[];
  /** The credit ledger (Waldur 8.1); left out of an export while it is empty. */
  credit_transactions?: CreditTransaction[];
}

/**
 * The Waldur tables on the generic store, with the indexes the rules read: a
 * user by token, the one customer credit of a customer, the one project credit
 * of a project, a customer's project credits (through the project) and invoices.
 */
export class WaldurStore {
  private readonly tx = new TransactionManager();
  private readonly set = new TableSet(this.tx, 'Waldur');
  private seq = 0;
  /** Bumped whenever the whole state is replaced (reset, import), so derived bookkeeping can start over. */
  generation = 0;
  /** Called after each load (reset, import): what is made from the whole state is made again there, not by the next request. */
  readonly loaded = new Set<() => void>();

  readonly customers = this.set.table<Customer>({ name: 'customers' });
  readonly projects = this.set.table<Project>({ name: 'projects' });
  readonly offerings = this.set.table<Offering>({ name: 'offerings' });
  readonly users = this.set.table<User>({ name: 'users', uniques: [{ name: 'token', key: (u) => u.token }] });
  readonly customerCredits = this.set.table<CustomerCredit>({
    name: 'customer_credits',
    uniques: [{ name: 'customer', key: (c) => c.customer }],
  });
  readonly projectCredits = this.set.table<ProjectCredit>({
    name: 'project_credits',
    uniques: [{ name: 'project', key: (c) => c.project }],
    groups: [{ name: 'customer', key: (c) => this.projects.get(c.project)?.customer ?? null }],
  });
  readonly invoices = this.set.table<Invoice>({
    name: 'invoices',
    groups: [{ name: 'customer', key: (i) => i.customer }],
  });
  readonly creditTransactions = this.set.table<CreditTransaction>({
    name: 'credit_transactions',
    groups: [
      { name: 'credit', key: (t) => t.credit },
      { name: 'project_credit', key: (t) => t.project_credit },
    ],
  });

  private observer: StoreObserver | null = null;

  /** Runs `work` as one transaction: if it throws, every write it made is undone. */
  transaction<R>(work: () => R): R {
    return this.tx.run(work);
  }

  /** Tells `observer` of every later change (see StoreObserver); null stops it. */
  observe(observer: StoreObserver | null): void {
    this.observer = observer;
    this.tx.onSettled = observer && (() => observer.settled());
    this.set.observe('waldur', observer);
  }

  /** Writes (or removes, `record` undefined) one row of the named table, as a journal replays it: not told to the observer. */
  applyRow(table: string, key: string, record: object | undefined): void {
    this.set.applyRow(table, key, record);
    const seq = (record as { seq?: number } | undefined)?.seq;
    if (typeof seq === 'number' && seq > this.seq) this.seq = seq;
  }

  /** The next creation sequence number (orders lists by creation). */
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  export(): WaldurState {
    return structuredClone({
      customers: [...this.customers.all()],
      projects: [...this.projects.all()],
      offerings: [...this.offerings.all()],
      users: [...this.users.all()],
      customer_credits: [...this.customerCredits.all()],
      project_credits: [...this.projectCredits.all()],
      invoices: [...this.invoices.all()],
      ...(this.creditTransactions.size > 0 ? { credit_transactions: [...this.creditTransactions.all()] } : {}),
    });
  }

  /** Replaces the whole state (already validated and normalised); an observer is told once, not row by row. */
  load(state: WaldurState): void {
    const observer = this.observer;
    this.observe(null);
    try {
      this.fill(state);
    } finally {
      this.observe(observer);
    }
    observer?.replaced();
    for (const listener of this.loaded) listener();
  }

  private fill(state: WaldurState): void {
    this.generation += 1;
    this.set.clear();
    this.seq = 0;
    for (const c of state.customers) this.customers.put(c);
    for (const p of state.projects) this.projects.put(p);
    for (const o of state.offerings) this.offerings.put(o);
    for (const u of state.users) this.users.put(u);
    const credits = [...state.customer_credits, ...state.project_credits];
    this.seq = credits.reduce((max, c) => Math.max(max, c.seq), 0);
    for (const c of [...state.customer_credits].sort((a, b) => a.seq - b.seq)) this.customerCredits.put(c);
    for (const c of [...state.project_credits].sort((a, b) => a.seq - b.seq)) this.projectCredits.put(c);
    for (const i of state.invoices) this.invoices.put(i);
    for (const t of state.credit_transactions ?? []) this.creditTransactions.put(t);
    this.seq = (state.credit_transactions ?? []).reduce((max, t) => Math.max(max, t.seq), this.seq);
  }

  /** The tables in the order a state loads them (a project before its credit). */
  tables(): AnyTable[] {
    return this.set.tables();
  }

  /** The tables an export writes: every one, but the ledger only when it has rows (a world that never spoke 8.1 exports as before). */
  exportedTables(): AnyTable[] {
    return this.tables().filter((t) => t !== this.creditTransactions || this.creditTransactions.size > 0);
  }
}
