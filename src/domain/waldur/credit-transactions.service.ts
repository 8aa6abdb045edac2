import type { WaldurContext } from './context.js';
import { notFound } from './errors.js';
import type { CreditTransaction } from './ledger.model.js';
import { ledgerFilter, orderRows, type RowPredicate } from './ledger-query.js';
import type { Actor } from './permissions.js';
import type { QueryParams } from './query-params.js';
import { normalizeUuid } from './uuid.js';

/** A ledger row with the customer it belongs to now (null when neither its credit nor its project credit survives). */
export interface LedgerRowView {
  row: CreditTransaction;
  customer: string | null;
}

const NOT_FOUND = 'No CreditTransaction matches the given query.';

/**
 * CreditTransactionViewSet (reference §5, newest): read-only. Visibility
 * (§5.4): staff and support see every row; a customer role sees the
 * organisation rows of that customer and the project rows of its projects; a
 * project role sees that project's project rows only; rows whose credit and
 * project credit are both gone are seen by staff and support alone.
 * A row's customer is looked up only where a filter, the visibility or the
 * rendered page needs it.
 */
export class CreditTransactionsService {
  private readonly customerOf = (row: CreditTransaction): string | null => {
    const store = this.ctx.store;
    if (row.credit !== null) return store.customerCredits.get(row.credit)?.customer ?? null;
    if (row.project_credit === null) return null;
    const pc = store.projectCredits.get(row.project_credit);
    return pc ? (store.projects.get(pc.project)?.customer ?? null) : null;
  };

  constructor(private readonly ctx: WaldurContext) {}

  /** The visible rows matching the query's filters, in its order. */
  list(actor: Actor, query: QueryParams): CreditTransaction[] {
    const matches = ledgerFilter(query, this.customerOf);
    const visible = this.visibility(actor);
    const rows: CreditTransaction[] = [];
    for (const row of this.ctx.store.creditTransactions.all()) if (visible(row) && matches(row)) rows.push(row);
    return orderRows(rows, query);
  }

  /** DRF's get_object: the lookup runs through the same visibility and filters as the list. */
  retrieve(actor: Actor, uuid: string, query: QueryParams = {}): CreditTransaction {
    const matches = ledgerFilter(query, this.customerOf);
    const hex = normalizeUuid(uuid);
    if (hex === null) throw notFound();
    const row = this.ctx.store.creditTransactions.get(hex);
    if (!row || !this.visibility(actor)(row) || !matches(row)) throw notFound(NOT_FOUND);
    return row;
  }

  /** A row as it is rendered: with the customer it belongs to now. */
  view(row: CreditTransaction): LedgerRowView {
    return { row, customer: this.customerOf(row) };
  }

  private visibility(actor: Actor): RowPredicate {
    if (actor.seesEverything) return () => true;
    const projects = new Set(actor.user.project_roles.map((r) => r.project));
    return (row) => {
      const customer = this.customerOf(row);
      if (customer === null) return false;
      if (actor.canSeeCustomer(customer)) return true;
      if (row.project_credit === null) return false;
      const pc = this.ctx.store.projectCredits.get(row.project_credit);
      return pc !== undefined && projects.has(pc.project);
    };
  }
}
