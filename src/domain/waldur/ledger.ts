import { Dec, ZERO, fixed, type Dec as D } from '../money/decimal.js';
import type { WaldurContext } from './context.js';
import type { CreditTransaction, TransactionType } from './ledger.model.js';
import type { CustomerCredit, ProjectCredit } from './model.js';
import { speaks81 } from './profile.js';

/**
 * Writing the credit ledger (docs/behaviour/waldur-8.1.md §6): Waldur's
 * post_save handler on CustomerCredit and ProjectCredit, called by each write
 * path with the credit before and after. The delta is the value written (all
 * of it on create); a zero delta writes nothing. The type, comment and billing
 * period are those the writer declares (`staff_grant`, '' and null when it
 * declares none); declared parts that sum exactly to the delta give one row
 * each (zero parts skipped), otherwise one row of the declared type.
 *
 * Rows are written while the world speaks 8.1 (`ctx.settings`): a world that
 * speaks 8.0.5 has no ledger, and one switched to 8.1 starts its ledger then,
 * as a server upgraded without the backfill does. Callers run inside the
 * write's transaction, so a failed write leaves no row.
 */
export interface LedgerEntry {
  type?: TransactionType;
  comment?: string;
  billingPeriod?: string | null;
  /** How the delta splits by type (a compensation run: usage, then the floor's draw). */
  parts?: readonly { type: TransactionType; amount: D }[];
}

/** Whether the world keeps a ledger: it speaks the 8.1 profile. */
export function keepsLedger(ctx: WaldurContext): boolean {
  return speaks81(ctx.settings);
}

/** An organisation row (or rows) for a customer credit's value change; `before` undefined: the credit was created. */
export function recordCustomerCredit(
  ctx: WaldurContext,
  before: CustomerCredit | undefined,
  after: CustomerCredit,
  entry: LedgerEntry = {},
): void {
  if (!keepsLedger(ctx)) return;
  write(ctx, delta(before, after), entry, {
    credit: after.uuid,
    project_credit: null,
    project_uuid: '',
    project_name: '',
  });
}

/** Project rows for a project credit's value change; `before` undefined: the credit was created. */
export function recordProjectCredit(
  ctx: WaldurContext,
  before: ProjectCredit | undefined,
  after: ProjectCredit,
  entry: LedgerEntry = {},
): void {
  if (!keepsLedger(ctx)) return;
  const project = ctx.store.projects.get(after.project);
  write(ctx, delta(before, after), entry, {
    credit: null,
    project_credit: after.uuid,
    project_uuid: after.project,
    project_name: project?.name ?? '',
  });
}

/**
 * A customer credit is deleted: its organisation rows go with it (CASCADE).
 * Written in every profile: rows kept while the world spoke 8.1 follow the data.
 */
export function customerCreditDeleted(ctx: WaldurContext, uuid: string): void {
  const table = ctx.store.creditTransactions;
  for (const row of table.getGroup('credit', uuid)) table.remove(row.uuid);
}

/** A project credit is deleted: its rows stay, no longer linked to it (SET NULL); they keep their project's uuid and name. */
export function projectCreditDeleted(ctx: WaldurContext, uuid: string): void {
  const table = ctx.store.creditTransactions;
  for (const row of table.getGroup('project_credit', uuid)) table.put({ ...row, project_credit: null });
}

/** The first day of the month of a date or of an invoice's (year, month). */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

const delta = (before: { value: string } | undefined, after: { value: string }): D =>
  new Dec(after.value).minus(before === undefined ? ZERO : before.value);

type Attribution = Pick<CreditTransaction, 'credit' | 'project_credit' | 'project_uuid' | 'project_name'>;

function write(ctx: WaldurContext, change: D, entry: LedgerEntry, to: Attribution): void {
  if (change.isZero()) return;
  const type = entry.type ?? 'staff_grant';
  const parts = entry.parts;
  const split = parts !== undefined && parts.reduce((t, p) => t.plus(p.amount), ZERO).eq(change);
  const rows = split ? parts.filter((p) => !p.amount.isZero()) : [{ type, amount: change }];
  for (const part of rows) {
    ctx.store.creditTransactions.put({
      uuid: ctx.ids.uuidHex(),
      created: nextCreated(ctx),
      seq: ctx.store.nextSeq(),
      amount: fixed(part.amount, 5),
      transaction_type: part.type,
      comment: entry.comment ?? '',
      ...to,
      billing_period: entry.billingPeriod ?? null,
    });
  }
}

/** The newest row's `created` per store, in microseconds since the epoch. */
const newest = new WeakMap<object, { generation: number; micros: number }>();

/**
 * The clock's time with microseconds, later than every row written before:
 * a row written in the same millisecond (or under a frozen clock) is one
 * microsecond after the last, as rows saved one after another are in Waldur.
 */
function nextCreated(ctx: WaldurContext): string {
  const store = ctx.store;
  let kept = newest.get(store);
  if (!kept || kept.generation !== store.generation) {
    let micros = -Infinity;
    for (const row of store.creditTransactions.all()) micros = Math.max(micros, microsOf(row.created));
    kept = { generation: store.generation, micros };
    newest.set(store, kept);
  }
  const micros = Math.max(ctx.clock.now().getTime() * 1000, kept.micros + 1);
  kept.micros = micros;
  return isoMicros(micros);
}

/** `…T10:11:12.123456Z` (or fewer places) → microseconds since the epoch. */
export function microsOf(iso: string): number {
  const m = /\.(\d+)Z$/.exec(iso);
  const ms = Date.parse(iso);
  const fraction = m ? Number(m[1]!.padEnd(6, '0').slice(0, 6)) : 0;
  return Math.floor(ms / 1000) * 1_000_000 + fraction;
}

export function isoMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros - seconds * 1_000_000).padStart(6, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}
