import type { CalendarDate } from '../clock.js';
import { Dec, ZERO, type Dec as D } from '../money/decimal.js';
import { invoiceFor } from './computed.js';
import type { CustomerCredit, ProjectCredit } from './model.js';
import { discountsByItem, isCompensationRecord, isDiscountLine, netCost } from './volume-discounts.js';
import type { WaldurStore } from './waldur.store.js';

/**
 * The project-credit figures of the 8.1 profile (docs/behaviour/waldur-8.1.md
 * §3.2, §3.3). Display figures: they cap no draw.
 */

/** min(value, the customer credit's value); 0 without a customer credit. */
export function spendableValue(credit: ProjectCredit, customerCredit: CustomerCredit | undefined): D {
  if (!customerCredit) return ZERO;
  return Dec.min(credit.value, customerCredit.value);
}

/** spendable_value < value. */
export function isLimitedByOrganizationCredit(
  credit: ProjectCredit,
  customerCredit: CustomerCredit | undefined,
): boolean {
  return spendableValue(credit, customerCredit).lt(credit.value);
}

/**
 * The current month's cost of the project that its credits may pay for
 * (§3.3): the items of the customer's invoice for this month (any state) that
 * belong to the project (`item.project`), have a resource, fall under the
 * customer credit's offerings (all, when it has none), and are neither
 * discount nor compensation lines (`details.is_compensation`, or a credit
 * named); each net of its discount lines, at least 0. Not capped by the
 * value. null without this month's invoice; 0 without a customer credit.
 */
export function creditableCostThisMonth(
  store: WaldurStore,
  credit: ProjectCredit,
  customerCredit: CustomerCredit | undefined,
  today: CalendarDate,
): D | null {
  const project = store.projects.get(credit.project);
  if (!project) return null;
  const invoice = invoiceFor(store, project.customer, Number(today.slice(0, 4)), Number(today.slice(5, 7)));
  if (!invoice) return null;
  if (!customerCredit) return ZERO;
  const allowed = customerCredit.offerings;
  const discounts = discountsByItem(invoice.items);
  let total = ZERO;
  for (const item of invoice.items) {
    if (item.project !== credit.project || item.resource === null) continue;
    if (isDiscountLine(item) || isCompensationRecord(item)) continue;
    if (allowed.length > 0 && (item.offering === null || !allowed.includes(item.offering))) continue;
    total = total.plus(netCost(item, discounts));
  }
  return total;
}
