import type { CalendarDate } from '../clock.js';
import { Dec, ROUND_HALF_EVEN, ROUND_HALF_UP, ZERO, fixed, type Dec as D } from '../money/decimal.js';
import { minimalConsumption } from './computed.js';
import { itemPrice } from './invoice-math.js';
import { discountsByItem, isDiscountLine, netCost } from './volume-discounts.js';
import type { CustomerCredit, Invoice, InvoiceItem, ProjectCredit } from './model.js';

/**
 * Waldur's MonthlyCompensation (reference §6): how an invoice draws on a
 * customer credit and its project credits. Pure: balances in, balances out.
 */
export interface Ledger {
  invoice: Invoice;
  customerCredit: CustomerCredit;
  /** The customer's project credits. */
  projectCredits: ProjectCredit[];
  today: CalendarDate;
  /** 8.1: discount lines are no candidates, and an item is drawn net of its discount lines (volume-discounts.ts). */
  volumeDiscounts?: boolean;
}

export interface Compensated extends Ledger {
  events: string[];
  /** Σ compensation per project uuid ('' for items without a project), and in all. */
  totals: { byProject: Map<string, D>; all: D };
  /**
   * What this run took from each balance: the compensation lines plus the floor
   * tail (the customer's in `all`, each project's own in `byProject`). The
   * month-end's linear recalculation reads these (reference §2.4, §6.2 steps 6-7).
   */
  drawn: { byProject: Map<string, D>; all: D };
}

/** Credit values are numeric(16,5); the database rounds [reference: inference, half-up]. */
const amount = (d: D) => fixed(d, 5, ROUND_HALF_UP);
/** Compensation unit prices are Decimal(22,10). */
const unitPrice = (d: D) => fixed(d.negated(), 10, ROUND_HALF_EVEN);

const isCompensationLine = (item: InvoiceItem) => item.credit !== null || new Dec(item.unit_price).isNegative();

/** §6.3: restore what this invoice's compensation lines took, and remove the lines. */
export function clearCompensations(l: Ledger): Compensated {
  const lines = l.invoice.items.filter((i) => i.credit === l.customerCredit.uuid);
  const unchanged = { ...l, events: [], totals: noTotals(), drawn: noTotals() };
  if (lines.length === 0) return unchanged;
  const applied = lines.reduce((t, i) => t.minus(i.unit_price), ZERO);
  const floor = minimalConsumption(l.customerCredit, l.today);
  const restore = floor === 0 ? applied : Dec.max(applied, floor);
  const events = ['roll_back_customer_credit'];
  const projectCredits = l.projectCredits.map((pc) => {
    const back = lines.filter((i) => i.project === pc.project).reduce((t, i) => t.minus(i.unit_price), ZERO);
    if (back.isZero()) return pc;
    events.push('roll_back_project_credit');
    return { ...pc, value: amount(new Dec(pc.value).plus(back)) };
  });
  return {
    ...unchanged,
    invoice: { ...l.invoice, items: l.invoice.items.filter((i) => i.credit !== l.customerCredit.uuid) },
    customerCredit: { ...l.customerCredit, value: amount(new Dec(l.customerCredit.value).plus(restore)) },
    projectCredits,
    events,
  };
}

/** §6.4: clear, then compensate again from the restored balances; so repeating it changes nothing. */
export function applyCompensations(l: Ledger, newUuid: () => string): Compensated {
  const cleared = clearCompensations(l);
  const done = compensate(cleared, newUuid);
  return { ...done, events: [...cleared.events, ...done.events] };
}

/** §6.2 steps 1–7. */
function compensate(l: Ledger, newUuid: () => string): Compensated {
  const byProject = new Map<string, D>();
  const result: Compensated = { ...l, events: [], totals: { byProject, all: ZERO }, drawn: noTotals() };
  let value = new Dec(l.customerCredit.value);
  if (value.isZero()) return result;
  const projects = new Map(l.projectCredits.map((pc) => [pc.project, new Dec(pc.value)]));
  const allowed = l.customerCredit.offerings;
  const discounts = l.volumeDiscounts ? discountsByItem(l.invoice.items) : null;
  const candidates = l.invoice.items
    .filter((i) => i.resource !== null && !isCompensationLine(i) && !(discounts && isDiscountLine(i)))
    .filter((i) => allowed.length === 0 || (i.offering !== null && allowed.includes(i.offering)))
    .map((item) => ({ item, price: itemPrice(item), cost: discounts ? netCost(item, discounts) : itemPrice(item) }))
    .sort((a, b) => a.price.comparedTo(b.price));
  const vat = new Dec(1).plus(new Dec(l.invoice.tax_percent).div(100));
  const lines: InvoiceItem[] = [];
  for (const { item, cost } of candidates) {
    // Waldur stops at exactly 0; a balance the project path took below 0 has nothing left to give either.
    if (value.lte(0)) break;
    const pv = item.project === null ? undefined : projects.get(item.project);
    let compensation: D;
    if (pv !== undefined) {
      compensation = cost.gte(pv) ? pv : cost;
      projects.set(item.project!, pv.minus(compensation));
      value = value.minus(compensation);
    } else if (cost.gte(value)) {
      compensation = value.div(vat);
      value = ZERO;
    } else {
      compensation = cost;
      value = value.minus(cost);
    }
    if (compensation.isZero()) continue;
    const key = item.project ?? '';
    byProject.set(key, (byProject.get(key) ?? ZERO).plus(compensation));
    lines.push(compensationLine(item, compensation, l.customerCredit.uuid, newUuid()));
  }
  const all = [...byProject.values()].reduce((t, c) => t.plus(c), ZERO);
  const beforeFloor = value;
  value = customerFloor(l.customerCredit, l.today, all, value, result.events);
  const drawnByProject = new Map<string, D>();
  const inInvoice = new Set(l.invoice.items.map((i) => i.project));
  const projectCredits = l.projectCredits.map((pc) => {
    const compensated = byProject.get(pc.project) ?? ZERO;
    let pv = projects.get(pc.project)!;
    const untailed = pv;
    if (inInvoice.has(pc.project)) pv = projectFloor(pc, l.today, compensated, pv, result.events);
    drawnByProject.set(pc.project, compensated.plus(untailed.minus(pv)));
    return pv.eq(pc.value) ? pc : { ...pc, value: amount(pv) };
  });
  return {
    ...result,
    invoice: { ...l.invoice, items: [...l.invoice.items, ...lines] },
    customerCredit: { ...l.customerCredit, value: amount(value) },
    projectCredits,
    totals: { byProject, all },
    drawn: { byProject: drawnByProject, all: all.plus(beforeFloor.minus(value)) },
  };
}

const noTotals = () => ({ byProject: new Map<string, D>(), all: ZERO });

function compensationLine(item: InvoiceItem, compensation: D, credit: string, uuid: string): InvoiceItem {
  return {
    uuid,
    name: `Credit compensation. ${item.name}`,
    unit_price: unitPrice(compensation),
    quantity: '1',
    project: item.project,
    offering: item.offering,
    resource: item.resource,
    credit,
  };
}

/** §6.2 step 6: the floor's shortfall is taken from the credit, capped at what is left; no line is written. */
function customerFloor(credit: CustomerCredit, today: CalendarDate, total: D, value: D, events: string[]): D {
  const floor = minimalConsumption(credit, today);
  if (floor === 0 || floor.isZero() || total.gte(floor)) return value;
  events.push('reduction_of_customer_credit_due_to_minimal_consumption');
  const tail = floor.minus(total);
  return value.minus(tail).isNegative() ? ZERO : value.minus(tail);
}

/** §6.2 step 7: a project's floor is taken from the project credit only. */
function projectFloor(pc: ProjectCredit, today: CalendarDate, total: D, value: D, events: string[]): D {
  const floor = minimalConsumption(pc, today);
  if (floor === 0 || floor.isZero() || total.gte(floor)) return value;
  events.push('reduction_of_project_credit_due_to_minimal_consumption');
  return Dec.max(ZERO, value.minus(Dec.min(floor.minus(total), value)));
}
