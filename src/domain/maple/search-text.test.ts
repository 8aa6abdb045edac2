import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchText } from './search-text.js';

const perField = (fields: (string | null | undefined)[]) => fields.map((f) => (f ?? '').toLowerCase()).join('\u0000');

describe('searchText', () => {
  it('lower-cases the joined fields exactly as it would each field alone (final sigma, dotted I, any code point)', () => {
    const unit = fc.oneof(
      fc.constantFrom('Σ', 'ΑΣ', 'σ', 'İ', 'ß', 'A', 'é', ' ', '\u0301', "'", '.', ''),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    const field = fc.option(
      fc.array(unit, { maxLength: 4 }).map((parts) => parts.join('')),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 5 }), (fields) => {
        expect(searchText(fields)).toBe(perField(fields));
      }),
      { numRuns: 2000 },
    );
  });

  it('a final sigma at the end of one field stays final though a letter follows in the next', () => {
    expect(searchText(['ΟΔΟΣ', 'Α'])).toBe('οδος\u0000α');
    expect(searchText(['Σ', null, 'İ'])).toBe('σ\u0000\u0000i\u0307');
  });
});
