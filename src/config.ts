import path from 'node:path';
import { DEFAULT_MAPLE_SETTINGS, type MapleSettings } from './domain/maple/credits.service.js';
import type { SameKeyDifferentRequest } from './domain/maple/idempotency.js';
import { hostName, isLoopbackAddress } from './http/hosts.js';
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
  /** Host names served besides loopback ones while bound to loopback (DNS-rebinding defence). */
  allowedHosts?: string[];
  /** /__admin/ needs `Authorization: Bearer <adminToken>`; required when bound to a non-loopback address. */
  adminToken?: string | null;
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

/** `--allowed-hosts h1,h2`: host names (no port) served besides the loopback ones. */
export function parseAllowedHosts(text: string): string[] {
  const hosts = text.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  for (const h of hosts) {
    if (hostName(h) !== h.replace(/^\[|\]$/g, '')) throw new ConfigError(`--allowed-hosts takes host names without port or scheme, got "${h}"`, 2);
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
