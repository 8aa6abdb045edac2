/**
 * Maple units: a JSON number x ≥ 0, not only an integer (Maple's reference
 * types `units` as `number`, "x >= 0" on consume). Units are kept as exact
 * decimal text (`"2.5"`, `"0.1"`), parsed from the number's source text and
 * computed with decimal.js — never with binary floats — so 0.1 + 0.2 is 0.3.
 *
 * Bounds, so that every sum stays exact within the decimal precision and a
 * short text cannot stand for a huge value (`1e-1000000`): at most
 * 2^53 − 1, at most UNIT_PLACES decimal places.
 */
import { Dec } from '../money/decimal.js';
import type { FieldError } from './errors.js';
import { isNumberSource, MAX_CENTS, type Checked } from './money.js';

/** Exact decimal text without exponent or trailing zeros: `"2.5"`, `"10000"`, `"0"`. */
export type Units = string;

export const UNIT_PLACES = 30;
export const MAX_UNITS = new Dec(MAX_CENTS);
const SCALE = new Dec(10).pow(UNIT_PLACES);

export const ZERO_UNITS = new Dec(0);

/** Canonical text of a non-negative decimal (-0 reads as 0). */
export function unitsText(value: InstanceType<typeof Dec>): Units {
  return value.isZero() ? '0' : value.toFixed();
}

const refuse = (field: string, message: string) => ({
  ok: false as const,
  errors: [{ field, message }] as FieldError[],
});

/**
 * Units from a number's source text (or a JS number, for callers without a
 * parser). Refused: anything that is not a JSON number, a negative, more than
 * 2^53 − 1, more than UNIT_PLACES decimal places.
 */
export function readUnitsValue(input: unknown, field: string): Checked<Units, 'value'> {
  let text: string;
  if (isNumberSource(input)) text = input.source.trim();
  else if (typeof input === 'number' && Number.isFinite(input)) text = String(input);
  else return refuse(field, `${field} must be a number`);
  if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return refuse(field, `${field} must be a number`);
  const exponent = /[eE]([+-]?\d+)$/.exec(text)?.[1];
  if (exponent !== undefined && Math.abs(Number(exponent)) > 1000)
    return refuse(field, `${field} must be at most ${MAX_CENTS} with at most ${UNIT_PLACES} decimal places`);
  const value = new Dec(text);
  if (value.isNegative() && !value.isZero()) return refuse(field, `${field} must be greater than or equal to 0`);
  if (value.greaterThan(MAX_UNITS)) return refuse(field, `${field} must be at most ${MAX_CENTS}`);
  if (value.decimalPlaces() > UNIT_PLACES)
    return refuse(field, `${field} must have at most ${UNIT_PLACES} decimal places`);
  return { ok: true, value: unitsText(value) };
}

/** Units as a whole number of 10^-UNIT_PLACES, for exact integer sums (the store's pool totals). */
export function scaledUnits(units: Units): bigint {
  return BigInt(new Dec(units).times(SCALE).toFixed());
}

/** The inverse of scaledUnits. */
export function unscaleUnits(scaled: bigint): InstanceType<typeof Dec> {
  return new Dec(scaled.toString()).dividedBy(SCALE);
}
