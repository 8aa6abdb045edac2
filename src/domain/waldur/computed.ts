import { previousMonth, sameMonth, type CalendarDate } from '../clock.js';
import { Dec, ZERO, type Dec as D } from '../money/decimal.js';
import { itemPrice, itemTotal, sumItems } from './invoice-math.js';
import type { BaseCredit, CustomerCredit, Invoice, InvoiceItem, ProjectCredit } from './model.js';
import type { WaldurStore } from './waldur.store.js';

/**
 * The read-only fields Waldur computes from model properties (docs/behaviour/waldur.md §2.4).
 * A plain `0` is Python's int 0 (rendered `0`); a Dec is a Decimal (rendered
 * as a float, `0.0`).
 */
export type Computed = D | 0;

export function minimalConsumption(credit: BaseCredit, today: CalendarDate): Computed {
  if (!credit.apply_as_minimal_consumption) return 0;
  const expected = new Dec(credit.expected_consumption);
  if (credit.end_date !== null && sameMonth(credit.end_date, today)) return expected;
  return new Dec(100).minus(credit.grace_coefficient).div(100).times(expected);
}

/** min(1, days in this month / days until end_date's month), or 1 when that is not in the future. */
export function timeLeftFactor(credit: BaseCredit, today: CalendarDate): D {
  if (credit.end_date === null) return new Dec(1);
  const endMonth = Date.UTC(Number(credit.end_date.slice(0, 4)), Number(credit.end_date.slice(5, 7)) - 1, 1);
  const now = Date.parse(`${today}T00:00:00Z`);
  const days = Math.round((endMonth - now) / 86_400_000);
  if (days <= 0) return new Dec(1);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Dec.min(1, new Dec(daysInMonth).div(days));
}

export function projectCreditsOfCustomer(store: WaldurStore, customer: string): ProjectCredit[] {
  return store.projectCredits.getGroup('customer', customer);
}

/** Sum of the current values of the customer's project credits, or int 0 when there are none. */
export function allocatedToProjects(store: WaldurStore, customer: string): Computed {
  const credits = projectCreditsOfCustomer(store, customer);
  if (credits.length === 0) return 0;
  return credits.reduce((total, c) => total.plus(c.value), ZERO);
}

export function invoiceFor(store: WaldurStore, customer: string, year: number, month: number): Invoice | undefined {
  return store.invoices.getGroup('customer', customer).find((i) => i.year === year && i.month === month);
}

/** −Σ total (VAT included) of last month's items drawn on this credit; null without last month's invoice. */
export function customerConsumptionLastMonth(
  store: WaldurStore,
  credit: CustomerCredit,
  today: CalendarDate,
): Computed | null {
  const { year, month } = previousMonth(today);
  const invoice = invoiceFor(store, credit.customer, year, month);
  if (!invoice) return null;
  const items = invoice.items.filter((i) => i.credit === credit.uuid);
  return drawn(items, invoice);
}

/** −Σ total of the lines: what the credit paid (VAT included); int 0 when nothing was drawn. */
function drawn(items: readonly InvoiceItem[], invoice: Invoice): D | 0 {
  return items.length === 0 ? 0 : sumItems(items, (i) => itemTotal(i, invoice)).negated();
}

export function projectConsumptionLastMonth(
  store: WaldurStore,
  credit: ProjectCredit,
  customerCredit: CustomerCredit | undefined,
  today: CalendarDate,
): Computed | null {
  const project = store.projects.get(credit.project);
  if (!project) return null;
  const { year, month } = previousMonth(today);
  const invoice = invoiceFor(store, project.customer, year, month);
  if (!invoice) return null;
  if (!customerCredit) return 0;
  const items = invoice.items.filter((i) => i.credit === customerCredit.uuid && i.project === credit.project);
  return drawn(items, invoice);
}

/** Consumption history: compensation lines (negative unit price) grouped by invoice month, pre-VAT. */
export function consumptionHistory(store: WaldurStore, credit: CustomerCredit): { date: string; price: D }[] {
  const invoices = store.invoices
    .getGroup('customer', credit.customer)
    .sort((a, b) => a.year - b.year || a.month - b.month);
  const rows: { date: string; price: D }[] = [];
  for (const invoice of invoices) {
    const items = invoice.items.filter((i) => i.credit === credit.uuid && new Dec(i.unit_price).isNegative());
    if (items.length === 0) continue;
    const date = `${String(invoice.year).padStart(4, '0')}-${String(invoice.month).padStart(2, '0')}-01`;
    rows.push({ date, price: sumItems(items, itemPrice).negated() });
  }
  return rows;
}
