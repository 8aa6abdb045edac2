import { expect, it } from 'vitest';
import { deviationFor } from './deviations.js';
import { contractProblems } from './schema.js';
import { target } from './target.js';
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
    if (opts.writes && target.readOnly) {
      ctx.task.meta.notRun = 'writes data; the run is --read-only';
      ctx.skip();
      return;
    }
    if (opts.writes && target.api === 'waldur' && !(await waldurWorld())) {
      ctx.task.meta.notRun = NO_WORLD;
      ctx.skip();
      return;
    }
    if (!deviation) return fn();
    try {
      await fn();
      ctx.task.meta.deviation = { id: deviation.id, reason: deviation.reason, observed: false };
    } catch (err) {
      ctx.task.meta.deviation = { id: deviation.id, reason: deviation.reason, observed: true, detail: String(err).slice(0, 500) };
    }
  });
}

/** Expects the reply to match the operation's contract (status documented, body and headers as declared). */
export function expectContract(operationId: string, reply: Reply): void {
  const problems = contractProblems(operationId, reply);
  expect(problems, `${operationId} ${reply.status} breaks the contract:\n  ${problems.join('\n  ')}\n  body: ${reply.text.slice(0, 300)}`).toEqual([]);
}

/** Expects a status, showing the body when it differs. */
export function expectStatus(reply: Reply, status: number): void {
  expect(reply.status, `expected ${status}, got ${reply.status}: ${reply.text.slice(0, 300)}`).toBe(status);
}

/**
 * expectContract, except under a profile that documents project-credit bodies as
 * deviating (`customer_credit` sent as a JSON number, reference §12.1): there a
 * project-credit success body is left to the checks titled "… matches the
 * contract", which report the deviation once; status and headers are still
 * checked, so each check fails for its own subject only.
 */
export function expectContractUnlessDeviating(operationId: string, reply: Reply): void {
  const deviates = deviationFor(target.profile, 'project_credits_list › every page matches the contract') !== undefined;
  if (deviates && operationId.startsWith('project_credits_') && reply.status < 300) expectContract(operationId, { ...reply, text: '' });
  else expectContract(operationId, reply);
}
