import { describe, expect, it } from 'vitest';
import {
  capBody,
  entryJson,
  headersOf,
  redactedHeaders,
  redactedQuery,
  RequestJournal,
  type Exchange,
} from './journal.js';
import { count, parseFilter, select, type JournalFilter } from './journal-filter.js';

const OPS = ['customer_credits_list', 'customer_credits_create', 'consumeCredits'];

function exchange(over: Partial<Exchange> = {}): Exchange {
  return {
    dialect: 'waldur',
    operationId: 'customer_credits_list',
    method: 'GET',
    url: '/api/customer-credits/',
    path: '/api/customer-credits/',
    rawHeaders: ['Host', 'localhost', 'Authorization', 'Token secret-token'],
    requestBody: null,
    status: 200,
    responseHeaders: { 'Content-Type': 'application/json' },
    responseBody: '[]',
    started: performance.now(),
    ...over,
  };
}

const filter = (source: Record<string, unknown>, _from: 'query' | 'body' = 'body'): JournalFilter => {
  const f = parseFilter(source, OPS);
  if ('problems' in f) throw new Error(f.problems.join('; '));
  return f;
};

describe('RequestJournal (the ring buffer)', () => {
  it('keeps the last `capacity` entries, newest first, with ascending ids', () => {
    const j = new RequestJournal(3);
    for (let i = 1; i <= 5; i++) j.record(exchange({ path: `/p${i}` }));
    expect([...j.newestFirst()].map((r) => [r.id, r.path])).toEqual([
      [5, '/p5'],
      [4, '/p4'],
      [3, '/p3'],
    ]);
    expect(j.size).toBe(3);
  });

  it('keeps order, ids and durations across the batches it copies entries in', () => {
    const j = new RequestJournal(100);
    for (let i = 1; i <= 150; i++) {
      j.record(exchange({ path: `/p${i}` }), i, Date.UTC(2026, 0, 1) + i);
      if (i === 10)
        expect([...j.newestFirst()].map((r) => r.path)).toEqual([
          '/p10',
          '/p9',
          '/p8',
          '/p7',
          '/p6',
          '/p5',
          '/p4',
          '/p3',
          '/p2',
          '/p1',
        ]);
    }
    const kept = [...j.newestFirst()];
    expect(kept).toHaveLength(100);
    expect(kept.map((r) => [r.id, r.path, r.durationMs, r.time])).toEqual(
      Array.from({ length: 100 }, (_, k) => [150 - k, `/p${150 - k}`, 150 - k, Date.UTC(2026, 0, 1) + 150 - k]),
    );
    j.record(exchange({ path: '/after' }));
    expect(j.size).toBe(100);
    expect([...j.newestFirst()][0]!.path).toBe('/after');
  });

  it('cuts an entry back into its parts whatever their characters: multi-byte, lone surrogates, bytes that are not UTF-8', () => {
    const j = new RequestJournal(4);
    const notUtf8 = Buffer.from([0xff, 0xfe, 0x41]);
    j.record(
      exchange({
        url: '/api/v1/caf%C3%A9?q=%F0%9F%92%B3',
        path: '/api/v1/caf%C3%A9',
        rawHeaders: ['Host', 'localhost', 'X-Name', 'Zoë 💳'],
        requestBody: notUtf8,
        responseHeaders: { 'content-type': 'application/json', 'x-note': 'naïve' },
        responseBody: '{"name":"Zoë 💳","odd":"\\ud800"}',
      }),
    );
    j.record(exchange({ responseBody: 'a\ud800b', responseHeaders: { 'x-lone': 'c\udc00' } }));
    const [lone, multi] = [...j.newestFirst()];
    expect(multi).toMatchObject({
      url: '/api/v1/caf%C3%A9?q=%F0%9F%92%B3',
      path: '/api/v1/caf%C3%A9',
      rawHeaders: 'Host\nlocalhost\nX-Name\nZoë 💳',
      responseHeaders: { 'content-type': 'application/json', 'x-note': 'naïve' },
      responseBody: '{"name":"Zoë 💳","odd":"\\ud800"}',
    });
    expect(multi!.requestBody).toEqual(notUtf8);
    expect(lone).toMatchObject({ responseBody: 'a\ufffdb', responseHeaders: { 'x-lone': 'c\ufffd' } });
  });

  it('holds fewer than its capacity until full', () => {
    const j = new RequestJournal(10);
    j.record(exchange());
    j.record(exchange());
    expect(j.size).toBe(2);
  });

  it('clear() empties it; ids go on ascending', () => {
    const j = new RequestJournal(2);
    j.record(exchange());
    j.clear();
    expect(j.size).toBe(0);
    j.record(exchange());
    expect([...j.newestFirst()].map((r) => r.id)).toEqual([2]);
  });

  it('capacity 0 keeps nothing and is not enabled', () => {
    const j = new RequestJournal(0);
    j.record(exchange());
    expect(j.enabled).toBe(false);
    expect(j.size).toBe(0);
  });

  it('refuses a negative or fractional capacity', () => {
    expect(() => new RequestJournal(-1)).toThrow(RangeError);
    expect(() => new RequestJournal(1.5)).toThrow(RangeError);
  });

  it('records a HEAD answer with no body, and wall-clock time and a duration', () => {
    const j = new RequestJournal(1);
    const before = Date.now();
    j.record(exchange({ method: 'HEAD', responseBody: '[1]', started: performance.now() - 5 }));
    const e = entryJson([...j.newestFirst()][0]!);
    expect(e.response.body).toBe('');
    expect(Date.parse(e.time)).toBeGreaterThanOrEqual(before);
    expect(e.duration_ms).toBeGreaterThanOrEqual(5);
  });
});

describe('body caps', () => {
  it('keeps a body within the cap as it is (the same object)', () => {
    const buf = Buffer.from('{"a":1}');
    expect(capBody(buf, 64)).toEqual({ body: buf, truncated: false });
    expect(capBody(buf, 64).body).toBe(buf);
    expect(capBody('x'.repeat(64), 64)).toEqual({ body: 'x'.repeat(64), truncated: false });
    expect(capBody(null, 64)).toEqual({ body: null, truncated: false });
  });

  it('cuts a longer body to the cap in UTF-8 bytes, copied, with the flag', () => {
    const buf = Buffer.from('y'.repeat(100));
    const cut = capBody(buf, 10);
    expect(cut.truncated).toBe(true);
    expect((cut.body as Buffer).toString()).toBe('y'.repeat(10));
    buf.fill('z');
    expect((cut.body as Buffer).toString()).toBe('y'.repeat(10));
    expect(capBody('é'.repeat(10), 10)).toEqual({ body: 'é'.repeat(5), truncated: true });
  });

  it('the journal cuts both bodies and says so', () => {
    const j = new RequestJournal(1, 8);
    j.record(exchange({ requestBody: Buffer.from('0123456789'), responseBody: 'abcdefghij' }));
    const e = entryJson([...j.newestFirst()][0]!);
    expect(e.request).toMatchObject({ body: '01234567', body_truncated: true });
    expect(e.response).toMatchObject({ body: 'abcdefgh', body_truncated: true });
  });
});

describe('redaction', () => {
  it('hides credentials but keeps the scheme', () => {
    expect(redactedHeaders({ authorization: 'Token abc', 'proxy-authorization': 'Basic Zm9v', accept: '*/*' })).toEqual(
      {
        authorization: 'Token [REDACTED]',
        'proxy-authorization': 'Basic [REDACTED]',
        accept: '*/*',
      },
    );
    expect(redactedHeaders({ authorization: 'abc' })).toEqual({ authorization: '[REDACTED]' });
  });

  it('hides every cookie value, keeping the names', () => {
    expect(redactedHeaders({ cookie: 'sessionid=abc; csrftoken=def' })).toEqual({
      cookie: 'sessionid=[REDACTED]; csrftoken=[REDACTED]',
    });
  });

  it('hides ?x-auth-token= (any case, repeated), keeps other parameters', () => {
    expect(redactedQuery('/api/customer-credits/?x-auth-token=abc&page=2&X-Auth-Token=d&X-Auth-Token=e')).toEqual({
      'x-auth-token': '[REDACTED]',
      page: '2',
      'X-Auth-Token': ['[REDACTED]', '[REDACTED]'],
    });
    expect(redactedQuery('/api/customer-credits/')).toEqual({});
  });

  it('reads the kept headers back: names lower case, a repeated one joined', () => {
    expect(headersOf(['X-Many', 'a', 'Accept', '*/*', 'x-many', 'b'].join('\n'))).toEqual({
      'x-many': 'a, b',
      accept: '*/*',
    });
    expect(headersOf('')).toEqual({});
  });
});

describe('filters', () => {
  const j = new RequestJournal(100);
  j.record(exchange());
  j.record(exchange({ method: 'POST', operationId: 'customer_credits_create', status: 400 }));
  j.record(
    exchange({
      dialect: 'maple',
      method: 'POST',
      operationId: 'consumeCredits',
      path: '/api/v1/companies/c/credits/consume',
      url: '/api/v1/companies/c/credits/consume',
      status: 200,
      rawHeaders: ['Idempotency-Key', 'k1'],
    }),
  );
  j.record(
    exchange({
      dialect: 'maple',
      method: 'POST',
      operationId: 'consumeCredits',
      path: '/api/v1/companies/c/credits/consume',
      url: '/api/v1/companies/c/credits/consume',
      status: 200,
      rawHeaders: ['Idempotency-Key', 'k2'],
    }),
  );
  j.record(exchange({ dialect: 'maple', operationId: null, path: '/api/v1/nope', url: '/api/v1/nope', status: 404 }));

  it.each([
    [{}, 5],
    [{ method: 'post' }, 3],
    [{ path: '/api/v1/' }, 3],
    [{ path: '/api/customer-credits/' }, 2],
    [{ operation: 'consumeCredits' }, 2],
    [{ dialect: 'waldur' }, 2],
    [{ status: 400 }, 1],
    [{ status: '4xx' }, 2],
    [{ status: '2XX' }, 3],
    [{ operation: 'consumeCredits', headers: { 'Idempotency-Key': 'k1' } }, 1],
    [{ headers: { 'idempotency-key': 'k3' } }, 0],
    [{ since: new Date(Date.now() + 60_000).toISOString() }, 0],
    [{ since: '2000-01-01' }, 5],
  ])('count %j → %i', (f, n) => {
    expect(count(j, filter(f))).toBe(n);
  });

  it('select is newest first and stops at the limit', () => {
    expect(select(j, filter({ limit: '2' }, 'query')).map((r) => r.id)).toEqual([5, 4]);
    expect(select(j, filter({ method: 'POST', limit: '2' }, 'query')).map((r) => r.id)).toEqual([4, 3]);
  });

  it('reads header filters from a query as name:value, repeatable', () => {
    expect(filter({ header: ['Idempotency-Key: k1', 'x:y'] }, 'query').headers).toEqual([
      ['idempotency-key', 'k1'],
      ['x', 'y'],
    ]);
  });

  // The shape of a filter (members, types, patterns, the limit's range) is checked against specs/admin.yaml
  // before it gets here (admin-request-validation.api.test.ts); what the spec cannot know is checked here.
  it.each([
    [{ operation: 'nope' }, /operation: must be an operationId/],
    [{ since: 'yesterday' }, /since: must be an ISO 8601/],
    [{ since: '2026-13-45T00:00:00Z' }, /since: must be an ISO 8601/],
    [{ since: '2026-12-03T09:30:00' }, /since: .*with its offset/],
  ])('a filter %j → %s', (body, problem) => {
    const f = parseFilter(body, OPS);
    expect('problems' in f && f.problems.some((p) => problem.test(p))).toBe(true);
  });

  it('takes no filter (an absent body) as matching everything', () => {
    expect(parseFilter(undefined, OPS)).toEqual({});
  });
});

describe('redaction in the answer', () => {
  it('hides a token that a Link header or a body repeats from the query', () => {
    const j = new RequestJournal(1);
    j.record(
      exchange({
        url: '/api/customer-credits/?x-auth-token=abc&page=2',
        responseHeaders: { Link: '<http://h/api/customer-credits/?x-auth-token=abc&page=1>; rel="first"' },
        responseBody: '{"next":"http://h/?page=3&X-Auth-Token=abc"}',
      }),
    );
    const e = entryJson([...j.newestFirst()][0]!);
    expect(e.response.headers.Link).toBe(
      '<http://h/api/customer-credits/?x-auth-token=[REDACTED]&page=1>; rel="first"',
    );
    expect(e.response.body).toBe('{"next":"http://h/?page=3&X-Auth-Token=[REDACTED]"}');
  });
});
