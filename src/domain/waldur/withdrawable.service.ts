import type { WaldurContext } from './context.js';
import type { CustomerCreditsService } from './customer-credits.service.js';
import { validationError } from './errors.js';
import type { LazyInput } from './input.js';
import type { CustomerCredit } from './model.js';
import type { Actor } from './permissions.js';
import type { QueryParams } from './filters.js';
import { validateWithdrawableAdjustment, type WithdrawableAdjustment } from './withdrawable-adjustment.serializer.js';
import { adjustedCredit, adjustmentRefusal } from './withdrawable.js';
import { recordCustomerCredit } from './ledger.js';

/**
 * POST /api/customer-credits/{uuid}/adjust_withdrawable/ (8.1; docs/behaviour/waldur-8.1.md
 * §4): staff only, checked before the lookup; then
 * the lookup (404), the body (400), and the view's two checks on the credit
 * as it stands. One transaction.
 */
export class WithdrawableService {
  constructor(
    private readonly ctx: WaldurContext,
    private readonly credits: CustomerCreditsService,
  ) {}

  adjust(actor: Actor, uuid: string, data: LazyInput, query: QueryParams = {}): CustomerCredit {
    actor.requireStaff();
    return this.ctx.store.transaction(() => {
      const credit = this.credits.retrieve(actor, uuid, query);
      const adjustment = validateWithdrawableAdjustment(data());
      const refusal = adjustmentRefusal(credit, adjustment.amount);
      if (refusal !== null) throw validationError({ amount: refusal });
      return this.record(credit, adjustment);
    });
  }

  /**
   * The one write of an accepted adjustment: value and withdrawable earnings
   * move together. (A ledger row for it belongs here.)
   */
  record(credit: CustomerCredit, adjustment: WithdrawableAdjustment): CustomerCredit {
    const adjusted = this.ctx.store.customerCredits.put(adjustedCredit(credit, adjustment.amount));
    recordCustomerCredit(this.ctx, credit, adjusted, { type: 'withdrawable_adjustment', comment: adjustment.comment });
    return adjusted;
  }
}
