import { startServer } from './main.js';
import {
  adminClient,
  type ClockState,
  type JournalEntry,
  type JournalFilter,
  type MockState,
  type ResetResult,
} from './mock-admin-client.js';
import { toServeConfig, type MockOptions } from './mock-options.js';

export { ConfigError } from './config.js';
export { MockAdminError } from './mock-admin-client.js';
export type { ClockState, JournalEntry, JournalFilter, MockState, ResetResult } from './mock-admin-client.js';
export type { MockOptions } from './mock-options.js';
export type { WaldurVersion } from './domain/waldur/profile.js';
export { PACKAGE_VERSION as version } from './version.js';

/** The mock's clock, read and moved through `/__admin/clock`. */
export interface MockClock {
  get(): Promise<ClockState>;
  /**
   * Moves the clock to `now` (`2027-01-01`, a date-time, or a Date) and keeps
   * it frozen there, or lets it run on from there with `{ freeze: false }`.
   * Month-ends it crosses run before the next request, as over HTTP.
   */
  set(now: string | Date, opts?: { freeze?: boolean }): Promise<ClockState>;
  /** Moves the clock by `days` (fractional or negative too), frozen or not. */
  advance(days: number): Promise<ClockState>;
}

/** A running mock, as `startMock` hands it over. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:41873` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Back to the fixtures the mock started with, Waldur and Maple (`POST /__admin/reset`); the clock is not touched. */
  reset(): Promise<ResetResult>;
  readonly clock: MockClock;
  /** The whole state, in the fixtures formats (`GET /__admin/state`). */
  state(): Promise<MockState>;
  /** The request journal (`GET /__admin/requests`), filtered by its query parameters. */
  requests(filter?: JournalFilter): Promise<JournalEntry[]>;
  /** Stops listening; resolves once the server is closed. Calling it again does nothing. */
  close(): Promise<void>;
}

/**
 * Starts the mock in this process: the same server as `credits-mock serve`
 * (one composition root, `startServer`), with the CLI's defaults for every
 * option left out. Rejects with a ConfigError for a bad option, an unreadable
 * or broken fixtures file, or a port in use.
 */
export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const config = toServeConfig(options);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = await startServer(config, log);
  const admin = adminClient(server.url, config.admin);
  let closing: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    reset: () => admin.post<ResetResult>('/reset'),
    clock: {
      get: () => admin.get<ClockState>('/clock'),
      set: (now, opts = {}) =>
        admin.post<ClockState>('/clock', {
          now: now instanceof Date ? now.toISOString() : now,
          ...(opts.freeze === undefined ? {} : { freeze: opts.freeze }),
        }),
      advance: (days) => admin.post<ClockState>('/clock', { advance_days: days }),
    },
    state: () => admin.get<MockState>('/state'),
    requests: async (filter) => (await admin.get<{ requests: JournalEntry[] }>('/requests', filter)).requests,
    close: () => (closing ??= server.close()),
  };
}
