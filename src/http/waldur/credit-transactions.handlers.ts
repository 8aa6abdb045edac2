import type { CreditTransactionsService, LedgerRowView } from '../../domain/waldur/credit-transactions.service.js';
import { TRANSACTION_TYPE_LABELS } from '../../domain/waldur/ledger.model.js';
import type { Json } from './drf-json.js';
import type { RenderContext } from './representation.js';
import { paginatedList, type WaldurCall, type WaldurHandler, type WaldurResult } from './waldur.handler.js';

/** The credit-transactions operations (Waldur 8.1), keyed by the 8.1 spec's operationIds. */
export function creditTransactionHandlers(service: CreditTransactionsService): Record<string, WaldurHandler> {
  const list = (call: WaldurCall): WaldurResult =>
    paginatedList(call, service.list(call.actor, call.query), (row) =>
      renderCreditTransaction(call.render, service.view(row)),
    );
  return {
    credit_transactions_list: list,
    credit_transactions_count: (call) => ({ ...list(call), body: undefined }),
    credit_transactions_retrieve: (call) => ({
      status: 200,
      body: renderCreditTransaction(call.render, service.view(service.retrieve(call.actor, call.uuid, call.query))),
    }),
  };
}

/** CreditTransactionSerializer (docs/behaviour/waldur-8.1.md §5.1, newest), in its field order. */
export function renderCreditTransaction(r: RenderContext, { row, customer }: LedgerRowView): Json {
  return {
    uuid: row.uuid,
    created: row.created,
    amount: row.amount,
    transaction_type: row.transaction_type,
    transaction_type_display: TRANSACTION_TYPE_LABELS[row.transaction_type],
    comment: row.comment,
    customer_uuid: customer,
    customer_name: customer === null ? null : (r.store.customers.get(customer)?.name ?? null),
    project_uuid: row.project_uuid,
    project_name: row.project_name,
    billing_period: row.billing_period,
  };
}
