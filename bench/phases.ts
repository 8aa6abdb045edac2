import type autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import type { CeilingBody } from './ceiling.js';
import { tempFile, type WaldurWorld } from './fixtures.js';
import { listAfterWrite } from './large.js';
import { load, once, Tally, warm, type LoadOptions, type Measured } from './load.js';
import type { Scenario } from './scenarios.js';
import { startCeiling, startMock, startPrism, type ServerKind, type Target } from './servers.js';
import type { Row } from './targets.js';

/**
 * Every scenario on every server. The servers are started one after the
 * other and then stay up, idle but for the one under load: each scenario is
 * measured on each server in turn, in rounds whose order alternates, so that
 * the ratios compare numbers taken minutes apart at most.
 */
export interface Plan {
  world: WaldurWorld;
  scenarios: Scenario[];
  /** The servers to measure (the mock always runs: the ceilings answer with its bodies). */
  servers: ServerKind[];
  load: LoadOptions;
  warmup: number;
  rounds: number;
  log: (line: string) => void;
}

export interface TargetsResult {
  rows: Row[];
  /** The mock after every scenario ran on the generated credits. */
  mockMemory: { rss: number; peak: number };
  startMs: Partial<Record<ServerKind | 'prism-maple', number>>;
  /** A list page right after a PATCH, on the generated credits (one client). */
  afterWrite: Measured | null;
}

/** The request the load generator sends first, with its per-request setup applied. */
function firstRequest(reqs: autocannon.Request[]): autocannon.Request {
  const req = { ...reqs[0]! };
  return typeof req.setupRequest === 'function' ? req.setupRequest(req, {}) : req;
}

async function reset(url: string): Promise<void> {
  const res = await once(url, { method: 'POST', path: '/__admin/reset' });
  if (res.status >= 300) throw new Error(`POST /__admin/reset answered ${res.status}: ${res.body}`);
}

/** Back to the fixtures (the mock), then the scenario's own setup. */
async function prepare(target: Target, s: Scenario): Promise<void> {
  if (target.kind === 'mock') await reset(target.url);
  await s.setup?.(target.url);
}

/** What the mock answers to each scenario's first request: the ceilings send the same. */
async function captureBodies(mock: Target, scenarios: Scenario[]): Promise<string> {
  const bodies: Record<string, CeilingBody> = {};
  for (const s of scenarios) {
    await prepare(mock, s);
    const sample = await once(mock.url, firstRequest(s.requests()));
    bodies[s.id] = { status: sample.status, body: sample.body };
  }
  const file = tempFile('ceiling-bodies.json');
  writeFileSync(file, JSON.stringify(bodies));
  return file;
}

/** Seconds of load per round (the mock starts every round, and its warm-up, from its fixtures). */
export function roundSeconds(plan: Pick<Plan, 'load' | 'rounds'>): number {
  return Math.max(1, Math.round(plan.load.seconds / plan.rounds));
}

async function measureRow(row: Row, targets: Target[], plan: Plan): Promise<void> {
  const runs = targets.map((target) => ({ target, reqs: row.scenario.requests(), tally: new Tally(), warmed: false }));
  const connections = plan.load.connections;
  for (let round = 0; round < plan.rounds; round++) {
    for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
      if (!run.warmed) {
        await prepare(run.target, row.scenario);
        await warm(run.target.url, run.reqs, { connections, seconds: plan.warmup });
        run.warmed = true;
      }
      await prepare(run.target, row.scenario);
      await load(run.target.url, run.reqs, { connections, seconds: roundSeconds(plan) }, run.tally, run.target.cpuMs);
    }
  }
  for (const { target, tally } of runs) {
    const m = (row.runs[target.kind] = tally.result());
    const statuses = Object.entries(m.statuses)
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
    plan.log(
      `  ${target.kind.padEnd(7)} ${row.scenario.id.padEnd(13)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  ${m.cpuUs.toFixed(0)} µs CPU/answer  ${statuses}`,
    );
  }
}

/** A first pass over every scenario on every server, so that no server meets its first measured scenario with cold code. */
async function warmAll(rows: Row[], targetsOf: (row: Row) => Target[], plan: Plan): Promise<void> {
  for (const row of rows) {
    for (const target of targetsOf(row)) {
      await prepare(target, row.scenario);
      await warm(target.url, row.scenario.requests(), { connections: plan.load.connections, seconds: 1 });
    }
  }
}

async function startOthers(
  plan: Plan,
  bodiesFile: string,
  started: Target[],
  prisms: Map<string, Target>,
): Promise<void> {
  for (const kind of ['http', 'express'] as const) {
    if (plan.servers.includes(kind)) started.push(await startCeiling(kind, bodiesFile));
  }
  if (!plan.servers.includes('prism')) return;
  for (const api of ['waldur', 'maple'] as const) {
    if (!plan.scenarios.some((s) => s.api === api)) continue;
    const prism = await startPrism(`${api}-credits.yaml`);
    started.push(prism);
    prisms.set(api, prism);
  }
}

export async function runTargets(plan: Plan): Promise<TargetsResult> {
  const rows: Row[] = plan.scenarios.map((scenario) => ({ scenario, runs: {} }));
  const mock = await startMock(plan.world.file);
  const started: Target[] = [mock];
  const prisms = new Map<string, Target>();
  try {
    await startOthers(plan, await captureBodies(mock, plan.scenarios), started, prisms);
    for (const t of started) plan.log(`${t.kind} up in ${t.startMs.toFixed(0)} ms at ${t.url}`);
    const ceilings = started.filter((t) => t.kind === 'http' || t.kind === 'express');
    const targetsOf = (row: Row) => {
      const prism = prisms.get(row.scenario.api);
      return [mock, ...ceilings, ...(prism ? [prism] : [])];
    };
    await warmAll(rows, targetsOf, plan);
    for (const row of rows) await measureRow(row, targetsOf(row), plan);
    const startMs: TargetsResult['startMs'] = Object.fromEntries(ceilings.map((t) => [t.kind, t.startMs]));
    if (prisms.has('waldur')) startMs.prism = prisms.get('waldur')!.startMs;
    if (prisms.has('maple')) startMs['prism-maple'] = prisms.get('maple')!.startMs;
    const mockMemory = mock.memory();
    let afterWrite: Measured | null = null;
    if (plan.scenarios.some((s) => s.api === 'waldur')) {
      await reset(mock.url);
      afterWrite = await listAfterWrite(mock.url, plan.world, Math.min(plan.load.seconds, 5));
      plan.log(
        `  mock    list after a PATCH  p50 ${afterWrite.p50.toFixed(2)} ms  p99 ${afterWrite.p99.toFixed(2)} ms`,
      );
    }
    return { rows, mockMemory, startMs, afterWrite };
  } finally {
    for (const t of started) await t.stop();
  }
}
