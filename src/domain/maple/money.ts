/**
 * Maple money: `{currency, value_in_cents}` with an integer of the currency's
 * minor unit.
 *
 * Policy for exponents other than 2 (docs/behaviour/maple.md §1.10.3, Part 3): `value_in_cents`
 * counts the currency's ISO 4217 minor unit, whatever its exponent. 1000 JPY is
 * `{currency: "JPY", value_in_cents: 1000}`; 1.000 KWD is `{currency: "KWD",
 * value_in_cents: 1000}`; 1 USD is 100. The exponent only matters to whoever
 * renders a major-unit amount; no arithmetic here depends on it.
 *
 * Integers only: a JSON float (`10.5`, or `10.0` written with a point, or `1e3`)
 * or a string is refused, never truncated. Values are 0 … 2^53 − 1, and a sum
 * that would pass 2^53 − 1 is refused rather than rounded.
 */
import type { FieldError } from './errors.js';

export const MAX_CENTS = Number.MAX_SAFE_INTEGER;

export interface Money {
  readonly currency: string;
  readonly value_in_cents: number;
}

/**
 * A JSON number as the request wrote it, e.g. the HTTP layer's `JsonNumber`
 * from lossless parsing. It is recognised by a string `source` property on an
 * object that is NOT a plain object: a plain JSON object `{"source": "10"}` from
 * the wire stays an object and is refused.
 */
export interface NumberSource {
  readonly source: string;
}

/** A number's source text, for callers (and tests) without a parser of their own. */
export class NumberText implements NumberSource {
  constructor(readonly source: string) {}
}

export function isNumberSource(v: unknown): v is NumberSource {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return false;
  return typeof (v as { source?: unknown }).source === 'string';
}

/** ISO 4217 minor-unit exponents of the active currency codes (funds included; XAU, XDR … have none). */
const EXPONENT_0 = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const EXPONENT_3 = 'BHD IQD JOD KWD LYD OMR TND';
const EXPONENT_4 = 'CLF UYW';
const EXPONENT_2 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS ' +
  'GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL ' +
  'MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK ' +
  'PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS ' +
  'TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

function table(): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  const groups: [string, number][] = [
    [EXPONENT_0, 0],
    [EXPONENT_2, 2],
    [EXPONENT_3, 3],
    [EXPONENT_4, 4],
  ];
  for (const [codes, exponent] of groups) for (const code of codes.split(' ')) out[code] = exponent;
  return Object.freeze(out);
}

export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = table();

/** The minor-unit exponent of an ISO 4217 code (exact, uppercase), or undefined. */
export function currencyExponent(code: string): number | undefined {
  return Object.hasOwn(CURRENCY_EXPONENTS, code) ? CURRENCY_EXPONENTS[code] : undefined;
}

export type Checked<T, K extends string> = ({ ok: true } & { [P in K]: T }) | { ok: false; errors: FieldError[] };

const refuse = (field: string, message: string) => ({ ok: false as const, errors: [{ field, message }] });

/**
 * A whole number 0 … 2^53 − 1 given as a JS number or as a number's source
 * text. A plain JS number cannot tell `10.0` from `10`; pass the source text to
 * refuse `10.0`.
 */
export function readWholeNumber(input: unknown, field: string): Checked<number, 'value'> {
  if (isNumberSource(input)) return readWholeSource(input.source.trim(), field);
  if (typeof input !== 'number') return refuse(field, `${field} must be an integer`);
  if (!Number.isInteger(input)) return refuse(field, `${field} must be an integer`);
  if (input < 0) return refuse(field, `${field} must be greater than or equal to 0`);
  if (input > MAX_CENTS) return refuse(field, `${field} must be at most ${MAX_CENTS}`);
  return { ok: true, value: input === 0 ? 0 : input };
}

function readWholeSource(source: string, field: string): Checked<number, 'value'> {
  if (!/^-?\d+$/.test(source)) return refuse(field, `${field} must be an integer`);
  const value = BigInt(source);
  if (value < 0n) return refuse(field, `${field} must be greater than or equal to 0`);
  if (value > BigInt(MAX_CENTS)) return refuse(field, `${field} must be at most ${MAX_CENTS}`);
  return { ok: true, value: Number(value) };
}

export function validateCurrency(input: unknown, field: string): Checked<string, 'currency'> {
  if (typeof input !== 'string') return refuse(field, `${field} must be a string`);
  if (!/^[A-Z]{3}$/.test(input)) return refuse(field, `${field} must be an uppercase ISO 4217 currency code`);
  if (currencyExponent(input) === undefined) return refuse(field, `${field} ${input} is not an ISO 4217 currency code`);
  return { ok: true, currency: input };
}

/** `{currency, value_in_cents}`; errors name `field.currency` and `field.value_in_cents`. */
export function validateMoney(input: unknown, field: string): Checked<Money, 'money'> {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || isNumberSource(input)) {
    return refuse(field, `${field} must be an object with currency and value_in_cents`);
  }
  const raw = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key of Object.keys(raw)) {
    if (key !== 'currency' && key !== 'value_in_cents')
      errors.push({ field: `${field}.${key}`, message: `${field}.${key} is not a known field` });
  }
  const currency =
    raw.currency === undefined
      ? refuse(`${field}.currency`, `${field}.currency is required`)
      : validateCurrency(raw.currency, `${field}.currency`);
  const cents =
    raw.value_in_cents === undefined
      ? refuse(`${field}.value_in_cents`, `${field}.value_in_cents is required`)
      : readWholeNumber(raw.value_in_cents, `${field}.value_in_cents`);
  if (!currency.ok) errors.push(...currency.errors);
  if (!cents.ok) errors.push(...cents.errors);
  if (errors.length > 0 || !currency.ok || !cents.ok) return { ok: false, errors };
  return { ok: true, money: Object.freeze({ currency: currency.currency, value_in_cents: cents.value }) };
}

/** a + b, or null if the sum would pass 2^53 − 1. Both must be whole numbers 0 … 2^53 − 1. */
export function addCents(a: number, b: number): number | null {
  return sumCents([a, b]);
}

/** The exact sum, or null if it would pass 2^53 − 1. */
export function sumCents(values: readonly number[]): number | null {
  let total = 0n;
  for (const v of values) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`not a whole number of minor units: ${v}`);
    total += BigInt(v);
  }
  return total > BigInt(MAX_CENTS) ? null : Number(total);
}

/** a − b for a ≥ b ≥ 0; a result below 0 is a bug, not a value. */
export function subtractCents(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < 0 || b > a)
    throw new RangeError(`cannot subtract ${b} from ${a}`);
  return a - b;
}

/**
 * value / divisor rounded half to even, the one rounding mode for any split.
 * No Maple operation splits an amount today; proration would use this.
 */
export function divideHalfEven(value: number, divisor: number): number {
  if (!Number.isSafeInteger(value) || !Number.isSafeInteger(divisor) || divisor <= 0)
    throw new RangeError('whole numbers and a positive divisor');
  const v = BigInt(value);
  const d = BigInt(divisor);
  const q = v / d;
  const r = v % d;
  const twice = (r < 0n ? -r : r) * 2n;
  const away = v < 0n ? q - 1n : q + 1n;
  if (twice > d || (twice === d && q % 2n !== 0n)) return Number(away);
  return Number(q);
}
