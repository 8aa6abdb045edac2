/**
 * Fault injection for the Maple API (reference Part 4 item 11), set through
 * /__admin/maple/faults: the next `count` matching requests are rate limited
 * (429, answered before the Idempotency-Key is looked at, so not stored),
 * fail (500, answered after the key is claimed and stored like any answer,
 * so a retry with the key replays it, as Maple documents), or are held in
 * flight for `delay_ms` first.
 */
export interface Fault {
  readonly status: 429 | 500 | null;
  readonly delay_ms: number;
  /** Only requests to this operationId; null: any Maple operation. */
  readonly operation: string | null;
  readonly remaining: number;
}

export class FaultPlan {
  private faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push(fault);
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  clear(): void {
    this.faults = [];
  }

  /** The first fault that matches `operationId`, counted as used. */
  take(operationId: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.operation === null || f.operation === operationId);
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    if (fault.remaining <= 1) this.faults.splice(i, 1);
    else this.faults[i] = { ...fault, remaining: fault.remaining - 1 };
    return fault;
  }
}

/** The operations of specs/maple-credits.yaml a fault may be aimed at. */
export const MAPLE_OPERATION_IDS = ['createCredit', 'getCredit', 'revokeCredit', 'findCredits', 'consumeCredits', 'checkBalance', 'findCreditLogs'];

const MEMBERS = new Set(['status', 'count', 'operation', 'delay_ms']);

/** A fault as /__admin/maple/faults takes it: `{status?: 429|500, count?: 1, operation?, delay_ms?}`, status or delay_ms required. */
export function parseFault(body: unknown): Fault | { problems: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problems: ['(top level): must be an object'] };
  const b = body as Record<string, unknown>;
  const problems = Object.keys(b).filter((k) => !MEMBERS.has(k)).map((k) => `${k}: unknown member (use status, count, operation or delay_ms)`);
  const status = b.status ?? null;
  if (status !== null && status !== 429 && status !== 500) problems.push('status: must be 429 or 500');
  const count = b.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1) problems.push('count: must be a whole number of requests, at least 1');
  const delay = b.delay_ms ?? 0;
  if (!Number.isInteger(delay) || (delay as number) < 0 || (delay as number) > 60_000) problems.push('delay_ms: must be a whole number of milliseconds from 0 to 60000');
  const operation = b.operation ?? null;
  if (operation !== null && !MAPLE_OPERATION_IDS.includes(operation as string)) problems.push(`operation: must be one of ${MAPLE_OPERATION_IDS.join(', ')}`);
  if (status === null && delay === 0) problems.push('(top level): give a status, a delay_ms, or both');
  if (problems.length > 0) return { problems };
  return { status: status as Fault['status'], delay_ms: delay as number, operation: operation as string | null, remaining: count as number };
}
