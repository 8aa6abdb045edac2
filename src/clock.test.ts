import { describe, expect, it } from 'vitest';
import { ControllableClock } from './clock.js';

describe('ControllableClock', () => {
  const at = (iso: string) => new Date(iso);

  it('reset() goes back to real time when nothing was marked', () => {
    let system = Date.parse('2026-11-15T10:00:00Z');
    const clock = new ControllableClock(() => system);
    clock.set(at('2030-01-01T00:00:00Z'), true);
    clock.reset();
    expect(clock.frozen).toBe(false);
    system += 5_000;
    expect(clock.now().toISOString()).toBe('2026-11-15T10:00:05.000Z');
  });

  it('reset() goes back to the marked start: frozen at the start date, whatever happened since', () => {
    const clock = new ControllableClock(() => Date.parse('2026-11-15T10:00:00Z'));
    clock.set(at('2026-11-20T00:00:00Z'), true);
    clock.markStart();
    clock.advance(86_400_000);
    clock.unfreeze();
    clock.reset();
    expect(clock.frozen).toBe(true);
    expect(clock.now().toISOString()).toBe('2026-11-20T00:00:00.000Z');
  });

  it('a running start with an offset is restored with that offset', () => {
    let system = Date.parse('2026-11-15T10:00:00Z');
    const clock = new ControllableClock(() => system);
    clock.set(at('2026-12-01T00:00:00Z'), false);
    clock.markStart();
    clock.set(at('2031-01-01T00:00:00Z'), true);
    system += 1_000;
    clock.reset();
    expect(clock.frozen).toBe(false);
    expect(clock.now().toISOString()).toBe('2026-12-01T00:00:01.000Z');
  });
});
