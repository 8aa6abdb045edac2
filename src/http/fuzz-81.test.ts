/**
 * The fuzz of fuzz.test.ts over the Waldur 8.1 profile: generated requests
 * over every operation of specs/waldur-credits-8.1.yaml, against a world on
 * the 8.1 profile, with the strict self-check against that spec. No 5xx, no
 * contract violation, every refusal in DRF's shape, and a refused write
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedFixtures, startTestServer, type TestServer } from '../test-support/mock-server.js';
import { generateRequests, type FuzzOperation } from '../test-support/fuzz-requests.js';
import { checkRefusedWrites, knownOf, loadOperations, runFuzz } from '../test-support/fuzz-run.js';
import { WALDUR_81_SPEC } from './waldur/waldur.api.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261281);
const COUNT = Number(process.env.FUZZ_REQUESTS ?? 1500);

let server: TestServer;
let ops: FuzzOperation[];
beforeAll(async () => {
  server = await startTestServer({ fixtures: shippedFixtures(), waldurVersion: '8.1' });
  ops = await loadOperations([['waldur', WALDUR_81_SPEC]]);
});
afterAll(() => server.close());

describe(`fuzz of the 8.1 profile (seed ${SEED})`, () => {
  it('covers every operation of the 8.1 spec, adjust_withdrawable included', () => {
    const covered = new Set(generateRequests(ops, knownOf(server), SEED, COUNT).map((r) => r.label.split(' ')[2]));
    expect(ops.map((o) => o.operationId)).toContain('customer_credits_adjust_withdrawable');
    expect(ops.filter((o) => !covered.has(o.operationId)).map((o) => o.operationId)).toEqual([]);
  });

  it(`${COUNT} generated requests: no 5xx, no dropped connection, every refusal in DRF's shape, no contract violation`, async () => {
    const result = await runFuzz(server.url, generateRequests(ops, knownOf(server), SEED, COUNT), 6);
    expect(result.failures.slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(server.violations.slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(result.sent).toBe(COUNT);
  }, 120_000);

  it('a refused write changes nothing', async () => {
    const result = await checkRefusedWrites(server, ops, SEED + 1, 400);
    expect(result.failures.slice(0, 10), `seed ${SEED + 1}`).toEqual([]);
    expect(server.violations.slice(0, 10)).toEqual([]);
    expect(result.refused).toBeGreaterThan(0);
  }, 120_000);
});
