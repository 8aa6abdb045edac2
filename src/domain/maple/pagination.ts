/**
 * Maple's `find` paging (docs/behaviour/maple.md §1.5): `{pagination: {from_key, limit},
 * sort_key, include_meta}` → `{results, pagination: {from_key, limit}, meta?}`.
 *
 * - limit is required, a whole number 1–100 (the guide's maximum; over 100 is
 *   refused, not clamped); sort_key is required: createdAtDesc | createdAtAsc.
 * - from_key (absent, null or "" for the first page) is an opaque cursor naming the (created_at, id) of the last item
 *   returned; the next page starts strictly after that position, so items
 *   inserted meanwhile neither repeat nor shift a page. null at the end.
 * - include_meta adds `meta: {total}`, the number of matches ignoring the cursor.
 */
import type { FieldError } from './errors.js';
import { asBody, present, readBoolean, readEnum, refuseUnknown, type Body } from './field-rules.js';
import { readWholeNumber } from './money.js';

export type SortKey = 'createdAtDesc' | 'createdAtAsc';
export const SORT_KEYS: readonly SortKey[] = ['createdAtDesc', 'createdAtAsc'];
export const MAX_LIMIT = 100;

export interface Position {
  readonly created_at: string;
  readonly id: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly after: Position | null;
  readonly sort_key: SortKey;
  readonly include_meta: boolean;
}

export interface Page<T> {
  readonly results: T[];
  readonly pagination: { readonly from_key: string | null; readonly limit: number };
  readonly meta?: { readonly total: number };
}

export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.created_at}|${p.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(key: string): Position | null {
  if (!/^[A-Za-z0-9_-]+$/.test(key)) return null;
  const text = Buffer.from(key, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar < 0) return null;
  const created_at = text.slice(0, bar);
  const id = text.slice(bar + 1);
  if (id === '' || Number.isNaN(Date.parse(created_at)) || encodeCursor({ created_at, id }) !== key) return null;
  return { created_at, id };
}

/** created_at as epoch ms, parsed once per (immutable) record: Date.parse costs microseconds, and a find reads every match's. */
const times = new WeakMap<Position, number>();

function timeOf(p: Position): number {
  let t = times.get(p);
  if (t === undefined) times.set(p, (t = Date.parse(p.created_at)));
  return t;
}

const compareIds = (a: Position, b: Position) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** (created_at, id) ascending. */
export function comparePositions(a: Position, b: Position): number {
  return timeOf(a) - timeOf(b) || compareIds(a, b);
}

function readLimit(pagination: Body, errors: FieldError[]): number | undefined {
  const raw = present(pagination, 'limit');
  if (raw === undefined)
    return (errors.push({ field: 'pagination.limit', message: 'pagination.limit is required' }), undefined);
  const r = readWholeNumber(raw, 'pagination.limit');
  if (r.ok && r.value >= 1 && r.value <= MAX_LIMIT) return r.value;
  errors.push({ field: 'pagination.limit', message: `pagination.limit must be an integer from 1 to ${MAX_LIMIT}` });
  return undefined;
}

function readCursor(pagination: Body, errors: FieldError[]): Position | null {
  const raw = present(pagination, 'from_key');
  if (raw === undefined || raw === '') return null; // null, "" or absent: the first page
  const position = typeof raw === 'string' ? decodeCursor(raw) : null;
  if (position === null)
    errors.push({ field: 'pagination.from_key', message: 'pagination.from_key is not a cursor this server returned' });
  return position;
}

/** Reads pagination, sort_key and include_meta from a find body; errors go to `errors`. */
export function readPageRequest(body: Body, errors: FieldError[]): PageRequest | undefined {
  const sort_key = readEnum(body, 'sort_key', SORT_KEYS, errors, { required: true });
  const include_meta = readBoolean(body, 'include_meta', 'include_meta', errors) ?? false;
  const pagination = asBody(present(body, 'pagination'));
  if (!pagination) {
    errors.push({ field: 'pagination', message: 'pagination is required: {limit, from_key}' });
    return undefined;
  }
  refuseUnknown(pagination, ['limit', 'from_key'], 'pagination.', errors);
  const limit = readLimit(pagination, errors);
  const after = readCursor(pagination, errors);
  if (limit === undefined || sort_key === undefined) return undefined;
  return { limit, after, sort_key, include_meta };
}

/** `items` in (created_at, id) order; the tables hold them in creation order, so the sort is usually skipped. */
function ascending<T extends Position>(items: readonly T[]): readonly T[] {
  const t = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) t[i] = timeOf(items[i]!);
  const before = (i: number, j: number) => t[i]! - t[j]! || compareIds(items[i]!, items[j]!);
  let sorted = true;
  for (let i = 1; i < items.length && sorted; i++) sorted = !(before(i - 1, i) > 0);
  if (sorted) return items;
  return Array.from(items.keys())
    .sort(before)
    .map((i) => items[i]!);
}

/** The index of the first item of `sorted` (ascending) that comes after `p` in the walk's direction. */
function startAfter<T extends Position>(sorted: readonly T[], p: Position, sign: 1 | -1): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sign * comparePositions(sorted[sign === 1 ? mid : sorted.length - 1 - mid]!, p) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One page of `matches` (in any order, or in (created_at, id) order when `inOrder`) after the request's cursor. */
export function paginate<T extends Position>(matches: readonly T[], req: PageRequest, inOrder = false): Page<T> {
  const sign = req.sort_key === 'createdAtAsc' ? 1 : -1;
  const sorted = inOrder ? matches : ascending(matches);
  const at = (i: number) => sorted[sign === 1 ? i : sorted.length - 1 - i]!;
  const start = req.after === null ? 0 : startAfter(sorted, req.after, sign);
  const end = Math.min(sorted.length, start + req.limit);
  const results: T[] = [];
  for (let i = start; i < end; i++) results.push(at(i));
  const last = results[results.length - 1];
  const from_key = end < sorted.length && last ? encodeCursor(last) : null;
  const page: Page<T> = { results, pagination: { from_key, limit: req.limit } };
  return req.include_meta ? { ...page, meta: { total: matches.length } } : page;
}
