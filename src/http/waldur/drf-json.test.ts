import { describe, expect, it } from 'vitest';
import { JsonText, PyFloat, renderDrfJson } from './drf-json.js';

describe('renderDrfJson', () => {
  it('writes floats as their repr and written pieces as they are', () => {
    const body = [new JsonText('{"a":1}'), { f: new PyFloat('150.0'), g: [new PyFloat('1e-05'), 0, null] }];
    expect(renderDrfJson(body)).toBe('[{"a":1},{"f":150.0,"g":[1e-05,0,null]}]');
  });

  it('escapes U+2028 and U+2029, in pieces too', () => {
    expect(renderDrfJson({ s: 'a\u2028b', t: new JsonText('"c\u2029d"') })).toBe('{"s":"a\\u2028b","t":"c\\u2029d"}');
  });

  it.each(['\u0001', '\u00010\u0001', '\\u00010\\u0001', 'x\\u0001'])(
    'stays exact when the data holds the marker: %j',
    (text) => {
      const value = { name: text, f: new PyFloat('3.0'), list: [new JsonText('{"k":"v"}')] };
      expect(renderDrfJson(value)).toBe(`{"name":${JSON.stringify(text)},"f":3.0,"list":[{"k":"v"}]}`);
    },
  );
});
