import type { CreditTransaction, TransactionType } from '../domain/waldur/ledger.model.js';
import { isoMicros, microsOf } from '../domain/waldur/ledger.js';
import type { WaldurState } from './waldur.store.js';

type Raw = Record<string, unknown>;

/**
 * The ledger rows of a fixtures document or an imported state (already
 * schema-checked): `{}` when it has none, so a state without a ledger loads
 * and exports as before. `created` is written with microseconds; rows given
 * without `seq` follow the file's order.
 */
export function creditTransactionsOf(
  raw: Raw[] | undefined,
  nowIso: string,
  amount: (v: unknown) => string,
  hex: (v: unknown) => string,
): { credit_transactions?: CreditTransaction[] } {
  if (raw === undefined) return {};
  return {
    credit_transactions: raw.map((t, i) => ({
      uuid: t.uuid ? hex(t.uuid) : (Buffer.from(`credit-transaction:${i}`).toString('hex') + '0'.repeat(32)).slice(0, 32),
      created: isoMicros(microsOf(typeof t.created === 'string' ? t.created : nowIso)),
      seq: typeof t.seq === 'number' ? t.seq : i + 1,
      amount: amount(t.amount),
      transaction_type: t.transaction_type as TransactionType,
      comment: typeof t.comment === 'string' ? t.comment : '',
      credit: t.credit ? hex(t.credit) : null,
      project_credit: t.project_credit ? hex(t.project_credit) : null,
      project_uuid: t.project_uuid ? hex(t.project_uuid) : '',
      project_name: typeof t.project_name === 'string' ? t.project_name : '',
      billing_period: typeof t.billing_period === 'string' ? t.billing_period : null,
    })),
  };
}

/** A row's credit must exist (its rows go when it does); a row is an organisation row or a project row, not both. */
export function ledgerProblems(s: WaldurState): string[] {
  const problems: string[] = [];
  const customerCredits = new Set(s.customer_credits.map((c) => c.uuid));
  const projectCredits = new Set(s.project_credits.map((c) => c.uuid));
  const seen = new Set<string>();
  (s.credit_transactions ?? []).forEach((t, i) => {
    const where = `credit_transactions[${i}]`;
    if (seen.has(t.uuid)) problems.push(`credit transaction ${t.uuid} appears twice`);
    seen.add(t.uuid);
    if (t.credit !== null && !customerCredits.has(t.credit)) problems.push(`${where}.credit refers to unknown ${t.credit}`);
    if (t.project_credit !== null && !projectCredits.has(t.project_credit)) problems.push(`${where}.project_credit refers to unknown ${t.project_credit}`);
    if (t.credit !== null && (t.project_credit !== null || t.project_uuid !== '')) problems.push(`${where}: an organisation row (credit set) has no project_credit or project_uuid`);
    if (t.credit === null && t.project_uuid === '') problems.push(`${where}: a row needs a credit or a project_uuid`);
  });
  return problems;
}
