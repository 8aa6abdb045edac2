/**
 * The worst single requests the mock knows on a 100,000-credit world, one at
 * a time (so each one's time is the time it holds the event loop, plus what
 * the machine's other work adds): the longest `search` a Maple find or
 * logs/find takes, a search that matches every credit, and Waldur lists with
 * a filter × ordering never seen before (nothing kept to reuse). Target: each
 * under 50 ms.
 *
 * Part of the large-world phase of `npm run bench`; alone (after `npm run build`):
 *   npx tsx bench/worst.ts [--credits 100000] [--requests 20]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { removeFixtureFiles, tempFile, writeWaldurWorld, type WaldurWorld } from './fixtures.js';
import { ROOT, STAFF, startMock } from './servers.js';

/** The longest text the find queries and the Waldur text filters take (README: Limits). */
const MAX_TEXT = 1000;
export const WORST_TARGET_MS = 50;
/** Requests of each case sent with a health check alongside. */
const HEALTH_CHECKS = 5;

export interface WorstCase {
  id: string;
  title: string;
  count: number;
  p50: number;
  max: number;
  /** The server's CPU time per request (10 ms ticks, so a mean over the run). */
  cpuMs: number;
  /** The CPU time the server's event-loop thread spent on each request (ns resolution): its median and its max. */
  loopP50: number;
  loopMax: number;
  /** The longest wait for `GET /__admin/health` sent 1 ms after a request of the case (five more requests). */
  healthMax: number;
  statuses: Record<string, number>;
}

/** The default Maple fixtures with `credits` AMOUNT credits in all in the first company (ISSUED entries derived at load). */
export function writeMapleWorld(credits: number): { file: string; company: string; token: string } {
  const doc = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'maple.json'), 'utf8')) as {
    companies: { id: string; tokens: string[]; customers: { id: string }[]; credits: Record<string, unknown>[] }[];
  };
  const company = doc.companies[0]!;
  const customers = company.customers.map((c) => c.id);
  for (let i = company.credits.length; i < credits; i++) {
    company.credits.push({
      id: `crd_W${String(i).padStart(9, '0')}`,
      customer_id: customers[i % customers.length],
      name: `Generated credit ${i}`,
      type: 'AMOUNT',
      amount: { currency: 'USD', value_in_cents: 100 + (i % 10_000) },
      created_at: new Date(Date.UTC(2026, 9, 20) + i * 1000).toISOString(), // after the fixtures' credits, as new ones come
    });
  }
  const file = tempFile(`maple-${credits}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return { file, company: company.id, token: company.tokens[0]! };
}

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Every ordering of 1 to 3 distinct keys with signs: each request gets one not used before. */
function freshOrderings(): string[] {
  const keys = ['value', 'customer_name', 'end_date', 'expected_consumption'];
  const signed = keys.flatMap((k) => [k, `-${k}`]);
  const out: string[] = [];
  for (const a of signed)
    for (const b of signed)
      for (const c of signed) {
        const names = [a, b, c].map((t) => t.replace(/^-/, ''));
        if (new Set(names).size === 3) out.push(`${a},${b},${c}`);
      }
  return out;
}

const letters = (i: number, n: number) =>
  Array.from({ length: n }, (_, j) => String.fromCharCode(97 + ((i * 7 + j * 13) % 26))).join('');

function cases(world: WaldurWorld, maple: { company: string; token: string }) {
  const mapleHeaders = { Authorization: `Bearer ${maple.token}`, 'Content-Type': 'application/json' };
  const find = (suffix: string, query: Record<string, string>): Req => ({
    method: 'POST',
    path: `/api/v1/companies/${maple.company}/credits${suffix}`,
    headers: mapleHeaders,
    body: JSON.stringify({ pagination: { limit: 100 }, sort_key: 'createdAtDesc', include_meta: true, query }),
  });
  const orderings = freshOrderings();
  const needle = world.needle;
  return [
    {
      id: 'maple-find-long',
      title: `Maple find, a ${MAX_TEXT}-character search (the longest allowed)`,
      make: (i: number) => find('/find', { search: `${letters(i, 8)}${'x'.repeat(MAX_TEXT - 8)}` }),
    },
    {
      id: 'maple-find-all',
      title: 'Maple find, a search every credit matches',
      make: () => find('/find', { search: 'crd_' }),
    },
    {
      id: 'maple-logs-long',
      title: `Maple logs/find, a ${MAX_TEXT}-character search`,
      make: (i: number) => find('/logs/find', { search: `${letters(i, 8)}${'y'.repeat(MAX_TEXT - 8)}` }),
    },
    {
      id: 'waldur-fresh-filter-order',
      title: `Waldur list, customer_name × a 3-key ordering never seen before (~half the credits match)`,
      make: (i: number) => ({
        method: 'GET',
        path: `/api/customer-credits/?customer_name=${needle.slice(i % 3, needle.length - ((i >> 2) % 2))}&o=${orderings[i]}&page_size=300`,
        headers: STAFF,
      }),
    },
    {
      id: 'waldur-fresh-order',
      title: 'Waldur list, no filter, a 3-key ordering never seen before (all credits sorted)',
      make: (i: number) => ({
        method: 'GET',
        path: `/api/customer-credits/?o=${orderings[orderings.length - 1 - i]}&page=2`,
        headers: STAFF,
      }),
    },
    {
      id: 'waldur-long-query',
      title: `Waldur list, a ${MAX_TEXT}-character query never seen before, with an ordering`,
      make: (i: number) => ({
        method: 'GET',
        path: `/api/customer-credits/?query=${letters(i, 6)}${'q'.repeat(MAX_TEXT - 6)}&o=-value`,
        headers: STAFF,
      }),
    },
  ];
}

async function timed(url: string, req: Req): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url + req.path, { method: req.method, headers: req.headers, body: req.body });
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

/** Runs each case `requests` times, one request at a time, on a mock holding both 100,000-credit worlds. */
export async function measureWorst(
  world: WaldurWorld,
  credits: number,
  requests: number,
  log: (line: string) => void,
): Promise<WorstCase[]> {
  const maple = writeMapleWorld(credits);
  const mock = await startMock(world.file, [], maple.file);
  log(`mock with ${world.credits} Waldur and ${credits} Maple credits up in ${mock.startMs.toFixed(0)} ms`);
  const out: WorstCase[] = [];
  try {
    // This process's first fetch loads its HTTP client (tens of ms): not the server's time, so not in the first case's.
    await (await fetch(`${mock.url}/__admin/health`)).arrayBuffer();
    for (const c of cases(world, maple)) {
      const times: number[] = [];
      const loop: number[] = [];
      const statuses: Record<string, number> = {};
      const cpuBefore = mock.cpuMs();
      for (let i = 0; i < requests; i++) {
        // One request at a time: the event loop's CPU time between its start and its answer is that request's.
        const loopBefore = mock.loopCpuMs();
        const r = await timed(mock.url, c.make(i));
        loop.push(mock.loopCpuMs() - loopBefore);
        times.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
      const cpuMs = (mock.cpuMs() - cpuBefore) / requests;
      times.sort((a, b) => a - b);
      loop.sort((a, b) => a - b);
      // Then a health check alongside: it waits for whatever of the request still holds the event loop.
      const health: number[] = [];
      for (let j = 0; j < HEALTH_CHECKS; j++) {
        const running = timed(mock.url, c.make(requests + j));
        await sleep(1);
        health.push((await timed(mock.url, { method: 'GET', path: '/__admin/health', headers: {} })).ms);
        await running;
      }
      const w = {
        id: c.id,
        title: c.title,
        count: requests,
        p50: times[Math.floor(times.length / 2)]!,
        max: times[times.length - 1]!,
        cpuMs,
        loopP50: loop[Math.floor(loop.length / 2)]!,
        loopMax: loop[loop.length - 1]!,
        healthMax: Math.max(...health),
        statuses,
      };
      out.push(w);
      log(
        `  worst ${w.id.padEnd(26)} p50 ${w.p50.toFixed(1)} ms  max ${w.max.toFixed(1)} ms  cpu ${w.cpuMs.toFixed(1)} ms/request  loop p50 ${w.loopP50.toFixed(1)} max ${w.loopMax.toFixed(1)} ms  health alongside max ${w.healthMax.toFixed(1)} ms  ${JSON.stringify(statuses)}`,
      );
    }
    return out;
  } finally {
    await mock.stop();
  }
}

/** The report's lines for these cases. */
export function worstSection(worst: WorstCase[]): string[] {
  return [
    `The worst single requests, one at a time on the same 100,000-credit worlds (target: under ${WORST_TARGET_MS} ms each; the time includes what the machine's other work adds, the CPU time does not; the event loop's CPU time is the server main thread's, request by request; five more requests each had a health check sent 1 ms after them):`,
    '',
    '| request | n | p50 | max | server CPU per request | event loop p50 | event loop max | health check alongside, max | answers |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...worst.map(
      (w) =>
        `| ${w.title} | ${w.count} | ${w.p50.toFixed(1)} ms | ${w.max.toFixed(1)} ms | ${w.cpuMs.toFixed(1)} ms | ${w.loopP50.toFixed(1)} ms | ${w.loopMax.toFixed(1)} ms | ${w.healthMax.toFixed(1)} ms | ${JSON.stringify(w.statuses)} |`,
    ),
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { credits: { type: 'string', default: '100000' }, requests: { type: 'string', default: '20' } },
  });
  const credits = Number(values.credits);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const world = writeWaldurWorld(credits, 0);
    for (const line of worstSection(await measureWorst(world, credits, Number(values.requests), log)))
      process.stdout.write(`${line}\n`);
  } finally {
    removeFixtureFiles();
  }
}
