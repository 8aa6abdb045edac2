/**
 * Python's decimal.Decimal text grammar and `as_tuple()`, which Django REST
 * Framework's DecimalField uses to count digits and decimal places. decimal.js
 * normalises "50.0" to "50", so the tuple is computed from the text itself.
 */
export interface DecimalTuple {
  negative: boolean;
  /** Significant digits without leading zeros ("0" for zero). */
  digits: string;
  exponent: number;
}

export type ParsedPyDecimal =
  { kind: 'finite'; tuple: DecimalTuple; text: string } | { kind: 'nan' } | { kind: 'infinity' } | { kind: 'invalid' };

const FINITE = /^([+-])?(?:(\d+(?:_\d+)*)(?:\.(\d+(?:_\d+)*)?)?|\.(\d+(?:_\d+)*))(?:[eE]([+-]?\d+(?:_\d+)*))?$/;
const SPECIAL = /^[+-]?(?:(inf|infinity)|(s?nan\d*))$/i;

export function parsePyDecimal(input: string): ParsedPyDecimal {
  const special = SPECIAL.exec(input);
  if (special) return special[1] ? { kind: 'infinity' } : { kind: 'nan' };
  const m = FINITE.exec(input);
  if (!m) return { kind: 'invalid' };
  const intPart = (m[2] ?? '').replace(/_/g, '');
  const fracPart = (m[3] ?? m[4] ?? '').replace(/_/g, '');
  const exp = m[5] ? Number(m[5].replace(/_/g, '')) : 0;
  if (!Number.isSafeInteger(exp)) return { kind: 'invalid' };
  const digits = (intPart + fracPart).replace(/^0+/, '') || '0';
  const tuple: DecimalTuple = { negative: m[1] === '-', digits, exponent: exp - fracPart.length };
  const mantissa = `${intPart || '0'}${fracPart ? `.${fracPart}` : ''}`;
  return { kind: 'finite', tuple, text: `${m[1] === '-' ? '-' : ''}${mantissa}e${exp}` };
}

/** The counts DRF's DecimalField.validate_precision derives from a tuple. */
export function precisionOf(t: DecimalTuple): { total: number; whole: number; places: number } {
  const n = t.digits.length;
  if (t.exponent >= 0) return { total: n + t.exponent, whole: n + t.exponent, places: 0 };
  const abs = -t.exponent;
  if (n > abs) return { total: n, whole: n - abs, places: abs };
  return { total: abs, whole: 0, places: abs };
}
