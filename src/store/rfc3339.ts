/**
 * The one RFC 3339 parser (https://www.rfc-editor.org/rfc/rfc3339#section-5.6)
 * for every timestamp the mock reads: Maple's `expiration_date`, the
 * fixtures' and imported states' times, the admin clock, the journal's
 * `since`. A date-time must carry its offset (`Z` or `±hh:mm`): JavaScript's
 * `Date` reads an offset-less `2027-01-01T10:00:00` in the machine's time
 * zone, so the same request would mean another instant on another machine.
 * It lives at the bottom layer so that every layer can use it; it knows no
 * credit.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface Rfc3339Options {
  /** Also accept a space between date and time, as RFC 3339 §5.6 lets applications do. Default: only `T`/`t`. */
  space?: boolean;
}

/** An RFC 3339 date-time with its offset, as epoch milliseconds (fractions below 1 ms dropped), or null. */
export function parseRfc3339(text: string, options: Rfc3339Options = {}): number | null {
  const m = DATE_TIME.exec(text);
  if (!m || (m[4] === ' ' && !options.space)) return null;
  const [y, mo, d] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  const [h, mi, s] = [m[5], m[6], m[7]].map(Number) as [number, number, number];
  if (!isCalendarDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const offH = m[11] === undefined ? 0 : Number(m[11]);
  const offM = m[12] === undefined ? 0 : Number(m[12]);
  if (offH > 23 || offM > 59) return null;
  const ms = Number(((m[8] ?? '') + '000').slice(0, 3));
  const sign = m[10] === '-' ? -1 : 1;
  return utc(y, mo, d, h, mi, s, ms) - sign * (offH * 60 + offM) * 60_000;
}

/** A calendar date `YYYY-MM-DD` as midnight UTC, or else an RFC 3339 date-time with its offset; null for anything else. */
export function parseDateOrRfc3339(text: string, options: Rfc3339Options = {}): number | null {
  const m = DATE.exec(text);
  if (!m) return parseRfc3339(text, options);
  const [y, mo, d] = m.slice(1, 4).map(Number) as [number, number, number];
  return isCalendarDay(y, mo, d) ? utc(y, mo, d, 0, 0, 0, 0) : null;
}

function isCalendarDay(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
}

/** Date.UTC without its two-digit-year rule (years 0–99 are not 1900–1999 here). */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}
