import { describe, expect, it } from 'vitest';
import { ConfigError, parseCors, parseCorsMode, parseCorsOrigins, parseLinkBase, parsePublicUrl } from './config.js';

/** The CORS and link flags of `serve` (README: "Using it from a frontend"). */
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return { code: err.exitCode, message: err.message };
    throw err;
  }
  return 'accepted';
};

describe('CORS flags', () => {
  it('--cors on|off', () => {
    expect(parseCorsMode('on')).toBe(true);
    expect(parseCorsMode('off')).toBe(false);
    for (const bad of ['', 'yes', 'ON', 'false'])
      expect(refusal(() => parseCorsMode(bad))).toEqual({ code: 2, message: `--cors must be on or off, got "${bad}"` });
  });

  it('--cors-origin: origins normalised as browsers send them', () => {
    expect(parseCorsOrigins('http://localhost:5173')).toEqual(['http://localhost:5173']);
    expect(parseCorsOrigins('http://LOCALHOST:5173/, https://app.example:443,http://localhost:5173')).toEqual([
      'http://localhost:5173',
      'https://app.example',
    ]);
  });

  it.each([
    '',
    'localhost:5173',
    'http://localhost:5173/app',
    'http://a.example?x=1',
    'http://u:p@a.example',
    'file:///tmp/x',
    'http://a.example,',
    '*',
  ])('--cors-origin %j → exit 2', (bad) => {
    const r = refusal(() => parseCorsOrigins(bad));
    expect(r).toMatchObject({ code: 2 });
    expect((r as { message: string }).message).toMatch(/^--cors-origin must be origins/);
  });

  it('--cors-origin with --cors off is refused; without --cors-origin any origin is allowed', () => {
    expect(parseCors('on', undefined)).toEqual({ enabled: true, origins: null });
    expect(parseCors('off', undefined)).toEqual({ enabled: false, origins: null });
    expect(parseCors('on', 'http://localhost:5173')).toEqual({ enabled: true, origins: ['http://localhost:5173'] });
    expect(refusal(() => parseCors('off', 'http://localhost:5173'))).toEqual({
      code: 2,
      message: '--cors-origin cannot be used with --cors off',
    });
  });
});

describe('link flags', () => {
  it('--public-url: origin and path prefix, without the trailing slash', () => {
    expect(parsePublicUrl('http://localhost:5173')).toBe('http://localhost:5173');
    expect(parsePublicUrl('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(parsePublicUrl('HTTPS://Example.com:443/mock/')).toBe('https://example.com/mock');
  });

  it.each([
    '',
    'localhost:5173',
    'ftp://example.com',
    'http://example.com/?a=1',
    'http://example.com/#x',
    'http://u:p@example.com',
  ])('--public-url %j → exit 2', (bad) =>
    expect(refusal(() => parsePublicUrl(bad))).toMatchObject({
      code: 2,
      message: expect.stringMatching(/^--public-url must be/),
    }),
  );

  it('--public-url and --trust-proxy together are refused', () => {
    expect(parseLinkBase(undefined, false)).toEqual({ publicUrl: null, trustProxy: false });
    expect(parseLinkBase(undefined, true)).toEqual({ publicUrl: null, trustProxy: true });
    expect(parseLinkBase('http://localhost:5173/', false)).toEqual({
      publicUrl: 'http://localhost:5173',
      trustProxy: false,
    });
    expect(refusal(() => parseLinkBase('http://localhost:5173', true))).toEqual({
      code: 2,
      message: '--public-url and --trust-proxy cannot be used together',
    });
  });
});
