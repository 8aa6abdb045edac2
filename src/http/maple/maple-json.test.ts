import { describe, expect, it } from 'vitest';
import { JsonDecimal, renderMapleJson } from './maple-json.js';

describe('renderMapleJson', () => {
  it('writes a JsonDecimal as a JSON number with its exact text, the rest as JSON.stringify does', () => {
    const value = {
      a: new JsonDecimal('1234567890123.000000000000000001'),
      b: [new JsonDecimal('0.3'), 1, 'x'],
      c: null,
      d: { e: new JsonDecimal('0') },
    };
    expect(renderMapleJson(value)).toBe('{"a":1234567890123.000000000000000001,"b":[0.3,1,"x"],"c":null,"d":{"e":0}}');
    expect(renderMapleJson({ plain: 2.5, text: 'é\u2028' })).toBe(JSON.stringify({ plain: 2.5, text: 'é\u2028' }));
  });

  it('data holding the placeholder mark is written correctly too', () => {
    const tricky = { s: '\u00010\u0001', n: new JsonDecimal('7') };
    const text = renderMapleJson(tricky);
    expect(text).toBe('{"s":"\\u00010\\u0001","n":7}');
    expect(JSON.parse(text)).toEqual({ s: '\u00010\u0001', n: 7 });
  });

  it('refuses text that is not a plain decimal', () => {
    for (const bad of ['1e3', '', 'NaN', '1.', '"1"']) expect(() => new JsonDecimal(bad)).toThrow(RangeError);
  });
});
