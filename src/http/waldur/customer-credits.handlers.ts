import { fixed } from '../../domain/money/decimal.js';
import type { CustomerCreditsService } from '../../domain/waldur/customer-credits.service.js';
import type { WithdrawableService } from '../../domain/waldur/withdrawable.service.js';
import { absoluteUrl, renderCustomerCredit } from './representation.js';
import { paginatedList, type WaldurCall, type WaldurHandler, type WaldurResult } from './waldur.handler.js';

/** The customer-credits operations, keyed by the spec's operationIds. */
export function customerCreditHandlers(
  service: CustomerCreditsService,
  withdrawable: WithdrawableService,
): Record<string, WaldurHandler> {
  const list = (call: WaldurCall): WaldurResult =>
    paginatedList(call, service.list(call.actor, call.query), (v) =>
      renderCustomerCredit(call.render, v.credit, 'objects'),
    );
  const write =
    (partial: boolean) =>
    (call: WaldurCall): WaldurResult => {
      const credit = service.update(call.actor, call.uuid, call.body, partial, call.query);
      return { status: 200, body: renderCustomerCredit(call.render, credit, 'urls') };
    };
  const compensation =
    (action: 'apply' | 'clear') =>
    (call: WaldurCall): WaldurResult => {
      const credit = service.compensationAction(call.actor, call.uuid, call.body, action, call.query);
      // 8.1 (as of 8.0.9): 200 with no body.
      if (call.render.v81) return { status: 200 };
      return { status: 200, body: renderCustomerCredit(call.render, credit, 'objects') };
    };
  return {
    customer_credits_list: list,
    customer_credits_count: (call) => ({ ...list(call), body: undefined }),
    customer_credits_create: (call) => {
      const credit = service.create(call.actor, call.body);
      return {
        status: 201,
        body: renderCustomerCredit(call.render, credit, 'urls'),
        headers: { Location: absoluteUrl(call.render, 'customerCredit', credit.uuid) },
      };
    },
    customer_credits_retrieve: (call) => ({
      status: 200,
      body: renderCustomerCredit(call.render, service.retrieve(call.actor, call.uuid, call.query), 'objects'),
    }),
    customer_credits_update: write(false),
    customer_credits_partial_update: write(true),
    customer_credits_destroy: (call) => {
      service.destroy(call.actor, call.uuid, call.query);
      return { status: 204 };
    },
    customer_credits_consumptions_list: (call) => ({
      status: 200,
      body: service.consumptions(call.actor, call.uuid, call.query).map((row) => ({
        date: row.date,
        price: fixed(row.price, 2),
      })),
    }),
    customer_credits_apply_compensations: compensation('apply'),
    customer_credits_clear_compensations: compensation('clear'),
    customer_credits_adjust_withdrawable: (call) => ({
      status: 200,
      body: renderCustomerCredit(
        call.render,
        withdrawable.adjust(call.actor, call.uuid, call.body, call.query),
        'objects',
      ),
    }),
  };
}
