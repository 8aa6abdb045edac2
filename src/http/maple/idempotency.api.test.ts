/**
 * Idempotency-Key over HTTP (docs/behaviour/maple.md §1.7, Part 4 item 4; README behaviour choices:
 * per (company, key), 1–64 characters, every answer stored (4xx and 5xx
 * included), 409 while in flight or for a different request unless switched
 * to replay, 24 h on the mock clock; a 429 is answered before the key is
 * looked at, so it is not stored).
 */
import { describe, expect, it } from 'vitest';
import type { TestResponse } from '../../test-support/mock-server.js';
import {
  admin,
  amountBody,
  amounts,
  addFault,
  balanceOf,
  consumeAmount,
  consumePath,
  creditPath,
  creditsPath,
  expectError,
  expectInvalid,
  FABRIKAM,
  findBody,
  findCredits,
  findLogs,
  findPath,
  FIXTURE_CREDITS,
  fromNow,
  GLOBEX,
  GLOBEX_TOKEN,
  INITECH,
  issue,
  logsPath,
  postRaw,
  setSettings,
  untilFaultsTaken,
  useMapleServer,
  ACME,
} from './maple-test-helpers.js';

const server = useMapleServer();

const KEY = '6f1c1e7a-3b1d-4c55-9a43-2f7d0b6f9e21';
const keyed = (key: string = KEY) => ({ 'Idempotency-Key': key });
const create = (body: unknown, key: string = KEY) =>
  server().maple('POST', creditsPath(), { body, headers: keyed(key) });
const fabrikamCredits = async () => (await findCredits(server(), { customer_id: FABRIKAM })).length;

function expectReplayOf(replay: TestResponse, first: TestResponse, key: string = KEY): void {
  expect(replay.status).toBe(first.status);
  expect(replay.text).toBe(first.text);
  expect(replay.headers.get('idempotency-key')).toBe(key);
  expect(replay.headers.get('idempotency-used')).toBe('true');
}

function expectFresh(res: TestResponse, key: string = KEY): void {
  expect(res.headers.get('idempotency-key')).toBe(key);
  expect(res.headers.get('idempotency-used')).toBeNull();
}

describe('replaying a stored answer', () => {
  it('same key, same body → the same status and body byte for byte, key echoed, Idempotency-Used: true, no second credit', async () => {
    const first = await create(amountBody(FABRIKAM, 2500));
    expect(first.status).toBe(201);
    expectFresh(first);
    const again = await create(amountBody(FABRIKAM, 2500));
    expectReplayOf(again, first);
    expectReplayOf(await create(amountBody(FABRIKAM, 2500)), first);
    expect(await fabrikamCredits()).toBe(1);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 2500 }));
  });

  it('the same JSON written with other key order and spacing is the same request', async () => {
    const first = await postRaw(
      server(),
      creditsPath(),
      `{"customer_id":"${FABRIKAM}","type":"AMOUNT","amount":{"currency":"USD","value_in_cents":700}}`,
      keyed(),
    );
    const again = await postRaw(
      server(),
      creditsPath(),
      `{ "amount": { "value_in_cents": 700, "currency": "USD" }, "type": "AMOUNT", "customer_id": "${FABRIKAM}" }`,
      keyed(),
    );
    expectReplayOf(again, first);
    expect(await fabrikamCredits()).toBe(1);
  });

  it('a stored 400 is replayed', async () => {
    const first = await create(amountBody(FABRIKAM, 10.5));
    expectInvalid(first, 'amount.value_in_cents');
    expectFresh(first);
    expectReplayOf(await create(amountBody(FABRIKAM, 10.5)), first);
  });

  it('a stored 404 is replayed even once the customer exists', async () => {
    const late = 'cus_0LateArrival0000000000000000';
    const first = await create(amountBody(late, 100));
    expectError(first, 404, 'request_error', 'not_found');
    expect(
      (await admin(server(), 'POST', `/maple/companies/${ACME}/customers`, { id: late, name: 'Late Arrival' })).status,
    ).toBe(201);
    expectReplayOf(await create(amountBody(late, 100)), first);
    expect((await server().maple('POST', creditsPath(), { body: amountBody(late, 100) })).status).toBe(201);
  });

  it('a malformed JSON body with a key is stored and replayed', async () => {
    const raw = `{"customer_id":"${FABRIKAM}",`;
    const first = await postRaw(server(), creditsPath(), raw, keyed());
    expectError(first, 400, 'request_error', 'invalid_json');
    expectReplayOf(await postRaw(server(), creditsPath(), raw, keyed()), first);
    expectError(await create(amountBody(FABRIKAM, 100)), 409, 'idempotency_error', 'different_request');
  });
});

describe('conflicts', () => {
  it('same key, different body → 409 idempotency_error, nothing created', async () => {
    expect((await create(amountBody(FABRIKAM, 100))).status).toBe(201);
    const res = await create(amountBody(FABRIKAM, 101));
    expectError(res, 409, 'idempotency_error', 'different_request');
    expect(res.headers.get('idempotency-key')).toBe(KEY);
    expect(await fabrikamCredits()).toBe(1);
  });

  it('same key on another path → 409', async () => {
    expect((await create(amountBody(FABRIKAM, 100))).status).toBe(201);
    const res = await server().maple('POST', consumePath(), { body: consumeAmount(FABRIKAM, 10), headers: keyed() });
    expectError(res, 409, 'idempotency_error', 'different_request');
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 100 }));
  });

  it('with same_key_different_request "replay" → the first answer', async () => {
    await setSettings(server(), { same_key_different_request: 'replay' });
    const first = await create(amountBody(FABRIKAM, 100));
    expectReplayOf(await create(amountBody(FABRIKAM, 999)), first);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 100 }));
  });

  it('a key in flight → 409 idempotency_error; the first then completes and is replayed', async () => {
    await addFault(server(), { delay_ms: 300, count: 1 });
    const firstPending = create(amountBody(FABRIKAM, 100));
    await untilFaultsTaken(server());
    const second = await create(amountBody(FABRIKAM, 100));
    expectError(second, 409, 'idempotency_error', 'in_flight');
    expect(second.headers.get('idempotency-key')).toBe(KEY);
    const first = await firstPending;
    expect(first.status).toBe(201);
    expectReplayOf(await create(amountBody(FABRIKAM, 100)), first);
    expect(await fabrikamCredits()).toBe(1);
  });
});

describe('the key itself', () => {
  it('64 characters → accepted; 65 → 400; empty → 400; nothing created by the refused ones', async () => {
    const ok = await create(amountBody(FABRIKAM, 100), 'k'.repeat(64));
    expect(ok.status).toBe(201);
    expectFresh(ok, 'k'.repeat(64));
    expectError(
      await create(amountBody(FABRIKAM, 200), 'k'.repeat(65)),
      400,
      'request_error',
      'invalid_idempotency_key',
    );
    expectError(await create(amountBody(FABRIKAM, 300), ''), 400, 'request_error', 'invalid_idempotency_key');
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 100 }));
  });

  it('the key is per company: the same key under the other company runs afresh', async () => {
    const acme = await create(amountBody(FABRIKAM, 100));
    const globex = await server().maple('POST', creditsPath(GLOBEX), {
      body: amountBody(INITECH, 100),
      token: GLOBEX_TOKEN,
      headers: keyed(),
    });
    expect(globex.status).toBe(201);
    expectFresh(globex);
    expect(globex.json.id).not.toBe(acme.json.id);
    expectReplayOf(await create(amountBody(FABRIKAM, 100)), acme);
  });

  it('kept 24 h on the mock clock: 23:59:59 later replayed, 24 h later run again (a second credit)', async () => {
    const first = await create(amountBody(FABRIKAM, 100));
    server().clock.set(new Date(fromNow(86_399_000)), true);
    expectReplayOf(await create(amountBody(FABRIKAM, 100)), first);
    server().clock.set(new Date(fromNow(86_400_000)), true);
    const later = await create(amountBody(FABRIKAM, 100));
    expect(later.status).toBe(201);
    expectFresh(later);
    expect(later.json.id).not.toBe(first.json.id);
    expect(later.json.created_at).toBe('2026-11-16T10:00:00.000Z');
    expect(await fabrikamCredits()).toBe(2);
  });

  it('GET ignores the key: no echo, no replay', async () => {
    const headers = keyed();
    const first = await server().maple('GET', creditPath(FIXTURE_CREDITS.goodwill), { headers });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotency-key')).toBeNull();
    await server().maple('DELETE', creditPath(FIXTURE_CREDITS.goodwill));
    const again = await server().maple('GET', creditPath(FIXTURE_CREDITS.goodwill), { headers });
    expect(again.json.state).toBe('REVOKED');
    expect(again.headers.get('idempotency-used')).toBeNull();
  });

  it('DELETE ignores the key: the second revoke runs (400), no echo', async () => {
    const first = await server().maple('DELETE', creditPath(FIXTURE_CREDITS.goodwill), { headers: keyed() });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotency-key')).toBeNull();
    const again = await server().maple('DELETE', creditPath(FIXTURE_CREDITS.goodwill), { headers: keyed() });
    expectError(again, 400, 'request_error', 'already_terminal');
    expect(again.headers.get('idempotency-used')).toBeNull();
    expect((await create(amountBody(FABRIKAM, 100))).headers.get('idempotency-used')).toBeNull();
  });
});

describe('keys on consume and find', () => {
  it('consume with a key twice → one deduction, one CONSUMED entry, the first balance replayed', async () => {
    await issue(server(), amountBody(FABRIKAM, 1000));
    const consume = () =>
      server().maple('POST', consumePath(), { body: consumeAmount(FABRIKAM, 300), headers: keyed() });
    const first = await consume();
    expect(first.json).toEqual(amounts({ USD: 700 }));
    expectReplayOf(await consume(), first);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 700 }));
    expect(await findLogs(server(), { customer_id: FABRIKAM, action_type: 'CONSUMED' })).toHaveLength(1);
  });

  it('find with a key replays the first page, even after a new credit', async () => {
    const find = (headers: Record<string, string> = keyed()) =>
      server().maple('POST', findPath(), { body: findBody({ customer_id: FABRIKAM }), headers });
    const first = await find();
    expect(first.json.results).toEqual([]);
    await issue(server(), amountBody(FABRIKAM, 100));
    expectReplayOf(await find(), first);
    expect((await find({})).json.results).toHaveLength(1);
  });

  it('logs/find with a key replays too', async () => {
    const find = () =>
      server().maple('POST', logsPath(), { body: findBody({ customer_id: FABRIKAM }), headers: keyed() });
    const first = await find();
    await issue(server(), amountBody(FABRIKAM, 100));
    expectReplayOf(await find(), first);
  });
});

describe('faults and oversized bodies', () => {
  it('an injected 500 is stored and replayed; nothing was created', async () => {
    await addFault(server(), { status: 500 });
    const first = await create(amountBody(FABRIKAM, 100));
    expectError(first, 500, 'request_error');
    expectReplayOf(await create(amountBody(FABRIKAM, 100)), first);
    expect(await fabrikamCredits()).toBe(0);
  });

  it('an injected 429 is not stored: the retry runs', async () => {
    await addFault(server(), { status: 429 });
    const limited = await create(amountBody(FABRIKAM, 100));
    expectError(limited, 429, 'request_error');
    expect(limited.headers.get('retry-after')).toBe('1');
    const retry = await create(amountBody(FABRIKAM, 100));
    expect(retry.status).toBe(201);
    expectFresh(retry);
    expectReplayOf(await create(amountBody(FABRIKAM, 100)), retry);
    expect(await fabrikamCredits()).toBe(1);
  });

  it('the 429 answer to a keyed request echoes the key (the spec: every answer to a keyed request echoes it)', async () => {
    await addFault(server(), { status: 429 });
    const limited = await create(amountBody(FABRIKAM, 100));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('idempotency-key')).toBe(KEY);
  });

  it('a body over 1 MiB with a key → 413, and the key is free afterwards', async () => {
    const huge = amountBody(FABRIKAM, 100, { name: 'x'.repeat(1024 * 1024 + 10) });
    expectError(await create(huge), 413, 'request_error');
    const res = await create(amountBody(FABRIKAM, 100));
    expect(res.status).toBe(201);
    expectFresh(res);
  });
});
