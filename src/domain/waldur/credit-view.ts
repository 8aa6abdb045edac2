import type { BaseCredit } from './model.js';

/*
 * The shapes a credit list is made of, apart from the code that reads them:
 * the filters (filters.ts) and the list machinery (lists/) both import them.
 */

/** The facts about a credit that filters, search and ordering read (made by `creditView`). */
export interface CreditView<C extends BaseCredit = BaseCredit> {
  readonly credit: C;
  /** The credit's creation sequence, on the view itself: a pass over many views then reads no credit it does not keep. */
  readonly seq: number;
  readonly customerUuid: string;
  readonly customerName: string;
  readonly customerSlug: string;
  readonly projectUuid: string | undefined;
  readonly projectName: string | undefined;
  /** The text fields as `contains` and `query` compare them, each made on first use (see `folded`). */
  readonly folded: Record<TextField, string | undefined>;
}

export type TextField = 'customerName' | 'customerSlug' | 'customerUuid' | 'projectName' | 'projectUuid';

export interface CreditFacts {
  customerUuid: string;
  customerName: string;
  customerSlug: string;
  projectUuid?: string;
  projectName?: string;
}

export interface FilterSpec {
  /** uuid filters (exact), keyed by parameter name → which view field. */
  uuid: Record<string, 'customerUuid' | 'projectUuid'>;
  /** icontains filters. */
  contains: Record<string, 'customerName' | 'projectName'>;
  /** exact filters. */
  exact: Record<string, 'customerSlug'>;
  /** fields `query` searches: text fields by icontains, uuid fields by their dashed text. */
  search: readonly TextField[];
  ordering: Record<string, OrderKey>;
}

export type OrderKey = 'customerName' | 'projectName' | 'value' | 'end_date' | 'expected_consumption';
