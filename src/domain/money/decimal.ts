import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The one decimal type used for money. A private clone: the global Decimal
 * configuration is never touched. Rounding is named at every use that rounds.
 */
export const Dec = DecimalJs.clone({
  precision: 60,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -60,
  toExpPos: 60,
});
export type Dec = InstanceType<typeof Dec>;

export const ROUND_HALF_UP = DecimalJs.ROUND_HALF_UP;
export const ROUND_HALF_EVEN = DecimalJs.ROUND_HALF_EVEN;
/** Away from zero, like Python's ROUND_UP. */
export const ROUND_UP = DecimalJs.ROUND_UP;
export type Rounding = DecimalJs.Rounding;

export const ZERO = new Dec(0);

/** Fixed-point text with exactly `places` decimals, e.g. fixed(1, 5) → "1.00000". */
export function fixed(value: Dec, places: number, rounding: Rounding = ROUND_HALF_EVEN): string {
  const text = value.toFixed(places, rounding);
  return text === '-0' || /^-0\.0+$/.test(text) ? text.slice(1) : text;
}
