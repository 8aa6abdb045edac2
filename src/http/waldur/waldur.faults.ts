/**
 * Fault injection for the Waldur API, set through /__admin/waldur/faults: the
 * next `count` matching requests are held in flight for `delay_ms`, then
 * answered with the fault's status in DRF's shape, after routing and
 * authentication and before the view runs, so a faulted write writes nothing
 * (month-end billing waits too). A delay without a status serves the request after it.
 */
import type { Json } from './drf-json.js';

/** The operations of specs/waldur-credits.yaml a fault may be aimed at. */
export const WALDUR_OPERATION_IDS = [
  'customer_credits_list',
  'customer_credits_count',
  'customer_credits_create',
  'customer_credits_retrieve',
  'customer_credits_update',
  'customer_credits_partial_update',
  'customer_credits_destroy',
  'customer_credits_consumptions_list',
  'customer_credits_apply_compensations',
  'customer_credits_clear_compensations',
  'customer_credits_adjust_withdrawable',
  'project_credits_list',
  'project_credits_count',
  'project_credits_create',
  'project_credits_retrieve',
  'project_credits_update',
  'project_credits_partial_update',
  'project_credits_destroy',
  'credit_transactions_list',
  'credit_transactions_count',
  'credit_transactions_retrieve',
];

/**
 * What each status answers: DRF's Throttled (with Retry-After), the body of
 * DRF's handler for an unexpected error, and ServiceUnavailable. DRF has no
 * 502 of its own (a proxy in front of Waldur sends it): the same shape is kept.
 */
const ANSWERS: Record<number, { detail: string; headers?: Record<string, string> }> = {
  429: { detail: 'Request was throttled. Expected available in 1 second.', headers: { 'Retry-After': '1' } },
  500: { detail: 'A server error occurred.' },
  502: { detail: 'Bad gateway.' },
  503: { detail: 'Service temporarily unavailable, try again later.' },
};

/** The answer to a fault with a status. */
export function faultAnswer(status: number): { status: number; body: Json; headers: Record<string, string> } {
  const answer = ANSWERS[status] ?? ANSWERS[500]!;
  // DRF's shape has no room to say so: the header tells a client (and the journal) that the failure was asked for.
  return {
    status,
    body: { detail: answer.detail },
    headers: { ...answer.headers, 'X-Credits-Mock-Fault': 'injected' },
  };
}
