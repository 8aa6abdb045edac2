import type { CalendarDate } from '../clock.js';
import { Dec, ROUND_HALF_UP, ZERO, fixed, type Dec as D } from '../money/decimal.js';
import { timeLeftFactor } from './computed.js';
import type { BaseCredit, CustomerCredit, ProjectCredit } from './model.js';

/** The month-end rules of docs/behaviour/waldur.md §4, as pure functions on one credit. */
const amount = (d: D) => fixed(d, 5, ROUND_HALF_UP);

/** set_to_zero_overdue_credits: a credit whose end_date is before the effective date is zeroed. */
export function zeroIfOverdue<C extends BaseCredit>(credit: C, effective: CalendarDate): C {
  if (credit.end_date === null || credit.end_date >= effective || new Dec(credit.value).isZero()) return credit;
  return { ...credit, value: amount(ZERO) };
}

/** calculate_linear_expected_consumption: max(0, expected − compensated) × (1 − f) + value × f. */
export function linearExpected<C extends BaseCredit>(credit: C, compensated: D, today: CalendarDate): C {
  const f = timeLeftFactor(credit, today);
  const rest = Dec.max(ZERO, new Dec(credit.expected_consumption).minus(compensated));
  return {
    ...credit,
    expected_consumption: amount(rest.times(new Dec(1).minus(f)).plus(new Dec(credit.value).times(f))),
  };
}

/**
 * refund_project_credit_on_project_removal: with the flag, the customer credit is
 * reduced by the project credit's value (floored at 0); the project credit goes to 0.
 */
export function terminateProjectCredit(
  projectCredit: ProjectCredit,
  customerCredit: CustomerCredit | undefined,
): { projectCredit: ProjectCredit; customerCredit: CustomerCredit | undefined } {
  const value = new Dec(projectCredit.value);
  if (!customerCredit || !value.gt(0)) return { projectCredit, customerCredit };
  const spent = projectCredit.mark_unused_credit_as_spent_on_project_termination
    ? { ...customerCredit, value: amount(Dec.max(ZERO, new Dec(customerCredit.value).minus(value))) }
    : customerCredit;
  return { projectCredit: { ...projectCredit, value: amount(ZERO) }, customerCredit: spent };
}
