import { randomBytes } from 'node:crypto';

/**
 * What `credits-mock conform` checks before it runs the suite: that the target
 * answers, whether it offers sessions (then the run gets a world of its own),
 * and that the token the checks need is there and accepted. Each refusal is one
 * line for the user and exit code 2.
 */
export class PreflightError extends Error {}

const TIMEOUT_MS = 10_000;

export interface Answer {
  status: number;
  text: string;
}

/** Why a fetch got no HTTP answer, in a few words (the socket error, not "fetch failed"). */
function reasonOf(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? (err.cause as { message?: string; code?: string } | undefined) : undefined;
  const text = cause?.message || cause?.code || (err instanceof Error ? err.message : String(err));
  return text.replace(/\s+/g, ' ').trim();
}

/** One request to the target; an unreachable target is a PreflightError naming `what` (the URL the user gave). */
export async function ask(url: string, init: RequestInit, what: string): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new PreflightError(`cannot reach ${what}: ${reasonOf(err)}`);
  }
  return { status: res.status, text: await res.text().catch(() => '') };
}

const SESSION_PREFIX = /\/__session\/[^/]+/;

/** A fresh session name within the contract's `[A-Za-z0-9._-]{1,64}`. */
export function newSessionName(): string {
  return `conform-${randomBytes(6).toString('hex')}`;
}

export function sessionBase(target: string, name: string): string {
  return `${target}/__session/${name}`;
}

/**
 * Checks that the target answers and, unless `useSessions` is off or the URL
 * already names a session, whether it offers sessions: `GET /__admin/sessions`
 * answering 200 with a `sessions` array. Resolves to whether the run should use one.
 */
export async function probeTarget(target: string, useSessions: boolean): Promise<boolean> {
  if (!useSessions || SESSION_PREFIX.test(new URL(target).pathname)) {
    await ask(`${target}/`, { method: 'GET' }, target);
    return false;
  }
  const res = await ask(
    `${target}/__admin/sessions`,
    { method: 'GET', headers: { accept: 'application/json' } },
    target,
  );
  if (res.status !== 200) return false;
  try {
    return Array.isArray((JSON.parse(res.text) as { sessions?: unknown }).sessions);
  } catch {
    return false;
  }
}

/** Drops the run's session; resolves to a problem to report, or null when it is gone. */
export async function dropSession(target: string, name: string): Promise<string | null> {
  try {
    const res = await ask(`${target}/__admin/sessions/${encodeURIComponent(name)}`, { method: 'DELETE' }, target);
    return res.status === 204 || res.status === 404 ? null : `DELETE /__admin/sessions/${name} answered ${res.status}`;
  } catch (err) {
    return (err as Error).message;
  }
}

/** What the token check needs to know. */
export interface TokenCheck {
  api: 'waldur' | 'maple';
  /** Where the checks go: the target, or its session. */
  base: string;
  /** The target as the user named it, for messages. */
  target: string;
  token: string;
  /** The config's Maple company, when it names one. */
  mapleCompany: string | null;
}

const excerpt = (res: Answer) => `${res.status}${res.text ? `: ${res.text.replace(/\s+/g, ' ').slice(0, 160)}` : ''}`;

/**
 * Refuses a run whose checks could not authenticate: Waldur's need a staff
 * user's token; Maple's need the company's API key unless the target has
 * /__admin/ to make a company (the mock) and no config names one. A token is
 * tried on a cheap authenticated call that changes nothing; a 401 refuses it.
 */
export async function checkToken(c: TokenCheck): Promise<void> {
  if (c.api === 'waldur') {
    if (!c.token)
      throw new PreflightError(
        "--token is missing: Waldur's checks need a staff user's token (Authorization: Token …)",
      );
    const res = await ask(
      `${c.base}/api/customer-credits/?page_size=1`,
      { headers: { authorization: `Token ${c.token}` } },
      c.target,
    );
    if (res.status === 401)
      throw new PreflightError(
        `--token is rejected by ${c.target}: GET /api/customer-credits/ answered ${excerpt(res)}`,
      );
    return;
  }
  if (!c.mapleCompany) {
    if (await hasAdmin(c.base, c.target)) return; // the suite makes its own company and tokens
    if (!c.token) {
      throw new PreflightError(
        "--token is missing: Maple's checks need the company's API key (with --config naming the company), and the target has no /__admin/ to make one",
      );
    }
    return;
  }
  if (!c.token)
    throw new PreflightError(
      `--token is missing: Maple's checks need the API key of company ${c.mapleCompany} (Authorization: Bearer …)`,
    );
  const path = `/api/v1/companies/${encodeURIComponent(c.mapleCompany)}/credits/find`;
  const res = await ask(
    `${c.base}${path}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pagination: { limit: 1 } }),
    },
    c.target,
  );
  if (res.status === 401)
    throw new PreflightError(
      `--token (the company's API key) is rejected by ${c.target}: POST ${path} answered ${excerpt(res)}`,
    );
}

async function hasAdmin(base: string, target: string): Promise<boolean> {
  const res = await ask(`${base}/__admin/health`, {}, target);
  try {
    return res.status === 200 && (JSON.parse(res.text) as { status?: unknown }).status === 'ok';
  } catch {
    return false;
  }
}
