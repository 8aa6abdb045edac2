/**
 * The odd values the fuzzer (fuzz-requests.ts) puts into requests, and a
 * seeded random source so that a seed names one exact run.
 */

/** Mulberry32: a small seeded PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!,
  };
}
export type Rnd = ReturnType<typeof prng>;

/** JSON text put into a body as it is (numbers JSON.stringify cannot write, nesting, duplicate keys). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Every name Object.prototype has: as keys, query names, values, path segments. */
export const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** JSON text of a value; RawJson is written as it is, and keys such as __proto__ stay keys. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${toJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An object whose keys may include __proto__ as an own key. */
export function objectWith(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

export function nested(rnd: Rnd, leaf = '1'): RawJson {
  const depth = rnd.pick([rnd.int(60, 70), rnd.int(2_500, 6_000), 20_000]);
  const open = rnd.chance(0.5) ? '[' : '{"a":';
  const close = open === '[' ? ']' : '}';
  return new RawJson(open.repeat(depth) + leaf + close.repeat(depth));
}

/** A value of any JSON type that a field is not meant to hold (or is, at an edge). */
export function oddValue(rnd: Rnd): unknown {
  const choices: (() => unknown)[] = [
    () => null,
    () => rnd.chance(0.5),
    () => rnd.pick([0, -1, 1, 2 ** 53, -(2 ** 53), 0.1, 1.5, 99.999999]),
    () =>
      new RawJson(
        rnd.pick([
          '1e400',
          '-1e400',
          '1e-400',
          '-0',
          '0.0',
          '1E+2',
          '123456789012345678901234567890',
          `1${'0'.repeat(400)}`,
          '10.00000000001',
        ]),
      ),
    () =>
      rnd.pick([
        '',
        ' ',
        '0',
        '-0',
        '1e10',
        'NaN',
        'Infinity',
        '1,5',
        '١٢٣',
        '0x10',
        '100.000001',
        '-100.00000',
        '2026-02-30',
        '9999-12-31',
        '0001-01-01',
        'linear',
        'fixed',
      ]),
    () => rnd.pick(PROTO_NAMES),
    () => 'x'.repeat(rnd.pick([257, 1001, 5000, 70_000])),
    () =>
      rnd.pick([
        '\u0000',
        'é',
        '🙂',
        '\uD800',
        '<script>',
        '../../etc',
        '%00',
        'http://evil.example/api/customers/x/',
        '/api/customers//',
      ]),
    () => [],
    () => [rnd.pick(PROTO_NAMES), null, 1],
    () => ({}),
    () => objectWith([[rnd.pick(PROTO_NAMES), { value: '1' }]]),
    () => nested(rnd),
  ];
  return rnd.pick(choices)();
}

/** Broken or surprising JSON texts as whole bodies. */
export function oddJsonText(rnd: Rnd, valid: string): Buffer {
  const texts: (() => string | Buffer)[] = [
    () => valid.slice(0, rnd.int(0, Math.max(0, valid.length - 1))),
    () => `${valid}}`,
    () => `\uFEFF${valid}`,
    () => nested(rnd, rnd.pick(['1', valid])).text,
    () => `{"value":"1","value":"2","value":${rnd.pick(['3', '"4"', 'null'])}}`,
    () => `{"__proto__":${valid},"constructor":{"prototype":${valid}}}`,
    () => `{"${rnd.pick(PROTO_NAMES)}":${rnd.pick(['1', '"x"', valid, '[]'])}}`,
    () =>
      Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"}')]),
    () => Buffer.concat([Buffer.from(valid.slice(0, 1)), Buffer.from([0xc0, 0xaf]), Buffer.from(valid.slice(1))]),
    () =>
      rnd.pick([
        '',
        'null',
        '[]',
        '"x"',
        '1',
        'true',
        'NaN',
        '{',
        '}',
        '{"a":}',
        "{'a':1}",
        '{"a":1,}',
        '[1,2',
        '/* */{}',
      ]),
    () => `{"value":${rnd.pick(['1e999999', '-1e999999', `${'9'.repeat(5000)}`, '0.' + '0'.repeat(5000) + '1'])}}`,
    () => `[${valid}]`,
  ];
  const t = rnd.pick(texts)();
  return typeof t === 'string' ? Buffer.from(t) : t;
}

export const ODD_HOSTS = [
  'a b',
  '',
  'evil.example',
  'evil.example:80',
  '[::1',
  'localhost:99999',
  '127.0.0.1:abc',
  'a@b',
  'localhost/x',
  'é.example',
];
export const GOOD_HOSTS = ['localhost', 'LOCALHOST:1', '127.0.0.1', '127.1.2.3:8080', '[::1]:4010'];
export const ODD_CONTENT_TYPES = [
  'text/plain',
  'application/json; charset=utf-16',
  'application/JSON',
  'application/merge-patch+json',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=zz',
  'application/x-www-form-urlencoded',
  '*/*',
  ';;;',
  'application/xml',
];
export const ODD_AUTH = [
  'Token',
  'Token a b',
  'Token toString',
  'Token __proto__',
  'Bearer',
  'Bearer constructor',
  `Bearer ${'x'.repeat(5000)}`,
  'Basic Zm9vOmJhcg==',
  'token staff-token',
  'Bearer maple-token extra',
];
export const ODD_KEYS = ['', 'x'.repeat(65), 'é'.repeat(64), 'toString', '__proto__', 'constructor', ' '];
export const ODD_ORIGINS = [
  'https://evil.example',
  'null',
  'http://localhost:1',
  'file://',
  'http://127.0.0.1.evil.example',
];
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
