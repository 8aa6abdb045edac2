import { cpus, release, totalmem } from 'node:os';
import type { Large, Startup } from './large.js';
import { WORST_TARGET_MS, worstSection } from './worst.js';
import type { Measured } from './load.js';
import { persistenceSection, type PersistenceCost } from './persistence.js';
import { observabilitySection, type ObservabilityRow } from './observability.js';
import type { Plan, TargetsResult } from './phases.js';
import { sessionsSection, type SessionsResult } from './sessions.js';
import { prismComparable, ratio, rowChecks, successShare, TARGETS, type Check, type Row } from './targets.js';

/** bench/results.md: the machine, the date, the command, the tables and which targets were met. */
export interface ReportInput {
  targets: TargetsResult;
  startup: Startup | null;
  /** Making sessions and holding 100 idle ones (bench/sessions.ts); null with --no-sessions. */
  sessions?: SessionsResult | null;
  large: Large | null;
  persistence: PersistenceCost | null;
  /** The journal and request log's cost (null: --no-observability). */
  observability?: ObservabilityRow[] | null;
  maple: string;
  command: string;
  plan: Plan;
  wallSeconds: number;
  /** The machine's load average (1, 5, 15 min) before and after the runs: other work competes for the cores. */
  loadavg: [number[], number[]];
}

const SERVERS = ['mock', 'prism', 'http', 'express'] as const;
const LABEL = { mock: 'credits-mock', prism: 'Prism 5.14.2', http: 'bare node:http', express: 'bare Express 5' };
const yes = (met: boolean) => (met ? 'yes' : '**no**');
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const mb = (v: number) => `${v.toFixed(0)} MB`;
const times = (r: number | null) => (r === null ? '–' : `${r.toFixed(r < 10 ? 2 : 1)}×`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const n = (v: number) => v.toLocaleString('en');

function answers(m: Measured): string {
  return (
    Object.entries(m.statuses)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ') + (m.errors ? `, errors: ${m.errors}` : '')
  );
}

function setting(input: ReportInput): string[] {
  const { plan } = input;
  const cpu = cpus();
  const la = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  return [
    `Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${input.command}\` (${Math.round(input.wallSeconds)} s in all).`,
    '',
    `- Machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node.js ${process.version}, Linux ${release()}.`,
    `- Load average (1/5/15 min) before the runs ${la(input.loadavg[0])}, after ${la(input.loadavg[1])}: anything above 0 is other work competing for the ${cpu.length} cores, and every number below moves with it.`,
    `- Load: autocannon in the benchmark process, ${plan.load.connections} connections; first 1 s of every scenario on every server (so no server starts cold), then per scenario and server ${plan.warmup} s of warm-up and ${plan.load.seconds} s measured in ${plan.rounds} rounds. All servers are up at once but only one is under load at a time; in each round every server takes its turn (the order alternates), so the ratios compare numbers taken close together.`,
    `- Data: ${n(plan.world.credits)} customer credits (one per customer); \`customer_name=${plan.world.needle}\` matches ${n(plan.world.matching)}. The mock runs the built server (\`node bin/credits-mock.js serve --self-check off\`) and is reset (\`POST /__admin/reset\`) before each scenario.`,
    "- Ceilings: a bare node:http server and a bare Express 5 app answering, per scenario, the body the mock sent for it (same status, same size). Prism answers from the spec's examples.",
    '- Latencies are those of every response, in ms. "CPU µs/answer" is the server process\'s CPU time (user + system, /proc) over the answers: the cost of one answer, less sensitive than req/s to other work on the machine.',
  ];
}

function measurements(rows: Row[]): string[] {
  const out = [
    '| scenario | server | req/s | p50 ms | p99 ms | CPU µs/answer | answers |',
    '|---|---|---:|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    for (const kind of SERVERS) {
      const m = row.runs[kind];
      if (!m) continue;
      const note = kind === 'prism' && !prismComparable(row) ? ' (not the success status: no ratio)' : '';
      out.push(
        `| ${row.scenario.id} | ${LABEL[kind]} | ${m.rps.toFixed(0)} | ${ms(m.p50)} | ${ms(m.p99)} | ${m.cpuUs.toFixed(0)} | ${answers(m)}${note} |`,
      );
    }
  }
  return out;
}

function ratios(rows: Row[]): string[] {
  const out = [
    '| scenario | what | mock/Prism | mock/http | mock/Express | Express/Prism | targets |',
    '|---|---|---:|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    const mock = row.runs.mock?.rps;
    const comparable = prismComparable(row);
    const vsPrism = comparable ? ratio(mock, row.runs.prism?.rps) : null;
    const checks = rowChecks(row)
      .map((c) => `${c.detail}: ${yes(c.met)}`)
      .join('; ');
    const expressVsPrism = comparable ? ratio(row.runs.express?.rps, row.runs.prism?.rps) : null;
    const cells = [
      times(vsPrism),
      times(ratio(mock, row.runs.http?.rps)),
      times(ratio(mock, row.runs.express?.rps)),
      times(expressVsPrism),
    ];
    out.push(`| ${row.scenario.id} | ${row.scenario.title} | ${cells.join(' | ')} | ${checks} |`);
  }
  return out;
}

function largeSection(large: Large): { lines: string[]; checks: Check[] } {
  const lines = [
    `The mock with ${n(large.credits)} customer credits (as many customers), up in ${large.startMs.toFixed(0)} ms.`,
    `Resident memory: ${mb(large.loaded.rss)} once up, ${mb(large.listed.rss)} once the first list page was served (its views and ordering kept), ${mb(large.after.rss)} after the runs below; peak ${mb(large.after.peak)}. Under load the V8 heap grows with garbage until a full collection (the bare Express app shows the same), so the peak depends on when that runs.`,
    '',
    'Latency at one connection (one client waiting for its page):',
    '',
    '| case | req/s | p50 ms | p99 ms | answers |',
    '|---|---:|---:|---:|---|',
    ...large.runs.map(
      (r) => `| ${r.title} | ${r.m.rps.toFixed(0)} | ${ms(r.m.p50)} | ${ms(r.m.p99)} | ${answers(r.m)} |`,
    ),
    ...(large.worst ? ['', ...worstSection(large.worst)] : []),
  ];
  const checks: Check[] = [
    {
      name: 'rss',
      met: large.listed.rss < TARGETS.largeRssMb,
      detail: `100,000 credits loaded and listed: resident memory ${mb(large.listed.rss)} < ${TARGETS.largeRssMb} MB`,
    },
    ...large.runs
      // Every case: the same query again, a new query each time, the query again right after a write.
      .filter((r) => r.id.startsWith('list-'))
      .map((r) => ({
        name: r.id,
        met: r.m.p50 < TARGETS.largeListP50Ms && successShare(r.m, 200) === 1,
        detail: `100,000 credits, ${r.title}: p50 ${ms(r.m.p50)} ms < ${TARGETS.largeListP50Ms} ms`,
      })),
    ...(large.worst ?? []).map((w) => ({
      name: w.id,
      met:
        w.cpuMs < WORST_TARGET_MS &&
        w.p50 < WORST_TARGET_MS &&
        w.loopMax < WORST_TARGET_MS &&
        Object.keys(w.statuses).every((s) => Number(s) < 300),
      detail: `100,000 credits, ${w.title}: server CPU ${w.cpuMs.toFixed(1)} ms per request, p50 ${w.p50.toFixed(1)} ms and the event loop's longest request ${w.loopMax.toFixed(1)} ms < ${WORST_TARGET_MS} ms (max ${w.max.toFixed(1)} ms)`,
    })),
  ];
  return { lines, checks };
}

function targetList(input: ReportInput, largeChecks: Check[], moreChecks: Check[] = []): string[] {
  const checks: Check[] = input.targets.rows.flatMap((row) =>
    rowChecks(row).map((c) => ({ ...c, detail: `${row.scenario.id}: ${c.detail}` })),
  );
  if (input.startup) {
    const startMs = median(input.startup.mockMs);
    const detail = `start to first 200 (default fixtures, median of ${input.startup.mockMs.length}): ${startMs.toFixed(0)} ms < ${TARGETS.startMs} ms`;
    checks.push({ name: 'start', met: startMs < TARGETS.startMs, detail });
  }
  checks.push(...largeChecks, ...moreChecks);
  if (input.observability && input.observability.length > 0) {
    const o = observabilitySection(input.observability);
    checks.push({ name: 'journal and log cost', met: o.met, detail: o.detail });
  }
  const missed = checks.filter((c) => !c.met);
  return [
    missed.length === 0
      ? `All ${checks.length} targets met.`
      : `${checks.length - missed.length} of ${checks.length} targets met; missed:`,
    ...missed.map((c) => `- ${c.detail}`),
  ];
}

function startSection(input: ReportInput): string[] {
  const { startup, targets, plan } = input;
  const mem = targets.mockMemory;
  const prism = targets.startMs.prism;
  return [
    startup
      ? `- Start to first 200, default fixtures: ${startup.mockMs.map((v) => v.toFixed(0)).join(', ')} ms (median ${median(startup.mockMs).toFixed(0)} ms); resident memory then ${mb(startup.rss)}.`
      : '- Start to first 200: not measured (--no-start).',
    ...(prism === undefined
      ? []
      : [`- Prism, start to first 200 on specs/waldur-credits.yaml: ${prism.toFixed(0)} ms.`]),
    `- The mock after all scenarios on ${n(plan.world.credits)} credits: ${mb(mem.rss)} resident (peak ${mb(mem.peak)}).`,
    ...(targets.afterWrite
      ? [
          `- A list page right after a PATCH, ${n(plan.world.credits)} credits, one client: p50 ${ms(targets.afterWrite.p50)} ms, p99 ${ms(targets.afterWrite.p99)} ms (the changed credit is moved in the kept orders and results, not every credit filtered and sorted again).`,
        ]
      : []),
  ];
}

export function writeReport(input: ReportInput): string {
  const large = input.large
    ? largeSection(input.large)
    : { lines: ['Not run (--no-large or --only maple).'], checks: [] };
  const persistence = input.persistence
    ? persistenceSection(input.persistence)
    : { lines: ['Not run (--no-persistence).'], checks: [] };
  const sessions = input.sessions
    ? sessionsSection(input.sessions)
    : { lines: ['Not run (--no-sessions).'], checks: [] };
  return [
    '# Benchmark results',
    '',
    ...setting(input),
    '',
    '## Targets',
    '',
    ...targetList(input, [...large.checks, ...sessions.checks], persistence.checks),
    '',
    '## Throughput and latency',
    '',
    ...measurements(input.targets.rows),
    '',
    '## Ratios',
    '',
    ...ratios(input.targets.rows),
    '',
    'Express/Prism is how far a bare Express app returning a fixed body gets ahead of Prism on this machine: the most any Express-based server can reach.',
    '',
    `Maple scenarios: ${input.maple}.`,
    '',
    '## Start and memory',
    '',
    ...startSection(input),
    '',
    '## Sessions',
    '',
    ...sessions.lines,
    '',
    '## 100,000 credits',
    '',
    ...large.lines,
    '',
    '## --state-dir and memory growth',
    '',
    ...persistence.lines,
    '',
    '## Request journal and log',
    '',
    ...(input.observability ? observabilitySection(input.observability).lines : ['Not run (--no-observability).']),
    '',
  ].join('\n');
}
