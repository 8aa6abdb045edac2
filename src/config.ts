import path from 'node:path';
import { DEFAULT_MAPLE_SETTINGS, type MapleSettings } from './domain/maple/credits.service.js';
import type { SameKeyDifferentRequest } from './domain/maple/idempotency.js';
import type { SelfCheckMode } from './http/self-check.js';
import { DEFAULT_JOURNAL_SIZE } from './http/journal.js';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './logger.js';
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
  /** Entries the request journal keeps (0: no journal). */
  journalSize: number;
  logLevel: LogLevel;
  /** pretty (a TTY's default) or json (pino's lines). */
  logFormat: LogFormat;
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
  journalSize: DEFAULT_JOURNAL_SIZE,
  logLevel: 'info',
  logFormat: 'json',
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

export function parseJournalSize(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 1_000_000) throw new ConfigError(`--journal-size must be a number of requests from 0 to 1000000, got "${text}"`, 2);
  return Number(text);
}

export function parseLogLevel(text: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  throw new ConfigError(`--log-level must be silent, error, warn, info or debug, got "${text}"`, 2);
}

export function parseLogFormat(text: string): LogFormat {
  if (text === 'pretty' || text === 'json') return text;
  throw new ConfigError(`--log-format must be pretty or json, got "${text}"`, 2);
}
