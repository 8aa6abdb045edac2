import { pyFloatRepr } from '../../domain/money/py-float.js';
import type { Dec } from '../../domain/money/decimal.js';
import type { Computed } from '../../domain/waldur/computed.js';

/**
 * Brackets the place of a written piece: U+0001, which JSON.stringify writes
 * as the six characters `\u0001` (a one-byte string stays one-byte, which
 * matters when it is written to the socket).
 */
const MARK = '\u0001';
const WRITTEN_MARK = '\\u0001';
const MARKED = /"\\u0001(\d+)\\u0001"/g;
let pieces: string[] = [];

/** JSON already written: renderDrfJson copies the text as it is (a float's repr, a credit rendered earlier). */
export class JsonText {
  constructor(readonly text: string) {}

  /** For renderDrfJson's fast path only: a marked placeholder, replaced by the text afterwards. */
  toJSON(): string {
    pieces.push(this.text);
    return `${MARK}${pieces.length - 1}${MARK}`;
  }
}

/** A number DRF's encoder writes as a Python float (float(Decimal) → repr: `150.0`, `1e-05`). */
export class PyFloat extends JsonText {
  get repr(): string {
    return this.text;
  }
}

export type Json = null | boolean | number | string | JsonText | Json[] | { [key: string]: Json };

export function pyFloat(d: Dec): PyFloat {
  return new PyFloat(pyFloatRepr(d.toNumber()));
}

/** A computed field: Python's int 0 stays `0`, a Decimal becomes a float. */
export function computed(value: Computed | null): Json {
  if (value === null) return null;
  if (value === 0) return 0;
  return pyFloat(value);
}

const SEPARATORS = /[\u2028\u2029]/;

/**
 * DRF's JSONRenderer: compact, UTF-8, with U+2028/U+2029 escaped. Written by
 * JSON.stringify, with placeholders for the pieces already written; when the
 * data itself holds the marker (the count tells), by the plain writer below.
 */
export function renderDrfJson(value: Json): string {
  const text =
    value instanceof JsonText
      ? value.text
      : allWritten(value)
        ? `[${value.map((v) => v.text).join(',')}]`
        : stringify(value);
  return SEPARATORS.test(text) ? text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : text;
}

/** A list page of kept credits: nothing left to write but the brackets and commas. */
function allWritten(value: Json): value is JsonText[] {
  return Array.isArray(value) && value.every((v) => v instanceof JsonText);
}

function stringify(value: Json): string {
  pieces = [];
  let text = JSON.stringify(value);
  if (pieces.length > 0) {
    const written = pieces;
    text =
      occurrences(text, WRITTEN_MARK) === 2 * written.length
        ? text.replace(MARKED, (_, i: string) => written[Number(i)]!)
        : write(value);
  }
  pieces = [];
  return text;
}

function occurrences(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + 1)) n += 1;
  return n;
}

function write(value: Json): string {
  if (value === null) return 'null';
  if (value instanceof JsonText) return value.text;
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) parts.push(`${JSON.stringify(k)}:${write(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}
