/**
 * Parallel requests (docs/behaviour/maple.md §1.2 "consumption … scales reliably", Part 4
 * items 4 and 7): consumption never overdraws a balance, and one
 * Idempotency-Key creates one credit however many requests race for it.
 */
import { describe, expect, it } from 'vitest';
import {
  addFault,
  amountBody,
  amounts,
  balanceOf,
  consumeAmount,
  consumePath,
  creditsPath,
  expectError,
  FABRIKAM,
  findCredits,
  findLogs,
  issue,
  untilFaultsTaken,
  useMapleServer,
} from './maple-test-helpers.js';
import type { TestResponse } from '../../test-support/mock-server.js';

const server = useMapleServer();

const KEY = 'race-0b0e4c0e-9a53-4d7e-8f55-3c1a8f0d2b71';
const createKeyed = () =>
  server().maple('POST', creditsPath(), { body: amountBody(FABRIKAM, 4200), headers: { 'Idempotency-Key': KEY } });
const count = (answers: TestResponse[], status: number) => answers.filter((r) => r.status === status).length;

describe('parallel consumption', () => {
  it('balance 1000, 50 × 30 at once → exactly 33 × 200 and 17 × 400, balance 10, 33 CONSUMED entries', async () => {
    const credit = await issue(server(), amountBody(FABRIKAM, 1000));
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => server().maple('POST', consumePath(), { body: consumeAmount(FABRIKAM, 30) })),
    );
    expect(count(answers, 200)).toBe(33);
    expect(count(answers, 400)).toBe(17);
    for (const r of answers.filter((a) => a.status === 400))
      expectError(r, 400, 'request_error', 'insufficient_balance');
    const balances = answers.filter((a) => a.status === 200).map((a) => a.json.total_amount.USD as number);
    expect([...balances].sort((a, b) => b - a)).toEqual(Array.from({ length: 33 }, (_, i) => 970 - 30 * i));
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 10 }));
    const consumed = await findLogs(server(), { credit_id: credit.id, action_type: 'CONSUMED' });
    expect(consumed).toHaveLength(33);
    expect(consumed.every((l) => l.amount_applied.value_in_cents === 30)).toBe(true);
  });

  it('spread over three credits, 40 × 25 at once against 900 → 36 taken, the rest refused, balance 0', async () => {
    for (const cents of [300, 300, 300]) await issue(server(), amountBody(FABRIKAM, cents));
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => server().maple('POST', consumePath(), { body: consumeAmount(FABRIKAM, 25) })),
    );
    expect(count(answers, 200)).toBe(36);
    expect(count(answers, 400)).toBe(4);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({}));
    expect((await findCredits(server(), { customer_id: FABRIKAM, status: 'CONSUMED' })).length).toBe(3);
  });
});

describe('parallel creates with one Idempotency-Key', () => {
  function expectOneCredit(answers: TestResponse[]) {
    for (const r of answers) expect([201, 409], r.text).toContain(r.status);
    const created = answers.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of created) expect(r.text).toBe(created[0]!.text);
    for (const r of answers.filter((a) => a.status === 409)) expectError(r, 409, 'idempotency_error', 'in_flight');
    return created[0]!.json;
  }

  it('50 at once → exactly one credit; every answer 201 or 409; the 201s carry the same body', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, createKeyed));
    const credit = expectOneCredit(answers);
    const found = await findCredits(server(), { customer_id: FABRIKAM });
    expect(found.map((c) => c.id)).toEqual([credit.id]);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 4200 }));
  });

  it('with the first held in flight, the other 49 arrive meanwhile → 409 in_flight, still one credit', async () => {
    await addFault(server(), { delay_ms: 500, count: 1 });
    const firstPending = createKeyed();
    await untilFaultsTaken(server());
    const others = await Promise.all(Array.from({ length: 49 }, createKeyed));
    const first = await firstPending;
    expect(first.status).toBe(201);
    const credit = expectOneCredit([first, ...others]);
    expect(credit.id).toBe(first.json.id);
    expect(count(others, 409)).toBeGreaterThanOrEqual(1);
    for (const r of others.filter((a) => a.status === 201)) expect(r.headers.get('idempotency-used')).toBe('true');
    expect((await findCredits(server(), { customer_id: FABRIKAM })).map((c) => c.id)).toEqual([credit.id]);
    const replay = await createKeyed();
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotency-used')).toBe('true');
  });

  it('50 keyed consumes at once → one deduction', async () => {
    await issue(server(), amountBody(FABRIKAM, 1000));
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        server().maple('POST', consumePath(), {
          body: consumeAmount(FABRIKAM, 30),
          headers: { 'Idempotency-Key': KEY },
        }),
      ),
    );
    for (const r of answers) expect([200, 409]).toContain(r.status);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 970 }));
    expect(await findLogs(server(), { customer_id: FABRIKAM, action_type: 'CONSUMED' })).toHaveLength(1);
  });
});
