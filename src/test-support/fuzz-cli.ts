/**
 * `npm run fuzz -- --requests N --seed S [--concurrency C]`: the fuzz test's
 * run (src/http/fuzz.test.ts) at any length, against the mock in-process with
 * the strict self-check. Prints what came back and every failure with the
 * request that caused it; exits 1 when there is one.
 */
import { parseArgs } from 'node:util';
import { startTestServer } from './mock-server.js';
import { generateRequests } from './fuzz-requests.js';
import { checkRefusedWrites, knownOf, loadOperations, runFuzz } from './fuzz-run.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '6' },
  },
});
const count = Number(values.requests);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const concurrency = Number(values.concurrency);
if (
  !Number.isSafeInteger(count) ||
  count < 1 ||
  !Number.isSafeInteger(seed) ||
  !Number.isSafeInteger(concurrency) ||
  concurrency < 1
) {
  process.stderr.write('usage: npm run fuzz -- --requests N --seed S [--concurrency C]\n');
  process.exit(2);
}

const server = await startTestServer();
const ops = await loadOperations();
const started = performance.now();
const result = await runFuzz(server.url, generateRequests(ops, knownOf(server), seed, count), concurrency);
const refusedWrites = await checkRefusedWrites(server, ops, seed + 1, Math.max(100, Math.floor(count / 10)));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
await server.close();

const failures = [...result.failures, ...refusedWrites.failures, ...server.violations.map((v) => `self-check: ${v}`)];
const statuses = Object.entries(result.byStatus)
  .map(([s, n]) => `${s}×${n}`)
  .join(' ');
process.stdout.write(
  `fuzz seed ${seed}: ${result.sent} requests over ${ops.length} operations in ${seconds}s — ${statuses}\n`,
);
process.stdout.write(
  `refused writes (state compared around each): ${refusedWrites.refused} of ${refusedWrites.sent}\n`,
);
process.stdout.write(`slowest: ${result.slowest.map((s) => `${s.label} ${s.ms.toFixed(0)}ms`).join('; ')}\n`);
for (const f of failures) process.stdout.write(`FAIL ${f}\n`);
process.stdout.write(`${failures.length === 0 ? 'ok' : `${failures.length} failures`} (seed ${seed})\n`);
process.exit(failures.length === 0 ? 0 : 1);
