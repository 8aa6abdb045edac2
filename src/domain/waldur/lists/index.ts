/**
 * The Waldur credit lists behind one interface. A list is declared once: the
 * table it lists, every other table it reads, and how a credit's facts and
 * its visibility are read from the store it is given. What makes lists fast
 * stays in this folder: the list cache (list-cache.ts: kept views, orders and
 * results, patched when the listed table changes), the text index
 * (text-index.ts) and the ordering by ranks (ordering.ts, order-ranks.ts).
 *
 * Invalidation is derived from the declaration, not listed by hand: the kept
 * data holds while the listed table and every table in `reads` keep their
 * versions. lists.test.ts lists through a store that records what is read
 * and fails when a list reads a table it did not declare.
 */
import type { CreditFacts, CreditView, FilterSpec } from '../credit-view.js';
import { KeptViews, type QueryParams } from '../filters.js';
import type { BaseCredit } from '../model.js';
import { listCredits, warmList } from './credit-lists.js';
import { ListCache, type ChangeFeed } from './list-cache.js';

/** A table a list can follow: its changes record by record, and its records in creation order. */
export interface ListedTable<C> extends ChangeFeed<C> {
  all(): IterableIterator<C>;
}

/** Who asks: actors with the same key see the same credits. */
export interface Viewer {
  readonly visibilityKey: string;
  canSeeCustomer(customer: string): boolean;
  /** Whether a role on this project lets the viewer see its credits (Waldur 8.1); absent: no. */
  canSeeProject?(project: string): boolean;
  /** Whether the viewer sees every customer (staff, support). */
  readonly seesEverything?: boolean;
}

/** The names of the store's members that are `T`. */
export type TableName<S, T> = { [K in keyof S]: S[K] extends T ? K : never }[keyof S] & string;

export interface CreditListDeclaration<S, C extends BaseCredit> {
  spec: FilterSpec;
  /** The table listed, followed record by record. */
  follows: TableName<S, ListedTable<C>>;
  /** Every other table `facts` and `visible` read: a write to one of them makes the kept data again. */
  reads: readonly TableName<S, { readonly version: number }>[];
  /** A credit's facts, read from `store` (null: the credit is not listed). */
  facts(store: S, credit: C): CreditFacts | null;
  /** Whether `viewer` sees a listed credit, read from `store`. */
  visible(store: S, viewer: Viewer, view: CreditView<C>): boolean;
  /** Whether `visible` admits every listed credit for `viewer` (absent: it is asked view by view). */
  seesAll?(viewer: Viewer): boolean;
}

export interface CreditList<C extends BaseCredit> {
  /** A credit's view (the same object while its facts stay), null if it is not listed. */
  view(credit: C): CreditView<C> | null;
  visible(viewer: Viewer, view: CreditView<C> | null): view is CreditView<C>;
  /** The views of the credits `viewer` sees that match the query, in its order. */
  list(viewer: Viewer, query: QueryParams): readonly CreditView<C>[];
  /** Makes now what the first lists would (credit-lists.ts `warmList`). */
  warm(): void;
}

/** The list `declaration` describes, over `store`. */
export function creditList<S, C extends BaseCredit>(store: S, declaration: CreditListDeclaration<S, C>): CreditList<C> {
  const kept = new KeptViews<C>();
  const table = store[declaration.follows] as unknown as ListedTable<C>;
  const others = declaration.reads.map((name) => store[name] as unknown as { readonly version: number });
  const view = (credit: C): CreditView<C> | null => {
    const facts = declaration.facts(store, credit);
    return facts === null ? null : kept.of(credit, facts);
  };
  const visible = (viewer: Viewer, v: CreditView<C> | null): v is CreditView<C> =>
    v !== null && declaration.visible(store, viewer, v);
  const cache = new ListCache<CreditView<C>, C>(() => others.map((t) => t.version).join(':'), {
    table,
    view,
    seq: (v) => v.seq,
  });
  const allViews = () => {
    const views: CreditView<C>[] = [];
    for (const credit of table.all()) {
      const v = view(credit);
      if (v !== null) views.push(v);
    }
    return views;
  };
  const list = { cache, spec: declaration.spec, allViews };
  return {
    view,
    visible,
    list: (viewer, query) =>
      listCredits(list, query, {
        key: viewer.visibilityKey,
        visible: (v) => visible(viewer, v),
        seesAll: declaration.seesAll?.(viewer) === true,
      }),
    warm: () => warmList(list),
  };
}
