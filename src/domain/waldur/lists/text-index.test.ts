import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditView, folded, type CreditView } from '../filters.js';
import type { CustomerCredit } from '../model.js';
import { TextIndex } from './text-index.js';

function views(names: readonly string[], seqOf: (i: number) => number = (i) => i + 1): CreditView<CustomerCredit>[] {
  return names.map((name, i) =>
    creditView({ seq: seqOf(i), uuid: `cc${String(i).padStart(30, '0')}` } as CustomerCredit, {
      customerUuid: `ca${String(i).padStart(30, '0')}`,
      customerName: name,
      customerSlug: '',
    }),
  );
}

const admitted = (vs: CreditView[], marks: Uint8Array) =>
  vs.filter((v) => marks[v.seq] === 1).map((v) => v.customerName);

describe('TextIndex', () => {
  it('admits exactly the views whose folded text contains the needle, one match per view, none across two texts', () => {
    const vs = views(['North Institute', 'Lab', 'institute of Labs', 'Tea', 'ch']);
    const index = TextIndex.of(vs, 'customerName')!;
    expect(admitted(vs, index.containing('institute')!)).toEqual(['North Institute', 'institute of Labs']);
    expect(admitted(vs, index.containing('lab')!)).toEqual(['Lab', 'institute of Labs']);
    // "Tea" then "ch": the joined text never makes "teach".
    expect(admitted(vs, index.containing('teach')!)).toEqual([]);
    expect(admitted(vs, index.containing('e')!)).toEqual(['North Institute', 'institute of Labs', 'Tea']);
  });

  it('searches uuids in their dashed form, as the filters compare them', () => {
    const vs = views(['a', 'b']);
    const index = TextIndex.of(vs, 'customerUuid')!;
    expect(admitted(vs, index.containing('ca000000-0000')!)).toEqual(['a', 'b']);
    expect(admitted(vs, index.containing('0001')!)).toEqual(['b']);
  });

  it('declines what it cannot answer: a text or needle holding its separator, sequence numbers out of order or too sparse', () => {
    expect(TextIndex.of(views(['a\u0000b']), 'customerName')).toBeNull();
    expect(
      TextIndex.of(
        views(['a', 'b'], (i) => 2 - i),
        'customerName',
      ),
    ).toBeNull();
    expect(
      TextIndex.of(
        views(['a', 'b'], (i) => (i + 1) * 1_000_000),
        'customerName',
      ),
    ).toBeNull();
    expect(TextIndex.of(views(['a']), 'customerName')!.containing('\u0000')).toBeNull();
  });

  it('agrees with includes() on every view for any texts and needle', () => {
    const letters = fc.constantFrom('a', 'b', 'A', ' ', 'é', 'ß');
    const text = fc.array(letters, { maxLength: 6 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), text, (names, raw) => {
        const needle = raw.toLowerCase();
        fc.pre(needle !== '');
        const vs = views(names);
        const marks = TextIndex.of(vs, 'customerName')!.containing(needle)!;
        for (const v of vs) expect(marks[v.seq] === 1).toBe((folded(v, 'customerName') ?? '').includes(needle));
      }),
      { numRuns: 500 },
    );
  });
});
