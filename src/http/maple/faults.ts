/**
 * Fault injection for the Maple API (docs/behaviour/maple.md Part 4 item 11), set through
 * /__admin/maple/faults: the next `count` matching requests are rate limited
 * (429, answered before the Idempotency-Key is looked at, so not stored),
 * fail (500, answered after the key is claimed and stored like any answer,
 * so a retry with the key replays it, as Maple documents), or are held in
 * flight for `delay_ms` first. The plan itself is src/http/faults.ts.
 */
import { parseFault as parseAnyFault, type Fault } from '../faults.js';

export { FaultPlan, type Fault } from '../faults.js';

/** The operations of specs/maple-credits.yaml a fault may be aimed at. */
export const MAPLE_OPERATION_IDS = ['createCredit', 'getCredit', 'revokeCredit', 'findCredits', 'consumeCredits', 'checkBalance', 'findCreditLogs'];

const MAPLE_FAULTS = { statuses: [429, 500], operations: MAPLE_OPERATION_IDS };

/** A fault as /__admin/maple/faults takes it: `{status?: 429|500, count?: 1, operation?, delay_ms?}`, status or delay_ms required. */
export function parseFault(body: unknown): Fault | { problems: string[] } {
  return parseAnyFault(body, MAPLE_FAULTS);
}
