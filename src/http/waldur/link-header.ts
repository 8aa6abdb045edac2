import type { Page } from '../../domain/waldur/pagination.js';

/**
 * DRF's replace_query_param / remove_query_param: the query is re-encoded with
 * its parameters sorted by name (Python's urlencode, spaces as '+'). The other
 * parameters are encoded once; each link only places `page` among them.
 */
function pageLinks(baseUrl: string, url: URL): (page: number | null) => string {
  const params = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) params.set(k, [...(params.get(k) ?? []), v]);
  params.delete('page');
  const keys = [...params.keys()].sort();
  const encoded = keys.map((k) =>
    params
      .get(k)!
      .map((v) => `${pyQuote(k)}=${pyQuote(v)}`)
      .join('&'),
  );
  const at = keys.findIndex((k) => k > 'page');
  const before = encoded.slice(0, at < 0 ? encoded.length : at);
  const after = at < 0 ? [] : encoded.slice(at);
  const base = `${baseUrl}${url.pathname}`;
  return (page) => {
    const query = (page === null ? [...before, ...after] : [...before, `page=${page}`, ...after]).join('&');
    return query ? `${base}?${query}` : base;
  };
}

/** urllib.parse.quote_plus. */
function pyQuote(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Waldur's LinkHeaderPagination: first, prev, next, last; first and last always. `baseUrl`: see public-url.ts. */
export function linkHeader(baseUrl: string, requestUrl: URL, page: Page<unknown>): string {
  const withPage = pageLinks(baseUrl, requestUrl);
  const links: [string, string][] = [['first', withPage(null)]];
  if (page.number > 1) links.push(['prev', withPage(page.number - 1 === 1 ? null : page.number - 1)]);
  if (page.number < page.numPages) links.push(['next', withPage(page.number + 1)]);
  links.push(['last', withPage(page.numPages === 1 ? null : page.numPages)]);
  return links.map(([rel, url]) => `<${url}>; rel="${rel}"`).join(', ');
}
