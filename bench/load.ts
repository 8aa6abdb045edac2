import autocannon from 'autocannon';
import type { EventEmitter } from 'node:events';

/**
 * The load generator: autocannon in this process. Every response's latency is
 * kept (autocannon's own histogram rounds to whole ms), and runs can be added
 * up (several rounds of one scenario on one server).
 */
export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  /** Responses per status code. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  /** The server's CPU time per answer, in µs (less sensitive than req/s to other work on the machine). */
  cpuUs: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** What the runs of one scenario on one server add up to. */
export class Tally {
  private values = new Float64Array(1 << 16);
  private n = 0;
  private seconds = 0;
  private errors = 0;
  private cpuMs = 0;
  private readonly statuses: Record<string, number> = {};

  add(ms: number, status: number): void {
    this.push(ms);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
  }

  private push(ms: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = ms;
  }

  ran(seconds: number, errors: number, cpuMs: number): void {
    this.seconds += seconds;
    this.errors += errors;
    this.cpuMs += cpuMs;
  }

  /** Adds another tally's runs to this one. */
  merge(other: Tally): void {
    for (let i = 0; i < other.n; i++) this.push(other.values[i]!);
    for (const [status, n] of Object.entries(other.statuses)) this.statuses[status] = (this.statuses[status] ?? 0) + n;
    this.ran(other.seconds, other.errors, other.cpuMs);
  }

  result(): Measured {
    const sorted = this.values.slice(0, this.n).sort();
    return {
      rps: this.n / Math.max(this.seconds, 1e-9),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      total: this.n,
      statuses: { ...this.statuses },
      errors: this.errors,
      cpuUs: (this.cpuMs * 1000) / Math.max(1, this.n),
    };
  }
}

/**
 * Sends the requests in turn on every connection for `seconds`, into `tally`
 * (all responses, whatever their status). `cpuMs` reads the server's CPU time.
 */
export function load(
  url: string,
  requests: autocannon.Request[],
  opts: LoadOptions,
  tally: Tally,
  cpuMs: () => number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const cpuBefore = cpuMs();
    const instance = autocannon(
      { url, connections: opts.connections, duration: opts.seconds, requests, timeout: 10 },
      (err, result) => {
        if (err) return reject(err);
        tally.ran(result.duration, result.errors, cpuMs() - cpuBefore);
        resolve();
      },
    );
    // The tracker's 'response' event carries the client first (the typings describe the client's own event).
    (instance as unknown as EventEmitter).on(
      'response',
      (_client: unknown, status: number, _bytes: number, ms: number) => tally.add(ms, status),
    );
  });
}

/** A load whose numbers are thrown away (warm-up). */
export function warm(url: string, requests: autocannon.Request[], opts: LoadOptions): Promise<void> {
  return load(url, requests, opts, new Tally(), () => 0);
}

/** One request outside the load, e.g. to capture a body or to set up state. */
export async function once(
  url: string,
  req: {
    method?: string;
    path?: string;
    headers?: Record<string, string | string[] | undefined>;
    body?: string | Buffer;
  },
): Promise<{ status: number; body: string }> {
  const headers = Object.fromEntries(
    Object.entries(req.headers ?? {}).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  const res = await fetch(url + (req.path ?? '/'), {
    method: req.method ?? 'GET',
    headers,
    body: req.body === undefined ? undefined : String(req.body),
  });
  return { status: res.status, body: await res.text() };
}
