import type { Journal } from './table.js';

/**
 * One request, one transaction: every table write records its undo step here,
 * and a thrown error rolls all of them back, newest first.
 */
export class TransactionManager {
  private current: (() => void)[] | null = null;
  /** Called when an outermost transaction has ended, committed or rolled back (an on-disk journal flushes there). */
  onSettled: (() => void) | null = null;

  get active(): boolean {
    return this.current !== null;
  }

  readonly journal = (): Journal | null => {
    const steps = this.current;
    return steps ? { record: (undo) => steps.push(undo) } : null;
  };

  run<R>(work: () => R): R {
    if (this.current) return work();
    const steps: (() => void)[] = [];
    this.current = steps;
    try {
      const result = work();
      this.current = null;
      return result;
    } catch (err) {
      this.current = null;
      for (let i = steps.length - 1; i >= 0; i--) steps[i]!();
      throw err;
    } finally {
      this.onSettled?.();
    }
  }
}
