/**
 * A credit list as both viewsets serve it: visibility and filters over the
 * views in the requested order, through the list cache (list-cache.ts), with
 * the text filters answered from a search index over all the views
 * (text-index.ts) when a query is not kept yet.
 */
import {
  buildFilter,
  filterParts,
  queryKey,
  type ContainsLookup,
  type CreditView,
  type FilterSpec,
  type OrderKey,
  type QueryParams,
  type TextField,
} from '../filters.js';
import { orderIndexes, orderingKey, viewComparator } from './ordering.js';
import type { ListCache } from './list-cache.js';
import type { BaseCredit } from '../model.js';
import { KeptRanks } from './kept-ranks.js';
import { TextIndex } from './text-index.js';

/** What listCredits works on: the cache, the filters, and every listed view. */
export interface ListParts<C extends BaseCredit> {
  cache: ListCache<CreditView<C>, C>;
  spec: FilterSpec;
  /** Every listed credit's view, in creation order. */
  allViews(): CreditView<C>[];
}

/**
 * The views of the credits `visible` admits that match the query's filters,
 * in its order.
 * Ordering all views and then filtering gives the same list as the other way
 * round (the sort is stable).
 */
export function listCredits<C extends BaseCredit>(
  list: ListParts<C>,
  query: QueryParams,
  /** Who asks, as a cache key: actors with the same key see the same credits. */
  visibilityKey: string,
  visible: (v: CreditView<C>) => boolean,
): readonly CreditView<C>[] {
  const { cache, spec } = list;
  const matches = buildFilter<C>(spec, query);
  const compare = viewComparator<C>(spec, query);
  const views = () => cache.allViews(() => list.allViews());
  const lookup: ContainsLookup = (field, needle) => textIndex(list, field).containing(needle);
  return cache.result(
    `${visibilityKey}|${queryKey(spec, query)}`,
    () => {
      const found: CreditView<C>[] = [];
      // The index answers for the views as they are now; a kept result is later patched with `matches`.
      const { predicate: quick, required } = filterParts<C>(spec, query, lookup);
      const key = orderingKey(query);
      // Each ordering field's ranks are kept while the views stay: a new combination of seen fields sorts in linear passes.
      const ranksOf = (field: OrderKey) => keptRanks(list, field).ranks();
      let sortedSeqs: Float64Array | null = null;
      const ordered = cache.ordered(
        key,
        () => {
          const all = views();
          const order = orderIndexes(spec, query, all.length, ranksOf);
          if (order === null) return all;
          // The order's sequence numbers, read from the creation order's (in memory order) rather than from each view.
          const seqs = cache.derive('seqs:', () => Float64Array.from(all, (v) => v.seq));
          sortedSeqs = new Float64Array(order.length);
          const sorted = new Array<CreditView<C>>(order.length);
          for (let i = 0; i < order.length; i++) {
            sortedSeqs[i] = seqs[order[i]!]!;
            sorted[i] = all[order[i]!]!;
          }
          return sorted;
        },
        compare,
      );
      if (required.length === 0) {
        for (const v of ordered) if (visible(v) && quick(v)) found.push(v);
        return found;
      }
      // The sequence numbers of the order side by side: views the text filters leave out are not read at all.
      const seqs = cache.derive(`seqs:${key}`, () => sortedSeqs ?? Float64Array.from(ordered, (v) => v.seq));
      const marks = required[0]!;
      for (let i = 0; i < seqs.length; i++) {
        if (marks[seqs[i]!] !== 1) continue;
        const v = ordered[i]!;
        if (visible(v) && quick(v)) found.push(v);
      }
      return found;
    },
    { compare, admits: (v) => visible(v) && matches(v) },
  );
}

/** An index that answers nothing: where TextIndex declines (the filters then test each view). */
const DECLINED = { containing: () => null, taken: () => true, placed: () => true };

/** The search index of one text field over the list's views, following their changes. */
function textIndex<C extends BaseCredit>(list: ListParts<C>, field: TextField): Pick<TextIndex, 'containing'> {
  const { cache } = list;
  return cache.follow(
    `text:${field}`,
    () =>
      TextIndex.of(
        cache.allViews(() => list.allViews()),
        field,
      ) ?? DECLINED,
  );
}

/** One ordering field's ranks over the list's views, following their changes. */
function keptRanks<C extends BaseCredit>(list: ListParts<C>, field: OrderKey): KeptRanks {
  const { cache } = list;
  return cache.follow(`ranks:${field}`, () =>
    KeptRanks.of(
      field,
      cache.allViews(() => list.allViews()),
    ),
  );
}

/**
 * Makes what a list's first requests would: the views, every ordering
 * field's ranks and every text field's search index (at start and import, so
 * that no request pays for them).
 */
export function warmList<C extends BaseCredit>(list: ListParts<C>): void {
  const { spec } = list;
  for (const field of new Set(Object.values(spec.ordering))) keptRanks(list, field);
  for (const field of new Set<TextField>([...Object.values(spec.contains), ...spec.search])) textIndex(list, field);
}
