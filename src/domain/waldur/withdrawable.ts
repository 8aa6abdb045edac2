import { Dec, ZERO, type Dec as D } from '../money/decimal.js';
import { amountText } from './credit-fields.js';
import type { CustomerCredit } from './model.js';

/**
 * A customer credit's withdrawable balance (docs/behaviour/waldur-8.1.md
 * §2.2): E, the sum of its withdrawable movements, capped by the value and
 * never below 0. Only the movements move E; everything else (grants,
 * compensations, expiry, …) moves the value, and so the cap.
 */
export function withdrawableEarned(credit: CustomerCredit): D {
  return new Dec(credit.withdrawable_earned ?? 0);
}

/** max(0, min(E, value)). */
export function withdrawableBalance(credit: CustomerCredit): D {
  return Dec.max(ZERO, Dec.min(withdrawableEarned(credit), credit.value));
}

/** The largest value a credit may hold: numeric(16,5), 11 digits before the point. */
export const MAX_CREDIT_VALUE = new Dec('99999999999.99999');

/** Why adjust_withdrawable refuses an amount, in the view's words (plain strings, docs/behaviour/waldur-8.1.md §4), or null. */
export function adjustmentRefusal(credit: CustomerCredit, amount: D): string | null {
  const value = new Dec(credit.value).plus(amount);
  if (value.isNegative()) return 'Adjustment would make the credit value negative.';
  if (amount.isNegative() && amount.negated().gt(withdrawableBalance(credit)))
    return 'Reduction would exceed the withdrawable balance.';
  // The real server would fail writing the column (a 500); the mock refuses in the view's own form.
  if (value.gt(MAX_CREDIT_VALUE))
    return 'Adjustment would make the credit value exceed 11 digits before the decimal point.';
  return null;
}

/** The credit after an accepted adjustment: value and E both move by `amount`, exactly. */
export function adjustedCredit(credit: CustomerCredit, amount: D): CustomerCredit {
  return {
    ...credit,
    value: amountText(new Dec(credit.value).plus(amount)),
    withdrawable_earned: amountText(withdrawableEarned(credit).plus(amount)),
  };
}
