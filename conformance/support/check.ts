import { expect, it } from 'vitest';
import { deviationFor } from './deviations.js';
import { contractProblems } from './schema.js';
import { target } from './target.js';
import { mapleWorld, NO_ADMIN, NO_INVOICES, NO_MAPLE_WORLD } from './maple-world.js';
import { NO_WORLD, waldurWorld } from './waldur-world.js';
import type { Reply } from './http.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Set when a documented deviation applies to this check. */
    deviation?: { id: string; reason: string; observed: boolean; detail?: string };
    /** Set when the check was not run, with why. */
    notRun?: string;
  }
}

export interface CheckOptions {
  /** The check creates, changes or deletes data: not run under --read-only. */
  writes?: boolean;
  /**
   * What the check needs beyond the API under test: `admin`, the mock's
   * /__admin/ (clock, fault injection, made-up invoices); `invoices`, open
   * invoices to pay (from /__admin/ or named in the config). Without it the
   * check is reported as not run, with the reason, never silently skipped.
   */
  needs?: 'admin' | 'invoices';
}

/** Why the check cannot run against this target, or undefined when it can. */
async function notRunReason(opts: CheckOptions): Promise<string | undefined> {
  if (opts.writes && target.readOnly) return 'writes data; the run is --read-only';
  if (target.api === 'waldur') {
    if ((opts.writes || opts.needs) && !(await waldurWorld())) return NO_WORLD;
    if (opts.needs && (await waldurWorld())?.provisioned !== 'admin') return NO_ADMIN;
    return undefined;
  }
  // Every Maple call is made on a company: without a world there is nothing to check, reads included.
  const world = await mapleWorld();
  if (!world) return NO_MAPLE_WORLD;
  if (opts.needs === 'admin' && world.provisioned !== 'admin') return NO_ADMIN;
  if (opts.needs === 'invoices' && world.provisioned !== 'admin' && world.openInvoices.length === 0) return NO_INVOICES;
  return undefined;
}

/**
 * One conformance check, titled "<operationId> › <what>" so that reports read
 * as operation × check. Known deviations of the target's profile are recorded,
 * read-only runs record the writing checks as not run: nothing disappears silently.
 */
export function check(operation: string, what: string, fn: () => Promise<void>, opts: CheckOptions = {}): void {
  const title = `${operation} › ${what}`;
  const deviation = deviationFor(target.profile, title);
  it(title, async (ctx) => {
    const reason = await notRunReason(opts);
    if (reason) {
      ctx.task.meta.notRun = reason;
      ctx.skip();
      return;
    }
    if (!deviation) return fn();
    try {
      await fn();
      ctx.task.meta.deviation = { id: deviation.id, reason: deviation.reason, observed: false };
    } catch (err) {
      if (deviation.shows && !deviation.shows.test(String(err))) throw err;
      ctx.task.meta.deviation = {
        id: deviation.id,
        reason: deviation.reason,
        observed: true,
        detail: String(err).slice(0, 500),
      };
    }
  });
}

/**
 * Response headers the Maple contract declares that only some answers carry:
 * the Idempotency-Key echo (keyed requests) and Idempotency-Used (replays).
 * The contract check does not demand them; the idempotency checks do, where
 * they must be present.
 */
const CONDITIONAL_HEADER = /^header (Idempotency-Key|Idempotency-Used) is missing$/;

/** The contract problems of a reply (schema.ts), less the absence of conditional headers. */
export function replyContractProblems(operationId: string, reply: Reply): string[] {
  const problems = contractProblems(operationId, reply);
  return target.api === 'maple' ? problems.filter((p) => !CONDITIONAL_HEADER.test(p)) : problems;
}

/** Expects the reply to match the operation's contract (status documented, body and headers as declared). */
export function expectContract(operationId: string, reply: Reply): void {
  const problems = replyContractProblems(operationId, reply);
  expect(
    problems,
    `${operationId} ${reply.status} breaks the contract:\n  ${problems.join('\n  ')}\n  body: ${reply.text.slice(0, 300)}`,
  ).toEqual([]);
}

/** Expects a status, showing the body when it differs. */
export function expectStatus(reply: Reply, status: number): void {
  expect(reply.status, `expected ${status}, got ${reply.status}: ${reply.text.slice(0, 300)}`).toBe(status);
}

/**
 * expectContract, except under a profile that documents project-credit bodies as
 * deviating (`customer_credit` sent as a JSON number, docs/behaviour/waldur.md §12.1): there a
 * project-credit success body is left to the checks titled "… matches the
 * contract", which report the deviation once; status and headers are still
 * checked, so each check fails for its own subject only.
 */
export function expectContractUnlessDeviating(operationId: string, reply: Reply): void {
  const deviation = deviationFor(target.profile, 'project_credits_list › every page matches the contract');
  const deviates = deviation !== undefined;
  if (deviation?.tolerates && operationId.startsWith('project_credits_') && reply.status < 300) {
    const problems = replyContractProblems(operationId, reply).filter((p) => !deviation.tolerates!.test(p));
    expect(
      problems,
      `${operationId} ${reply.status} breaks the contract:\n  ${problems.join('\n  ')}\n  body: ${reply.text.slice(0, 300)}`,
    ).toEqual([]);
  } else if (deviates && operationId.startsWith('project_credits_') && reply.status < 300)
    expectContract(operationId, { ...reply, text: '' });
  else expectContract(operationId, reply);
}
