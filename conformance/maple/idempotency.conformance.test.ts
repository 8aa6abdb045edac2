import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import type { Reply } from '../support/http.js';
import {
  amountCredit,
  balanceOf,
  cents,
  cleanUpAfterAll,
  consume,
  createCredit,
  creditsOf,
  entries,
  envelopeProblems,
  expectError,
  getCredit,
  logsOf,
  maple,
  money,
  mustCreate,
  newKey,
  remember,
  scenarioCustomer,
  type Credit,
  unset,
} from '../support/maple-data.js';
import {
  clearFaults,
  injectFault,
  mapleWorld,
  withFrozenClock,
  type MapleCustomer,
  type MapleWorld,
} from '../support/maple-world.js';

/**
 * Idempotency-Key (docs/behaviour/maple.md §1.7, Part 4 item 4): per (company, key), the
 * same request within 24 h replays the stored status and body, errors
 * included, with `Idempotency-Used: true` and no second effect; another
 * request with the key is 409; a key in flight is 409; keys over 64
 * characters are refused; GET and DELETE ignore the key.
 */
let world: MapleWorld;
beforeAll(async () => {
  world = (await mapleWorld()) as MapleWorld; // null without a world: the checks then do not run
});
cleanUpAfterAll();

const keyed = (key: string) => ({ headers: { 'Idempotency-Key': key } });

function expectFirst(res: Reply, key: string): void {
  expect(res.headers['idempotency-key'], "a keyed request's answer does not echo Idempotency-Key").toBe(key);
  expect(res.headers['idempotency-used'], 'Idempotency-Used on a first answer').toBeUndefined();
}

function expectReplay(res: Reply, first: Reply, key: string): void {
  expect(res.status, `the replay's status differs: ${res.text.slice(0, 200)}`).toBe(first.status);
  expect(res.text, "the replay's body is not the first body").toBe(first.text);
  expect(res.headers['idempotency-key'], 'the replay does not echo Idempotency-Key').toBe(key);
  expect(res.headers['idempotency-used'], 'the replay lacks Idempotency-Used: true').toBe('true');
}

describe('idempotency: create', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  let key: string;
  let first = unset<Reply>('the first answer of the block');
  const body = () => amountCredit(customer.id, 700, { name: `idempotent ${world.run}` });

  check(
    'createCredit',
    'a keyed create answers 201 and echoes Idempotency-Key, without Idempotency-Used',
    async () => {
      customer = await scenarioCustomer();
      key = newKey();
      first = await createCredit(body(), keyed(key));
      expectStatus(first, 201);
      expectContract('createCredit', first);
      expectFirst(first, key);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'the same key and the same request replays the first answer byte for byte, with Idempotency-Used: true, and creates nothing more',
    async () => {
      for (let i = 0; i < 2; i++) {
        const again = await createCredit(body(), keyed(key));
        expectContract('createCredit', again);
        expectReplay(again, first, key);
      }
      const active = await creditsOf(customer.id);
      expect(
        active.map((c) => c.id),
        'a replay created another credit',
      ).toEqual([(first.body as Credit).id]);
      expect(cents(await balanceOf(customer.id))).toBe(700);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'the same key with a different body is 409 idempotency_error; nothing is created',
    async () => {
      const res = await createCredit(amountCredit(customer.id, 701, { name: `idempotent ${world.run}` }), keyed(key));
      expectError(res, 409, 'idempotency_error', { operation: 'createCredit' });
      expect(res.headers['idempotency-key']).toBe(key);
      expect((await creditsOf(customer.id)).length).toBe(1);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'the same key with a different path is 409 idempotency_error; nothing is deducted',
    async () => {
      const res = await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(100) }, keyed(key));
      expectError(res, 409, 'idempotency_error', { operation: 'consumeCredits' });
      expect(cents(await balanceOf(customer.id))).toBe(700);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'an error is stored too: a refused create replays its 400 even once the request would succeed',
    async () => {
      const k = newKey();
      const bad = amountCredit(customer.id, 100, { expiration_date: '2000-01-01T00:00:00Z' });
      const firstBad = await createCredit(bad, keyed(k));
      expectError(firstBad, 400, 'validation_error', { operation: 'createCredit', fields: ['expiration_date'] });
      expectFirst(firstBad, k);
      const again = await createCredit(bad, keyed(k));
      expectReplay(again, firstBad, k);
      expect((await creditsOf(customer.id)).length).toBe(1);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'an Idempotency-Key over 64 characters is 400 request_error; 64 characters are accepted',
    async () => {
      const long = await createCredit(amountCredit(customer.id, 5), keyed('k'.repeat(65)));
      expectError(long, 400, 'request_error', { operation: 'createCredit' });
      expect(long.headers['idempotency-key'], 'the answer to a keyed request does not echo the key').toBe(
        'k'.repeat(65),
      );
      const k64 = `${newKey()}${'k'.repeat(64)}`.slice(0, 64);
      const ok = await createCredit(amountCredit(customer.id, 5), keyed(k64));
      expectStatus(ok, 201);
      expect(ok.headers['idempotency-key']).toBe(k64);
      expect(cents(await balanceOf(customer.id))).toBe(705);
    },
    { writes: true },
  );

  check(
    'createCredit',
    "keys are per company: another company's request with the same key is its own",
    async () => {
      const { token, companyId, customerId } = world.other;
      if (!token || !companyId || !customerId)
        throw new Error('no maple.other_company_token, other_company_id and other_customer_id configured');
      const opts = { ...keyed(key), token, company: companyId };
      const res = await maple('POST', '', {
        ...opts,
        body: amountCredit(customerId, 700, { name: `idempotent ${world.run}` }),
      });
      remember(res, opts);
      expectStatus(res, 201);
      expect(res.headers['idempotency-used'], "another company's key replayed this company's answer").toBeUndefined();
      expect((res.body as Credit).customer_id).toBe(customerId);
      expect((res.body as Credit).id).not.toBe((first.body as Credit).id);
    },
    { writes: true },
  );
});

describe('idempotency: consume', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');

  check(
    'consumeCredits',
    'a replayed consume deducts once and answers the first balance again',
    async () => {
      customer = await scenarioCustomer();
      const credit = await mustCreate(amountCredit(customer.id, 1000));
      const key = newKey();
      const request = { customer_id: customer.id, type: 'AMOUNT', amount: money(250), note: `keyed ${world.run}` };
      const first = await consume(request, keyed(key));
      expectStatus(first, 200);
      expectContract('consumeCredits', first);
      expectFirst(first, key);
      const again = await consume(request, keyed(key));
      expectContract('consumeCredits', again);
      expectReplay(again, first, key);
      expect(await getCredit(credit.id)).toMatchObject({ amount: money(750) });
      expect(entries(await logsOf(credit.id))).toEqual(['ISSUED 1000 USD', 'CONSUMED 250 USD']);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'the same key with a different body is 409 idempotency_error; nothing is deducted',
    async () => {
      const key = newKey();
      const first = await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(10) }, keyed(key));
      expectStatus(first, 200);
      const other = await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(11) }, keyed(key));
      expectError(other, 409, 'idempotency_error', { operation: 'consumeCredits' });
      expect(cents(await balanceOf(customer.id))).toBe(740);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'a stored insufficient_balance is replayed, even after the balance has grown',
    async () => {
      const key = newKey();
      const request = { customer_id: customer.id, type: 'AMOUNT', amount: money(5000) };
      const first = await consume(request, keyed(key));
      expectError(first, 400, 'request_error', { operation: 'consumeCredits', code: 'insufficient_balance' });
      expectFirst(first, key);
      await mustCreate(amountCredit(customer.id, 10_000));
      const again = await consume(request, keyed(key));
      expectReplay(again, first, key);
      expect(cents(await balanceOf(customer.id))).toBe(10_740);
    },
    { writes: true },
  );
});

describe('idempotency: GET and DELETE ignore the key', () => {
  check(
    'revokeCredit',
    'DELETE with a used key revokes, and a second DELETE is not a replay (400 already_terminal)',
    async () => {
      const customer = await scenarioCustomer();
      const credit = await mustCreate(amountCredit(customer.id, 100));
      const key = newKey();
      const first = await maple('DELETE', `/${credit.id}`, keyed(key));
      expectStatus(first, 200);
      expect(first.headers['idempotency-used']).toBeUndefined();
      const second = await maple('DELETE', `/${credit.id}`, keyed(key));
      expectError(second, 400, 'request_error', { operation: 'revokeCredit', code: 'already_terminal' });
      expect(second.headers['idempotency-used'], 'DELETE replayed a stored answer').toBeUndefined();
    },
    { writes: true },
  );

  check(
    'getCredit',
    'GET with a key used by a create reads the credit, not the stored create answer',
    async () => {
      const customer = await scenarioCustomer();
      const key = newKey();
      const made = await createCredit(amountCredit(customer.id, 100), keyed(key));
      expectStatus(made, 201);
      const id = (made.body as Credit).id;
      expectStatus(await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(30), credit_id: id }), 200);
      const read = await maple('GET', `/${id}`, keyed(key));
      expectStatus(read, 200);
      expectContract('getCredit', read);
      expect(read.headers['idempotency-used']).toBeUndefined();
      expect((read.body as Credit).amount).toEqual(money(70));
    },
    { writes: true },
  );
});

describe('idempotency: the key in time and under faults (mock only)', () => {
  check(
    'createCredit',
    'a key expires 24 h after its answer was stored: the request then runs again',
    async () => {
      const customer = await scenarioCustomer();
      const key = newKey();
      const body = amountCredit(customer.id, 100);
      await withFrozenClock(async (_now, advanceDays) => {
        const first = await createCredit(body, keyed(key));
        expectStatus(first, 201);
        await advanceDays(23.9 / 24);
        expectReplay(await createCredit(body, keyed(key)), first, key);
        await advanceDays(0.2 / 24);
        const fresh = await createCredit(body, keyed(key));
        expectStatus(fresh, 201);
        expectFirst(fresh, key);
        expect((fresh.body as Credit).id).not.toBe((first.body as Credit).id);
        expect((await creditsOf(customer.id)).length).toBe(2);
      });
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'createCredit',
    'a 500 is stored: the retry with the key replays the 500 and nothing is created; a new key succeeds',
    async () => {
      const customer = await scenarioCustomer();
      const key = newKey();
      const body = amountCredit(customer.id, 100);
      await injectFault({ status: 500, count: 1, operation: 'createCredit' });
      try {
        const first = await createCredit(body, keyed(key));
        expectError(first, 500, 'request_error', { operation: 'createCredit' });
        expect(first.headers['idempotency-key']).toBe(key);
        const again = await createCredit(body, keyed(key));
        expectReplay(again, first, key);
      } finally {
        await clearFaults();
      }
      expect(await creditsOf(customer.id)).toEqual([]);
      expectStatus(await createCredit(body, keyed(newKey())), 201);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'createCredit',
    'a 429 is not stored: the retry with the same key runs and creates the credit',
    async () => {
      const customer = await scenarioCustomer();
      const key = newKey();
      const body = amountCredit(customer.id, 100);
      await injectFault({ status: 429, count: 1, operation: 'createCredit' });
      try {
        const first = await createCredit(body, keyed(key));
        expectError(first, 429, 'request_error', { operation: 'createCredit' });
      } finally {
        await clearFaults();
      }
      const retry = await createCredit(body, keyed(key));
      expectStatus(retry, 201);
      expectFirst(retry, key);
      expect((await creditsOf(customer.id)).length).toBe(1);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'createCredit',
    'the same key while the first request is in flight is 409 idempotency_error; the first still completes once',
    async () => {
      const customer = await scenarioCustomer();
      const key = newKey();
      const body = amountCredit(customer.id, 100);
      await injectFault({ delay_ms: 900, count: 1, operation: 'createCredit' });
      let answers: Reply[];
      try {
        // The first request is held in flight; the second, sent meanwhile, must be refused.
        const slow = createCredit(body, keyed(key));
        await new Promise((resolve) => setTimeout(resolve, 300));
        const meanwhile = createCredit(body, keyed(key));
        answers = await Promise.all([slow, meanwhile]);
      } finally {
        await clearFaults();
      }
      // Whichever reached the server first is the one held; the other met the key in flight.
      const first = answers.find((r) => r.status === 201);
      const refused = answers.find((r) => r.status !== 201);
      expect(answers.map((r) => r.status).sort(), answers.map((r) => r.text.slice(0, 200)).join('\n')).toEqual([
        201, 409,
      ]);
      expectError(refused!, 409, 'idempotency_error', { operation: 'createCredit' });
      expect(refused!.headers['idempotency-key']).toBe(key);
      expectReplay(await createCredit(body, keyed(key)), first!, key);
      expect((await creditsOf(customer.id)).length).toBe(1);
    },
    { writes: true, needs: 'admin' },
  );
});

// ------------------------------------------------------------ concurrency

/** Requests sent at once with one key. */
const PARALLEL = 50;

describe('idempotency: parallel requests with one key', () => {
  check(
    'createCredit',
    `${PARALLEL} parallel creates with one Idempotency-Key create exactly one credit`,
    async () => {
      const customer = await scenarioCustomer();
      const key = newKey();
      const body = amountCredit(customer.id, 1234, { name: `one key ${world.run}` });
      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, () => createCredit(body, { headers: { 'Idempotency-Key': key } })),
      );
      const firsts = answers.filter((r) => r.status === 201 && r.headers['idempotency-used'] === undefined);
      const replays = answers.filter((r) => r.status === 201 && r.headers['idempotency-used'] === 'true');
      const conflicts = answers.filter(
        (r) => r.status === 409 && (r.body as { error_type?: string })?.error_type === 'idempotency_error',
      );
      const other = answers.filter((r) => !firsts.includes(r) && !replays.includes(r) && !conflicts.includes(r));
      expect(
        other.map((r) => `${r.status} ${JSON.stringify(r.headers['idempotency-used'])} ${r.text.slice(0, 160)}`),
        'answers other than 201, a 201 replay or 409',
      ).toEqual([]);
      expect(firsts.length, 'first (unreplayed) 201 answers').toBe(1);
      for (const r of replays) expect(r.text).toBe(firsts[0]!.text);
      for (const r of [...answers]) expect(r.headers['idempotency-key']).toBe(key);
      for (const r of conflicts) expect(envelopeProblems(r)).toEqual([]);
      const made = await creditsOf(customer.id);
      expect(made.map((c) => c.id)).toEqual([(firsts[0]!.body as Credit).id]);
      expect((await balanceOf(customer.id)).total_amount).toEqual({ USD: 1234 });
    },
    { writes: true },
  );
});
