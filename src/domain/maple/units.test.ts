import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../money/decimal.js';
import { balanceOf } from './balance.js';
import { ALICE, API_CALLS, unitsBody, value, world } from './maple-world.fixture.js';
import { NumberText } from './money.js';
import { ledgerMismatches } from './replay.js';
import { readUnitsValue, scaledUnits, UNIT_PLACES, unitsText, unscaleUnits } from './units.js';

const read = (source: string) => readUnitsValue(new NumberText(source), 'units');
const units = (source: string) => new NumberText(source);
const consumeUnits = (source: string, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  type: 'UNITS',
  units: units(source),
  item_id: API_CALLS,
  ...extra,
});

describe('readUnitsValue: a JSON number ≥ 0, kept as exact decimal text', () => {
  it.each([
    ['2.5', '2.5'],
    ['0.1', '0.1'],
    ['10000', '10000'],
    ['1.50', '1.5'],
    ['1e3', '1000'],
    ['2.5E-1', '0.25'],
    ['-0', '0'],
    ['0.0', '0'],
    ['9007199254740991', '9007199254740991'],
    ['0.000000000000000000000000000001', '0.000000000000000000000000000001'],
    ['1234567890123.000000000000000001', '1234567890123.000000000000000001'],
  ])('%s → %s', (source, text) => {
    expect(read(source)).toEqual({ ok: true, value: text });
  });

  it.each([
    ['-1', 'units must be greater than or equal to 0'],
    ['-0.5', 'units must be greater than or equal to 0'],
    ['9007199254740992', 'units must be at most 9007199254740991'],
    ['0.0000000000000000000000000000001', `units must have at most ${UNIT_PLACES} decimal places`],
    ['1e-5000', 'units must be at most 9007199254740991 with at most 30 decimal places'],
    ['1e5000', 'units must be at most 9007199254740991 with at most 30 decimal places'],
  ])('%s is refused: %s', (source, message) => {
    expect(read(source)).toEqual({ ok: false, errors: [{ field: 'units', message }] });
  });

  it.each<[string, unknown]>([
    ['a string', '2.5'],
    ['a boolean', true],
    ['null', null],
    ['an object', { source: '1' }],
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
  ])('%s is not a number', (_name, input) => {
    expect(readUnitsValue(input, 'units')).toEqual({
      ok: false,
      errors: [{ field: 'units', message: 'units must be a number' }],
    });
  });

  it('scaled to whole numbers and back without loss', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 46n - 1n }), (scaled) => {
        const text = unitsText(unscaleUnits(scaled));
        expect(scaledUnits(text)).toBe(scaled);
      }),
    );
  });
});

describe('decimal units in the ledger: no binary float error', () => {
  it('consume 0.1 then 0.2 from 0.3 leaves exactly 0, and the credit is CONSUMED', () => {
    const w = world();
    const credit = value(w.service.create(w.book, unitsBody(0, { units: units('0.3') })));
    expect(value(w.service.consume(w.book, consumeUnits('0.1'))).total_units).toEqual({ [API_CALLS]: '0.2' });
    expect(value(w.service.consume(w.book, consumeUnits('0.2'))).total_units).toEqual({});
    expect(w.book.credits.get(credit.id)).toMatchObject({ state: 'CONSUMED', units: '0', issued_units: '0.3' });
    expect([...w.book.logs.all()].map((l) => [l.action_type, l.units_applied])).toEqual([
      ['ISSUED', '0.3'],
      ['CONSUMED', '0.1'],
      ['CONSUMED', '0.2'],
    ]);
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('2.5 units are kept and drawn down exactly across credits: 0.7 + 2.5 − 3.1 = 0.1', () => {
    const w = world();
    value(w.service.create(w.book, unitsBody(0, { units: units('0.7'), expiration_date: '2024-01-02T00:00:00Z' })));
    value(w.service.create(w.book, unitsBody(2.5)));
    expect(value(w.service.consume(w.book, consumeUnits('3.1'))).total_units).toEqual({ [API_CALLS]: '0.1' });
    expect([...w.book.logs.all()].filter((l) => l.action_type === 'CONSUMED').map((l) => l.units_applied)).toEqual([
      '0.7',
      '2.4',
    ]);
  });

  it('more than the balance by 10^-30 is refused, exactly the balance is not', () => {
    const w = world();
    value(w.service.create(w.book, unitsBody(0, { units: units('1.000000000000000000000000000001') })));
    expect(w.service.consume(w.book, consumeUnits('1.000000000000000000000000000002'))).toMatchObject({
      ok: false,
      failure: { kind: 'insufficient_balance' },
    });
    expect(value(w.service.consume(w.book, consumeUnits('1.000000000000000000000000000001'))).total_units).toEqual({});
  });

  it('any split of a decimal grant into decimal consumptions sums back exactly; the balance is issued − consumed', () => {
    const decimal = fc
      .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 9 }))
      .map(([n, p]) => new Dec(n).dividedBy(new Dec(10).pow(p)));
    fc.assert(
      fc.property(
        fc.array(decimal, { minLength: 1, maxLength: 4 }),
        fc.array(decimal, { minLength: 1, maxLength: 8 }),
        (grants, takes) => {
          const w = world();
          for (const g of grants) value(w.service.create(w.book, unitsBody(0, { units: units(g.toFixed()) })));
          let left = grants.reduce((a, b) => a.plus(b), new Dec(0));
          for (const take of takes) {
            const r = w.service.consume(w.book, consumeUnits(take.toFixed()));
            expect(r.ok).toBe(take.lessThanOrEqualTo(left));
            if (r.ok) left = left.minus(take);
            expect(balanceOf(w.book, ALICE, w.clock.now()).total_units).toEqual(
              left.isZero() ? {} : { [API_CALLS]: left.toFixed() },
            );
          }
          const consumed = [...w.book.logs.all()]
            .filter((l) => l.action_type === 'CONSUMED')
            .reduce((a, l) => a.plus(l.units_applied!), new Dec(0));
          expect(consumed.plus(left).toFixed()).toBe(grants.reduce((a, b) => a.plus(b), new Dec(0)).toFixed());
          for (const c of w.book.credits.all()) expect(c.state === 'CONSUMED').toBe(new Dec(c.units!).isZero());
          expect(ledgerMismatches(w.book)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
