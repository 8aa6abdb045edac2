/**
 * Fault injection, one plan per mocked API (set through /__admin/maple/faults
 * and /__admin/waldur/faults): the next `count` matching requests get an
 * error status, are held in flight for `delay_ms` first, or both. Where in its
 * request path a fault applies, and in which error shape, is the API's own
 * business; the plan only says which fault the next request gets.
 */
export interface Fault {
  /** The status to answer with; null: only the delay, then the request is served. */
  readonly status: number | null;
  readonly delay_ms: number;
  /** Only requests to this operationId; null: any operation of the API. */
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
    if (this.faults.length === 0) return undefined;
    const i = this.faults.findIndex((f) => f.operation === null || f.operation === operationId);
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    if (fault.remaining <= 1) this.faults.splice(i, 1);
    else this.faults[i] = { ...fault, remaining: fault.remaining - 1 };
    return fault;
  }
}

/** What one API lets a fault be: the statuses it answers faults with, and its operations. */
export interface FaultRules {
  statuses: readonly number[];
  operations: readonly string[];
}

const MEMBERS = new Set(['status', 'count', 'operation', 'delay_ms']);

/** A fault as the admin API takes it: `{status?, count?: 1, operation?, delay_ms?}`, status or delay_ms required. */
export function parseFault(body: unknown, rules: FaultRules): Fault | { problems: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problems: ['(top level): must be an object'] };
  const b = body as Record<string, unknown>;
  const problems = Object.keys(b).filter((k) => !MEMBERS.has(k)).map((k) => `${k}: unknown member (use status, count, operation or delay_ms)`);
  const status = b.status ?? null;
  if (status !== null && !rules.statuses.includes(status as number)) problems.push(`status: must be ${orList(rules.statuses.map(String))}`);
  const count = b.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1) problems.push('count: must be a whole number of requests, at least 1');
  const delay = b.delay_ms ?? 0;
  if (!Number.isInteger(delay) || (delay as number) < 0 || (delay as number) > 60_000) problems.push('delay_ms: must be a whole number of milliseconds from 0 to 60000');
  const operation = b.operation ?? null;
  if (operation !== null && !rules.operations.includes(operation as string)) problems.push(`operation: must be one of ${rules.operations.join(', ')}`);
  if (status === null && delay === 0) problems.push('(top level): give a status, a delay_ms, or both');
  if (problems.length > 0) return { problems };
  return { status: status as number | null, delay_ms: delay as number, operation: operation as string | null, remaining: count as number };
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
