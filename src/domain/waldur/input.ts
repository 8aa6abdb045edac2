import { pyFloatRepr } from '../money/py-float.js';

/**
 * A JSON number as the request wrote it. Python's json module turns "50.0" into
 * the float 50.0 and "50" into the int 50, and DRF reads str() of either, so
 * the text matters: JSON.parse would lose it.
 */
export class JsonNumber {
  constructor(readonly source: string) {}

  get isInt(): boolean {
    return /^-?\d+$/.test(this.source);
  }

  /** Python's str() of the value json.loads would produce. */
  get pyStr(): string {
    if (this.isInt) return this.source.replace(/^(-?)0+(?=\d)/, '$1');
    return pyFloatRepr(Number(this.source));
  }
}

/** A request body value after parsing (JSON, form or multipart). */
export type Input = null | boolean | string | JsonNumber | Input[] | { [key: string]: Input };
export type InputObject = { [key: string]: Input };

export function isInputObject(v: Input | undefined): v is InputObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** The Python type name DRF puts in its messages ("Expected URL string, received int."). */
export function pyTypeName(v: Input): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof JsonNumber) return v.isInt ? 'int' : 'float';
  return Array.isArray(v) ? 'list' : 'dict';
}

/** Python's str() of a value, as DRF formats it into "… is not a valid choice." */
export function pyStr(v: Input): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.pyStr;
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof JsonNumber ? Number(x.source) : x));
}

/** A request body read on demand: DRF parses it when the view first reads it, after the permission checks. */
export type LazyInput = () => Input | undefined;
