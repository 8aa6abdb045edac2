import type { ProjectCreditsService } from '../../domain/waldur/project-credits.service.js';
import type { ProjectCredit } from '../../domain/waldur/model.js';
import type { Json } from './drf-json.js';
import { absoluteUrl, renderProjectCredit } from './representation.js';
import { paginatedList, type WaldurCall, type WaldurHandler, type WaldurResult } from './waldur.handler.js';

/** The project-credits operations, keyed by the spec's operationIds. */
export function projectCreditHandlers(service: ProjectCreditsService): Record<string, WaldurHandler> {
  /** 8.1: callers without owner access get the credit without the organisation's figures (docs/behaviour/waldur-8.1.md §3.4). */
  const render = (call: WaldurCall, credit: ProjectCredit, customer?: string): Json =>
    renderProjectCredit(
      call.render,
      credit,
      !call.render.v81 || call.actor.seesProjectCreditWhole(customer ?? service.customerOf(credit)),
    );
  const list = (call: WaldurCall): WaldurResult =>
    paginatedList(call, service.list(call.actor, call.query), (v) => render(call, v.credit, v.customerUuid));
  const write =
    (partial: boolean) =>
    (call: WaldurCall): WaldurResult => ({
      status: 200,
      body: render(call, service.update(call.actor, call.uuid, call.body, partial, call.query)),
    });
  return {
    project_credits_list: list,
    project_credits_count: (call) => ({ ...list(call), body: undefined }),
    project_credits_create: (call) => {
      const credit = service.create(call.actor, call.body);
      return {
        status: 201,
        body: render(call, credit),
        headers: { Location: absoluteUrl(call.render, 'projectCredit', credit.uuid) },
      };
    },
    project_credits_retrieve: (call) => ({
      status: 200,
      body: render(call, service.retrieve(call.actor, call.uuid, call.query)),
    }),
    project_credits_update: write(false),
    project_credits_partial_update: write(true),
    project_credits_destroy: (call) => {
      service.destroy(call.actor, call.uuid, call.query);
      return { status: 204 };
    },
  };
}
