import { describe, expect, it } from 'vitest';
import { parsePyDecimal, precisionOf } from './py-decimal.js';

const counts = (text: string) => {
  const p = parsePyDecimal(text);
  if (p.kind !== 'finite') throw new Error(p.kind);
  return precisionOf(p.tuple);
};

describe('parsePyDecimal / precisionOf (the counts DRF validates)', () => {
  it.each([
    ['123.45', { total: 5, whole: 3, places: 2 }],
    ['50.0', { total: 3, whole: 2, places: 1 }],
    ['50.', { total: 2, whole: 2, places: 0 }],
    ['0.001', { total: 3, whole: 0, places: 3 }],
    ['007.50', { total: 3, whole: 1, places: 2 }],
    ['1E+2', { total: 3, whole: 3, places: 0 }],
    ['1e-7', { total: 7, whole: 0, places: 7 }],
    ['0', { total: 1, whole: 1, places: 0 }],
    ['0.00000000', { total: 8, whole: 0, places: 8 }],
    ['1_000', { total: 4, whole: 4, places: 0 }],
  ])('%s', (text, expected) => {
    expect(counts(text)).toEqual(expected);
  });

  it.each(['', 'abc', '1.2.3', '--1', '1e', '_1'])('rejects %j', (text) => {
    expect(parsePyDecimal(text).kind).toBe('invalid');
  });

  it('names NaN and infinities', () => {
    expect(parsePyDecimal('NaN').kind).toBe('nan');
    expect(parsePyDecimal('-Infinity').kind).toBe('infinity');
    expect(parsePyDecimal('inf').kind).toBe('infinity');
  });
});
