/**
 * The programmatic API's view of the control API: every call is an HTTP call
 * to the running mock's /__admin/ (specs/admin.yaml), the same code a curl
 * reaches, so the handle has no private second implementation.
 */

/** What `POST /__admin/reset` answers: how many of each entity the start state holds. */
export interface ResetResult {
  status: 'reset';
  counts: Record<string, number>;
  maple: Record<string, number>;
}

/** The mock's clock (`GET /__admin/clock`). */
export interface ClockState {
  /** The current time, ISO 8601 UTC with milliseconds. */
  now: string;
  /** Its UTC date, YYYY-MM-DD. */
  today: string;
  frozen: boolean;
}

/** The whole state in the fixtures formats (`GET /__admin/state`); `PUT /__admin/state` takes it back. */
export interface MockState {
  waldur: Record<string, unknown>;
  maple: Record<string, unknown>;
}

/** One entry of the request journal (`GET /__admin/requests`): id, time, duration, dialect, operation, request, response. */
export type { JournalEntry } from './http/journal.js';

/**
 * Which journal entries to return: the query of `GET /__admin/requests`
 * (method, path prefix, operation, dialect, status or class like `4xx`, since,
 * header `name:value`, limit). An array value repeats the parameter.
 */
export type JournalFilter = Record<string, string | number | boolean | readonly (string | number)[] | undefined>;

/** A refusal from the control API, with its status and the problems it listed. */
export class MockAdminError extends Error {
  constructor(
    readonly status: number,
    readonly problems: string[],
    summary: string,
  ) {
    super(`${summary} (HTTP ${status})${problems.length ? `: ${problems.join('; ')}` : ''}`);
  }
}

export interface AdminClient {
  get<T>(path: string, query?: JournalFilter): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/** A client for the control API at `url`; `enabled` false (started with `admin: false`) refuses every call clearly. */
export function adminClient(url: string, enabled: boolean): AdminClient {
  const call = async <T>(method: string, path: string, body?: unknown, query?: JournalFilter): Promise<T> => {
    if (!enabled)
      throw new Error(
        `credits-mock: the control API is off (started with admin: false), so ${method} /__admin${path} is not available`,
      );
    const target = new URL(`${url}/__admin${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) target.searchParams.append(name, String(one));
    }
    const res = await fetch(target, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const problem = json as { error?: unknown; problems?: unknown } | undefined;
      const problems = Array.isArray(problem?.problems) ? problem.problems.map(String) : [];
      throw new MockAdminError(
        res.status,
        problems,
        `${method} /__admin${path} refused: ${typeof problem?.error === 'string' ? problem.error : text.slice(0, 200)}`,
      );
    }
    return json as T;
  };
  return {
    get: (path, query) => call('GET', path, undefined, query),
    post: (path, body) => call('POST', path, body ?? {}),
  };
}
