import type { Clock } from './domain/clock.js';

export interface ClockSetting {
  frozenAt: number | null;
  offsetMs: number;
}

/**
 * The mock's one clock: real time by default, or frozen / offset so tests can
 * travel. Only this file reads the system time.
 */
export class ControllableClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  /** The setting `reset()` goes back to: real time unless `markStart()` recorded another. */
  private start = { frozenAt: null as number | null, offsetMs: 0 };

  /** Told after every change of setting (an on-disk journal records it). */
  onChange: (() => void) | null = null;

  constructor(private readonly system: () => number = () => Date.now()) {}

  /** The setting as data: frozen at an instant, or running with an offset from the system time. */
  setting(): ClockSetting {
    return { frozenAt: this.frozenAt, offsetMs: this.offsetMs };
  }

  /** Takes a setting read back from `setting()`. */
  restore(setting: ClockSetting): void {
    this.frozenAt = setting.frozenAt;
    this.offsetMs = setting.offsetMs;
    this.onChange?.();
  }

  /** Records the current setting (frozen at a time, or running with an offset) as the start one. */
  markStart(): void {
    this.start = { frozenAt: this.frozenAt, offsetMs: this.offsetMs };
  }

  /** The setting `reset()` goes back to. */
  startSetting(): ClockSetting {
    return { ...this.start };
  }

  /** Back to the start setting: frozen where it started frozen, else real time (plus the start offset). */
  reset(): void {
    this.frozenAt = this.start.frozenAt;
    this.offsetMs = this.start.offsetMs;
    this.onChange?.();
  }

  now(): Date {
    return new Date(this.frozenAt ?? this.system() + this.offsetMs);
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  /** Moves to `at`; stays frozen there if `freeze`, else runs on from it. */
  set(at: Date, freeze: boolean): void {
    if (freeze) this.frozenAt = at.getTime();
    else {
      this.frozenAt = null;
      this.offsetMs = at.getTime() - this.system();
    }
    this.onChange?.();
  }

  freeze(): void {
    this.frozenAt = this.now().getTime();
    this.onChange?.();
  }

  unfreeze(): void {
    if (this.frozenAt === null) return;
    this.offsetMs = this.frozenAt - this.system();
    this.frozenAt = null;
    this.onChange?.();
  }

  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
    this.onChange?.();
  }
}
