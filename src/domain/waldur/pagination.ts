import { invalidPage } from './errors.js';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 300;

export interface Page<T> {
  items: T[];
  count: number;
  number: number;
  numPages: number;
}

/** DRF's _positive_int(strict=True, cutoff=300); anything else falls back to the default. */
export function pageSizeOf(raw: string | undefined): number {
  if (raw === undefined || !/^\s*\+?\d+\s*$/.test(raw)) return DEFAULT_PAGE_SIZE;
  const n = Number(raw.trim());
  if (n <= 0) return DEFAULT_PAGE_SIZE;
  return Math.min(n, MAX_PAGE_SIZE);
}

/** Django's Paginator with DRF's PageNumberPagination: `last` is accepted; a bad page is 404. */
export function paginate<T>(
  items: readonly T[],
  rawPage: string | undefined,
  rawPageSize: string | undefined,
): Page<T> {
  const size = pageSizeOf(rawPageSize);
  const count = items.length;
  const numPages = Math.max(1, Math.ceil(count / size));
  let number: number;
  if (rawPage === undefined || rawPage === '') number = 1;
  else if (rawPage === 'last') number = numPages;
  else if (/^\s*[+-]?\d+\s*$/.test(rawPage)) number = Number(rawPage.trim());
  else throw invalidPage();
  if (number < 1 || number > numPages) throw invalidPage();
  const start = (number - 1) * size;
  return { items: items.slice(start, start + size), count, number, numPages };
}
