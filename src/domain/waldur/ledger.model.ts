/**
 * Waldur's CreditTransaction (docs/behaviour/waldur-8.1.md §5): one row
 * of the credit ledger, as the mock keeps it. Rows are written by the services
 * (ledger.ts) and only read afterwards: never edited, except that a deleted
 * project credit leaves its rows with `project_credit: null` (SET NULL), and
 * a deleted customer credit takes its organisation rows with it (CASCADE).
 */
export type TransactionType =
  | 'staff_grant'
  | 'compensation'
  | 'minimal_draw'
  | 'affiliate_fee'
  | 'transfer_in'
  | 'transfer_out'
  | 'payout'
  | 'expiry'
  | 'rollback'
  | 'adjustment'
  | 'withdrawable_adjustment';

/** `transaction_type_display` of each type (CreditTransaction.Types.CHOICES), in the model's order. */
export const TRANSACTION_TYPE_LABELS: Readonly<Record<TransactionType, string>> = {
  staff_grant: 'Staff grant',
  compensation: 'Compensation',
  minimal_draw: 'Minimal consumption draw',
  affiliate_fee: 'Affiliate fee',
  transfer_in: 'Transfer in',
  transfer_out: 'Transfer out',
  payout: 'Payout',
  expiry: 'Expiry',
  rollback: 'Rollback',
  adjustment: 'Adjustment',
  withdrawable_adjustment: 'Withdrawable adjustment',
};

export const TRANSACTION_TYPES = Object.keys(TRANSACTION_TYPE_LABELS) as TransactionType[];

/** The types whose amounts make up the withdrawable earnings of an organisation credit (§2.2). */
export const WITHDRAWABLE_TYPES: readonly TransactionType[] = [
  'affiliate_fee',
  'transfer_in',
  'transfer_out',
  'payout',
  'withdrawable_adjustment',
];

export interface CreditTransaction {
  uuid: string;
  /** ISO 8601 UTC with microseconds, `…T10:11:12.123456Z`; strictly increasing in write order. */
  created: string;
  /** Write order, as the credits' creation sequence. */
  seq: number;
  /** Signed, 5 places: positive when the balance rose. */
  amount: string;
  transaction_type: TransactionType;
  comment: string;
  /** The customer credit of an organisation row; null on project rows. */
  credit: string | null;
  /** The project credit of a project row; null on organisation rows and once that project credit is deleted. */
  project_credit: string | null;
  /** The project of a project row (32 hex), kept after the project credit is deleted; '' on organisation rows. */
  project_uuid: string;
  project_name: string;
  /** The first day of the month the movement belongs to, or null. */
  billing_period: string | null;
}
