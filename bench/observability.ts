import { load, Tally, warm, type Measured } from './load.js';
import type { Plan } from './phases.js';
import { startMock, type Target } from './servers.js';

/**
 * What the request journal and the request log cost: the same scenarios on
 * mocks up at once, some as they start by default (journal of 1,000, a JSON
 * line per request on stdout, which the benchmark reads as a pipe) and as
 * many with both off (`--journal-size 0 --log-level warn`). The cost is CPU µs
 * per answer, on over off.
 *
 * On a shared machine one second of load can cost 20 % more CPU per answer
 * than the next on the same process, whatever it runs. So each configuration
 * runs in `COPIES` processes, the load comes in one-second slices (every
 * mock in turn, the order alternating), and the cost is judged on the median
 * of the rounds' ratios (a round: each mock's slice, on over off), which a
 * burst of other work in one slice does not move; the ratio of the totals is
 * reported beside it.
 */
export const QUIET_ARGS = ['--journal-size', '0', '--log-level', 'warn'];
/** The bound: the defaults cost at most 10 % CPU per answer. */
export const OBSERVABILITY_TARGET = 1.1;
export const OBSERVABILITY_SCENARIOS = ['retrieve', 'create', 'maple-consume'];
/** Processes per configuration. */
const COPIES = 2;
const SLICE_SECONDS = 1;

export interface ObservabilityRow {
  id: string;
  title: string;
  on: Measured;
  off: Measured;
  /** The median of the rounds' ratios, CPU µs per answer with the defaults over with both off. */
  cost: number;
  /** The ratio of the totals (all rounds). */
  totalCost: number;
  /** Each round's ratio, ascending. */
  rounds: number[];
}

type Which = 'on' | 'off';
interface Mock {
  which: Which;
  target: Target;
}

async function measure(mocks: Mock[], plan: Plan, scenario: Plan['scenarios'][number]): Promise<ObservabilityRow> {
  const runs = mocks.map((m) => ({ ...m, reqs: scenario.requests() }));
  const totals: Record<Which, Tally> = { on: new Tally(), off: new Tally() };
  const connections = plan.load.connections;
  for (const run of runs) {
    await reset(run.target.url);
    await scenario.setup?.(run.target.url);
    await warm(run.target.url, run.reqs, { connections, seconds: plan.warmup });
  }
  const roundCount = Math.max(6, Math.round(plan.load.seconds / SLICE_SECONDS));
  const ratios: number[] = [];
  for (let round = 0; round < roundCount; round++) {
    const slices: Record<Which, number[]> = { on: [], off: [] };
    for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
      await reset(run.target.url);
      await scenario.setup?.(run.target.url);
      const slice = new Tally();
      await load(run.target.url, run.reqs, { connections, seconds: SLICE_SECONDS }, slice, run.target.cpuMs);
      slices[run.which].push(slice.result().cpuUs);
      totals[run.which].merge(slice);
    }
    ratios.push(mean(slices.on) / mean(slices.off));
  }
  ratios.sort((a, b) => a - b);
  const on = totals.on.result();
  const off = totals.off.result();
  const cost = median(ratios);
  plan.log(
    `  journal+log ${scenario.id.padEnd(13)} on ${on.cpuUs.toFixed(0)} µs, off ${off.cpuUs.toFixed(0)} µs CPU/answer (${on.rps.toFixed(0)} vs ${off.rps.toFixed(0)} req/s): median of ${ratios.length} rounds ×${cost.toFixed(3)}, totals ×${(on.cpuUs / off.cpuUs).toFixed(3)}`,
  );
  return { id: scenario.id, title: scenario.title, on, off, cost, totalCost: on.cpuUs / off.cpuUs, rounds: ratios };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (sorted: number[]) =>
  sorted.length % 2 === 1
    ? sorted[sorted.length >> 1]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;

async function reset(url: string): Promise<void> {
  const res = await fetch(`${url}/__admin/reset`, { method: 'POST' });
  if (res.status >= 300) throw new Error(`POST /__admin/reset answered ${res.status}: ${await res.text()}`);
}

export async function measureObservability(plan: Plan): Promise<ObservabilityRow[]> {
  const scenarios = plan.scenarios.filter((s) => OBSERVABILITY_SCENARIOS.includes(s.id));
  if (scenarios.length === 0) return [];
  const mocks: Mock[] = [];
  try {
    for (let i = 0; i < COPIES; i++) {
      mocks.push({ which: 'on', target: await startMock(plan.world.file) });
      mocks.push({ which: 'off', target: await startMock(plan.world.file, QUIET_ARGS) });
    }
    const rows: ObservabilityRow[] = [];
    for (const s of scenarios) rows.push(await measure(mocks, plan, s));
    return rows;
  } finally {
    for (const m of mocks) await m.target.stop();
  }
}

/** The report's section on it, and whether the bound held in every scenario. */
export function observabilitySection(rows: ObservabilityRow[]): { lines: string[]; met: boolean; detail: string } {
  if (rows.length === 0) return { lines: ['Not run.'], met: true, detail: '' };
  const worst = rows.reduce((a, b) => (b.cost > a.cost ? b : a));
  const pct = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)} %`;
  const lines = [
    `${COPIES} mocks with the defaults (journal of 1,000 entries, a JSON log line per request on stdout read through a pipe) and ${COPIES} started with \`${QUIET_ARGS.join(' ')}\`, up at once; the same scenarios in rounds of ${SLICE_SECONDS}-second slices, every mock in turn, the order alternating. The cost is the median of the rounds' ratios (CPU per answer with the defaults over with both off; a burst of other work in one slice does not move it); the ratio of the totals and the spread of the rounds are beside it. The bound: the defaults cost at most ${Math.round((OBSERVABILITY_TARGET - 1) * 100)} % more CPU per answer.`,
    '',
    '| scenario | defaults µs/answer | quiet µs/answer | cost (median of rounds) | cost (totals) | rounds, lowest–highest | defaults req/s | quiet req/s |',
    '|---|---:|---:|---:|---:|---|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.id} | ${r.on.cpuUs.toFixed(0)} | ${r.off.cpuUs.toFixed(0)} | ${pct(r.cost)} | ${pct(r.totalCost)} | ${r.rounds.length}: ${pct(r.rounds[0]!)} – ${pct(r.rounds.at(-1)!)} | ${r.on.rps.toFixed(0)} | ${r.off.rps.toFixed(0)} |`,
    ),
  ];
  const met = rows.every((r) => r.cost <= OBSERVABILITY_TARGET);
  return {
    lines,
    met,
    detail: `journal and log on cost ${pct(worst.cost)} CPU per answer (${worst.id}, median of rounds) ≤ ${Math.round((OBSERVABILITY_TARGET - 1) * 100)} %`,
  };
}
