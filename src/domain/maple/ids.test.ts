import { describe, expect, it } from 'vitest';
import {
  createMapleIds,
  decodeId,
  encodeId,
  isMapleId,
  PAYLOAD_BYTES,
  randomFromIdGenerator,
  seededRandom,
} from './ids.js';
import { T0, TestClock } from './maple-world.fixture.js';

const SHAPE = /^(cmp|cus|crd|log|subs)_[0-9A-Za-z]{27}$/;

describe('KSUID-like ids', () => {
  it('are a prefix and 27 base62 characters', () => {
    const ids = createMapleIds(new TestClock(), seededRandom(7));
    for (const prefix of ['cmp_', 'cus_', 'crd_', 'log_', 'subs_'] as const) expect(ids.next(prefix)).toMatch(SHAPE);
  });

  it("the docs' company id has the same shape", () => {
    expect(isMapleId('cmp_', 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50')).toBe(true);
    expect(isMapleId('cmp_', 'cmp_short')).toBe(false);
    expect(isMapleId('cus_', 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50')).toBe(false);
  });

  it('encode and decode round-trip the time and payload', () => {
    const payload = Uint8Array.from({ length: PAYLOAD_BYTES }, (_, i) => i * 17);
    const id = encodeId('crd_', T0.getTime(), payload);
    expect(decodeId('crd_', id)).toEqual({ ms: 1704067200000, payload });
    expect(encodeId('crd_', 0, new Uint8Array(PAYLOAD_BYTES))).toBe('crd_' + '0'.repeat(27));
  });

  it('sort in clock order, and strictly increase within one millisecond', () => {
    const clock = new TestClock();
    const ids = createMapleIds(clock, seededRandom(3));
    const made: string[] = [];
    for (let i = 0; i < 500; i++) {
      made.push(ids.next('crd_'));
      if (i % 100 === 99) clock.advance(1);
    }
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(500);
    expect(decodeId('crd_', made[0]!)!.ms).toBe(T0.getTime());
    expect(decodeId('crd_', made[499]!)!.ms).toBe(T0.getTime() + 4);
  });

  it('a clock moved back gives ids that sort by their own, earlier time', () => {
    const clock = new TestClock();
    const ids = createMapleIds(clock, seededRandom(3));
    const later = ids.next('crd_');
    clock.advance(-1000);
    expect(ids.next('crd_') < later).toBe(true);
  });

  it('a seeded source is deterministic; the uuid generator can feed it', () => {
    const a = createMapleIds(new TestClock(), seededRandom(42)).next('log_');
    const b = createMapleIds(new TestClock(), seededRandom(42)).next('log_');
    expect(a).toBe(b);
    const bytes = randomFromIdGenerator({ uuidHex: () => '00ff'.repeat(8) }).bytes(PAYLOAD_BYTES);
    expect([...bytes]).toEqual([0, 255, 0, 255, 0, 255, 0, 255, 0, 255, 0, 255, 0, 255]);
  });
});
