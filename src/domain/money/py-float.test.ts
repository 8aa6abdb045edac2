import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyFloatRepr } from './py-float.js';

describe('pyFloatRepr (Python repr of a float, as DRF writes Decimal properties)', () => {
  it.each([
    [150, '150.0'],
    [0, '0.0'],
    [0.3, '0.3'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1e16, '1e+16'],
    [1234567890123456, '1234567890123456.0'],
    [-2.5, '-2.5'],
    [100.5, '100.5'],
    [1.5e300, '1.5e+300'],
    [123456789.12345, '123456789.12345'],
  ])('%s → %s', (x, text) => {
    expect(pyFloatRepr(x)).toBe(text);
  });

  it('round-trips every finite double and always reads as a float', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = pyFloatRepr(x);
        expect(Object.is(Number(text), x)).toBe(true);
        expect(text).toMatch(/[.e]/);
      }),
    );
  });
});
