/**
 * Fuzzing the whole mock in-process with the strict self-check on: thousands
 * of generated requests over every operation of the Waldur, Maple and
 * control APIs (src/test-support/fuzz-requests.ts). No answer may be a 5xx or
 * break the spec, every refusal is in its API's shape, and a refused write
 * changes nothing. FUZZ_SEED and FUZZ_REQUESTS override the defaults; every
 * failure names the seed and the request's index. With the refused-write phase,
 * about 5,000 requests in all. `npm run fuzz` runs longer ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/mock-server.js';
import { generateRequests, type FuzzOperation } from '../test-support/fuzz-requests.js';
import { checkRefusedWrites, knownOf, loadOperations, runFuzz } from '../test-support/fuzz-run.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const COUNT = Number(process.env.FUZZ_REQUESTS ?? 4500);

let server: TestServer;
let ops: FuzzOperation[];
beforeAll(async () => {
  server = await startTestServer();
  ops = await loadOperations();
});
afterAll(() => server.close());

describe(`fuzz (seed ${SEED})`, () => {
  it('covers every operation of the three specs', () => {
    const apis = new Set(ops.map((o) => o.api));
    expect([...apis].sort()).toEqual(['admin', 'maple', 'waldur']);
    expect(ops.length).toBeGreaterThanOrEqual(49);
    const requests = generateRequests(ops, knownOf(server), SEED, COUNT);
    const covered = new Set(requests.map((r) => r.label.split(' ')[2]));
    expect(ops.filter((o) => !covered.has(o.operationId)).map((o) => o.operationId)).toEqual([]);
  });

  it(`${COUNT} generated requests: no 5xx, no dropped connection, every refusal in its API's shape, no contract violation`, async () => {
    const requests = generateRequests(ops, knownOf(server), SEED, COUNT);
    const result = await runFuzz(server.url, requests, 6);
    const refused = Object.entries(result.byStatus)
      .filter(([s]) => Number(s) >= 400)
      .reduce((n, [, c]) => n + c, 0);
    expect(result.failures.slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(server.violations.slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(result.sent).toBe(COUNT);
    // The generator reaches both sides: answers served and answers refused.
    expect(refused).toBeGreaterThan(COUNT / 4);
    expect(COUNT - refused).toBeGreaterThan(COUNT / 10);
  }, 120_000);

  it('a refused write changes nothing (stores, clock and settings compared around each one)', async () => {
    const result = await checkRefusedWrites(server, ops, SEED + 1, 700);
    expect(result.failures.slice(0, 10), `seed ${SEED + 1}`).toEqual([]);
    expect(server.violations.slice(0, 10)).toEqual([]);
    expect(result.refused).toBeGreaterThan(result.sent / 3);
  }, 120_000);
});
