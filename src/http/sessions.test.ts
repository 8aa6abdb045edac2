import { describe, expect, it } from 'vitest';
import { ConfigError, parseDuration, parseMaxSessions } from '../config.js';
import { sessionNameProblem, SessionRegistry } from './sessions.js';
import type { World } from './world.js';

/** A registry over stand-in worlds and a wall clock the test moves. */
function registry(ttlMs: number, max: number) {
  let now = 1_000_000;
  const made: string[] = [];
  const reg = new SessionRegistry(
    (name) => (made.push(name), { name } as unknown as World),
    { ttlMs, max },
    () => now,
  );
  return { reg, made, advance: (ms: number) => (now += ms) };
}

describe('SessionRegistry', () => {
  it('makes a session on first use and returns the same world after', () => {
    const { reg, made } = registry(60_000, 10);
    const a = reg.open('a')!;
    expect(reg.open('a')!.world).toBe(a.world);
    expect(made).toEqual(['a']);
  });

  it('drops a session idle for the TTL; use keeps it alive', () => {
    const { reg, made, advance } = registry(60_000, 10);
    reg.open('a');
    reg.open('b');
    advance(59_999);
    reg.open('a');
    advance(1);
    expect(reg.list().map((s) => s.name)).toEqual(['a']);
    advance(59_998);
    expect(reg.list().map((s) => s.name)).toEqual(['a']);
    advance(1);
    expect(reg.list()).toEqual([]);
    reg.open('a');
    expect(made).toEqual(['a', 'b', 'a']);
  });

  it('an expired session is made afresh on its next use, even between sweeps', () => {
    const { reg, advance } = registry(500, 10);
    const first = reg.open('a')!.world;
    advance(500);
    expect(reg.open('a')!.world).not.toBe(first);
  });

  it('TTL 0 never expires', () => {
    const { reg, advance } = registry(0, 10);
    reg.open('a');
    advance(10 ** 12);
    expect(reg.list()).toHaveLength(1);
  });

  it('refuses one more than the limit, makes room once one expires or is deleted, and says when to retry', () => {
    const { reg, advance } = registry(60_000, 2);
    reg.open('a');
    advance(10_000);
    reg.open('b');
    expect(reg.open('c')).toBeNull();
    expect(reg.retryAfterSeconds()).toBe(50);
    expect(reg.open('a')).not.toBeNull();
    expect(reg.delete('b')).toBe(true);
    expect(reg.delete('b')).toBe(false);
    expect(reg.open('c')).not.toBeNull();
    advance(60_000);
    expect(reg.open('d')).not.toBeNull();
  });
});

describe('session names', () => {
  it.each(['a', 'ci-42', 'A.b_c-9', 'x'.repeat(64), '...'])('%s is a name', (name) =>
    expect(sessionNameProblem(name)).toBeNull(),
  );
  it.each(['', 'x'.repeat(65), 'a b', 'a/b', 'a%20b', 'ä', '.', '..', 'a?b'])('%j is not', (name) =>
    expect(sessionNameProblem(name)).not.toBeNull(),
  );
});

describe('--session-ttl and --max-sessions', () => {
  it.each([
    ['3600', 3_600_000],
    ['3600s', 3_600_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['0', 0],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'h', '-1', '1w', '1 h 2m', 'abc', '1e3', '99999999999999999d'])('%j is refused', (text) => {
    expect(() => parseDuration(text)).toThrow(ConfigError);
  });
  it('--max-sessions takes a whole number', () => {
    expect(parseMaxSessions('100')).toBe(100);
    expect(parseMaxSessions('0')).toBe(0);
    for (const bad of ['-1', '1.5', 'many', '']) expect(() => parseMaxSessions(bad)).toThrow(/--max-sessions/);
  });
});
