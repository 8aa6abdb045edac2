/**
 * Fault injection for the Maple API (docs/behaviour/maple.md Part 4 item 11), set through
 * /__admin/maple/faults: the next `count` matching requests are rate limited
 * (429, answered before the Idempotency-Key is looked at, so not stored),
 * fail (500, answered after the key is claimed and stored like any answer,
 * so a retry with the key replays it, as Maple documents), or are held in
 * flight for `delay_ms` first. The plan itself is src/http/faults.ts.
 */
export { FaultPlan, type Fault } from '../faults.js';

/** The operations of specs/maple-credits.yaml a fault may be aimed at. */
export const MAPLE_OPERATION_IDS = [
  'createCredit',
  'getCredit',
  'revokeCredit',
  'findCredits',
  'consumeCredits',
  'checkBalance',
  'findCreditLogs',
];
