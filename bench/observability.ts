import { load, Tally, warm, type Measured } from './load.js';
import type { Plan } from './phases.js';
import { startMock, type Target } from './servers.js';

/**
 * What the request journal and the request log cost: the same scenarios on two
 * mocks up at once, one as it starts by default (journal of 1,000, a JSON line
 * per request on stdout, which the benchmark reads as a pipe) and one with
 * both off (`--journal-size 0 --log-level warn`), in rounds whose order
 * alternates. The cost is CPU µs per answer, on over off.
 */
export const QUIET_ARGS = ['--journal-size', '0', '--log-level', 'warn'];
/** The bound: the defaults cost at most 10 % CPU per answer. */
export const OBSERVABILITY_TARGET = 1.1;
export const OBSERVABILITY_SCENARIOS = ['retrieve', 'create', 'maple-consume'];

export interface ObservabilityRow {
  id: string;
  title: string;
  on: Measured;
  off: Measured;
  /** CPU µs per answer with the defaults over with both off. */
  cost: number;
}

async function measure(
  targets: { on: Target; off: Target },
  plan: Plan,
  scenario: Plan['scenarios'][number],
): Promise<ObservabilityRow> {
  const runs = (['on', 'off'] as const).map((which) => ({
    which,
    target: targets[which],
    reqs: scenario.requests(),
    tally: new Tally(),
  }));
  const connections = plan.load.connections;
  const seconds = Math.max(1, Math.round(plan.load.seconds / plan.rounds));
  for (const run of runs) {
    await reset(run.target.url);
    await scenario.setup?.(run.target.url);
    await warm(run.target.url, run.reqs, { connections, seconds: plan.warmup });
  }
  for (let round = 0; round < plan.rounds; round++) {
    for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
      await reset(run.target.url);
      await scenario.setup?.(run.target.url);
      await load(run.target.url, run.reqs, { connections, seconds }, run.tally, run.target.cpuMs);
    }
  }
  const on = runs[0]!.tally.result();
  const off = runs[1]!.tally.result();
  const cost = on.cpuUs / off.cpuUs;
  plan.log(
    `  journal+log ${scenario.id.padEnd(13)} on ${on.cpuUs.toFixed(0)} µs, off ${off.cpuUs.toFixed(0)} µs CPU/answer (${on.rps.toFixed(0)} vs ${off.rps.toFixed(0)} req/s): ×${cost.toFixed(3)}`,
  );
  return { id: scenario.id, title: scenario.title, on, off, cost };
}

async function reset(url: string): Promise<void> {
  const res = await fetch(`${url}/__admin/reset`, { method: 'POST' });
  if (res.status >= 300) throw new Error(`POST /__admin/reset answered ${res.status}: ${await res.text()}`);
}

export async function measureObservability(plan: Plan): Promise<ObservabilityRow[]> {
  const scenarios = plan.scenarios.filter((s) => OBSERVABILITY_SCENARIOS.includes(s.id));
  if (scenarios.length === 0) return [];
  const on = await startMock(plan.world.file);
  const off = await startMock(plan.world.file, QUIET_ARGS).catch(async (err: unknown) => {
    await on.stop();
    throw err;
  });
  try {
    const rows: ObservabilityRow[] = [];
    for (const s of scenarios) rows.push(await measure({ on, off }, plan, s));
    return rows;
  } finally {
    await on.stop();
    await off.stop();
  }
}

/** The report's section on it, and whether the bound held in every scenario. */
export function observabilitySection(rows: ObservabilityRow[]): { lines: string[]; met: boolean; detail: string } {
  if (rows.length === 0) return { lines: ['Not run.'], met: true, detail: '' };
  const worst = rows.reduce((a, b) => (b.cost > a.cost ? b : a));
  const lines = [
    `Two mocks up at once, one with the defaults (journal of 1,000 entries, a JSON log line per request on stdout read through a pipe) and one started with \`${QUIET_ARGS.join(' ')}\`; same scenarios, rounds alternating. The bound: the defaults cost at most ${Math.round((OBSERVABILITY_TARGET - 1) * 100)} % more CPU per answer.`,
    '',
    '| scenario | defaults µs/answer | quiet µs/answer | cost | defaults req/s | quiet req/s |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.id} | ${r.on.cpuUs.toFixed(0)} | ${r.off.cpuUs.toFixed(0)} | ${((r.cost - 1) * 100).toFixed(1)} % | ${r.on.rps.toFixed(0)} | ${r.off.rps.toFixed(0)} |`,
    ),
  ];
  const met = rows.every((r) => r.cost <= OBSERVABILITY_TARGET);
  return {
    lines,
    met,
    detail: `journal and log on cost ${((worst.cost - 1) * 100).toFixed(1)} % CPU per answer (${worst.id}) ≤ ${Math.round((OBSERVABILITY_TARGET - 1) * 100)} %`,
  };
}
