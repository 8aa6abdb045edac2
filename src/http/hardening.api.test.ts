/**
 * Regression tests for requests that once answered 500 or held the server,
 * each now a 4xx in the API's own shape with nothing written: inherited names
 * as ordering keys, JSON nested thousands deep, `__proto__` keys, long search
 * texts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/mock-server.js';
import { sendRaw } from '../test-support/raw-http.js';
import { findCreditLogs, findCredits, MAX_QUERY_TEXT } from '../domain/maple/find.js';
import { MAX_FILTER_TEXT } from '../domain/waldur/filters.js';
import { MAX_JSON_DEPTH } from './json-depth.js';

const CC = '/api/customer-credits/';
const PC = '/api/project-credits/';
const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
const DELTA = '6bad6be28e7a46e99f19950499dd251d';
const MAPLE = '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits';
const INHERITED = [
  'toString',
  'constructor',
  '__proto__',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
];
const nested = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  expect(server.violations).toEqual([]);
});
const state = async () => (await server.call('GET', '/__admin/state', { token: null })).text;

describe('ordering by an inherited name (?o=toString)', () => {
  it.each(
    INHERITED.flatMap((name) => [name, `-${name}`]).flatMap((o) => [
      [CC, o],
      [PC, o],
    ]),
  )('%s?o=%s → 400 like any unknown ordering', async (list, o) => {
    const res = await server.call('GET', `${list}?o=${encodeURIComponent(o)}`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ o: [`Select a valid choice. ${o} is not one of the available choices.`] });
    const head = await server.call('HEAD', `${list}?o=value,${encodeURIComponent(o)}`);
    expect(head.status).toBe(400);
  });

  it('a long `o` naming known keys again is served (repeats change nothing)', async () => {
    const o = Array.from({ length: 200 }, (_, i) => (i % 2 ? '-value' : 'customer_name')).join(',');
    const once = await server.call('GET', `${CC}?o=customer_name`);
    const res = await server.call('GET', `${CC}?o=${o}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(once.json);
  });
});

describe(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, () => {
  it.each([65, 2_500, 6_000, 100_000])(
    '%i deep in a Waldur decimal or choice field → 400 JSON parse error, nothing written',
    async (depth) => {
      const before = await state();
      for (const field of ['value', 'minimal_consumption_logic', 'offerings']) {
        const raw = `{"customer":"http://x/api/customers/${DELTA}/","${field}":${nested(depth)}}`;
        const res = await server.call('POST', CC, { raw, headers: { 'Content-Type': 'application/json' } });
        expect(res.status).toBe(400);
        expect(res.json).toEqual({ detail: `JSON parse error - JSON nested deeper than ${MAX_JSON_DEPTH} levels` });
        const patch = await server.call('PATCH', `${CC}${ALPHA_CREDIT}/`, {
          raw: `{"${field}":${nested(depth)}}`,
          headers: { 'Content-Type': 'application/json' },
        });
        expect(patch.status).toBe(400);
      }
      expect(await state()).toBe(before);
    },
  );

  it(`${MAX_JSON_DEPTH} levels are parsed (and refused as the wrong type, not as JSON)`, async () => {
    const raw = `{"customer":"http://x/api/customers/${DELTA}/","value":${nested(MAX_JSON_DEPTH - 1)}}`;
    const res = await server.call('POST', CC, { raw, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ value: [expect.any(String)] });
  });

  it('brackets inside strings do not count', async () => {
    const res = await server.call('PATCH', `${CC}${ALPHA_CREDIT}/`, {
      raw: `{"value":"${'['.repeat(5000)}"}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ value: ['String value too large.'] });
  });

  it.each(['', '/find', '/consume', '/logs/find'])(
    'any Maple POST %s with an Idempotency-Key → 400 invalid_json, the key not kept',
    async (suffix) => {
      const before = await state();
      const res = await server.maple('POST', `${MAPLE}${suffix}`, {
        raw: `{"query":${nested(3_000)}}`,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `deep-${suffix}` },
      });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        error_type: 'request_error',
        error_code: 'invalid_json',
        error_message: expect.stringContaining('nested deeper'),
      });
      expect(await state()).toBe(before);
    },
  );

  it.each([
    ['PUT', '/__admin/state'],
    ['POST', '/__admin/waldur/customers'],
    ['POST', '/__admin/maple/faults'],
  ])('%s %s → 400 in the admin problem shape, nothing replaced', async (method, path) => {
    const before = await state();
    const res = await server.call(method, path, {
      token: null,
      raw: `{"waldur":${nested(6_000, '{}')}}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'invalid JSON', problems: [`JSON nested deeper than ${MAX_JSON_DEPTH} levels`] });
    expect(await state()).toBe(before);
  });
});

describe('__proto__ and constructor as keys', () => {
  it('in a Waldur body they are unknown fields: ignored, no inherited value read', async () => {
    const raw = `{"__proto__":{"value":"7"},"constructor":{"prototype":{"value":"8"}},"customer":"http://x/api/customers/${DELTA}/","value":"3"}`;
    const res = await server.call('POST', CC, { raw, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ value: '3.00000' });
    const missing = await server.call('POST', CC, {
      raw: `{"__proto__":{"customer":"http://x/api/customers/${DELTA}/","value":"3"}}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ customer: ['This field is required.'] });
  });

  it('in a Maple body they are unknown fields → 400 validation_error', async () => {
    const res = await server.maple('POST', `${MAPLE}/find`, {
      raw: '{"__proto__":{"sort_key":"createdAtAsc"},"pagination":{"limit":1},"sort_key":"createdAtAsc","query":{"constructor":"x"}}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json.validation_errors.map((e: { field: string }) => e.field)).toEqual([
      '__proto__',
      'query.constructor',
    ]);
  });

  it('Maple sort_key or enum values naming Object.prototype members → 400', async () => {
    for (const name of INHERITED) {
      const res = await server.maple('POST', `${MAPLE}/find`, {
        body: { pagination: { limit: 1 }, sort_key: name, query: { status: name } },
      });
      expect(res.status).toBe(400);
      expect(res.json.validation_errors.map((e: { field: string }) => e.field)).toEqual(['sort_key', 'query.status']);
    }
  });

  it('form and multipart fields named __proto__ are unknown fields', async () => {
    const res = await sendRaw(server.url, {
      method: 'PATCH',
      path: `${CC}${ALPHA_CREDIT}/`,
      headers: { Authorization: 'Token staff-token', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '__proto__=1&__proto__=2&constructor=3&toString=4&value=1200',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ value: '1200.00000' });
  });
});

describe('text length limits', () => {
  it.each(['query', 'customer_name', 'project_name', 'customer_slug'])(
    `Waldur ?%s= over ${MAX_FILTER_TEXT} characters → 400 in DRF's words`,
    async (param) => {
      const fits = await server.call('GET', `${PC}?${param}=${'x'.repeat(MAX_FILTER_TEXT)}`);
      expect(fits.status).toBe(200);
      const res = await server.call('GET', `${PC}?${param}=${'x'.repeat(MAX_FILTER_TEXT + 1)}`);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        [param]: [`Ensure this value has at most ${MAX_FILTER_TEXT} characters (it has ${MAX_FILTER_TEXT + 1}).`],
      });
    },
  );

  it.each([
    ['/find', 'search'],
    ['/find', 'customer_id'],
    ['/logs/find', 'search'],
    ['/logs/find', 'note'],
  ])(`Maple %s query.%s over ${MAX_QUERY_TEXT} characters → 400 validation_error`, async (path, field) => {
    const body = (n: number) => ({
      pagination: { limit: 1 },
      sort_key: 'createdAtAsc',
      query: { [field]: 'y'.repeat(n) },
    });
    expect((await server.maple('POST', `${MAPLE}${path}`, { body: body(MAX_QUERY_TEXT) })).status).toBe(200);
    const res = await server.maple('POST', `${MAPLE}${path}`, { body: body(MAX_QUERY_TEXT + 1) });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error_type: 'validation_error',
      validation_errors: [
        { field: `query.${field}`, message: `query.${field} must be at most ${MAX_QUERY_TEXT} characters` },
      ],
    });
  });

  it('a find search lower-cases its needle once, not once per field of every item', () => {
    const book = server.mapleStore.book('cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50')!;
    const needle = `NeEdLe${'Z'.repeat(MAX_QUERY_TEXT - 6)}`;
    const spy = vi.spyOn(String.prototype, 'toLowerCase');
    try {
      const page = { pagination: { limit: 100 }, sort_key: 'createdAtAsc' };
      findCredits(book, { ...page, query: { search: needle } });
      findCreditLogs(book, { ...page, query: { search: needle } });
      const onNeedle = spy.mock.contexts.filter((self) => String(self) === needle).length;
      const items = [...book.credits.all()].length + [...book.logs.all()].length;
      expect(items).toBeGreaterThan(4); // the old code lower-cased it for each of 3+ fields of every item
      expect(onNeedle).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
});
