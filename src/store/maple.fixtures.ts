import type { ErrorObject } from 'ajv';
import { currencyExponent, NumberText, type Money } from '../domain/maple/money.js';
import { isTerminal, type BillableItem, type Credit, type CreditLog, type Customer, type Invoice, type Subscription } from '../domain/maple/model.js';
import { replayLog, type ReplayedCredit } from '../domain/maple/replay.js';
import { Dec } from '../domain/money/decimal.js';
import { readUnitsValue, unitsText, type Units } from '../domain/maple/units.js';
import { isRfc3339, MAPLE_FIXTURE_SCHEMA, mapleFixtureValidator, type RawCompany, type RawCredit, type RawLog } from '../fixtures/maple.fixture-schema.js';
import { errorMessage } from '../fixtures/admin-spec.js';
import type { MapleCompanyState, MapleState } from './maple.store.js';
import { FixtureError } from './waldur.fixtures.js';

export { FixtureError, isRfc3339, MAPLE_FIXTURE_SCHEMA };

/** The created_at (and updated_at) of a fixture row that gives none. */
export const DEFAULT_CREATED_AT = '2026-01-01T00:00:00.000Z';

type Rows = Omit<MapleCompanyState, 'logs'>;
type Report = (message: string, field?: string) => void;
/** One company's rows by id, for the reference checks. */
interface Refs {
  customers: Map<string, Customer>;
  items: Map<string, BillableItem>;
  subscriptions: Map<string, Subscription>;
  invoices: Map<string, Invoice>;
  credits: Map<string, Credit>;
}

const reporter = (problems: string[], where: string): Report => (message, field) =>
  problems.push(`${where}${field === undefined ? '' : `.${field}`}: ${message}`);
const iso = (s: string | undefined): string => new Date(s ?? DEFAULT_CREATED_AT).toISOString();
const isoOrNull = (s: string | null | undefined): string | null => (s == null ? null : new Date(s).toISOString());
const copyMoney = (m: Money | null | undefined): Money | null => (m == null ? null : { currency: m.currency, value_in_cents: m.value_in_cents });
/** Units as the file gives them (a JSON number, or its exact decimal text as the state export writes it), canonical. */
const copyUnits = (u: Units | number | null | undefined): Units | null => (u == null ? null : unitsText(new Dec(u)));

/**
 * Validates a Maple fixtures document (or an exported state) and turns it into
 * a state: defaults filled, timestamps normalised to `toISOString`, short-form
 * credits expanded, references checked, and the log replayed against the
 * credits (or synthesised as one ISSUED entry per credit when none is given).
 */
export function parseMapleFixtures(doc: unknown): MapleState {
  const validate = mapleFixtureValidator();
  if (!validate(doc)) throw new FixtureError((validate.errors ?? []).map(describe));
  const problems: string[] = [];
  const companies = doc.companies.map((c, i) => parseCompany(c, `companies[${i}]`, problems));
  crossCompanyProblems(companies, problems);
  if (problems.length > 0) throw new FixtureError(problems);
  return { companies };
}

function parseCompany(c: RawCompany, at: string, problems: string[]): MapleCompanyState {
  const rows: Rows = {
    id: c.id,
    name: c.name,
    tokens: [...(c.tokens ?? [])],
    customers: (c.customers ?? []).map((r) => ({
      id: r.id, identifier: r.identifier ?? null, name: r.name, email: r.email ?? null, created_at: iso(r.created_at),
    })),
    items: (c.items ?? []).map((r) => ({
      id: r.id, company_id: c.id, name: r.name, external_name: r.external_name ?? null, description: r.description ?? null,
      display_type: r.display_type ?? null, type: r.type ?? 'metered', standard: r.standard ?? true, editable: r.editable ?? true,
      created_at: iso(r.created_at), updated_at: iso(r.updated_at ?? r.created_at),
    })),
    subscriptions: (c.subscriptions ?? []).map((r) => ({ id: r.id, customer_id: r.customer_id, created_at: iso(r.created_at) })),
    invoices: (c.invoices ?? []).map((r) => ({
      id: r.id, customer_id: r.customer_id, currency: r.currency, state: r.state ?? 'PENDING', total_in_cents: r.total_in_cents,
      due_in_cents: r.due_in_cents ?? r.total_in_cents, created_at: iso(r.created_at),
    })),
    credits: (c.credits ?? []).map(toCredit),
  };
  const before = problems.length;
  const refs = checkRows(c, rows, at, problems);
  const given = c.logs ?? [];
  if (given.length === 0) return { ...rows, logs: synthesise(rows.credits, at, problems) };
  const logs = given.map((l) => toLog(l, refs.credits));
  index(logs, (j) => reporter(problems, `${at}.logs[${j}]`));
  logs.forEach((l, j) => checkLogEntry(l, refs, reporter(problems, `${at}.logs[${j}]`)));
  if (problems.length === before) replayProblems(rows.credits, logs, at, problems);
  return { ...rows, logs };
}

/** Full form when `issued_*` is given (then `amount`/`units` is the remainder, default the grant); short form otherwise. */
function toCredit(r: RawCredit): Credit {
  const full = r.issued_amount !== undefined || r.issued_units !== undefined;
  const issuedAmount = full ? r.issued_amount : r.amount;
  const issuedUnits = full ? r.issued_units : r.units;
  return {
    id: r.id, created_at: iso(r.created_at), customer_id: r.customer_id, name: r.name ?? null, type: r.type, state: r.state ?? 'ACTIVE',
    amount: copyMoney(r.amount === undefined ? issuedAmount : r.amount), units: copyUnits(r.units === undefined ? issuedUnits : r.units),
    issued_amount: copyMoney(issuedAmount), issued_units: copyUnits(issuedUnits),
    item_id: r.item_id ?? null, subscription_id: r.subscription_id ?? null, expiration_date: isoOrNull(r.expiration_date),
    coupon_id: r.coupon_id ?? null, metric_record_id: r.metric_record_id ?? null, one_time_billable_id: r.one_time_billable_id ?? null,
    proration_date: isoOrNull(r.proration_date), import_ref: r.import_ref ?? null,
    import_created_at_ref: r.import_created_at_ref ?? null, imported_from: r.imported_from ?? null,
  };
}

function toLog(r: RawLog, credits: ReadonlyMap<string, Credit>): CreditLog {
  return {
    id: r.id, action_type: r.action_type, amount_applied: copyMoney(r.amount_applied), units_applied: copyUnits(r.units_applied),
    created_at: iso(r.created_at), credit_id: r.credit_id, customer_id: r.customer_id ?? credits.get(r.credit_id)?.customer_id ?? '',
    invoice_id: r.invoice_id ?? null, note: r.note ?? null,
  };
}

/** First occurrence of each id; a repeated id is a problem at the repeating row. */
function index<T extends { id: string }>(rows: readonly T[], at: (j: number) => Report): Map<string, T> {
  const out = new Map<string, T>();
  rows.forEach((r, j) => {
    if (out.has(r.id)) at(j)(`id ${r.id} appears twice`);
    else out.set(r.id, r);
  });
  return out;
}

function checkRows(c: RawCompany, s: Rows, at: string, problems: string[]): Refs {
  const row = (kind: string) => (j: number) => reporter(problems, `${at}.${kind}[${j}]`);
  const refs: Refs = {
    customers: index(s.customers, row('customers')),
    items: index(s.items, row('items')),
    subscriptions: index(s.subscriptions, row('subscriptions')),
    invoices: index(s.invoices, row('invoices')),
    credits: index(s.credits, row('credits')),
  };
  const identifiers = new Set<string>();
  s.customers.forEach(({ identifier }, j) => {
    if (identifier !== null && identifiers.has(identifier)) row('customers')(j)(`identifier ${identifier} appears twice`);
    if (identifier !== null) identifiers.add(identifier);
  });
  (c.items ?? []).forEach(({ company_id }, j) => {
    if (company_id !== undefined && company_id !== c.id) row('items')(j)(`${company_id} is not this company (${c.id})`, 'company_id');
  });
  s.subscriptions.forEach((r, j) => needCustomer(refs, r.customer_id, row('subscriptions')(j)));
  s.invoices.forEach((r, j) => checkInvoice(r, refs, row('invoices')(j)));
  s.credits.forEach((r, j) => checkCredit(r, refs, row('credits')(j)));
  return refs;
}

function needCustomer(refs: Refs, id: string, report: Report): void {
  if (!refs.customers.has(id)) report(`customer ${id} does not exist`);
}

function checkCurrency(code: string, report: Report, field: string): void {
  if (currencyExponent(code) === undefined) report(`${code} is not an ISO 4217 currency code`, field);
}

function checkInvoice(inv: Invoice, refs: Refs, report: Report): void {
  needCustomer(refs, inv.customer_id, report);
  checkCurrency(inv.currency, report, 'currency');
  if (inv.due_in_cents > inv.total_in_cents) report(`due_in_cents ${inv.due_in_cents} is more than total_in_cents ${inv.total_in_cents}`);
}

function checkCredit(c: Credit, refs: Refs, report: Report): void {
  needCustomer(refs, c.customer_id, report);
  if (c.item_id !== null && !refs.items.has(c.item_id)) report(`item ${c.item_id} does not exist`);
  const sub = c.subscription_id === null ? undefined : refs.subscriptions.get(c.subscription_id);
  if (c.subscription_id !== null && !sub) report(`subscription ${c.subscription_id} does not exist`);
  if (sub && sub.customer_id !== c.customer_id) report(`subscription ${sub.id} is customer ${sub.customer_id}'s, not ${c.customer_id}'s`);
  const [own, issued, other, otherIssued] = c.type === 'AMOUNT'
    ? (['amount', 'issued_amount', 'units', 'issued_units'] as const)
    : (['units', 'issued_units', 'amount', 'issued_amount'] as const);
  const kind = c.type === 'AMOUNT' ? 'an AMOUNT credit' : 'a UNITS credit';
  if (c[own] === null) report(`${kind} needs ${own}`);
  else if (c[issued] === null) report(`${kind} needs ${issued}`);
  if (c[other] !== null || c[otherIssued] !== null) report(`${kind} cannot have ${other}`);
  if (c.type === 'UNITS' && c.item_id === null) report(`${kind} needs item_id`);
  const money = c.amount ?? c.issued_amount;
  if (money) checkCurrency(money.currency, report, c.amount ? 'amount.currency' : 'issued_amount.currency');
  if (c.amount && c.issued_amount && c.amount.currency !== c.issued_amount.currency) {
    report(`amount is in ${c.amount.currency} but issued_amount in ${c.issued_amount.currency}`);
  }
  for (const key of ['units', 'issued_units'] as const) {
    const read = c[key] === null ? null : readUnitsValue(new NumberText(c[key]), key);
    if (read && !read.ok) report(read.errors[0]!.message.replace(`${key} `, ''), key);
  }
  const q = quantities(c);
  if (q && q.remaining.greaterThan(q.issued)) report(`remaining ${q.remaining.toFixed()} is more than issued ${q.issued.toFixed()}`);
  if (q && isTerminal(c.state) && !q.remaining.isZero()) report(`a ${c.state} credit must have remaining 0, not ${q.remaining.toFixed()}`);
}

function quantities(c: Credit): { issued: InstanceType<typeof Dec>; remaining: InstanceType<typeof Dec> } | null {
  const issued = c.type === 'AMOUNT' ? c.issued_amount?.value_in_cents : c.issued_units;
  const remaining = c.type === 'AMOUNT' ? c.amount?.value_in_cents : c.units;
  return issued == null || remaining == null ? null : { issued: new Dec(issued), remaining: new Dec(remaining) };
}

function checkLogEntry(l: CreditLog, refs: Refs, report: Report): void {
  const credit = refs.credits.get(l.credit_id);
  const invoice = l.invoice_id === null ? undefined : refs.invoices.get(l.invoice_id);
  if (l.invoice_id !== null && !invoice) report(`invoice ${l.invoice_id} does not exist`);
  if (!credit) return report(`credit ${l.credit_id} does not exist`);
  if (invoice && invoice.customer_id !== credit.customer_id) report(`invoice ${invoice.id} is customer ${invoice.customer_id}'s, not ${credit.customer_id}'s`);
  if (l.customer_id !== credit.customer_id) report(`customer ${l.customer_id} is not the customer of credit ${credit.id} (${credit.customer_id})`);
  if (credit.type === 'UNITS') {
    if (l.units_applied === null || l.amount_applied !== null) report(`an entry of UNITS credit ${credit.id} needs units_applied and no amount_applied`);
  } else if (l.amount_applied === null || l.units_applied !== null) {
    report(`an entry of AMOUNT credit ${credit.id} needs amount_applied and no units_applied`);
  } else if (credit.amount && l.amount_applied.currency !== credit.amount.currency) {
    report(`amount_applied is in ${l.amount_applied.currency} but credit ${credit.id} in ${credit.amount.currency}`);
  }
}

/** One ISSUED entry per credit, its id `log_` + the credit id after its prefix; only untouched ACTIVE credits may go without a log. */
function synthesise(credits: readonly Credit[], at: string, problems: string[]): CreditLog[] {
  const ids = new Set<string>();
  return credits.map((c, j) => {
    const report = reporter(problems, `${at}.credits[${j}]`);
    const q = quantities(c);
    if (q && (c.state !== 'ACTIVE' || !q.remaining.equals(q.issued))) {
      report(`credit ${c.id} has consumption but no log (${c.state}, ${q.remaining.toFixed()} of ${q.issued.toFixed()} left)`);
    }
    const id = `log_${c.id.slice(c.id.indexOf('_') + 1)}`;
    if (ids.has(id)) report(`the ISSUED entry's id ${id} would appear twice; give the log`);
    ids.add(id);
    return {
      id, action_type: 'ISSUED', amount_applied: copyMoney(c.issued_amount), units_applied: c.issued_units, created_at: c.created_at,
      credit_id: c.id, customer_id: c.customer_id, invoice_id: null, note: null,
    };
  });
}

function replayProblems(credits: readonly Credit[], logs: readonly CreditLog[], at: string, problems: string[]): void {
  let replayed: Map<string, ReplayedCredit>;
  try {
    replayed = replayLog(logs);
  } catch (e) {
    problems.push(`${at}.logs[${firstBadEntry(logs)}]: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  credits.forEach((c, j) => {
    const report = reporter(problems, `${at}.credits[${j}]`);
    const r = replayed.get(c.id);
    const q = quantities(c);
    if (!r || !q) return report(`credit ${c.id} has no ISSUED entry in the log`);
    if (!r.issued.equals(q.issued)) report(`credit ${c.id}: issued is ${q.issued.toFixed()} but the log issues ${r.issued.toFixed()}`);
    if (!r.remaining.equals(q.remaining)) report(`credit ${c.id}: remaining is ${q.remaining.toFixed()} but the log leaves ${r.remaining.toFixed()}`);
    if (r.state !== c.state) report(`credit ${c.id}: state is ${c.state} but the log makes it ${r.state}`);
  });
}

/** The index of the first entry replayLog refuses (the whole log is known to be refused). */
function firstBadEntry(logs: readonly CreditLog[]): number {
  const refused = (n: number) => {
    try {
      replayLog(logs.slice(0, n));
      return false;
    } catch {
      return true;
    }
  };
  let lo = 1;
  let hi = logs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (refused(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

function crossCompanyProblems(companies: readonly MapleCompanyState[], problems: string[]): void {
  const ids = new Map<string, number>();
  const owners = new Map<string, number>();
  companies.forEach((c, i) => {
    const first = ids.get(c.id);
    if (first !== undefined) problems.push(`companies[${i}]: id ${c.id} appears twice (also companies[${first}])`);
    else ids.set(c.id, i);
    c.tokens.forEach((t, k) => {
      const owner = owners.get(t);
      if (owner === undefined) owners.set(t, i);
      else problems.push(`companies[${i}].tokens[${k}]: token ${t} ${owner === i ? 'appears twice' : `already belongs to companies[${owner}]`}`);
    });
  });
}

function describe(e: ErrorObject): string {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const where = segments.map((s, k) => (/^\d+$/.test(s) ? `[${s}]` : k === 0 ? s : `.${s}`)).join('') || '(top level)';
  if (e.keyword === 'format') return `${where}: must be an RFC 3339 date-time from 1970 on`;
  if (e.keyword === 'additionalProperties') return `${where}: must NOT have additional property '${String(e.params.additionalProperty)}'`;
  if (e.keyword === 'enum') return `${where}: must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  return `${where}: ${errorMessage(e)}`;
}
