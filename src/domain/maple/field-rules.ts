/**
 * Readers for the fields of a Maple request body. Each reader appends what is
 * wrong to `errors` (Maple's `validation_errors`) and returns the value, or
 * undefined when absent or wrong, so that every bad field is reported at once.
 */
import type { FieldError } from './errors.js';
import { isNumberSource } from './money.js';
import { readUnitsValue, type Units } from './units.js';
import { parseRfc3339 } from '../../store/rfc3339.js';

export type Body = Readonly<Record<string, unknown>>;

export function asBody(input: unknown): Body | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || isNumberSource(input)) return null;
  return input as Body;
}

/** The field's value; JSON null and absence both read as undefined. */
export function present(body: Body, key: string): unknown {
  const v = Object.hasOwn(body, key) ? body[key] : undefined;
  return v === null ? undefined : v;
}

export function refuseUnknown(body: Body, known: readonly string[], prefix: string, errors: FieldError[]): void {
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) errors.push({ field: prefix + key, message: `${prefix + key} is not a known field` });
  }
}

export function required(field: string, errors: FieldError[]): undefined {
  errors.push({ field, message: `${field} is required` });
  return undefined;
}

export interface ReadOptions {
  readonly required?: boolean;
  /** Put before the key in messages, e.g. "query." */
  readonly prefix?: string;
}

export function readString(body: Body, key: string, errors: FieldError[], opts: ReadOptions = {}): string | undefined {
  const field = (opts.prefix ?? '') + key;
  const v = present(body, key);
  if (v === undefined) return opts.required ? required(field, errors) : undefined;
  if (typeof v !== 'string') {
    errors.push({ field, message: `${field} must be a string` });
    return undefined;
  }
  if (opts.required && v === '') return required(field, errors);
  return v;
}

export function readEnum<T extends string>(
  body: Body,
  key: string,
  choices: readonly T[],
  errors: FieldError[],
  opts: ReadOptions = {},
): T | undefined {
  const field = (opts.prefix ?? '') + key;
  const v = present(body, key);
  if (v === undefined) return opts.required ? required(field, errors) : undefined;
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  errors.push({ field, message: `${field} must be one of ${choices.join(', ')}` });
  return undefined;
}

export function readBoolean(body: Body, key: string, field: string, errors: FieldError[]): boolean | undefined {
  const v = present(body, key);
  if (v === undefined || typeof v === 'boolean') return v;
  errors.push({ field, message: `${field} must be a boolean` });
  return undefined;
}

/** Units: a JSON number ≥ 0 kept as exact decimal text (units.ts). */
export function readUnits(body: Body, key: string, errors: FieldError[]): Units | undefined {
  const v = present(body, key);
  if (v === undefined) return undefined;
  const r = readUnitsValue(v, key);
  if (r.ok) return r.value;
  errors.push(...r.errors);
  return undefined;
}

export function readStringList(body: Body, key: string, field: string, errors: FieldError[]): string[] | undefined {
  const v = present(body, key);
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  errors.push({ field, message: `${field} must be an array of strings` });
  return undefined;
}

/** An RFC 3339 timestamp strictly after `now` (any instant when `future` is false), returned as ISO UTC (`toISOString`). */
export function readFutureTimestamp(
  body: Body,
  key: string,
  now: Date,
  errors: FieldError[],
  future = true,
): string | undefined {
  const v = present(body, key);
  if (v === undefined) return undefined;
  const ms = typeof v === 'string' ? parseRfc3339(v) : null;
  if (ms === null) {
    errors.push({ field: key, message: `${key} must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z` });
    return undefined;
  }
  if (future && ms <= now.getTime()) {
    errors.push({ field: key, message: `${key} must be in the future` });
    return undefined;
  }
  return new Date(ms).toISOString();
}
