import path from 'node:path';
import { DEFAULT_MAPLE_SETTINGS, type MapleSettings } from './domain/maple/credits.service.js';
import type { SameKeyDifferentRequest } from './domain/maple/idempotency.js';
import { hostName, isLoopbackAddress } from './http/hosts.js';
import type { SelfCheckMode } from './http/self-check.js';
import { DEFAULT_CORS, type CorsOptions } from './http/cors.js';
import { DEFAULT_JOURNAL_SIZE } from './http/journal.js';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './logger.js';
import { FIXTURES_DIR } from './paths.js';
import {
  DEFAULT_WALDUR_VERSION,
  isWaldurVersion,
  WALDUR_VERSIONS,
  type WaldurVersion,
} from './domain/waldur/profile.js';

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
  /** CORS for pages on other origins: on for any origin by default. */
  cors: CorsOptions;
  /** The base (origin and optional path prefix) of every absolute URL written, or null for each request's own. */
  publicUrl: string | null;
  /** Take the scheme and host of the links from X-Forwarded-* / Forwarded. */
  trustProxy: boolean;
  /** Fixtures documents given in place of the files (the programmatic API); the paths then only name them in messages. */
  fixturesDocument?: unknown;
  mapleFixturesDocument?: unknown;
  /** Host names served besides loopback ones while bound to loopback (DNS-rebinding defence). */
  allowedHosts?: string[];
  /** /__admin/ needs `Authorization: Bearer <adminToken>`; required when bound to a non-loopback address. */
  adminToken?: string | null;
  /** Entries the request journal keeps (0: no journal). */
  journalSize: number;
  logLevel: LogLevel;
  /** pretty (a TTY's default) or json (pino's lines). */
  logFormat: LogFormat;
  /** --waldur-version: the Waldur contract the default world and new sessions speak (8.0.5 or 8.1). */
  waldurVersion: WaldurVersion;
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
  cors: DEFAULT_CORS,
  publicUrl: null,
  trustProxy: false,
  journalSize: DEFAULT_JOURNAL_SIZE,
  logLevel: 'info',
  logFormat: 'json',
  waldurVersion: DEFAULT_WALDUR_VERSION,
};

/** A problem with what the server was told; `exitCode` 2 for bad flags, 1 for what they point at. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new ConfigError(`--port must be a number from 0 to 65535, got "${text}"`, 2);
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
  if (!Number.isSafeInteger(ms))
    throw new ConfigError(`${flag} must be a duration such as 3600, 3600s, 30m or 1h, got "${text}"`, 2);
  return ms;
}

export function parseMaxSessions(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 1_000_000)
    throw new ConfigError(`--max-sessions must be a whole number from 0 to 1000000, got "${text}"`, 2);
  return Number(text);
}

export function parseCorsMode(text: string): boolean {
  if (text === 'on' || text === 'off') return text === 'on';
  throw new ConfigError(`--cors must be on or off, got "${text}"`, 2);
}

/** An origin as a browser sends it in `Origin`: scheme, host and port only (a trailing slash is forgiven). */
function parseOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password || url.origin === 'null')
    return null;
  return url.origin;
}

/** `URL[,URL]`: the origins allowed to call from a browser. */
export function parseCorsOrigins(text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  const origins = items.map(parseOrigin);
  const bad = items.filter((_, i) => origins[i] === null);
  if (bad.length > 0) {
    throw new ConfigError(
      `--cors-origin must be origins such as http://localhost:5173, comma-separated; not "${bad.join('", "')}"`,
      2,
    );
  }
  return [...new Set(origins as string[])];
}

/** An http(s) URL, with an optional path prefix, no query: returned without its trailing slash. */
export function parsePublicUrl(text: string): string {
  let url: URL | null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new ConfigError(
      `--public-url must be an http(s) URL such as http://localhost:5173 or https://example.com/mock, got "${text}"`,
      2,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `--cors` and `--cors-origin` together; origins with `--cors off` are a contradiction. */
export function parseCors(mode: string, origins: string | undefined): CorsOptions {
  const enabled = parseCorsMode(mode);
  if (origins === undefined) return { enabled, origins: null };
  if (!enabled) throw new ConfigError('--cors-origin cannot be used with --cors off', 2);
  return { enabled, origins: parseCorsOrigins(origins) };
}

/** `--public-url` and `--trust-proxy`: one or the other decides where links point, not both. */
export function parseLinkBase(
  publicUrl: string | undefined,
  trustProxy: boolean,
): Pick<ServeConfig, 'publicUrl' | 'trustProxy'> {
  if (publicUrl !== undefined && trustProxy)
    throw new ConfigError('--public-url and --trust-proxy cannot be used together', 2);
  return { publicUrl: publicUrl === undefined ? null : parsePublicUrl(publicUrl), trustProxy };
}

/** `--allowed-hosts h1,h2`: host names (no port) served besides the loopback ones. */
export function parseAllowedHosts(text: string): string[] {
  const hosts = text
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  for (const h of hosts) {
    if (hostName(h) !== h.replace(/^\[|\]$/g, ''))
      throw new ConfigError(`--allowed-hosts takes host names without port or scheme, got "${h}"`, 2);
  }
  return hosts.map((h) => h.replace(/^\[|\]$/g, ''));
}

/**
 * A server reachable from other machines must not hand its control API to
 * anyone who can reach it: it needs --admin-token or --no-admin (exit 2).
 * Returns the warning to print when it starts exposed, or null on loopback.
 */
export function exposureWarning(config: ServeConfig): string | null {
  if (isLoopbackAddress(config.host)) return null;
  if (config.admin && (config.adminToken ?? null) === null) {
    throw new ConfigError(
      `--host ${config.host} is not a loopback address: the control API (/__admin/, which resets, replaces and exports all data) ` +
        'would be open to every machine that can reach it. Start with --admin-token TOKEN (then send Authorization: Bearer TOKEN to /__admin/) or with --no-admin.',
      2,
    );
  }
  const admin = config.admin ? 'and the control API /__admin/ (needs the --admin-token)' : '(the control API is off)';
  return `warning: listening on ${config.host}, not a loopback address: the Waldur and Maple mock APIs (any token in the fixtures works) ${admin} are reachable from other machines`;
}

export function parseJournalSize(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 1_000_000)
    throw new ConfigError(`--journal-size must be a number of requests from 0 to 1000000, got "${text}"`, 2);
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

export function parseWaldurVersion(text: string): WaldurVersion {
  if (isWaldurVersion(text)) return text;
  throw new ConfigError(`--waldur-version must be ${WALDUR_VERSIONS.join(' or ')}, got "${text}"`, 2);
}
