/**
 * The credit ledger over one company's book. Each operation writes through
 * the book's tables (the caller runs it inside a store transaction) and
 * returns the log entries it wrote. Every operation first runs expireDue at
 * ctx.now (its EXPIRED entries lead the ones returned); a failure is returned
 * before the operation writes anything of its own, and the caller's
 * transaction undoes that expiry with the rest.
 *
 * - issue: ACTIVE, `issued_*` = `amount`/`units`; an ISSUED entry; then, if
 *   asked, one CONSUMED entry per open invoice it pays (invoice-application.ts).
 *   Issued in a terminal state (an import of a settled credit): the ISSUED
 *   entry, then the CONSUMED, EXPIRED or REVOKED entry that moves the whole
 *   grant out, so the credit shows 0 and the balance does not change.
 * - consume: from credit_id alone, or drawn down (soonest expiration first,
 *   none last, then oldest, then id), only from credits attached to
 *   subscription_id when it is given; one CONSUMED entry per credit touched;
 *   at 0 a credit becomes CONSUMED. Not enough balance: insufficient_balance
 *   with nothing taken, unless `allowPartial`.
 * - revoke: REVOKED with a REVOKED entry; a terminal credit is already_terminal.
 * - expireDue: lazily, credits whose expiration_date ≤ now become EXPIRED.
 * Terminal states (CONSUMED, EXPIRED, REVOKED) never change again.
 */
import { expiringCredits } from './credit-indexes.js';
import type { MapleBook } from './maple.store.js';
import { isLive, liveCredits, remainingOf } from './balance.js';
import { Dec } from '../money/decimal.js';
import type { ConsumeCommand } from './consume-rules.js';
import type { IssueCommand } from './credit-rules.js';
import { fail, notFound, succeed, type Outcome } from './errors.js';
import { applyToOpenInvoices } from './invoice-application.js';
import { deduct, expiryLogId, isoOf, logEntry, record, terminate, type LedgerContext } from './ledger-entries.js';
import type { Credit, CreditLog } from './model.js';
import type { Quantity } from './balance.js';

export type { LedgerContext } from './ledger-entries.js';

export interface ConsumeOptions {
  /** Take whatever is available instead of refusing an insufficient balance. Off by default. */
  readonly allowPartial?: boolean;
}

const byId = (a: Credit, b: Credit) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** ACTIVE credits whose expiration_date ≤ now become EXPIRED, in (expiration, id) order. */
export function expireDue(book: MapleBook, now: Date): CreditLog[] {
  const due = expiringCredits(book.credits)
    .filter((c) => !isLive(c, now))
    .sort((a, b) => Date.parse(a.expiration_date!) - Date.parse(b.expiration_date!) || byId(a, b));
  return due.map((credit) =>
    terminate(book, credit, 'EXPIRED', { id: expiryLogId(credit), created_at: credit.expiration_date! }),
  );
}

/** The credit as granted: ACTIVE with its whole grant (a terminal state is reached through its log entry). */
function newCredit(cmd: IssueCommand, id: string, created_at: string): Credit {
  return {
    id,
    created_at,
    customer_id: cmd.customer_id,
    name: cmd.name,
    type: cmd.type,
    state: 'ACTIVE',
    amount: cmd.amount,
    units: cmd.units,
    issued_amount: cmd.amount,
    issued_units: cmd.units,
    item_id: cmd.item_id,
    subscription_id: cmd.subscription_id,
    expiration_date: cmd.expiration_date,
    coupon_id: null,
    metric_record_id: null,
    one_time_billable_id: null,
    proration_date: null,
    import_ref: null,
    import_created_at_ref: null,
    imported_from: null,
  };
}

/** Issues a validated credit; applies it to open invoices when the command says so. */
export function issueCredit(
  book: MapleBook,
  cmd: IssueCommand,
  ctx: LedgerContext,
): { credit: Credit; logs: CreditLog[] } {
  const logs = expireDue(book, ctx.now);
  const created_at = isoOf(ctx.now);
  const credit = newCredit(cmd, ctx.ids.next('crd_'), created_at);
  logs.push(
    record(book, credit, logEntry('ISSUED', credit, remainingOf(credit), { id: ctx.ids.next('log_'), created_at })),
  );
  const settled = () => ({ id: ctx.ids.next('log_'), created_at });
  if (cmd.state === 'CONSUMED') logs.push(deduct(book, credit, remainingOf(credit), settled()));
  else if (cmd.state !== 'ACTIVE') logs.push(terminate(book, credit, cmd.state, settled()));
  else if (cmd.apply_to_invoices !== null)
    logs.push(...applyToOpenInvoices(book, credit.id, cmd.apply_to_invoices.invoice_ids, ctx));
  return { credit: book.credits.get(credit.id)!, logs };
}

/** Draw-down order: soonest expiration_date first, none last, then oldest created_at, then id. */
export function drawDownOrder(credits: readonly Credit[]): Credit[] {
  const expiry = (c: Credit) => (c.expiration_date === null ? Infinity : Date.parse(c.expiration_date));
  return [...credits].sort(
    (a, b) => expiry(a) - expiry(b) || Date.parse(a.created_at) - Date.parse(b.created_at) || byId(a, b),
  );
}

function pickCredits(book: MapleBook, cmd: ConsumeCommand, now: Date): Outcome<Credit[]> {
  if (cmd.credit_id === null) {
    const live = liveCredits(book, cmd.customer_id, now, { type: cmd.type, pool: cmd.pool! });
    return succeed(
      drawDownOrder(
        cmd.subscription_id === null ? live : live.filter((c) => c.subscription_id === cmd.subscription_id),
      ),
    );
  }
  const credit = book.credits.get(cmd.credit_id);
  if (!credit || credit.customer_id !== cmd.customer_id) return notFound('credit_id', 'credit', cmd.credit_id);
  if (cmd.subscription_id !== null && credit.subscription_id !== cmd.subscription_id) {
    const message = `credit ${credit.id} is not attached to subscription ${cmd.subscription_id}`;
    return fail('validation_error', message, [{ field: 'credit_id', message }]);
  }
  if (credit.state !== 'ACTIVE') {
    return fail('already_terminal', `credit ${credit.id} is ${credit.state}`, [
      { field: 'credit_id', message: `credit ${credit.id} is ${credit.state}` },
    ]);
  }
  return succeed([credit]);
}

/** Consumes `cmd.quantity`; the result's `consumed` is what was actually taken. */
export function consumeCredits(
  book: MapleBook,
  cmd: ConsumeCommand,
  ctx: LedgerContext,
  opts: ConsumeOptions = {},
): Outcome<{ logs: CreditLog[]; consumed: Quantity }> {
  const logs = expireDue(book, ctx.now);
  const picked = pickCredits(book, cmd, ctx.now);
  if (!picked.ok) return picked;
  const available = picked.value.reduce((sum, c) => sum.plus(remainingOf(c)), new Dec(0));
  if (cmd.quantity.greaterThan(available) && !opts.allowPartial) {
    const message = `insufficient balance: requested ${cmd.quantity.toFixed()}, available ${available.toFixed()}`;
    return fail('insufficient_balance', message, [
      { field: cmd.type === 'AMOUNT' ? 'amount.value_in_cents' : 'units', message },
    ]);
  }
  const target = Dec.min(cmd.quantity, available);
  let left = target;
  for (const credit of picked.value) {
    if (left.isZero()) break;
    const take = Dec.min(left, remainingOf(credit));
    logs.push(deduct(book, credit, take, { id: ctx.ids.next('log_'), created_at: isoOf(ctx.now), note: cmd.note }));
    left = left.minus(take);
  }
  return succeed({ logs, consumed: target });
}

/** Revokes an ACTIVE credit; what remained leaves the balance. */
export function revokeCredit(
  book: MapleBook,
  creditId: string,
  ctx: LedgerContext,
): Outcome<{ credit: Credit; logs: CreditLog[] }> {
  const logs = expireDue(book, ctx.now);
  const credit = book.credits.get(creditId);
  if (!credit) return notFound('id', 'credit', creditId);
  if (credit.state !== 'ACTIVE') {
    return fail('already_terminal', `credit ${credit.id} is already ${credit.state}`, [
      { field: 'id', message: `credit ${credit.id} is already ${credit.state}` },
    ]);
  }
  logs.push(terminate(book, credit, 'REVOKED', { id: ctx.ids.next('log_'), created_at: isoOf(ctx.now) }));
  return succeed({ credit: book.credits.get(creditId)!, logs });
}
