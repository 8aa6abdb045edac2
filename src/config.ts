import path from 'node:path';
import { DEFAULT_MAPLE_SETTINGS, type MapleSettings } from './domain/maple/credits.service.js';
import type { SameKeyDifferentRequest } from './domain/maple/idempotency.js';
import type { SelfCheckMode } from './http/self-check.js';
import { FIXTURES_DIR } from './paths.js';

/** Everything `credits-mock serve` is told, parsed once and passed in. */
export interface ServeConfig {
  port: number;
  host: string;
  fixturesPath: string;
  mapleFixturesPath: string;
  /** Maple's switches at start; /__admin/maple/settings changes them later. */
  maple: MapleSettings;
  /** Start the clock frozen at this date (YYYY-MM-DD), or run on real time. */
  now: string | null;
  admin: boolean;
  selfCheck: SelfCheckMode;
  /** --state-dir: where every committed write is journaled and replayed from at start; null: memory only. */
  stateDir: string | null;
  /** --max-idempotency-keys: stored Maple keys kept per company (oldest forgotten first); null: no bound. */
  maxIdempotencyKeys: number | null;
  /** Sessions (/__session/<name>/) idle this long are dropped, in ms (0: never). */
  sessionTtlMs: number;
  /** How many sessions may exist at once. */
  maxSessions: number;
}

export const DEFAULT_CONFIG: ServeConfig = {
  port: 4010,
  host: '127.0.0.1',
  fixturesPath: path.join(FIXTURES_DIR, 'waldur.json'),
  mapleFixturesPath: path.join(FIXTURES_DIR, 'maple.json'),
  maple: { ...DEFAULT_MAPLE_SETTINGS },
  now: null,
  admin: true,
  selfCheck: 'warn',
  stateDir: null,
  maxIdempotencyKeys: null,
  sessionTtlMs: 3_600_000,
  maxSessions: 100,
};

/** A problem with what the server was told; `exitCode` 2 for bad flags, 1 for what they point at. */
export class ConfigError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new ConfigError(`--port must be a number from 0 to 65535, got "${text}"`, 2);
  return Number(text);
}

export function parseNow(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m ? new Date(`${text}T00:00:00Z`) : null;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
    throw new ConfigError(`--now must be a date as YYYY-MM-DD, got "${text}"`, 2);
  }
  return text;
}

export function parseSelfCheck(text: string): SelfCheckMode {
  if (text === 'off' || text === 'warn' || text === 'strict') return text;
  throw new ConfigError(`--self-check must be off, warn or strict, got "${text}"`, 2);
}

export function parseSameKeyPolicy(text: string): SameKeyDifferentRequest {
  if (text === 'conflict' || text === 'replay') return text;
  throw new ConfigError(`--maple-same-key-different-request must be conflict or replay, got "${text}"`, 2);
}

export function parseMaxIdempotencyKeys(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`--max-idempotency-keys must be a whole number of keys, at least 1, got "${text}"`, 2);
  }
  return Number(text);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as `--session-ttl` takes it: `90` (seconds), `3600s`, `30m`, `1h`, `1d`, `500ms`; 0 turns expiry off. */
export function parseDuration(text: string, flag = '--session-ttl'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']!) : NaN;
  if (!Number.isSafeInteger(ms)) throw new ConfigError(`${flag} must be a duration such as 3600, 3600s, 30m or 1h, got "${text}"`, 2);
  return ms;
}

export function parseMaxSessions(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 1_000_000) throw new ConfigError(`--max-sessions must be a whole number from 0 to 1000000, got "${text}"`, 2);
  return Number(text);
}
