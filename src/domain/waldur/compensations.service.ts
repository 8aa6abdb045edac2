import { todayOf, type WaldurContext } from './context.js';
import { speaks81 } from './profile.js';
import type { CustomerCredit, Invoice } from './model.js';
import { applyCompensations, clearCompensations, type Compensated, type Ledger } from './monthly-compensation.js';
import { recordCompensationRun } from './ledger-compensation.js';

/**
 * The apply_compensations / clear_compensations actions (docs/behaviour/waldur.md §6.1, §6.5):
 * against the customer's most recent open (pending) invoice; nothing happens
 * without one. The writes are one transaction.
 */
export class CompensationsService {
  constructor(private readonly ctx: WaldurContext) {}

  openInvoice(customer: string): Invoice | undefined {
    return this.ctx.store.invoices
      .getGroup('customer', customer)
      .filter((i) => i.state === 'pending')
      .sort((a, b) => b.year - a.year || b.month - a.month)[0];
  }

  apply(credit: CustomerCredit): CustomerCredit {
    return this.run(credit, (l) => applyCompensations(l, () => this.ctx.ids.uuidHex()));
  }

  clear(credit: CustomerCredit): CustomerCredit {
    return this.run(credit, clearCompensations);
  }

  private run(credit: CustomerCredit, step: (l: Ledger) => Compensated): CustomerCredit {
    const invoice = this.openInvoice(credit.customer);
    if (!invoice) return credit;
    const store = this.ctx.store;
    return store.transaction(() => {
      const projectCredits = store.projectCredits.getGroup('customer', credit.customer);
      const input = {
        invoice,
        customerCredit: credit,
        projectCredits,
        today: todayOf(this.ctx),
        volumeDiscounts: speaks81(this.ctx.settings),
      };
      const result = step(input);
      recordCompensationRun(this.ctx, step === clearCompensations ? 'clear' : 'apply', input, result);
      store.invoices.put(result.invoice);
      for (const pc of result.projectCredits)
        if (pc !== projectCredits.find((p) => p.uuid === pc.uuid)) store.projectCredits.put(pc);
      return store.customerCredits.put(result.customerCredit);
    });
  }
}
