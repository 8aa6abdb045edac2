import { describe, expect, it } from 'vitest';
import { parseDateOrRfc3339, parseRfc3339 } from './rfc3339.js';

describe('parseRfc3339', () => {
  it.each([
    ['2027-01-01T00:00:00Z', Date.UTC(2027, 0, 1)],
    ['2027-01-01t00:00:00z', Date.UTC(2027, 0, 1)],
    ['2027-01-01T10:00:00+02:00', Date.UTC(2027, 0, 1, 8)],
    ['2027-01-01T00:30:00-01:30', Date.UTC(2027, 0, 1, 2)],
    ['2024-02-29T23:59:59.999+05:30', Date.UTC(2024, 1, 29, 18, 29, 59, 999)],
    ['2026-12-03T09:30:00.1234567Z', Date.UTC(2026, 11, 3, 9, 30, 0, 123)],
    ['0001-01-01T00:00:00Z', -62135596800000],
    ['0050-06-01T00:00:00Z', -60576249600000], // year 50, not 1950
  ])('%s → its instant', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    ['an offset-less date-time (the machine time zone would decide)', '2027-01-01T10:00:00'],
    ['a date alone', '2027-01-01'],
    ['no seconds', '2027-01-01T10:00Z'],
    ['a space without the option', '2027-01-01 10:00:00Z'],
    ['month 13', '2027-13-01T00:00:00Z'],
    ['29 February of a common year', '2027-02-29T00:00:00Z'],
    ['29 February 1900 (not a leap year)', '1900-02-29T00:00:00Z'],
    ['hour 24', '2027-01-01T24:00:00Z'],
    ['a leap second', '2027-01-01T23:59:60Z'],
    ['offset hour 24', '2027-01-01T00:00:00+24:00'],
    ['an offset without a colon', '2027-01-01T00:00:00+0200'],
    ['a six-digit year', '+010000-01-01T00:00:00Z'],
    ['words', 'tomorrow'],
    ['nothing', ''],
  ])('refuses %s', (_what, text) => {
    expect(parseRfc3339(text)).toBeNull();
  });

  it('takes a space between date and time when asked to (RFC 3339 §5.6)', () => {
    expect(parseRfc3339('2026-01-01 00:00:00Z', { space: true })).toBe(Date.UTC(2026, 0, 1));
  });

  it('29 February 2000 (a leap year by the 400 rule)', () => {
    expect(parseRfc3339('2000-02-29T12:00:00Z')).toBe(Date.UTC(2000, 1, 29, 12));
  });
});

describe('parseDateOrRfc3339', () => {
  it('a date is midnight UTC, whatever the machine time zone', () => {
    expect(parseDateOrRfc3339('2027-03-01')).toBe(Date.UTC(2027, 2, 1));
  });

  it('a date-time with an offset is that instant', () => {
    expect(parseDateOrRfc3339('2027-03-01T12:00:00+01:00')).toBe(Date.UTC(2027, 2, 1, 11));
  });

  it.each(['2027-03-01T12:00:00', '2027-02-30', '2027-3-1', '27-03-01', '+010000-01-01'])('refuses %s', (text) => {
    expect(parseDateOrRfc3339(text)).toBeNull();
  });
});
