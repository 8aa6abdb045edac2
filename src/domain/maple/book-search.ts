/**
 * A company book's search indexes (search-index.ts) over its credits and its
 * log entries, kept in (created_at, id) order, the order a find pages in, and
 * following the tables' writes. Made at load and import (`warm`), so the
 * first search of a 100,000-credit book does not make them.
 */
import type { Credit, CreditLog } from './model.js';
import type { Position } from './pagination.js';
import { SearchIndex, type SearchedTable, type SearchOrder } from './search-index.js';
import { creditSearchFields, logSearchFields, searchText } from './search-text.js';

/** pagination.ts's (created_at, id) order. */
const PAGING_ORDER: SearchOrder<Position> = { position: (p) => Date.parse(p.created_at), key: (p) => p.id };

export class BookSearch {
  readonly credits: SearchIndex<Credit>;
  readonly logs: SearchIndex<CreditLog>;

  constructor(
    credits: SearchedTable<Credit> & { get(id: string): Credit | undefined },
    logs: SearchedTable<CreditLog>,
  ) {
    const creditOf = (id: string) => credits.get(id);
    this.credits = new SearchIndex<Credit>(credits, (c) => searchText(creditSearchFields(c)), PAGING_ORDER);
    this.logs = new SearchIndex<CreditLog>(logs, (l) => searchText(logSearchFields(l, creditOf)), PAGING_ORDER);
  }

  /** Makes both indexes now, ahead of the first search. */
  warm(): void {
    this.credits.warm();
    this.logs.warm();
  }
}
