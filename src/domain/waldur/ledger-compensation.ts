import { Dec, ZERO, type Dec as D } from '../money/decimal.js';
import type { WaldurContext } from './context.js';
import { keepsLedger, monthStart, recordCustomerCredit, recordProjectCredit } from './ledger.js';
import type { ProjectCredit } from './model.js';
import { clearCompensations, type Compensated, type Ledger } from './monthly-compensation.js';

/**
 * The rows of a compensation run on invoice I (docs/behaviour/waldur-8.1.md §6, newest), every
 * one with billing_period = I's month:
 * - the rollback first (clear_compensations, and the first half of apply):
 *   the organisation's `rollback`, then each project credit's;
 * - then the new draw (apply): each project credit's `compensation` (the
 *   usage drawn from it) and `minimal_draw` (its floor's tail), then the
 *   organisation's `compensation` (everything the run took from it but its
 *   floor: project-funded usage included, and the whole remaining value of an
 *   exhausted credit, not the net-of-tax line) and `minimal_draw`.
 * `input` is what the run started from, `result` what it ended with.
 */
export function recordCompensationRun(
  ctx: WaldurContext,
  action: 'apply' | 'clear',
  input: Ledger,
  result: Compensated,
): void {
  if (!keepsLedger(ctx)) return;
  const rollback = { type: 'rollback' as const, billingPeriod: periodOf(input) };
  const cleared = action === 'clear' ? result : clearCompensations(input);
  recordCustomerCredit(ctx, input.customerCredit, cleared.customerCredit, rollback);
  eachProject(input.projectCredits, cleared.projectCredits, (before, after) =>
    recordProjectCredit(ctx, before, after, rollback),
  );
  if (action === 'clear') return;
  const billingPeriod = periodOf(input);
  eachProject(cleared.projectCredits, result.projectCredits, (before, after) => {
    const usage = result.totals.byProject.get(after.project) ?? ZERO;
    const tail = (result.drawn.byProject.get(after.project) ?? ZERO).minus(usage);
    recordProjectCredit(ctx, before, after, { type: 'compensation', billingPeriod, parts: drawParts(usage, tail) });
  });
  const orgTail = result.drawn.all.minus(result.totals.all);
  const orgChange = new Dec(result.customerCredit.value).minus(cleared.customerCredit.value);
  recordCustomerCredit(ctx, cleared.customerCredit, result.customerCredit, {
    type: 'compensation',
    billingPeriod,
    parts: drawParts(orgChange.negated().minus(orgTail), orgTail),
  });
}

/** What was drawn, as the (negative) parts of the delta: usage first, then the floor's tail. */
function drawParts(usage: D, tail: D): { type: 'compensation' | 'minimal_draw'; amount: D }[] {
  return [
    { type: 'compensation', amount: usage.negated() },
    { type: 'minimal_draw', amount: tail.negated() },
  ];
}

function eachProject(
  before: readonly ProjectCredit[],
  after: readonly ProjectCredit[],
  f: (before: ProjectCredit, after: ProjectCredit) => void,
): void {
  for (const pc of after) {
    const was = before.find((b) => b.uuid === pc.uuid);
    if (was) f(was, pc);
  }
}

const periodOf = (l: Ledger) =>
  monthStart(`${String(l.invoice.year).padStart(4, '0')}-${String(l.invoice.month).padStart(2, '0')}`);
