import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathOf, writeAnswer } from './api-handler.js';
import type { BaseUrlOf } from './public-url.js';
import { MAPLE_PREFIX } from './maple/maple.api.js';
import { requestError } from './maple/maple.errors.js';
import { isWaldurPath } from './waldur/waldur.api.js';
import type { Scope, World } from './world.js';

/**
 * Sessions: `/__session/<name>/` in front of any path addresses a world of
 * its own, made on first use from the start fixtures and dropped after it
 * has been idle for the TTL (wall-clock time, not the mock's clock). The
 * prefix is taken off the request here, once; what follows sees an ordinary
 * path, a world, and a base URL that carries the prefix.
 */
export const SESSION_PREFIX = '/__session/';
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export interface SessionLimits {
  /** Idle time after which a session is dropped, in ms (0: never). */
  ttlMs: number;
  /** How many sessions may exist at once. */
  max: number;
}

export const DEFAULT_SESSION_LIMITS: Readonly<SessionLimits> = Object.freeze({ ttlMs: 3_600_000, max: 100 });

export interface Session {
  readonly name: string;
  readonly world: World;
  /** Wall-clock ms. */
  readonly created: number;
  lastUsed: number;
}

/** Why a name cannot be a session's, or null when it can. */
export function sessionNameProblem(name: string): string | null {
  if (!NAME.test(name)) return `session names are 1 to 64 characters of A-Z a-z 0-9 . _ -, got "${name.slice(0, 80)}"`;
  if (name === '.' || name === '..') return `"${name}" is a path segment clients rewrite, not a session name`;
  return null;
}

/** The live sessions by name. Expiry is checked lazily: on each use of a session, and over all of them at most once a second and before a refusal. */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private lastSweep = 0;

  constructor(
    private readonly make: (name: string) => World,
    readonly limits: SessionLimits,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** The session named, made now if there is none; null when that would pass the limit. */
  open(name: string): Session | null {
    const now = this.wallClock();
    if (now - this.lastSweep >= 1_000) this.sweep(now);
    let session = this.sessions.get(name);
    if (session && this.expired(session, now)) {
      this.sessions.delete(name);
      session = undefined;
    }
    if (!session) {
      if (this.sessions.size >= this.limits.max) this.sweep(now);
      if (this.sessions.size >= this.limits.max) return null;
      session = { name, world: this.make(name), created: now, lastUsed: now };
      this.sessions.set(name, session);
    }
    session.lastUsed = now;
    return session;
  }

  /** The live sessions, oldest first. */
  list(): Session[] {
    this.sweep(this.wallClock());
    return [...this.sessions.values()];
  }

  delete(name: string): boolean {
    this.sweep(this.wallClock());
    return this.sessions.delete(name);
  }

  /** Seconds until the next session expires (at least 1): when a refused request may try again. */
  retryAfterSeconds(): number {
    const now = this.wallClock();
    if (this.limits.ttlMs === 0 || this.sessions.size === 0) return 60;
    const soonest = Math.min(...[...this.sessions.values()].map((s) => s.lastUsed + this.limits.ttlMs));
    return Math.max(1, Math.ceil((soonest - now) / 1000));
  }

  private expired(s: Session, now: number): boolean {
    return this.limits.ttlMs > 0 && now - s.lastUsed >= this.limits.ttlMs;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [name, s] of this.sessions) if (this.expired(s, now)) this.sessions.delete(name);
  }
}

type Dialect = 'waldur' | 'maple' | 'admin';

function dialectOf(path: string): Dialect {
  if (isWaldurPath(path)) return 'waldur';
  if (path === MAPLE_PREFIX || path.startsWith(`${MAPLE_PREFIX}/`)) return 'maple';
  return 'admin';
}

/** A refusal in the shape of the API the rest of the path belongs to. */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const dialect = dialectOf(rest);
  let body: unknown;
  if (dialect === 'waldur') body = { detail: message };
  else if (dialect === 'maple')
    body = requestError(status, message, status === 503 ? 'too_many_sessions' : 'invalid_session').envelope;
  else
    body = {
      error: status === 503 ? 'too many sessions' : status === 404 ? 'no such route' : 'invalid session name',
      problems: [message],
    };
  writeAnswer(
    res,
    req.method ?? 'GET',
    status,
    { 'Content-Type': 'application/json', ...headers },
    JSON.stringify(body),
  );
}

/** The session management routes exist only outside a session (matched without case, as express routes). */
function isSessionsAdminPath(rest: string): boolean {
  const lower = rest.toLowerCase();
  return lower === '/__admin/sessions' || lower.startsWith('/__admin/sessions/');
}

/**
 * Picks the world of a request: un-prefixed paths get the default world;
 * `/__session/<name>/rest` gets the session's (made on first use), and the
 * request goes on as `rest`. Answers itself (and returns null) when the name
 * is bad (400), the prefix has no path after it or names the session routes
 * (404), or one more session would pass the limit (503, with Retry-After).
 */
export function sessionScope(
  registry: SessionRegistry,
  defaultWorld: World,
  req: IncomingMessage,
  res: ServerResponse,
  baseUrlOf: BaseUrlOf,
): Scope | null {
  const path = pathOf(req.url);
  if (!path.startsWith(SESSION_PREFIX)) return { world: defaultWorld, baseUrl: baseUrlOf(req) };
  const afterPrefix = path.slice(SESSION_PREFIX.length);
  const slash = afterPrefix.indexOf('/');
  const name = slash < 0 ? afterPrefix : afterPrefix.slice(0, slash);
  const rest = slash < 0 ? '' : afterPrefix.slice(slash);
  const problem = sessionNameProblem(name);
  if (problem) {
    refuse(req, res, rest, 400, problem);
    return null;
  }
  if (rest === '') {
    refuse(req, res, rest, 404, `a session's paths start with ${SESSION_PREFIX}${name}/`);
    return null;
  }
  if (isSessionsAdminPath(rest)) {
    writeAnswer(
      res,
      req.method ?? 'GET',
      404,
      { 'Content-Type': 'application/json' },
      JSON.stringify({ error: 'no such admin route', problems: [] }),
    );
    return null;
  }
  const session = registry.open(name);
  if (!session) {
    const message = `the mock holds its limit of ${registry.limits.max} sessions: delete one (DELETE /__admin/sessions/<name>) or wait until one has been idle for the TTL`;
    refuse(req, res, rest, 503, message, { 'Retry-After': String(registry.retryAfterSeconds()) });
    return null;
  }
  const prefix = `${SESSION_PREFIX}${name}`;
  const baseUrl = `${baseUrlOf(req)}${prefix}`;
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  req.url = q < 0 ? rest : `${rest}${target.slice(q)}`;
  return { world: session.world, baseUrl };
}
