import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WaldurWorld } from './fixtures.js';
import { load, Tally, warm, type Measured } from './load.js';
import type { Plan } from './phases.js';
import type { Scenario } from './scenarios.js';
import { startMock, type Target } from './servers.js';

/**
 * What --state-dir costs: CPU µs per answer of the writing scenarios with the
 * journal on and off, measured in alternating rounds (one run, so the ratio
 * compares numbers taken close together); and what the mock's growing memory
 * costs: resident memory after 100,000 Maple creates with and without an
 * Idempotency-Key.
 */
export interface PersistenceCost {
  writes: { id: string; title: string; memory: Measured; stateDir: Measured }[];
  growth: { creates: number; base: number; unkeyed: number; keyed: number } | null;
}

const WRITES = ['patch', 'create', 'maple-create', 'maple-consume'];

export async function measurePersistence(world: WaldurWorld, plan: Plan, creates = 100_000): Promise<PersistenceCost> {
  const dir = mkdtempSync(path.join(tmpdir(), 'credits-mock-state-bench-'));
  const memory = await startMock(world.file);
  const persisted = await startMock(world.file, ['--state-dir', dir]);
  const writes: PersistenceCost['writes'] = [];
  try {
    for (const s of plan.scenarios.filter((x) => WRITES.includes(x.id))) {
      const runs = [memory, persisted].map((target) => ({ target, tally: new Tally() }));
      const opts = {
        connections: plan.load.connections,
        seconds: Math.max(1, Math.round(plan.load.seconds / plan.rounds)),
      };
      for (const run of runs) {
        await prepare(run.target, s);
        await warm(run.target.url, s.requests(), { connections: opts.connections, seconds: plan.warmup });
      }
      for (let round = 0; round < plan.rounds * 2; round++) {
        for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
          await prepare(run.target, s);
          await load(run.target.url, s.requests(), opts, run.tally, run.target.cpuMs);
        }
      }
      const [m, p] = runs.map((r) => r.tally.result()) as [Measured, Measured];
      writes.push({ id: s.id, title: s.title, memory: m, stateDir: p });
      plan.log(
        `  ${s.id.padEnd(14)} memory ${m.cpuUs.toFixed(0)} µs/answer, --state-dir ${p.cpuUs.toFixed(0)} µs/answer (${(p.cpuUs / m.cpuUs).toFixed(2)}×)`,
      );
    }
  } finally {
    await memory.stop();
    await persisted.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const maple = plan.scenarios.find((s) => s.id === 'maple-create');
  return { writes, growth: maple ? await measureGrowth(maple, creates, plan) : null };
}

async function prepare(target: Target, s: Scenario): Promise<void> {
  const res = await fetch(`${target.url}/__admin/reset`, { method: 'POST' });
  await res.arrayBuffer();
  await s.setup?.(target.url);
}

/** Resident memory (MiB) after `creates` Maple creates, keyed and not, on the default fixtures. */
async function measureGrowth(create: Scenario, creates: number, plan: Plan): Promise<PersistenceCost['growth']> {
  const after = async (keyed: boolean): Promise<{ base: number; rss: number }> => {
    const mock = await startMock();
    try {
      const base = mock.memory().rss;
      const [req] = create.requests();
      const strip = (r: autocannon.Request): autocannon.Request => {
        const headers = { ...(r.headers as Record<string, string>) };
        delete headers['Idempotency-Key'];
        return { ...r, headers };
      };
      const setup = req!.setupRequest as (r: autocannon.Request, ctx: object) => autocannon.Request;
      const request = keyed
        ? req!
        : { ...req!, setupRequest: (r: autocannon.Request, ctx: object) => strip(setup(r, ctx)) };
      await new Promise<void>((resolve, reject) => {
        autocannon({ url: mock.url, connections: 20, amount: creates, requests: [request], timeout: 30 }, (err) =>
          err ? reject(err) : resolve(),
        );
      });
      return { base, rss: mock.memory().rss };
    } finally {
      await mock.stop();
    }
  };
  const unkeyed = await after(false);
  const keyed = await after(true);
  plan.log(
    `  ${creates} Maple creates: ${unkeyed.rss.toFixed(0)} MB resident without keys, ${keyed.rss.toFixed(0)} MB with (from ${unkeyed.base.toFixed(0)} MB)`,
  );
  return { creates, base: unkeyed.base, unkeyed: unkeyed.rss, keyed: keyed.rss };
}

/** The report's section on --state-dir and memory growth, and the targets it checks. */
export function persistenceSection(cost: PersistenceCost): {
  lines: string[];
  checks: { name: string; met: boolean; detail: string }[];
} {
  const lines = [
    'CPU µs per answer of the writing scenarios, the in-memory mock against the same build with `--state-dir` (every committed write journaled before its answer), measured in alternating rounds:',
    '',
    '| scenario | in memory | --state-dir | ratio |',
    '|---|---:|---:|---:|',
    ...cost.writes.map(
      (w) =>
        `| ${w.id} | ${w.memory.cpuUs.toFixed(0)} | ${w.stateDir.cpuUs.toFixed(0)} | ${(w.stateDir.cpuUs / w.memory.cpuUs).toFixed(2)}× |`,
    ),
  ];
  if (cost.growth) {
    const g = cost.growth;
    const perCredit = ((g.unkeyed - g.base) * 2 ** 20) / g.creates;
    const perKey = ((g.keyed - g.unkeyed) * 2 ** 20) / g.creates;
    lines.push(
      '',
      `Memory growth, default fixtures: ${n(g.creates)} Maple creates take the mock from ${g.base.toFixed(0)} MB to ${g.unkeyed.toFixed(0)} MB resident without an Idempotency-Key (about ${(perCredit / 1024).toFixed(1)} KiB per credit with its log entry), and to ${g.keyed.toFixed(0)} MB with a new key each (about ${(perKey / 1024).toFixed(1)} KiB more per stored key). Resident memory includes garbage not yet collected, so these are upper bounds.`,
    );
  }
  const checks = cost.writes.map((w) => ({
    name: `state-dir-${w.id}`,
    met: w.stateDir.cpuUs < 2 * w.memory.cpuUs,
    detail: `${w.id} with --state-dir: ${w.stateDir.cpuUs.toFixed(0)} µs/answer < 2 × ${w.memory.cpuUs.toFixed(0)} in memory`,
  }));
  return { lines, checks };
}

const n = (v: number) => v.toLocaleString('en');
