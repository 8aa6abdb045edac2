/**
 * Sessions: what one costs to make, and what 100 idle ones hold, on the
 * built mock with its default fixtures. Part of `npm run bench`; alone:
 *
 *   npm run build && npx tsx bench/sessions.ts [count]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Plan } from './phases.js';
import { STAFF, startMock } from './servers.js';
import { TARGETS, type Check } from './targets.js';

export interface SessionsResult {
  count: number;
  /** The first request to a new session minus the same request again: making the world, in ms per session. */
  create: { p50: number; p99: number };
  /** A session's first Waldur list (its services made, its month-ends run) and the same list again, p50 ms. */
  firstList: number;
  warmList: number;
  /** Resident memory before any session, and with `count` sessions each used once by both APIs, MiB. */
  rssBefore: number;
  rssAfter: number;
}

const MAPLE_BALANCE = '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits/check_balance/northwind';
const MAPLE = { Authorization: 'Bearer maple-token' };

async function timed(url: string, headers: Record<string, string> = {}): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  const elapsed = performance.now() - t;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return elapsed;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

export async function measureSessions(log: Plan['log'], count = 100): Promise<SessionsResult> {
  const mock = await startMock();
  try {
    const base = mock.url;
    // Warm the shared paths (handlers, admin router, the default world) so the first session pays only for itself.
    for (let i = 0; i < 50; i++) {
      await timed(`${base}/__admin/health`);
      await timed(`${base}/api/customer-credits/`, STAFF);
      await timed(`${base}${MAPLE_BALANCE}`, MAPLE);
    }
    await new Promise((r) => setTimeout(r, 500));
    const rssBefore = mock.memory().rss;
    const create: number[] = [];
    const firstList: number[] = [];
    const warmList: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = `${base}/__session/bench-${i}`;
      const first = await timed(`${s}/__admin/health`);
      create.push(first - (await timed(`${s}/__admin/health`)));
      firstList.push(await timed(`${s}/api/customer-credits/`, STAFF));
      warmList.push(await timed(`${s}/api/customer-credits/`, STAFF));
      await timed(`${s}${MAPLE_BALANCE}`, MAPLE);
    }
    await new Promise((r) => setTimeout(r, 500));
    const listed = (await (await fetch(`${base}/__admin/sessions`)).json()) as { sessions: unknown[] };
    if (listed.sessions.length !== count) throw new Error(`${count} sessions made, ${listed.sessions.length} listed`);
    const result: SessionsResult = {
      count,
      create: { p50: pct(create, 50), p99: pct(create, 99) },
      firstList: pct(firstList, 50),
      warmList: pct(warmList, 50),
      rssBefore,
      rssAfter: mock.memory().rss,
    };
    log(
      `sessions: made in p50 ${result.create.p50.toFixed(2)} ms (p99 ${result.create.p99.toFixed(2)} ms); first list ${result.firstList.toFixed(2)} ms, then ${result.warmList.toFixed(2)} ms; ` +
        `${count} sessions: ${result.rssBefore.toFixed(0)} → ${result.rssAfter.toFixed(0)} MB resident`,
    );
    return result;
  } finally {
    await mock.stop();
  }
}

/** The section of bench/results.md and its two targets. */
export function sessionsSection(r: SessionsResult): { lines: string[]; checks: Check[] } {
  const grown = r.rssAfter - r.rssBefore;
  return {
    lines: [
      `Each of ${r.count} sessions made by a request to \`/__session/bench-N/__admin/health\` (the default fixtures; one client):`,
      '',
      `- Making a session (its first request minus the same request again): p50 ${r.create.p50.toFixed(2)} ms, p99 ${r.create.p99.toFixed(2)} ms.`,
      `- Its first Waldur list (its list services made and its month-ends run): p50 ${r.firstList.toFixed(2)} ms; the same list again ${r.warmList.toFixed(2)} ms.`,
      `- Resident memory ${r.rssBefore.toFixed(0)} MB before, ${r.rssAfter.toFixed(0)} MB with the ${r.count} sessions, each used once by both APIs, idle: ${grown.toFixed(1)} MB more (${((grown * 1024) / r.count).toFixed(0)} KB a session, garbage not yet collected included).`,
    ],
    checks: [
      {
        name: 'session create',
        met: r.create.p50 < TARGETS.sessionCreateMs,
        detail: `making a session: p50 ${r.create.p50.toFixed(2)} ms < ${TARGETS.sessionCreateMs} ms`,
      },
      {
        name: 'sessions memory',
        met: grown < TARGETS.sessionsMb,
        detail: `${r.count} idle sessions: ${grown.toFixed(1)} MB < ${TARGETS.sessionsMb} MB`,
      },
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  measureSessions(log, Number(process.argv[2] ?? 100))
    .then((r) => {
      const section = sessionsSection(r);
      process.stdout.write(
        `${[...section.lines, '', ...section.checks.map((c) => `- ${c.detail}: ${c.met ? 'yes' : 'no'}`)].join('\n')}\n`,
      );
    })
    .catch((err: unknown) => {
      log(`bench/sessions: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    });
}
