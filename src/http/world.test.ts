import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPLE_SETTINGS } from '../domain/maple/credits.service.js';
import { randomIds } from '../main.js';
import { parseMapleFixtures } from '../fixtures/maple.fixtures.js';
import { parseWaldurFixtures } from '../fixtures/waldur.fixtures.js';
import { defaultFixtures, shippedMapleFixtures } from '../test-support/mock-server.js';
import { createWorld, type WorldStart } from './world.js';

const fixtures = {
  waldur: parseWaldurFixtures(defaultFixtures(), '2026-11-15T10:00:00.000Z'),
  maple: parseMapleFixtures(shippedMapleFixtures()),
};
const start = (frozenAt: Date | null): WorldStart => ({
  fixtures,
  mapleSettings: DEFAULT_MAPLE_SETTINGS,
  clock: { frozenAt: frozenAt?.getTime() ?? null, offsetMs: 0 },
  ids: randomIds,
  journalSize: 10,
});

describe('createWorld', () => {
  it('indexes the shared frozen start records without copying them', () => {
    const a = createWorld(start(null));
    const b = createWorld(start(null));
    const first = fixtures.waldur.customer_credits[0]!;
    expect(a.waldur.store.customerCredits.get(first.uuid)).toBe(first);
    expect(b.waldur.store.customerCredits.get(first.uuid)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const credit = fixtures.maple.companies[0]!.credits[0]!;
    expect(a.maple.store.book(fixtures.maple.companies[0]!.id)!.credits.get(credit.id)).toBe(credit);
  });

  it('gives each world its own tables, clock, settings, faults and keys', () => {
    const a = createWorld(start(new Date('2026-11-15T00:00:00Z')));
    const b = createWorld(start(new Date('2026-11-15T00:00:00Z')));
    a.waldur.store.customerCredits.remove(fixtures.waldur.customer_credits[0]!.uuid);
    a.clock.advance(86_400_000);
    a.maple.settings.allowPartialConsume = true;
    a.faults.add({ status: 500, delay_ms: 0, operation: null, remaining: 1 });
    a.maple.store.companies()[0]!.idempotency.set('k', {} as never);
    expect(b.waldur.store.customerCredits.size).toBe(fixtures.waldur.customer_credits.length);
    expect(b.clock.now().toISOString()).toBe('2026-11-15T00:00:00.000Z');
    expect(b.clock.frozen).toBe(true);
    expect(b.maple.settings.allowPartialConsume).toBe(false);
    expect(DEFAULT_MAPLE_SETTINGS.allowPartialConsume).toBe(false);
    expect(b.faults.list()).toEqual([]);
    expect(b.maple.store.companies()[0]!.idempotency.size).toBe(0);
  });

  it('runs on real time when the server started on real time', () => {
    const w = createWorld(start(null));
    expect(w.clock.frozen).toBe(false);
    expect(Math.abs(w.clock.now().getTime() - Date.now())).toBeLessThan(60_000);
  });
});
