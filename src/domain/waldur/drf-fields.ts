import { Dec, ROUND_HALF_EVEN } from '../money/decimal.js';
import { parsePyDecimal, precisionOf } from '../money/py-decimal.js';
import { formatDate, isValidCalendarDate, type CalendarDate } from '../clock.js';
import { JsonNumber, pyStr, pyTypeName, type Input } from './input.js';

/**
 * Django REST Framework's field parsing, with its exact messages. Each parser
 * returns the value or throws a FieldError carrying DRF's error detail.
 */
export class FieldError extends Error {
  constructor(readonly detail: string[] | string | Record<string, string[]>) {
    super(Array.isArray(detail) ? detail.join(' ') : typeof detail === 'string' ? detail : 'invalid');
  }
}

const fail = (message: string): never => {
  throw new FieldError([message]);
};

export interface DecimalSpec {
  maxDigits: number;
  places: number;
  minValue?: number;
}

export function parseDecimal(input: Input, spec: DecimalSpec): Dec {
  let text: string;
  if (input instanceof JsonNumber) text = input.pyStr;
  else if (typeof input === 'string') text = input.trim();
  else text = pyStr(input);
  if (text.length > 1000) fail('String value too large.');
  const parsed = parsePyDecimal(text);
  if (parsed.kind !== 'finite') return fail('A valid number is required.');
  const p = precisionOf(parsed.tuple);
  const maxWhole = spec.maxDigits - spec.places;
  if (p.total > spec.maxDigits) fail(`Ensure that there are no more than ${spec.maxDigits} digits in total.`);
  if (p.places > spec.places) fail(`Ensure that there are no more than ${spec.places} decimal places.`);
  if (p.whole > maxWhole) fail(`Ensure that there are no more than ${maxWhole} digits before the decimal point.`);
  const value = new Dec(parsed.text).toDecimalPlaces(spec.places, ROUND_HALF_EVEN);
  if (spec.minValue !== undefined && value.lt(spec.minValue)) {
    fail(`Ensure this value is greater than or equal to ${spec.minValue}.`);
  }
  return value;
}

const TRUE_VALUES = new Set(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1']);
const FALSE_VALUES = new Set([
  'f',
  'F',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '0',
]);

export function parseBoolean(input: Input): boolean {
  if (typeof input === 'boolean') return input;
  if (input instanceof JsonNumber) {
    const n = Number(input.source);
    if (n === 1) return true;
    if (n === 0) return false;
  }
  if (typeof input === 'string') {
    if (TRUE_VALUES.has(input)) return true;
    if (FALSE_VALUES.has(input)) return false;
  }
  return fail('Must be a valid boolean.');
}

export function parseChoice<T extends string>(input: Input, choices: readonly T[]): T {
  const text = pyStr(input);
  const match = choices.find((c) => c === text);
  if (match === undefined || typeof input === 'object') fail(`"${text}" is not a valid choice.`);
  return match as T;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const LOOSE_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** DRF's DateField with the iso-8601 input format (Django's parse_date). */
export function parseDate(input: Input): CalendarDate {
  if (typeof input === 'string') {
    const m = ISO_DATE.exec(input) ?? COMPACT_DATE.exec(input) ?? LOOSE_DATE.exec(input);
    if (m) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (isValidCalendarDate(y, mo, d)) return formatDate(y, mo, d);
    }
  }
  return fail('Date has wrong format. Use one of these formats instead: YYYY-MM-DD.');
}

/** What a hyperlink resolves to: the view it names and the uuid in it. */
export interface ResolvedLink {
  view: string;
  lookup: string;
}

/**
 * DRF's HyperlinkedRelatedField: the host is ignored, the script prefix (the
 * path the API is served under, '/' when none) is taken off an absolute URL's
 * path, the rest must resolve to `view`, and `exists` must find the object.
 */
export function parseHyperlink<T>(
  input: Input,
  view: string,
  resolve: (path: string) => ResolvedLink | null,
  lookup: (id: string) => T | undefined,
  scriptPrefix = '/',
): T {
  if (typeof input !== 'string') return fail(`Incorrect type. Expected URL string, received ${pyTypeName(input)}.`);
  let path = input;
  if (/^https?:/.test(input)) {
    try {
      path = new URL(input).pathname;
      if (path.startsWith(scriptPrefix)) path = `/${path.slice(scriptPrefix.length)}`;
    } catch {
      return fail('Invalid hyperlink - No URL match.');
    }
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    return fail('Invalid hyperlink - No URL match.');
  }
  const match = resolve(path);
  if (!match) return fail('Invalid hyperlink - No URL match.');
  if (match.view !== view) return fail('Invalid hyperlink - Incorrect URL match.');
  const found = lookup(match.lookup);
  if (found === undefined) return fail('Invalid hyperlink - Object does not exist.');
  return found;
}

/** DRF's ManyRelatedField over hyperlinks; errors are keyed by the index of the bad entry. */
export function parseHyperlinkList<T>(input: Input, parseOne: (item: Input) => T): T[] {
  if (typeof input === 'string' || input === null || typeof input !== 'object' || !Array.isArray(input)) {
    return fail(`Expected a list of items but got type "${pyTypeName(input)}".`);
  }
  const errors: Record<string, string[]> = {};
  const values: T[] = [];
  input.forEach((item, index) => {
    try {
      values.push(parseOne(item));
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      errors[String(index)] = Array.isArray(err.detail) ? err.detail : [String(err.detail)];
    }
  });
  if (Object.keys(errors).length > 0) throw new FieldError(errors);
  return values;
}
