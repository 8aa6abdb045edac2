import {
  ConfigError,
  DEFAULT_CONFIG,
  parseNow,
  parsePort,
  parseSameKeyPolicy,
  parseSelfCheck,
  type ServeConfig,
} from './config.js';
import {
  parseAllowedHosts,
  parseCors,
  parseDuration,
  parseJournalSize,
  parseLinkBase,
  parseMaxIdempotencyKeys,
  parseMaxSessions,
} from './config.js';
import type { MapleSettings } from './domain/maple/credits.service.js';
import type { SelfCheckMode } from './http/self-check.js';
import { parseWaldurVersion } from './config.js';
import type { WaldurVersion } from './domain/waldur/profile.js';

/**
 * How `startMock`'s options become a ServeConfig: one entry per option, each
 * checking its value with the CLI's own parsers and writing it into the
 * config. A new ServeConfig field is one line here; its type follows.
 */
interface Option<T> {
  apply(value: unknown, config: ServeConfig, name: string): void;
  /** Only carries the option's type to `MockOptions`. */
  readonly type?: T;
}

const option = <T>(apply: Option<T>['apply']): Option<T> => ({ apply });

const OPTIONS = {
  /** Port to listen on (default 4010, as the CLI's); 0 picks a free one (read it from `mock.url`). */
  port: option<number>((v, c, n) => (c.port = flagged(n, () => parsePort(String(typed(v, 'number', n)))))),
  /** Address to listen on (default 127.0.0.1). */
  host: option<string>((v, c, n) => (c.host = nonEmpty(v, n))),
  /** Start the clock frozen at this date, `YYYY-MM-DD` (default: real time). */
  now: option<string>((v, c, n) => (c.now = flagged(n, () => parseNow(typed(v, 'string', n))))),
  /** Waldur fixtures: a file path, or the document itself (default: the shipped fixtures/waldur.json). */
  fixtures: option<string | object>((v, c, n) =>
    fixtures(
      v,
      n,
      (p) => (c.fixturesPath = p),
      (d) => (c.fixturesDocument = d),
    ),
  ),
  /** Maple fixtures: a file path, or the document itself (default: the shipped fixtures/maple.json). */
  mapleFixtures: option<string | object>((v, c, n) =>
    fixtures(
      v,
      n,
      (p) => (c.mapleFixturesPath = p),
      (d) => (c.mapleFixturesDocument = d),
    ),
  ),
  /** Check every response against the spec: `off`, `warn` (log; the default) or `strict` (a violation becomes a 500). */
  selfCheck: option<SelfCheckMode>(
    (v, c, n) => (c.selfCheck = flagged(n, () => parseSelfCheck(typed(v, 'string', n)))),
  ),
  /** Serve the /__admin/ control API (default true; reset, clock and state need it). */
  admin: option<boolean>((v, c, n) => (c.admin = typed(v, 'boolean', n))),
  /** Maple's switches at start, as /__admin/maple/settings sets them later. */
  maple: option<Partial<MapleSettings>>((v, c, n) => (c.maple = mapleSettings(v, n))),
  /** CORS: true (the default, any origin), false (off), or the origins allowed, e.g. `['http://localhost:5173']`. */
  cors: option<boolean | string[]>((v, c, n) => (c.cors = corsOption(v, n))),
  /** The base of every absolute URL the mock writes, e.g. `http://localhost:5173` behind a dev-server proxy. */
  publicUrl: option<string>(
    (v, c, n) => (c.publicUrl = flagged(n, () => parseLinkBase(typed(v, 'string', n), c.trustProxy).publicUrl)),
  ),
  /** Take the links' scheme and host from X-Forwarded-* / Forwarded. */
  trustProxy: option<boolean>(
    (v, c, n) =>
      (c.trustProxy = flagged(n, () => parseLinkBase(c.publicUrl ?? undefined, typed(v, 'boolean', n)).trustProxy)),
  ),
  /** Keep the state in this folder and restore it at the next start (default: memory only). */
  stateDir: option<string>((v, c, n) => (c.stateDir = nonEmpty(v, n))),
  /** Stored Maple Idempotency-Keys kept per company; the oldest are forgotten first (default: no bound). */
  maxIdempotencyKeys: option<number>(
    (v, c, n) => (c.maxIdempotencyKeys = flagged(n, () => parseMaxIdempotencyKeys(String(typed(v, 'number', n))))),
  ),
  /** Idle time after which a session is dropped: `30m`, `1h`, `3600` (seconds), `0` never (default 1h). */
  sessionTtl: option<string>((v, c, n) => (c.sessionTtlMs = flagged(n, () => parseDuration(typed(v, 'string', n))))),
  /** How many sessions may exist at once (default 100). */
  maxSessions: option<number>(
    (v, c, n) => (c.maxSessions = flagged(n, () => parseMaxSessions(String(typed(v, 'number', n))))),
  ),
  /** Host names served besides the loopback ones while bound to loopback. */
  allowedHosts: option<string[]>(
    (v, c, n) => (c.allowedHosts = flagged(n, () => parseAllowedHosts(stringList(v, n).join(',')))),
  ),
  /** /__admin/ needs `Authorization: Bearer <adminToken>`. */
  adminToken: option<string>((v, c, n) => (c.adminToken = nonEmpty(v, n))),
  /** Requests the journal keeps for `mock.requests()` and /__admin/requests (default 1000; 0 turns it off). */
  journalSize: option<number>(
    (v, c, n) => (c.journalSize = flagged(n, () => parseJournalSize(String(typed(v, 'number', n))))),
  ),
  /** The Waldur contract the default world and new sessions speak: `'8.0.5'` (the default) or `'8.1'`. */
  waldurVersion: option<WaldurVersion>(
    (v, c, n) => (c.waldurVersion = flagged(n, () => parseWaldurVersion(typed(v, 'string', n)))),
  ),
};

/** What `startMock` is told; every option may be left out and then has the CLI's default. */
export type MockOptions = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends Option<infer T> ? T : never } & {
  /** Where log lines go (self-check warnings, month-end runs…); default: standard error, as the CLI. */
  log?: (line: string) => void;
};

const KNOWN = [...Object.keys(OPTIONS), 'log'];

/** The ServeConfig for `options`: the CLI's defaults, overridden by every option given. Throws a ConfigError naming a bad option. */
export function toServeConfig(options: MockOptions = {}): ServeConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw optionError('options must be an object');
  const config: ServeConfig = { ...DEFAULT_CONFIG, maple: { ...DEFAULT_CONFIG.maple } };
  for (const [name, value] of Object.entries(options)) {
    if (!KNOWN.includes(name)) throw optionError(`unknown option "${name}" (known: ${KNOWN.join(', ')})`);
    if (value === undefined || name === 'log') continue;
    OPTIONS[name as keyof typeof OPTIONS].apply(value, config, name);
  }
  if (options.log !== undefined && typeof options.log !== 'function')
    throw optionError('option log must be a function');
  return config;
}

const optionError = (message: string) => new ConfigError(`startMock: ${message}`, 2);

function typed<T extends 'string' | 'number' | 'boolean'>(
  value: unknown,
  type: T,
  name: string,
): T extends 'string' ? string : T extends 'number' ? number : boolean {
  if (typeof value !== type) throw optionError(`option ${name} must be a ${type}, got ${describe(value)}`);
  return value as never;
}

/** Runs one of the CLI's parsers; its message names the flag, which becomes the option. */
function flagged<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ConfigError) throw optionError(`option ${name}${err.message.replace(/^--[\w-]+/, '')}`);
    throw err;
  }
}

function nonEmpty(value: unknown, name: string): string {
  const text = typed(value, 'string', name);
  if (text.trim() === '') throw optionError(`option ${name} must not be empty`);
  return text;
}

function fixtures(value: unknown, name: string, path: (p: string) => void, doc: (d: object) => void): void {
  if (typeof value === 'string' && value.trim() !== '') return path(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    path(`(the ${name} object given to startMock)`);
    return doc(value);
  }
  throw optionError(`option ${name} must be a file path or a fixtures object, got ${describe(value)}`);
}

function mapleSettings(value: unknown, name: string): MapleSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw optionError(`option ${name} must be an object, got ${describe(value)}`);
  const settings: MapleSettings = { ...DEFAULT_CONFIG.maple };
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (key === 'allowPartialConsume') settings.allowPartialConsume = typed(v, 'boolean', `${name}.${key}`);
    else if (key === 'sameKeyDifferentRequest') {
      settings.sameKeyDifferentRequest = flagged(`${name}.${key}`, () =>
        parseSameKeyPolicy(typed(v, 'string', `${name}.${key}`)),
      );
    } else throw optionError(`unknown option ${name}.${key} (known: allowPartialConsume, sameKeyDifferentRequest)`);
  }
  return settings;
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((x) => typeof x !== 'string'))
    throw optionError(`option ${name} must be a list of strings, got ${describe(value)}`);
  return value as string[];
}

function corsOption(value: unknown, name: string): ServeConfig['cors'] {
  if (typeof value === 'boolean') return { enabled: value, origins: null };
  return flagged(name, () => parseCors('on', stringList(value, name).join(',')));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' || typeof value === 'function')
    return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
  return `${typeof value} ${String(value)}`;
}
