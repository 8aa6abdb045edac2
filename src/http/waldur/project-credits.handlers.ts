import type { ProjectCreditsService } from '../../domain/waldur/project-credits.service.js';
import { paginate } from '../../domain/waldur/pagination.js';
import { lastParam } from '../../domain/waldur/filters.js';
import { linkHeader } from './link-header.js';
import { absoluteUrl, renderProjectCredit } from './representation.js';
import type { WaldurCall, WaldurHandler, WaldurResult } from './waldur.handler.js';

/** The project-credits operations, keyed by the spec's operationIds. */
export function projectCreditHandlers(service: ProjectCreditsService): Record<string, WaldurHandler> {
  const list = (call: WaldurCall): WaldurResult => {
    const page = paginate(service.list(call.actor, call.query), lastParam(call.query, 'page'), lastParam(call.query, 'page_size'));
    return {
      status: 200,
      body: page.items.map((c) => renderProjectCredit(call.render, c)),
      headers: { 'X-Result-Count': String(page.count), Link: linkHeader(call.requestUrl, page) },
    };
  };
  const write = (partial: boolean) => (call: WaldurCall): WaldurResult => ({
    status: 200,
    body: renderProjectCredit(call.render, service.update(call.actor, call.uuid, call.body, partial, call.query)),
  });
  return {
    project_credits_list: list,
    project_credits_count: (call) => ({ ...list(call), body: undefined }),
    project_credits_create: (call) => {
      const credit = service.create(call.actor, call.body);
      return {
        status: 201,
        body: renderProjectCredit(call.render, credit),
        headers: { Location: absoluteUrl(call.render, 'projectCredit', credit.uuid) },
      };
    },
    project_credits_retrieve: (call) => ({
      status: 200,
      body: renderProjectCredit(call.render, service.retrieve(call.actor, call.uuid, call.query)),
    }),
    project_credits_update: write(false),
    project_credits_partial_update: write(true),
    project_credits_destroy: (call) => {
      service.destroy(call.actor, call.uuid, call.query);
      return { status: 204 };
    },
  };
}
