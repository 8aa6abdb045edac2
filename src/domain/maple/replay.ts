/**
 * The log is the ledger's source of truth: replaying it in the order it was
 * written reproduces every credit's remaining quantity and state.
 */
import { Dec } from '../money/decimal.js';
import { issuedOf, remainingOf, type Quantity } from './balance.js';
import type { MapleBook } from './maple.store.js';
import type { CreditLog, CreditState } from './model.js';

export interface ReplayedCredit {
  readonly issued: Quantity;
  readonly remaining: Quantity;
  readonly state: CreditState;
}

const quantityOf = (entry: CreditLog): Quantity =>
  new Dec(entry.amount_applied?.value_in_cents ?? entry.units_applied ?? 0);

/** Credit id → what the log says about it. Throws on an entry the ledger could not have written. */
export function replayLog(logs: readonly CreditLog[]): Map<string, ReplayedCredit> {
  const out = new Map<string, ReplayedCredit>();
  for (const entry of logs) {
    const q = quantityOf(entry);
    const before = out.get(entry.credit_id);
    if (entry.action_type === 'ISSUED') {
      if (before) throw new Error(`credit ${entry.credit_id} issued twice`);
      out.set(entry.credit_id, { issued: q, remaining: q, state: 'ACTIVE' });
      continue;
    }
    if (!before || before.state !== 'ACTIVE' || q.greaterThan(before.remaining))
      throw new Error(`impossible ${entry.action_type} entry ${entry.id}`);
    const remaining = before.remaining.minus(q);
    const terminal = entry.action_type === 'EXPIRED' || entry.action_type === 'REVOKED';
    if (terminal && !remaining.isZero())
      throw new Error(`${entry.action_type} entry ${entry.id} left ${remaining.toFixed()}`);
    const state: CreditState = terminal
      ? (entry.action_type as CreditState)
      : remaining.isZero()
        ? 'CONSUMED'
        : 'ACTIVE';
    out.set(entry.credit_id, { issued: before.issued, remaining, state });
  }
  return out;
}

/** Where the credits and the log disagree; empty when they agree. */
export function ledgerMismatches(book: MapleBook): string[] {
  const replayed = replayLog([...book.logs.all()]);
  const problems: string[] = [];
  for (const credit of book.credits.all()) {
    const r = replayed.get(credit.id);
    if (!r) problems.push(`${credit.id}: no ISSUED entry`);
    else if (
      !r.issued.equals(issuedOf(credit)) ||
      !r.remaining.equals(remainingOf(credit)) ||
      r.state !== credit.state
    ) {
      const says = (state: string, remaining: Quantity, issued: Quantity) =>
        `${state} ${remaining.toFixed()}/${issued.toFixed()}`;
      problems.push(
        `${credit.id}: log says ${says(r.state, r.remaining, r.issued)}, credit says ${says(credit.state, remainingOf(credit), issuedOf(credit))}`,
      );
    }
  }
  for (const id of replayed.keys()) if (!book.credits.get(id)) problems.push(`${id}: logged but missing`);
  return problems;
}
