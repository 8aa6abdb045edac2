/**
 * Sends generated requests (fuzz-requests.ts) to a running mock with a small
 * concurrency and judges every answer: never 5xx (but for a failure the
 * control API injected on purpose), never a dropped connection, and every
 * refusal in its API's own error shape.
 */
import { Agent } from 'node:http';
import { sendRaw, type RawResponse } from './raw-http.js';
import { generateRequests, loadOperations, type FuzzOperation, type FuzzRequest, type Known } from './fuzz-requests.js';
import type { TestServer } from './mock-server.js';

export interface FuzzResult {
  sent: number;
  byStatus: Record<string, number>;
  failures: string[];
  /** The slowest requests, for a look (never asserted: the machine is shared). */
  slowest: { label: string; ms: number }[];
}

/** An answer that is a bug: a 5xx or an error shape the path's API does not use. */
export function judge(req: FuzzRequest, res: RawResponse): string | null {
  const body = res.json as Record<string, unknown> | undefined;
  if (res.status >= 500) {
    const injected =
      (req.api === 'maple' && res.status === 500 && body?.error_code === 'injected_fault') ||
      (req.api === 'waldur' && res.headers['x-credits-mock-fault'] === 'injected');
    return injected ? null : `${res.status}: ${res.text.slice(0, 300)}`;
  }
  if (
    res.status < 400 ||
    req.method === 'HEAD' ||
    (res.status === 404 && req.api !== 'maple' && body?.detail === 'Not found.')
  )
    return null;
  const shaped =
    req.api === 'waldur'
      ? typeof body === 'object' && body !== null // DRF: {detail}, field errors, or a bare list of messages
      : req.api === 'maple'
        ? typeof body?.error_type === 'string' && body.error_status === res.status
        : typeof body?.error === 'string' && Array.isArray(body.problems);
  return shaped ? null : `${res.status} not in the ${req.api} error shape: ${res.text.slice(0, 300)}`;
}

/** Sends `requests` `concurrency` at a time over keep-alive connections. */
export async function runFuzz(baseUrl: string, requests: readonly FuzzRequest[], concurrency = 6): Promise<FuzzResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const result: FuzzResult = { sent: 0, byStatus: {}, failures: [], slowest: [] };
  const times: { label: string; ms: number }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const req = requests[next++]!;
      const started = performance.now();
      let res: RawResponse;
      try {
        res = await sendRaw(baseUrl, req, agent);
      } catch (err) {
        result.failures.push(`${describe(req)} → no answer: ${(err as Error).message}`);
        continue;
      }
      times.push({ label: req.label, ms: performance.now() - started });
      result.sent += 1;
      result.byStatus[res.status] = (result.byStatus[res.status] ?? 0) + 1;
      const problem = judge(req, res);
      if (problem) result.failures.push(`${describe(req)} → ${problem}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  result.slowest = times.sort((a, b) => b.ms - a.ms).slice(0, 5);
  return result;
}

export function describe(req: FuzzRequest): string {
  const body = req.body === undefined ? '' : ` body ${JSON.stringify(req.body.toString('utf8').slice(0, 200))}`;
  return `${req.label}: ${req.method} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 200)}${body}`;
}

/** The ids the generator aims at: those of the server's fixtures. */
export function knownOf(server: Pick<TestServer, 'store' | 'mapleStore'>): Known {
  const s = server.store;
  const companies = server.mapleStore.export().companies;
  return {
    waldur: {
      customerCredits: [...s.customerCredits.all()].map((c) => c.uuid),
      projectCredits: [...s.projectCredits.all()].map((c) => c.uuid),
      customers: [...s.customers.all()].map((c) => c.uuid),
      projects: [...s.projects.all()].map((p) => p.uuid),
      tokens: [...s.users.all()].map((u) => u.token),
    },
    maple: {
      companies: companies.map((c) => c.id),
      credits: companies.flatMap((c) => c.credits.map((x) => x.id)),
      customers: companies.flatMap((c) => c.customers.map((x) => x.id)),
      tokens: companies.flatMap((c) => c.tokens),
    },
  };
}

export { loadOperations };

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Generated writes, one at a time, the server's stores, clock and settings
 * compared around each one refused: a refusal changes nothing. The clock is
 * frozen first, and after each accepted write a read lets the month-end and
 * expiry runs that any next request would start happen before the next comparison.
 */
export async function checkRefusedWrites(
  server: TestServer,
  ops: readonly FuzzOperation[],
  seed: number,
  count: number,
): Promise<{ sent: number; refused: number; failures: string[] }> {
  server.clock.set(new Date('2026-11-15T10:00:00Z'), true);
  await sendRaw(server.url, { method: 'POST', path: '/__admin/reset' });
  const writes = ops.filter((o) => WRITES.includes(o.method) && o.operationId !== 'adminSetClock');
  const requests = generateRequests(writes, knownOf(server), seed, count).filter((r) => WRITES.includes(r.method));
  const snapshot = () =>
    JSON.stringify([
      server.store.export(),
      server.mapleStore.export(),
      server.clock.now().toISOString(),
      server.clock.frozen,
      server.mapleSettings,
    ]);
  await settle(server.url);
  let refused = 0;
  const failures: string[] = [];
  for (const req of requests) {
    const before = snapshot();
    const res = await sendRaw(server.url, req);
    const problem = judge(req, res);
    if (problem) failures.push(`${describe(req)} → ${problem}`);
    if (res.status >= 400) {
      refused += 1;
      if (snapshot() !== before) failures.push(`${describe(req)} → ${res.status} but the state changed`);
    } else await settle(server.url);
  }
  return { sent: requests.length, refused, failures };
}

const SETTLE: FuzzRequest[] = [
  {
    label: 'settle',
    api: 'waldur',
    method: 'GET',
    path: '/api/customer-credits/',
    headers: { Authorization: 'Token staff-token' },
  },
  {
    label: 'settle',
    api: 'maple',
    method: 'POST',
    path: '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits/find',
    headers: { Authorization: 'Bearer maple-token', 'Content-Type': 'application/json' },
    body: Buffer.from('{"pagination":{"limit":1},"sort_key":"createdAtAsc"}'),
  },
];

async function settle(url: string): Promise<void> {
  for (const c of SETTLE) await sendRaw(url, c);
}
