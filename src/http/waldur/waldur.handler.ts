import type { LazyInput } from '../../domain/waldur/input.js';
import { lastParam, type QueryParams } from '../../domain/waldur/filters.js';
import { paginate } from '../../domain/waldur/pagination.js';
import { linkHeader } from './link-header.js';
import type { Actor } from '../../domain/waldur/permissions.js';
import type { Json } from './drf-json.js';
import type { RenderContext } from './representation.js';

/** One authenticated call to a Waldur operation, as its handler sees it. */
export interface WaldurCall {
  actor: Actor;
  uuid: string;
  query: QueryParams;
  /** The parsed body; parse errors surface only when it is read (DRF parses lazily). */
  body: LazyInput;
  render: RenderContext;
  requestUrl: URL;
}

export interface WaldurResult {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

export type WaldurHandler = (call: WaldurCall) => WaldurResult;

/** A paginated list answer: one page of items, X-Result-Count and Link (docs/behaviour/waldur.md §8.3). */
export function paginatedList<T>(call: WaldurCall, items: readonly T[], render: (item: T) => Json): WaldurResult {
  const page = paginate(items, lastParam(call.query, 'page'), lastParam(call.query, 'page_size'));
  return {
    status: 200,
    body: page.items.map(render),
    headers: { 'X-Result-Count': String(page.count), Link: linkHeader(call.render.baseUrl, call.requestUrl, page) },
  };
}
