import type {
  Customer,
  CustomerCredit,
  Invoice,
  Offering,
  Project,
  ProjectCredit,
  User,
} from '../domain/waldur/model.js';
import { Table } from './table.js';
import { TransactionManager } from './transaction.js';

/** Everything the Waldur half of the mock knows, as plain JSON-able data. */
export interface WaldurState {
  customers: Customer[];
  projects: Project[];
  offerings: Offering[];
  users: User[];
  customer_credits: CustomerCredit[];
  project_credits: ProjectCredit[];
  invoices: Invoice[];
}

export class WaldurStore {
  private readonly tx = new TransactionManager();
  private seq = 0;
  /** Bumped whenever the whole state is replaced (reset, import), so derived bookkeeping can start over. */
  generation = 0;

  readonly customers = new Table<Customer>('customers', this.tx.journal);
  readonly projects = new Table<Project>('projects', this.tx.journal);
  readonly offerings = new Table<Offering>('offerings', this.tx.journal);
  readonly users = new Table<User>('users', this.tx.journal, [{ name: 'token', key: (u) => u.token }]);
  readonly customerCredits = new Table<CustomerCredit>('customer_credits', this.tx.journal, [
    { name: 'customer', key: (c) => c.customer },
  ]);
  readonly projectCredits = new Table<ProjectCredit>(
    'project_credits',
    this.tx.journal,
    [{ name: 'project', key: (c) => c.project }],
    [{ name: 'customer', key: (c) => this.projects.get(c.project)?.customer ?? null }],
  );
  readonly invoices = new Table<Invoice>('invoices', this.tx.journal, [], [{ name: 'customer', key: (i) => i.customer }]);

  /** Runs `work` as one transaction: if it throws, every write it made is undone. */
  transaction<R>(work: () => R): R {
    return this.tx.run(work);
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
    });
  }

  /** Replaces the whole state (already validated and normalised). */
  load(state: WaldurState): void {
    this.generation += 1;
    for (const t of this.tables()) t.clear();
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
  }

  private tables(): { clear(): void }[] {
    return [
      this.customers,
      this.projects,
      this.offerings,
      this.users,
      this.customerCredits,
      this.projectCredits,
      this.invoices,
    ];
  }
}
