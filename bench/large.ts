import type autocannon from 'autocannon';
import type { WaldurWorld } from './fixtures.js';
import { load, Tally, warm, type Measured } from './load.js';
import type { Plan } from './phases.js';
import { performance } from 'node:perf_hooks';
import { STAFF, startMock } from './servers.js';
import { measureWorst, type WorstCase } from './worst.js';

/** The start time on the default fixtures, and the mock holding 100,000 credits. */
export interface Startup {
  /** Spawn to first 200, the mock on its default fixtures, each try. */
  mockMs: number[];
  rss: number;
}

export async function measureStartup(log: Plan['log'], tries = 5): Promise<Startup> {
  const mockMs: number[] = [];
  let rss = NaN;
  for (let i = 0; i < tries; i++) {
    const mock = await startMock();
    mockMs.push(mock.startMs);
    rss = mock.memory().rss;
    await mock.stop();
  }
  log(`start to first 200 (default fixtures): ${mockMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  return { mockMs, rss };
}

export interface Large {
  credits: number;
  startMs: number;
  /** Once up; once the first list page has been served (its kept views and orders made); after every case below. */
  loaded: { rss: number; peak: number };
  listed: { rss: number; peak: number };
  after: { rss: number; peak: number };
  runs: { id: string; title: string; m: Measured }[];
  /** The worst single requests (worst.ts), on a mock of its own holding 100,000 Maple credits too. */
  worst?: WorstCase[];
}

const ORDERINGS = ['-value', 'value', 'customer_name', '-customer_name', 'end_date', '-end_date'];

/** Every substring of `word` of 4 letters or more: as many filters that match the same customers. */
function substrings(word: string): string[] {
  const out: string[] = [];
  for (let len = 4; len <= word.length; len++)
    for (let i = 0; i + len <= word.length; i++) out.push(word.slice(i, i + len));
  return out;
}

function cases(world: WaldurWorld): { id: string; title: string; req: autocannon.Request }[] {
  const list = `/api/customer-credits/?customer_name=${world.needle}&o=-value&page_size=10`;
  const middle = Math.ceil(world.matching / 10 / 2);
  const needles = substrings(world.needle);
  let n = 0;
  const fresh: autocannon.Request = {
    method: 'GET',
    headers: STAFF,
    setupRequest: (req) => {
      const [needle, o] = [needles[n % needles.length]!, ORDERINGS[Math.floor(n / needles.length) % ORDERINGS.length]!];
      n += 1;
      return { ...req, path: `/api/customer-credits/?customer_name=${needle}&o=${o}&page_size=10` };
    },
  };
  return [
    {
      id: 'list-p1',
      title: 'list page 1 (the same query each request)',
      req: { method: 'GET', path: list, headers: STAFF },
    },
    {
      id: 'list-mid',
      title: `list page ${middle} (the same query each request)`,
      req: { method: 'GET', path: `${list}&page=${middle}`, headers: STAFF },
    },
    {
      id: 'list-new',
      title: `list page 1, another filter × ordering each request (${needles.length * ORDERINGS.length} in turn)`,
      req: fresh,
    },
  ];
}

/**
 * A list page right after a write (a PATCH of another credit each time): the
 * changed credit is moved in the kept orders and results. Sequential, one
 * client: `seconds` of PATCH + GET pairs, the GETs timed.
 */
export async function listAfterWrite(url: string, world: WaldurWorld, seconds: number): Promise<Measured> {
  const tally = new Tally();
  const list = `${url}/api/customer-credits/?customer_name=${world.needle}&o=-value&page_size=10`;
  const started = performance.now();
  for (let n = 0; performance.now() - started < seconds * 1000; n++) {
    const uuid = world.creditUuids[(n * 7919) % world.creditUuids.length];
    const patch = await fetch(`${url}/api/customer-credits/${uuid}/`, {
      method: 'PATCH',
      headers: { ...STAFF, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: `${100 + (n % 900)}.50` }),
    });
    await patch.arrayBuffer();
    const t = performance.now();
    const res = await fetch(list, { headers: STAFF });
    await res.arrayBuffer();
    tally.add(performance.now() - t, res.status);
  }
  tally.ran((performance.now() - started) / 1000, 0, 0);
  return tally.result();
}

/** 100,000 credits: memory, and list latency at one connection (one client waiting for its page). */
export async function measureLarge(world: WaldurWorld, plan: Plan): Promise<Large> {
  const mock = await startMock(world.file);
  plan.log(
    `mock with ${world.credits} credits up in ${mock.startMs.toFixed(0)} ms, ${mock.memory().rss.toFixed(0)} MB resident`,
  );
  const loaded = mock.memory();
  const runs: Large['runs'] = [];
  const opts = { connections: 1, seconds: Math.min(plan.load.seconds, 5) };
  let listed = loaded;
  let result: Large;
  try {
    for (const c of cases(world)) {
      await warm(mock.url, [c.req], { connections: 1, seconds: 1 });
      if (runs.length === 0) listed = mock.memory();
      const tally = new Tally();
      await load(mock.url, [c.req], opts, tally, mock.cpuMs);
      runs.push({ id: c.id, title: c.title, m: tally.result() });
    }
    runs.push({
      id: 'list-after-write',
      title: 'list page 1 right after a PATCH (the changed credit moved in the kept list)',
      m: await listAfterWrite(mock.url, world, opts.seconds),
    });
    for (const r of runs)
      plan.log(
        `  100k ${r.id.padEnd(16)} ${r.m.rps.toFixed(0)} req/s  p50 ${r.m.p50.toFixed(2)} ms  p99 ${r.m.p99.toFixed(2)} ms  ${JSON.stringify(r.m.statuses)}`,
      );
    result = { credits: world.credits, startMs: mock.startMs, loaded, listed, after: mock.memory(), runs };
  } finally {
    await mock.stop();
  }
  result.worst = await measureWorst(world, world.credits, 20, plan.log);
  return result;
}
