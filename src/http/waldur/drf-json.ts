import { pyFloatRepr } from '../../domain/money/py-float.js';
import type { Dec } from '../../domain/money/decimal.js';
import type { Computed } from '../../domain/waldur/computed.js';

/** A number DRF's encoder writes as a Python float (float(Decimal) → repr: `150.0`, `1e-05`). */
export class PyFloat {
  constructor(readonly repr: string) {}
}

export type Json = null | boolean | number | string | PyFloat | Json[] | { [key: string]: Json };

export function pyFloat(d: Dec): PyFloat {
  return new PyFloat(pyFloatRepr(d.toNumber()));
}

/** A computed field: Python's int 0 stays `0`, a Decimal becomes a float. */
export function computed(value: Computed | null): Json {
  if (value === null) return null;
  if (value === 0) return 0;
  return pyFloat(value);
}

/** DRF's JSONRenderer: compact, UTF-8, with U+2028/U+2029 escaped. */
export function renderDrfJson(value: Json): string {
  return write(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function write(value: Json): string {
  if (value === null) return 'null';
  if (value instanceof PyFloat) return value.repr;
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) parts.push(`${JSON.stringify(k)}:${write(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}
