import type { Page } from '../../domain/waldur/pagination.js';

/**
 * DRF's replace_query_param / remove_query_param: the query is re-encoded with
 * its parameters sorted by name (Python's urlencode, spaces as '+').
 */
function withPage(url: URL, page: number | null): string {
  const params = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) params.set(k, [...(params.get(k) ?? []), v]);
  if (page === null) params.delete('page');
  else params.set('page', [String(page)]);
  const keys = [...params.keys()].sort();
  const query = keys.flatMap((k) => params.get(k)!.map((v) => `${pyQuote(k)}=${pyQuote(v)}`)).join('&');
  return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
}

/** urllib.parse.quote_plus. */
function pyQuote(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Waldur's LinkHeaderPagination: first, prev, next, last; first and last always. */
export function linkHeader(requestUrl: URL, page: Page<unknown>): string {
  const links: [string, string][] = [['first', withPage(requestUrl, null)]];
  if (page.number > 1) links.push(['prev', withPage(requestUrl, page.number - 1 === 1 ? null : page.number - 1)]);
  if (page.number < page.numPages) links.push(['next', withPage(requestUrl, page.number + 1)]);
  links.push(['last', withPage(requestUrl, page.numPages === 1 ? null : page.numPages)]);
  return links.map(([rel, url]) => `<${url}>; rel="${rel}"`).join(', ');
}
