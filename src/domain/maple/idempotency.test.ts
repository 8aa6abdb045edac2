import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MapleStore } from './maple.store.js';
import {
  abandon,
  canonicalJson,
  claim,
  complete,
  decide,
  IDEMPOTENCY_RETENTION_MS,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  pruneExpired,
  requestFingerprint,
  requestIdentity,
  validateIdempotencyKey,
  type Claim,
  type Records,
  type StoredResponse,
} from './idempotency.js';
import { failure, HOUR, T0, value } from './maple-world.fixture.js';
import { NumberText } from './money.js';

const at = (ms: number) => new Date(T0.getTime() + ms);
const PATH = '/api/v1/companies/cmp_a/credits';
const fp = (json: unknown, method = 'POST', path = PATH) => requestFingerprint(method, path, { json });
/** A 201 body as the server wrote it, spacing and number spelling included. */
const created: StoredResponse = {
  status: 201,
  body: '{"id":"crd_1", "state":"ACTIVE","amount":{"value_in_cents":10.0e0}}',
};
const DAY_MS = 24 * HOUR;

/** The key claimed at `began` and its response stored at `stored`. */
function storedRecords(
  response: StoredResponse = created,
  fingerprint = fp({ a: 1 }),
  began = T0,
  stored = began,
  key = 'key-1',
): Records {
  const records: Records = new Map();
  expect(claim(records, key, began)).toEqual({ kind: 'fresh' });
  complete(records, key, fingerprint, response, stored);
  return records;
}

function asStored(c: Claim): Extract<Claim, { kind: 'stored' }> {
  if (c.kind !== 'stored') throw new Error(`expected a stored claim, got ${c.kind}`);
  return c;
}

describe('claim → complete → replay', () => {
  it('a fresh key is marked in flight; a second request meanwhile is in_flight; once stored, the claim hands back the fingerprint and response', () => {
    const records: Records = new Map();
    expect(claim(records, 'key-1', T0)).toEqual({ kind: 'fresh' });
    expect(records.get('key-1')).toEqual({ state: 'in_flight', startedAt: T0.getTime() });
    expect(claim(records, 'key-1', at(5))).toEqual({ kind: 'in_flight' });
    expect(claim(records, 'key-1', at(5))).toEqual({ kind: 'in_flight' });
    complete(records, 'key-1', fp({ a: 1 }), created, at(10));
    expect(records.get('key-1')).toEqual({
      state: 'done',
      fingerprint: fp({ a: 1 }),
      storedAt: T0.getTime() + 10,
      response: created,
    });
    expect(claim(records, 'key-1', at(HOUR))).toEqual({ kind: 'stored', fingerprint: fp({ a: 1 }), response: created });
    expect(records.size).toBe(1);
  });

  it('the same request replays the stored status and body text exactly', () => {
    const stored = asStored(claim(storedRecords(), 'key-1', at(HOUR)));
    const decision = decide(stored, fp({ a: 1 }), 'conflict');
    expect(decision).toEqual({ replay: created });
    expect('replay' in decision && decision.replay.body).toBe(
      '{"id":"crd_1", "state":"ACTIVE","amount":{"value_in_cents":10.0e0}}',
    );
  });

  it.each<[string, StoredResponse]>([
    [
      'a stored 400 validation_error',
      {
        status: 400,
        body: '{"error_message":"Request body does not contain all required information","error_type":"validation_error","error_status":400,"validation_errors":[{"field":"customer_id","message":"customer_id is required"}]}',
      },
    ],
    [
      'a stored 500',
      { status: 500, body: '{"error_message":"internal error","error_type":"request_error","error_status":500}' },
    ],
    ['a stored 409 with an empty body', { status: 409, body: '' }],
  ])('%s is replayed like a success', (_name, response) => {
    const records = storedRecords(response);
    expect(decide(asStored(claim(records, 'key-1', at(1))), fp({ a: 1 }), 'conflict')).toEqual({ replay: response });
    expect(decide(asStored(claim(records, 'key-1', at(2))), fp({ a: 1 }), 'conflict')).toEqual({ replay: response });
  });

  it('a different body, method or path is conflict different_request; under policy replay, the first response', () => {
    const records = storedRecords();
    const stored = asStored(claim(records, 'key-1', at(1)));
    for (const other of [
      fp({ a: 2 }),
      fp({ a: 1 }, 'PATCH'),
      fp({ a: 1 }, 'POST', `${PATH}/consume`),
      requestFingerprint('POST', PATH, { raw: '{"a":1}' }),
    ]) {
      expect(decide(stored, other, 'conflict')).toEqual({ conflict: 'different_request' });
      expect(decide(stored, other, 'replay')).toEqual({ replay: created });
    }
    expect(decide(stored, fp({ a: 1 }), 'replay')).toEqual({ replay: created });
  });

  it('deciding changes nothing: the record stays as stored', () => {
    const records = storedRecords();
    const before = structuredClone([...records]);
    decide(asStored(claim(records, 'key-1', at(1))), fp({ a: 2 }), 'conflict');
    decide(asStored(claim(records, 'key-1', at(2))), fp({ a: 2 }), 'replay');
    expect([...records]).toEqual(before);
  });

  it('keys are scoped per company: every book has its own records', () => {
    const store = new MapleStore();
    const company = (id: string) => ({
      id,
      name: id,
      tokens: [],
      customers: [],
      items: [],
      subscriptions: [],
      invoices: [],
      credits: [],
      logs: [],
    });
    store.load({ companies: [company('cmp_a'), company('cmp_b')] });
    const a = store.book('cmp_a')!.idempotency;
    const b = store.book('cmp_b')!.idempotency;
    expect(claim(a, 'key-1', T0)).toEqual({ kind: 'fresh' });
    complete(a, 'key-1', fp({ a: 1 }), created, T0);
    expect(claim(b, 'key-1', at(1))).toEqual({ kind: 'fresh' });
    expect(claim(a, 'key-1', at(1))).toMatchObject({ kind: 'stored' });
    expect(claim(b, 'key-1', at(1))).toEqual({ kind: 'in_flight' });
  });

  it('other keys are independent', () => {
    const records = storedRecords();
    expect(claim(records, 'key-2', at(1))).toEqual({ kind: 'fresh' });
    expect(claim(records, 'KEY-1', at(1))).toEqual({ kind: 'fresh' });
    expect(claim(records, 'key-1', at(1))).toMatchObject({ kind: 'stored' });
  });
});

describe('retention: 24 hours on the injected clock', () => {
  it('is 24 h', () => {
    expect(IDEMPOTENCY_RETENTION_MS).toBe(86_400_000);
  });

  it('at 24 h − 1 ms after the response was stored it is replayed; at 24 h the key runs afresh', () => {
    const records = storedRecords();
    expect(decide(asStored(claim(records, 'key-1', at(DAY_MS - 1))), fp({ a: 1 }), 'conflict')).toEqual({
      replay: created,
    });
    expect(claim(records, 'key-1', at(DAY_MS))).toEqual({ kind: 'fresh' });
    expect(records.get('key-1')).toEqual({ state: 'in_flight', startedAt: T0.getTime() + DAY_MS });
  });

  it('an expired key with a different request runs afresh instead of conflicting', () => {
    const records = storedRecords();
    expect(claim(records, 'key-1', at(DAY_MS + 1))).toEqual({ kind: 'fresh' });
    complete(records, 'key-1', fp({ a: 9 }), { status: 201, body: '{"id":"crd_2"}' }, at(DAY_MS + 2));
    expect(decide(asStored(claim(records, 'key-1', at(DAY_MS + 3))), fp({ a: 9 }), 'conflict')).toEqual({
      replay: { status: 201, body: '{"id":"crd_2"}' },
    });
  });

  it('counts from when the response was stored, not from when the request began', () => {
    const records = storedRecords(created, fp({ a: 1 }), T0, at(HOUR));
    expect(claim(records, 'key-1', at(DAY_MS))).toMatchObject({ kind: 'stored' });
    expect(claim(records, 'key-1', at(DAY_MS + HOUR - 1))).toMatchObject({ kind: 'stored' });
    expect(claim(records, 'key-1', at(DAY_MS + HOUR))).toEqual({ kind: 'fresh' });
  });

  it('a key still in flight counts from when it began', () => {
    const records: Records = new Map();
    claim(records, 'key-1', T0);
    expect(claim(records, 'key-1', at(DAY_MS - 1))).toEqual({ kind: 'in_flight' });
    expect(claim(records, 'key-1', at(DAY_MS))).toEqual({ kind: 'fresh' });
  });
});

describe('pruneExpired', () => {
  /** a stored at T0, b stored at T0 + 1 h, c in flight since T0 + 2 h, d stored at T0 + 3 h. */
  function four(): Records {
    const records: Records = new Map();
    claim(records, 'a', T0);
    complete(records, 'a', 'fa', created, T0);
    claim(records, 'b', at(HOUR));
    claim(records, 'c', at(2 * HOUR));
    claim(records, 'd', at(3 * HOUR));
    complete(records, 'd', 'fd', created, at(3 * HOUR));
    complete(records, 'b', 'fb', created, at(HOUR));
    return records;
  }

  it('records stay in the order they began, whenever they were stored', () => {
    expect([...four().keys()]).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drops only the expired records and keeps the order of the rest', () => {
    const records = four();
    expect(pruneExpired(records, at(DAY_MS - 1))).toBe(0);
    expect([...records.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect(pruneExpired(records, at(DAY_MS + HOUR))).toBe(2);
    expect([...records.keys()]).toEqual(['c', 'd']);
    expect(records.get('c')).toEqual({ state: 'in_flight', startedAt: T0.getTime() + 2 * HOUR });
    expect(records.get('d')).toMatchObject({ state: 'done', fingerprint: 'fd' });
    expect(pruneExpired(records, at(DAY_MS + 3 * HOUR))).toBe(2);
    expect(records.size).toBe(0);
    expect(pruneExpired(records, at(DAY_MS + 3 * HOUR))).toBe(0);
  });

  it('a key claimed again after it expired moves to the end, behind the records that began before it', () => {
    const records = four();
    claim(records, 'a', at(DAY_MS));
    expect([...records.keys()]).toEqual(['b', 'c', 'd', 'a']);
    expect(pruneExpired(records, at(DAY_MS + 3 * HOUR))).toBe(3);
    expect([...records.keys()]).toEqual(['a']);
  });

  it('a record the sweep has not reached yet is still expired for claim', () => {
    const records: Records = new Map();
    claim(records, 'slow', T0);
    claim(records, 'quick', at(1));
    complete(records, 'quick', 'fq', created, at(1));
    complete(records, 'slow', 'fs', created, at(5 * HOUR));
    expect(pruneExpired(records, at(DAY_MS + 1))).toBe(0);
    expect([...records.keys()]).toEqual(['slow', 'quick']);
    expect(claim(records, 'quick', at(DAY_MS + 1))).toEqual({ kind: 'fresh' });
    expect(claim(records, 'slow', at(DAY_MS + 1))).toMatchObject({ kind: 'stored', fingerprint: 'fs' });
  });
});

describe('abandon', () => {
  it('forgets a key in flight, so the next request runs afresh', () => {
    const records: Records = new Map();
    claim(records, 'key-1', T0);
    claim(records, 'key-2', T0);
    abandon(records, 'key-1');
    expect([...records.keys()]).toEqual(['key-2']);
    expect(claim(records, 'key-1', at(1))).toEqual({ kind: 'fresh' });
    expect(claim(records, 'key-2', at(1))).toEqual({ kind: 'in_flight' });
  });

  it('never forgets a stored response, and ignores an unknown key', () => {
    const records = storedRecords();
    const before = records.get('key-1');
    abandon(records, 'key-1');
    abandon(records, 'nope');
    expect(records.get('key-1')).toBe(before);
    expect(records.size).toBe(1);
    expect(claim(records, 'key-1', at(1))).toMatchObject({ kind: 'stored' });
  });
});

describe('Idempotency-Key', () => {
  it.each<[string, string]>([
    ['64 characters', 'k'.repeat(64)],
    ['one character', 'k'],
    ['a UUID', '0b5c5a5e-8a51-4c4e-9f5a-2a9d6d0c3a11'],
    ['64 emoji (64 code points, 128 UTF-16 units)', '😀'.repeat(64)],
  ])('%s is accepted', (_name, key) => {
    expect(value(validateIdempotencyKey(key))).toBe(key);
  });

  it.each<[string, string]>([
    ['65 characters', 'k'.repeat(65)],
    ['an empty key', ''],
    ['65 emoji', '😀'.repeat(65)],
  ])('%s is invalid_idempotency_key', (_name, key) => {
    const message = 'Idempotency-Key must be 1 to 64 characters long';
    expect(failure(validateIdempotencyKey(key))).toEqual({
      kind: 'invalid_idempotency_key',
      message,
      validation_errors: [{ field: 'Idempotency-Key', message }],
    });
  });

  it('the limit is 64', () => {
    expect(MAX_IDEMPOTENCY_KEY_LENGTH).toBe(64);
    expect('😀'.repeat(64).length).toBe(128);
  });
});

describe('request fingerprints', () => {
  it('canonical JSON sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: [1, { y: 2, x: null }], a: 'x' })).toBe('{"a":"x","b":[1,{"x":null,"y":2}]}');
    expect(canonicalJson(JSON.parse(' { "z" : [ true , false ] ,\n "a" : { "c": "é", "b": -3 } } '))).toBe(
      '{"a":{"b":-3,"c":"é"},"z":[true,false]}',
    );
    expect(canonicalJson('text')).toBe('"text"');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('ignores key order but not values', () => {
    expect(fp({ amount: { value_in_cents: 1, currency: 'USD' }, customer_id: 'c' })).toBe(
      fp({ customer_id: 'c', amount: { currency: 'USD', value_in_cents: 1 } }),
    );
    expect(fp({ a: 1 })).not.toBe(fp({ a: '1' }));
    expect(fp({ a: [1, 2] })).not.toBe(fp({ a: [2, 1] }));
    expect(fp({ a: null })).not.toBe(fp({}));
  });

  it('keeps numbers as the request wrote them: 10 and 10.0 differ, 10 and a plain 10 agree', () => {
    expect(canonicalJson({ v: new NumberText('10.0') })).toBe('{"v":10.0}');
    expect(fp({ v: new NumberText('10') })).not.toBe(fp({ v: new NumberText('10.0') }));
    expect(fp({ v: new NumberText('1e1') })).not.toBe(fp({ v: new NumberText('10') }));
    expect(fp({ v: new NumberText('10') })).toBe(fp({ v: 10 }));
    expect(fp({ v: [new NumberText(' 7 ')] })).toBe(fp({ v: [7] }));
  });

  it('a plain object with a string source is an object, not a number', () => {
    expect(canonicalJson({ v: { source: '10' } })).toBe('{"v":{"source":"10"}}');
    expect(fp({ v: { source: '10' } })).not.toBe(fp({ v: new NumberText('10') }));
  });

  it('method (any case) and path belong to the fingerprint', () => {
    expect(requestIdentity('post', PATH, { json: undefined })).toBe(`POST ${PATH}\njson:`);
    expect(fp({ a: 1 }, 'post')).toBe(fp({ a: 1 }, 'POST'));
    expect(fp({ a: 1 }, 'POST', `${PATH}/`)).not.toBe(fp({ a: 1 }));
  });

  it('a body that was not JSON is fingerprinted by its raw text, never equal to a JSON body', () => {
    const raw = (text: string) => requestFingerprint('POST', PATH, { raw: text });
    expect(requestIdentity('POST', PATH, { raw: 'customer_id=c&amount=1' })).toBe(
      `POST ${PATH}\nraw:customer_id=c&amount=1`,
    );
    expect(raw('customer_id=c&amount=1')).toBe(
      createHash('sha256').update(`POST ${PATH}\nraw:customer_id=c&amount=1`).digest('hex'),
    );
    expect(raw('{"a":1')).toBe(raw('{"a":1'));
    expect(raw('{"a":1')).not.toBe(raw('{"a":1 '));
    expect(raw('{"a":1}')).not.toBe(fp({ a: 1 }));
    expect(raw('')).not.toBe(fp(undefined));
  });
});
