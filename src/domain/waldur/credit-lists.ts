/**
 * A credit list as both viewsets serve it: visibility and filters over the
 * views in the requested order, through the list cache (list-cache.ts), with
 * the text filters answered from a search index over all the views
 * (text-index.ts) when a query is not kept yet.
 */
import { applyOrdering, buildFilter, orderingKey, queryKey, viewComparator, type ContainsLookup, type CreditView, type FilterSpec, type QueryParams } from './filters.js';
import type { ListCache } from './list-cache.js';
import type { BaseCredit } from './model.js';
import { TextIndex } from './text-index.js';

export interface CreditList<C extends BaseCredit> {
  cache: ListCache<CreditView<C>, C, C>;
  spec: FilterSpec;
  /** Every listed credit's view, in creation order. */
  allViews(): CreditView<C>[];
}

/**
 * The credits `visible` admits that match the query's filters, in its order.
 * Ordering all views and then filtering gives the same list as the other way
 * round (the sort is stable).
 */
export function listCredits<C extends BaseCredit>(
  list: CreditList<C>,
  query: QueryParams,
  /** Who asks, as a cache key: actors with the same key see the same credits. */
  visibilityKey: string,
  visible: (v: CreditView<C>) => boolean,
): readonly C[] {
  const { cache, spec } = list;
  const matches = buildFilter<C>(spec, query);
  const compare = viewComparator<C>(spec, query);
  const lookup: ContainsLookup = (field, needle) =>
    cache.fromViews(`text:${field}`, () => list.allViews(), (views) => TextIndex.of(views, field))?.containing(needle) ?? null;
  return cache.result(
    `${visibilityKey}|${queryKey(spec, query)}`,
    (keep) => {
      // The index answers for the views as they are now; a kept result is later patched with `matches`.
      const quick = buildFilter<C>(spec, query, lookup);
      const ordered = cache.ordered(orderingKey(query), () => applyOrdering(spec, query, cache.allViews(() => list.allViews())), compare);
      for (const v of ordered) if (visible(v) && quick(v)) keep(v);
    },
    { compare, admits: (v) => visible(v) && matches(v) },
  );
}
