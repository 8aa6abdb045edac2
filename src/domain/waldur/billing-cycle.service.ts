import { formatDate, type CalendarDate } from '../clock.js';
import { ZERO } from '../money/decimal.js';
import { linearExpected, terminateProjectCredit, zeroIfOverdue } from './billing-rules.js';
import { todayOf, type WaldurContext } from './context.js';
import { speaks81 } from './profile.js';
import { notFound } from './errors.js';
import type { Invoice } from './model.js';
import { applyCompensations } from './monthly-compensation.js';
import { monthStart, projectCreditDeleted, recordCustomerCredit, recordProjectCredit } from './ledger.js';
import { recordCompensationRun } from './ledger-compensation.js';

/**
 * Time passing, as Waldur's monthly task sees it (docs/behaviour/waldur.md §4, §6.1): at each
 * month boundary the clock crosses, overdue credits are zeroed, last month's
 * pending invoices are compensated, linear credits get their new expected
 * consumption, the invoices are closed and the new month's are opened.
 */
export class BillingCycle {
  private doneFor: string | null = null;

  constructor(private readonly ctx: WaldurContext) {}

  /** Runs every month-end the clock has passed since the last call; cheap when there is none. */
  catchUp(): void {
    const month = todayOf(this.ctx).slice(0, 7);
    const key = `${this.ctx.store.generation}:${month}`;
    if (this.doneFor === key) return;
    const pending = [...this.ctx.store.invoices.all()].filter((i) => i.state === 'pending' && monthOf(i) < month);
    let next = pending.length > 0 ? addMonth(pending.map(monthOf).sort()[0]!) : month;
    while (next <= month) {
      this.monthEnd(`${next}-01`);
      next = addMonth(next);
    }
    this.doneFor = `${this.ctx.store.generation}:${month}`;
  }

  /** The month-end run on the first day `first`. */
  monthEnd(first: CalendarDate): void {
    const store = this.ctx.store;
    store.transaction(() => {
      this.zeroOverdue(first);
      const due = [...store.invoices.all()].filter((i) => i.state === 'pending' && monthOf(i) < first.slice(0, 7));
      for (const invoice of due) this.close(invoice, first);
    });
  }

  /**
   * set_to_zero_overdue_credits(effective): every customer and project credit
   * whose end_date is before `effective` and whose value is not 0 goes to 0
   * (docs/behaviour/waldur.md §4). Waldur refuses a future effective date (a ValueError);
   * so does this. Returns the uuids it zeroed.
   */
  setToZeroOverdueCredits(effective: CalendarDate): { customerCredits: string[]; projectCredits: string[] } {
    if (effective > todayOf(this.ctx)) throw new RangeError(`the effective date ${effective} is in the future`);
    return this.ctx.store.transaction(() => this.zeroOverdue(effective));
  }

  private zeroOverdue(effective: CalendarDate): { customerCredits: string[]; projectCredits: string[] } {
    const store = this.ctx.store;
    const zeroed = { customerCredits: [] as string[], projectCredits: [] as string[] };
    for (const c of [...store.customerCredits.all()]) {
      const after = zeroIfOverdue(c, effective);
      if (after !== c) zeroed.customerCredits.push(store.customerCredits.put(after).uuid);
      if (after !== c)
        recordCustomerCredit(this.ctx, c, after, { type: 'expiry', billingPeriod: monthStart(effective) });
    }
    for (const c of [...store.projectCredits.all()]) {
      const after = zeroIfOverdue(c, effective);
      if (after !== c) zeroed.projectCredits.push(store.projectCredits.put(after).uuid);
      if (after !== c)
        recordProjectCredit(this.ctx, c, after, { type: 'expiry', billingPeriod: monthStart(effective) });
    }
    return zeroed;
  }

  private close(invoice: Invoice, first: CalendarDate): void {
    const store = this.ctx.store;
    let closed: Invoice = { ...invoice, state: 'created' };
    const credit = store.customerCredits.getBy('customer', invoice.customer);
    if (credit) {
      const projectCredits = store.projectCredits.getGroup('customer', invoice.customer);
      const r = applyCompensations(
        { invoice, customerCredit: credit, projectCredits, today: first, volumeDiscounts: speaks81(this.ctx.settings) },
        () => this.ctx.ids.uuidHex(),
      );
      recordCompensationRun(
        this.ctx,
        'apply',
        { invoice, customerCredit: credit, projectCredits, today: first, volumeDiscounts: speaks81(this.ctx.settings) },
        r,
      );
      closed = { ...r.invoice, state: 'created' };
      const cc =
        r.customerCredit.minimal_consumption_logic === 'linear'
          ? linearExpected(r.customerCredit, r.drawn.all, first)
          : r.customerCredit;
      store.customerCredits.put(cc);
      for (const pc of r.projectCredits) {
        const linear = pc.minimal_consumption_logic === 'linear' && pc.end_date !== null && pc.end_date > first;
        store.projectCredits.put(linear ? linearExpected(pc, r.drawn.byProject.get(pc.project) ?? ZERO, first) : pc);
      }
    }
    store.invoices.put(closed);
    const [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];
    const open = store.invoices.getGroup('customer', invoice.customer).some((i) => i.year === y && i.month === m);
    if (!open) {
      store.invoices.put({
        uuid: this.ctx.ids.uuidHex(),
        customer: invoice.customer,
        year: y,
        month: m,
        state: 'pending',
        tax_percent: invoice.tax_percent,
        items: [],
      });
    }
  }

  /** A project is removed: its credit is settled per the flag (§4), then the project and its credit go. */
  terminateProject(projectUuid: string): void {
    const store = this.ctx.store;
    const project = store.projects.get(projectUuid);
    if (!project) throw notFound(`No Project matches the given query.`);
    store.transaction(() => {
      const pc = store.projectCredits.getBy('project', projectUuid);
      if (pc) {
        const cc = store.customerCredits.getBy('customer', project.customer);
        const r = terminateProjectCredit(pc, cc);
        if (r.customerCredit && r.customerCredit !== cc) store.customerCredits.put(r.customerCredit);
        if (cc && r.customerCredit) recordCustomerCredit(this.ctx, cc, r.customerCredit, { type: 'adjustment' });
        recordProjectCredit(this.ctx, pc, r.projectCredit, { type: 'adjustment' });
        store.projectCredits.remove(pc.uuid);
        projectCreditDeleted(this.ctx, pc.uuid);
      }
      for (const u of [...store.users.all()]) {
        if (u.project_roles.some((r) => r.project === projectUuid)) {
          store.users.put({ ...u, project_roles: u.project_roles.filter((r) => r.project !== projectUuid) });
        }
      }
      store.projects.remove(projectUuid);
    });
  }
}

const monthOf = (i: Invoice) => `${String(i.year).padStart(4, '0')}-${String(i.month).padStart(2, '0')}`;

function addMonth(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? formatDate(y + 1, 1, 1).slice(0, 7) : formatDate(y, m + 1, 1).slice(0, 7);
}
