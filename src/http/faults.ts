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

/** A fault as the admin API takes it (NewWaldurFault, NewMapleFault in specs/admin.yaml, checked there first). */
export interface NewFault {
  status?: number;
  count?: number;
  operation?: string;
  delay_ms?: number;
}

/** The fault a body asks for, with its defaults (one request, no delay, any operation); it must fail or delay something. */
export function faultOf(body: NewFault): Fault | { problems: string[] } {
  const status = body.status ?? null;
  const delay = body.delay_ms ?? 0;
  if (status === null && delay === 0) return { problems: ['(top level): give a status, or a delay_ms above 0'] };
  return { status, delay_ms: delay, operation: body.operation ?? null, remaining: body.count ?? 1 };
}
