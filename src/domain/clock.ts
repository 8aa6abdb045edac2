/** The one source of "now". The domain never reads the system time itself. */
export interface Clock {
  now(): Date;
}

/** Creates the ids of new objects. */
export interface IdGenerator {
  /** A random uuid as 32 lowercase hex characters. */
  uuidHex(): string;
}

/** A calendar date as YYYY-MM-DD (UTC). */
export type CalendarDate = string;

export function today(clock: Clock): CalendarDate {
  return clock.now().toISOString().slice(0, 10);
}

export function sameMonth(a: CalendarDate, b: CalendarDate): boolean {
  return a.slice(0, 7) === b.slice(0, 7);
}

/** Year and month (1–12) of the month before the one `date` falls in. */
export function previousMonth(date: CalendarDate): { year: number; month: number } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(2000, month - 1, day));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2 && day === 29) return leap;
  return d.getUTCMonth() === month - 1;
}

export function formatDate(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
