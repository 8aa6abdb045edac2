/**
 * The text a Maple `search` looks in (docs/behaviour/maple.md §1.4, §1.5): a
 * record's searched fields, lower case, joined by U+0000. Made once per
 * (immutable) record, so a search over every record allocates nothing after
 * its first pass, and the search indexes (search-index.ts) join the same
 * texts.
 */
import type { Credit, CreditLog } from './model.js';
import { SEPARATOR } from './search-index.js';

const searchTexts = new WeakMap<object, string>();

/**
 * Searched fields, joined, lower case: the same as joining each field lower
 * case (the only context-dependent lower-casing, a final sigma, is decided
 * within a run of letters, and U+0000 ends one), in one call.
 */
export function searchText(fields: readonly (string | null | undefined)[]): string {
  let text = fields[0] ?? '';
  for (let i = 1; i < fields.length; i++) text += SEPARATOR + (fields[i] ?? '');
  return text.toLowerCase();
}

/** searchText of `item`'s fields, made once per record (`fields` is asked once). */
export function searchTextOf(item: object, fields: () => (string | null | undefined)[]): string {
  let text = searchTexts.get(item);
  if (text === undefined) searchTexts.set(item, (text = searchText(fields())));
  return text;
}

/** A credit's searched fields: its id, name and customer_id. */
export const creditSearchFields = (c: Credit) => [c.id, c.name, c.customer_id];

/** A log entry's searched fields: its id, credit_id, invoice_id, note and its credit's name (`creditOf`). */
export const logSearchFields = (l: CreditLog, creditOf: (id: string) => Credit | undefined) => [
  l.id,
  l.credit_id,
  l.invoice_id,
  l.note,
  creditOf(l.credit_id)?.name,
];

/**
 * Case-insensitive substring test over some fields of a record, with the
 * needle lower-cased once (not once per field of every item): one `includes`
 * per record, linear in the data.
 */
export function containsText(search: string): (item: object, fields: () => (string | null | undefined)[]) => boolean {
  const needle = search.toLowerCase();
  if (needle.includes(SEPARATOR)) {
    return (_item, fields) => fields().some((h) => h !== null && h !== undefined && h.toLowerCase().includes(needle));
  }
  return (item, fields) => searchTextOf(item, fields).includes(needle);
}
