import { describe, expect, it } from 'vitest';
import { FieldError, parseBoolean, parseChoice, parseDate, parseDecimal } from './drf-fields.js';
import { parseHyperlink } from './drf-fields.js';
import { resolveWaldurPath } from './urls.js';
import { JsonNumber, type Input } from './input.js';
import { AMOUNT, GRACE } from './credit-fields.js';

const message = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof FieldError) return err.detail;
    throw err;
  }
  return 'accepted';
};

describe('parseDecimal with DRF messages (value: Decimal(16,5) ≥ 0)', () => {
  it.each<[Input, string]>([
    ['100', '100.00000'],
    ['0.10000', '0.10000'],
    [' 12.5 ', '12.50000'],
    [new JsonNumber('100.25'), '100.25000'],
    [new JsonNumber('1e2'), '100.00000'],
    ['99999999999.99999', '99999999999.99999'],
  ])('accepts %j', (input, stored) => {
    expect(parseDecimal(input, AMOUNT).toFixed(5)).toBe(stored);
  });

  it.each<[Input, string]>([
    ['1.123456', 'Ensure that there are no more than 5 decimal places.'],
    ['123456789012', 'Ensure that there are no more than 11 digits before the decimal point.'],
    ['12345678901234567', 'Ensure that there are no more than 16 digits in total.'],
    ['-1', 'Ensure this value is greater than or equal to 0.'],
    ['abc', 'A valid number is required.'],
    ['', 'A valid number is required.'],
    ['NaN', 'A valid number is required.'],
    ['Infinity', 'A valid number is required.'],
    [true, 'A valid number is required.'],
    [new JsonNumber('1e-7'), 'Ensure that there are no more than 5 decimal places.'],
    ['x'.repeat(1001), 'String value too large.'],
  ])('rejects %j', (input, text) => {
    expect(message(() => parseDecimal(input, AMOUNT))).toEqual([text]);
  });
});

describe('grace_coefficient: Decimal(3,0), no bounds', () => {
  it.each<[Input, string]>([
    ['50', '50'],
    ['50.', '50'],
    ['-999', '-999'],
    [new JsonNumber('20'), '20'],
  ])('accepts %j', (input, stored) => {
    expect(parseDecimal(input, GRACE).toFixed(0)).toBe(stored);
  });

  it.each<[Input, string]>([
    ['50.0', 'Ensure that there are no more than 0 decimal places.'],
    [new JsonNumber('50.5'), 'Ensure that there are no more than 0 decimal places.'],
    // Python's json reads 50.0 as a float whose str() is "50.0": one decimal place.
    [new JsonNumber('50.0'), 'Ensure that there are no more than 0 decimal places.'],
    [new JsonNumber('1000'), 'Ensure that there are no more than 3 digits in total.'],
  ])('rejects %j', (input, text) => {
    expect(message(() => parseDecimal(input, GRACE))).toEqual([text]);
  });
});

describe('other DRF fields', () => {
  it('booleans accept DRF truthy and falsy spellings only', () => {
    expect(parseBoolean('yes')).toBe(true);
    expect(parseBoolean(new JsonNumber('0'))).toBe(false);
    expect(message(() => parseBoolean('maybe'))).toEqual(['Must be a valid boolean.']);
  });

  it('choices quote the bad input', () => {
    expect(parseChoice('linear', ['fixed', 'linear'])).toBe('linear');
    expect(message(() => parseChoice('foo', ['fixed', 'linear']))).toEqual(['"foo" is not a valid choice.']);
  });

  it('dates follow Django parse_date', () => {
    expect(parseDate('2027-01-01')).toBe('2027-01-01');
    expect(parseDate('2027-1-1')).toBe('2027-01-01');
    expect(parseDate('20270101')).toBe('2027-01-01');
    for (const bad of ['2027-02-30', '01/01/2027', new JsonNumber('5')] as Input[]) {
      expect(message(() => parseDate(bad))).toEqual([
        'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
      ]);
    }
  });
});

describe('hyperlinks and the script prefix (DRF HyperlinkedRelatedField)', () => {
  const UUID = '6bad6be28e7a46e99f19950499dd251d';
  const link = (input: Input, prefix?: string) =>
    message(() =>
      parseHyperlink(input, 'customer-detail', resolveWaldurPath, (id) => (id === UUID ? id : undefined), prefix),
    );

  it('no prefix: any host, the path resolves', () => {
    expect(link(`http://anything:1/api/customers/${UUID}/`)).toBe('accepted');
    expect(link(`/api/customers/${UUID}/`)).toBe('accepted');
    expect(link(`http://h/mock/api/customers/${UUID}/`)).toEqual(['Invalid hyperlink - No URL match.']);
  });

  it('a prefix is taken off an absolute URL only, and only when the path starts with it', () => {
    expect(link(`https://example.com/mock/api/customers/${UUID}/`, '/mock/')).toBe('accepted');
    expect(link(`https://example.com/api/customers/${UUID}/`, '/mock/')).toBe('accepted');
    expect(link(`/mock/api/customers/${UUID}/`, '/mock/')).toEqual(['Invalid hyperlink - No URL match.']);
    expect(link(`https://example.com/mockery/api/customers/${UUID}/`, '/mock/')).toEqual([
      'Invalid hyperlink - No URL match.',
    ]);
    expect(link(`https://example.com/mock/api/projects/${UUID}/`, '/mock/')).toEqual([
      'Invalid hyperlink - Incorrect URL match.',
    ]);
  });
});
