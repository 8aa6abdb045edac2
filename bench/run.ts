/**
 * `npm run bench`: the mock against Prism 5.14.2 and against the machine's
 * ceilings (bare node:http, bare Express 5), one server under load at a time,
 * the load generator in this process. Writes bench/results.md.
 *
 *   npm run bench -- [--duration 10] [--warmup 2] [--rounds 2] [--connections 50] [--only waldur|maple]
 *     [--servers mock,http,express,prism] [--scenarios list-p1,retrieve,…] [--no-build] [--no-start] [--no-large] [--no-sessions]
 *     [--no-persistence] [--out FILE]
 *     [--no-observability | --observability-only]   (the journal and log's cost: bench/observability.ts; "only" prints it, writes nothing)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readMapleWorld, removeFixtureFiles, writeWaldurWorld, type WaldurWorld } from './fixtures.js';
import { measureLarge, measureStartup } from './large.js';
import { measurePersistence } from './persistence.js';
import { measureObservability, observabilitySection } from './observability.js';
import { roundSeconds, runTargets, type Plan } from './phases.js';
import { writeReport } from './report.js';
import { measureSessions } from './sessions.js';
import { mapleAvailable, mapleScenarios, waldurScenarios, type Scenario } from './scenarios.js';
import { ROOT, startMock, type ServerKind } from './servers.js';

const CREDITS = 10_000;
const LARGE = 100_000;
/**
 * Spare customers per second of create load, well above what the mock has been
 * seen to create (8,300/s on 2 cores), so that every create finds a customer
 * without a credit between two resets.
 */
const CREATES_PER_SECOND = 20_000;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' },
      only: { type: 'string' },
      servers: { type: 'string', default: 'mock,http,express,prism' },
      scenarios: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'no-large': { type: 'boolean', default: false },
      'no-persistence': { type: 'boolean', default: false },
      'no-start': { type: 'boolean', default: false },
      'no-sessions': { type: 'boolean', default: false },
      'no-observability': { type: 'boolean', default: false },
      'observability-only': { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(ROOT, 'bench', 'results.md') },
    },
  });
  if (values.only !== undefined && !['waldur', 'maple'].includes(values.only))
    throw new Error('--only takes waldur or maple');
  return {
    seconds: Number(values.duration),
    warmup: Number(values.warmup),
    rounds: Math.max(1, Number(values.rounds)),
    connections: Number(values.connections),
    only: values.only as 'waldur' | 'maple' | undefined,
    servers: values.servers.split(',') as ServerKind[],
    pick: values.scenarios?.split(','),
    build: !values['no-build'],
    large: !values['no-large'],
    persistence: !values['no-persistence'],
    start: !values['no-start'],
    sessions: !values['no-sessions'],
    observability: values['observability-only'] ? ('only' as const) : !values['no-observability'],
    out: values.out,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Which scenarios run: Waldur always (unless --only maple); Maple when the mock answers it. */
async function scenariosFor(
  world: WaldurWorld,
  only: 'waldur' | 'maple' | undefined,
): Promise<{ scenarios: Scenario[]; maple: string }> {
  const scenarios = only === 'maple' ? [] : waldurScenarios(world);
  if (only === 'waldur') return { scenarios, maple: 'not run (--only waldur)' };
  const maple = readMapleWorld();
  const probe = await startMock(world.file);
  const available = await mapleAvailable(probe.url, maple).finally(() => probe.stop());
  if (!available || !maple)
    return {
      scenarios,
      maple: maple ? 'not available: the mock does not answer the Maple API' : 'not available: no fixtures/maple.json',
    };
  return {
    scenarios: [...scenarios, ...mapleScenarios(maple)],
    maple: `company ${maple.company}, ${maple.customers.length} customers`,
  };
}

async function main(): Promise<void> {
  const opts = options();
  const plan0 = { load: { connections: opts.connections, seconds: opts.seconds }, rounds: opts.rounds };
  const started = Date.now();
  if (opts.build) {
    log('building (npm run build) …');
    try {
      execFileSync(
        process.execPath,
        [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        { cwd: ROOT, stdio: 'inherit' },
      );
    } catch {
      log('the build reported type errors (above); tsc still wrote dist/, which is what runs');
    }
  }
  // Between two resets the creates may run through the first second of warm-up, a warm-up and a round.
  const spare = opts.only === 'maple' ? 0 : Math.ceil((1 + opts.warmup + roundSeconds(plan0)) * CREATES_PER_SECOND);
  const world = writeWaldurWorld(CREDITS, spare);
  log(
    `fixtures: ${world.credits} credits (${world.matching} match customer_name=${world.needle}), ${spare} spare customers`,
  );
  try {
    const { scenarios: all, maple } = await scenariosFor(world, opts.only);
    const scenarios = opts.pick ? all.filter((s) => opts.pick!.includes(s.id)) : all;
    log(`Maple: ${maple}`);
    const plan: Plan = { ...plan0, world, scenarios, servers: opts.servers, warmup: opts.warmup, log };
    if (opts.observability === 'only') {
      process.stdout.write(`${observabilitySection(await measureObservability(plan)).lines.join('\n')}\n`);
      return;
    }
    const loadBefore = loadavg();
    const targets = await runTargets(plan);
    const observability = opts.observability ? await measureObservability(plan) : null;
    const startup = opts.start ? await measureStartup(log) : null;
    const sessions = opts.sessions ? await measureSessions(log) : null;
    const large = opts.large && opts.only !== 'maple' ? await measureLarge(writeWaldurWorld(LARGE, 0), plan) : null;
    const persistence = opts.persistence ? await measurePersistence(world, plan) : null;
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const wallSeconds = (Date.now() - started) / 1000;
    writeFileSync(
      opts.out,
      writeReport({
        targets,
        startup,
        sessions,
        large,
        persistence,
        observability,
        maple,
        command,
        plan,
        wallSeconds,
        loadavg: [loadBefore, loadavg()],
      }),
    );
    log(`wrote ${path.relative(process.cwd(), opts.out)} in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    removeFixtureFiles();
  }
}

main().catch((err: unknown) => {
  log(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
