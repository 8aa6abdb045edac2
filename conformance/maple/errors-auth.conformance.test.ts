import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus, replyContractProblems } from '../support/check.js';
import { call, type Reply } from '../support/http.js';
import {
  amountCredit,
  balanceOf,
  cleanUpAfterAll,
  createCredit,
  creditsOf,
  envelopeProblems,
  errorProblems,
  expectError,
  getCredit,
  maple,
  money,
  remember,
  scenarioCustomer,
  type Credit,
  unset,
} from '../support/maple-data.js';
import { clearFaults, injectFault, mapleWorld, type MapleWorld } from '../support/maple-world.js';

/**
 * Authentication, company scoping and the error envelope (docs/behaviour/maple.md §1.1,
 * §1.6, Part 4 items 1 and 11): 401 before anything else, 403 for another
 * company, 400 for a malformed company id, 404 across companies, and the same
 * `{error_message, error_type, error_status}` for every failure the server
 * can produce: malformed bodies, wrong content types, oversized bodies,
 * unknown routes, wrong methods, rate limits and internal errors.
 */
let world: MapleWorld;
beforeAll(async () => {
  world = (await mapleWorld()) as MapleWorld; // null without a world: the checks then do not run
});
cleanUpAfterAll();

/** One request per operation, harmless if it were served (reads, and writes that would be refused). */
const OPERATIONS: { operation: string; method: string; sub: string; body?: unknown }[] = [
  {
    operation: 'createCredit',
    method: 'POST',
    sub: '',
    body: { customer_id: 'cus_conformance_nobody', type: 'AMOUNT', amount: money(1) },
  },
  { operation: 'getCredit', method: 'GET', sub: '/conformance-no-such-credit' },
  { operation: 'revokeCredit', method: 'DELETE', sub: '/conformance-no-such-credit' },
  {
    operation: 'findCredits',
    method: 'POST',
    sub: '/find',
    body: { pagination: { limit: 1 }, sort_key: 'createdAtDesc' },
  },
  {
    operation: 'consumeCredits',
    method: 'POST',
    sub: '/consume',
    body: { customer_id: 'cus_conformance_nobody', type: 'AMOUNT', amount: money(1) },
  },
  { operation: 'checkBalance', method: 'GET', sub: '/check_balance/cus_conformance_nobody' },
  {
    operation: 'findCreditLogs',
    method: 'POST',
    sub: '/logs/find',
    body: { pagination: { limit: 1 }, sort_key: 'createdAtDesc' },
  },
];

/** Every operation sent with `opts`; each answer must be `status` `type` in the envelope and the contract. */
async function everyOperation(
  status: number,
  type: string,
  opts: { token?: string | null; headers?: Record<string, string>; company?: string },
): Promise<void> {
  const failures: string[] = [];
  for (const op of OPERATIONS) {
    const res = await maple(op.method, op.sub, { ...opts, body: op.body });
    const problems = errorProblems(res, op.operation, { status, type });
    if (problems.length) failures.push(`${op.method} ${op.sub || '/'} (${op.operation}): ${problems.join('; ')}`);
  }
  expect(failures, failures.join('\n  ')).toEqual([]);
}

describe('authentication', () => {
  check('getCredit', 'no Authorization: 401 auth_error on every operation', async () => {
    await everyOperation(401, 'auth_error', { token: null });
  });

  check('getCredit', 'another scheme (Basic, Token) or a bare Bearer: 401 auth_error', async () => {
    for (const authorization of [
      `Basic ${Buffer.from(`${world.token}:`).toString('base64')}`,
      `Token ${world.token}`,
      'Bearer',
      'Bearer ',
    ]) {
      const res = await maple('GET', '/conformance-no-such-credit', {
        token: null,
        headers: { Authorization: authorization },
      });
      expectError(res, 401, 'auth_error', { operation: 'getCredit' });
    }
  });

  check('findCredits', 'an unknown token: 401 auth_error on every operation', async () => {
    await everyOperation(401, 'auth_error', { token: `conformance-unknown-${world.run}` });
  });

  check(
    'findCredits',
    'no credentials on a malformed company id is still 401 (authentication comes first)',
    async () => {
      const res = await maple('POST', '/find', { token: null, company: 'acme', body: OPERATIONS[3]!.body });
      expectError(res, 401, 'auth_error', { operation: 'findCredits' });
    },
  );

  check('findCredits', 'a token of another company: 403 auth_error on every operation', async () => {
    if (!world.other.token) throw new Error('no maple.other_company_token configured (a token of another company)');
    await everyOperation(403, 'auth_error', { token: world.other.token });
  });

  check('findCredits', 'the token on an unknown cmp_ company: 403 auth_error', async () => {
    await everyOperation(403, 'auth_error', { company: `cmp_conformance${world.run}nobody` });
  });

  check('findCredits', 'a company id not matching ^cmp_[0-9A-Za-z]+$ is 400 request_error', async () => {
    const failures: string[] = [];
    for (const company of ['acme', 'cmp_', 'cmp-123', 'CMP_123', 'cmp_12%2D3']) {
      const res = await maple('POST', '/find', { company, body: OPERATIONS[3]!.body });
      const problems = errorProblems(res, 'findCredits', { status: 400, type: 'request_error' });
      if (problems.length) failures.push(`${company}: ${problems.join('; ')}`);
    }
    expect(failures, failures.join('\n  ')).toEqual([]);
  });
});

describe('company scoping', () => {
  let theirs = unset<Credit>("the other company's credit of the block");
  const other = () => {
    const { token, companyId, customerId } = world.other;
    if (!token || !companyId || !customerId)
      throw new Error('no maple.other_company_token, other_company_id and other_customer_id configured');
    return { token, companyId, customerId };
  };

  check(
    'getCredit',
    "another company's credit is 404 with your own company, and is not revoked by you",
    async () => {
      const o = other();
      const opts = { token: o.token, company: o.companyId };
      const made = await maple('POST', '', { ...opts, body: amountCredit(o.customerId, 900) });
      remember(made, opts);
      expectStatus(made, 201);
      theirs = made.body as Credit;
      expectError(await maple('GET', `/${theirs.id}`), 404, 'request_error', { operation: 'getCredit' });
      expectError(await maple('DELETE', `/${theirs.id}`), 404, 'request_error', { operation: 'revokeCredit' });
      const still = await maple('GET', `/${theirs.id}`, opts);
      expectStatus(still, 200);
      expect((still.body as Credit).state).toBe('ACTIVE');
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    "another company's customer and credit are unknown here (404), and nothing is deducted from them",
    async () => {
      const o = other();
      expectError(await maple('GET', `/check_balance/${o.customerId}`), 404, 'request_error', {
        operation: 'checkBalance',
      });
      const customer = await scenarioCustomer();
      expectStatus(await createCredit(amountCredit(customer.id, 1000)), 201);
      expectError(
        await maple('POST', '/consume', { body: { customer_id: o.customerId, type: 'AMOUNT', amount: money(10) } }),
        404,
        'request_error',
        { operation: 'consumeCredits' },
      );
      expectError(
        await maple('POST', '/consume', {
          body: { customer_id: customer.id, type: 'AMOUNT', amount: money(10), credit_id: theirs.id },
        }),
        404,
        'request_error',
        { operation: 'consumeCredits' },
      );
      const still = await maple('GET', `/${theirs.id}`, { token: o.token, company: o.companyId });
      expect((still.body as Credit).amount).toEqual(money(900));
      expect((await balanceOf(customer.id)).total_amount).toEqual({ USD: 1000 });
    },
    { writes: true },
  );

  check(
    'findCredits',
    "find never shows another company's credits",
    async () => {
      const o = other();
      const res = await maple('POST', '/find', {
        body: { pagination: { limit: 100 }, sort_key: 'createdAtDesc', query: { customer_id: o.customerId } },
      });
      expectStatus(res, 200);
      expectContract('findCredits', res);
      expect((res.body as { results: Credit[] }).results).toEqual([]);
    },
    { writes: true },
  );
});

describe('the error envelope', () => {
  const post = (raw: string, contentType: string, sub = '') =>
    maple('POST', sub, { raw, headers: { 'Content-Type': contentType } });

  check(
    'createCredit',
    'malformed JSON is 400 request_error in the envelope; nothing is created',
    async () => {
      const customer = await scenarioCustomer();
      const text = JSON.stringify(amountCredit(customer.id, 100));
      const failures: string[] = [];
      for (const raw of [
        text.slice(0, -1),
        `${text}}`,
        text.replace(/"/g, "'"),
        `${text.slice(0, -1)},}`,
        `/* c */${text}`,
      ]) {
        const res = await post(raw, 'application/json');
        remember(res);
        const problems = errorProblems(res, 'createCredit', { status: 400, type: 'request_error' });
        if (problems.length) failures.push(`${JSON.stringify(raw.slice(0, 60))}: ${problems.join('; ')}`);
      }
      expect(failures, failures.join('\n  ')).toEqual([]);
      expect(await creditsOf(customer.id)).toEqual([]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'a non-JSON content type is 400 request_error; nothing is created',
    async () => {
      const customer = await scenarioCustomer();
      const text = JSON.stringify(amountCredit(customer.id, 100));
      const failures: string[] = [];
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data; boundary=x',
      ]) {
        const res = await post(text, type);
        remember(res);
        const problems = errorProblems(res, 'createCredit', { status: 400, type: 'request_error' });
        if (problems.length) failures.push(`${type}: ${problems.join('; ')}`);
      }
      expect(failures, failures.join('\n  ')).toEqual([]);
      expect(await creditsOf(customer.id)).toEqual([]);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'a JSON body that is not an object is 400 in the envelope',
    async () => {
      const failures: string[] = [];
      for (const raw of ['[]', '[{"type":"AMOUNT"}]', '"text"', '42', 'null', 'true']) {
        const res = await post(raw, 'application/json', '/consume');
        const problems =
          res.status === 400
            ? [...envelopeProblems(res), ...replyContractProblems('consumeCredits', res)]
            : [`expected 400, got ${res.status}`];
        if (problems.length) failures.push(`${raw}: ${problems.join('; ')}: ${res.text.slice(0, 160)}`);
      }
      expect(failures, failures.join('\n  ')).toEqual([]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'a body over 1 MiB is 413 request_error; nothing is created',
    async () => {
      const customer = await scenarioCustomer();
      const raw = JSON.stringify(amountCredit(customer.id, 100, { name: 'x'.repeat(1_100_000) }));
      const res = await post(raw, 'application/json');
      remember(res);
      expectError(res, 413, 'request_error', { operation: 'createCredit' });
      expect(await creditsOf(customer.id)).toEqual([]);
    },
    { writes: true },
  );

  check('findCredits', 'a body over 1 MiB is 413 request_error on find too', async () => {
    const raw = JSON.stringify({
      pagination: { limit: 1 },
      sort_key: 'createdAtDesc',
      query: { search: 'x'.repeat(1_100_000) },
    });
    expectError(await post(raw, 'application/json', '/find'), 413, 'request_error', { operation: 'findCredits' });
  });

  check('getCredit', 'an unknown route under /api/v1/ is 404 request_error in the envelope', async () => {
    const failures: string[] = [];
    const paths = [
      `/api/v1/companies/${world.companyId}/credits/${'a'}/b/c`,
      `/api/v1/companies/${world.companyId}/coupons`,
      `/api/v1/companies/${world.companyId}/credits/logs`,
      '/api/v1/nothing-here',
    ];
    for (const path of paths) {
      const res = await call('GET', path, { token: world.token });
      const problems = res.status === 404 ? envelopeProblems(res) : [`expected 404, got ${res.status}`];
      if (res.status === 404 && (res.body as { error_type?: string })?.error_type !== 'request_error')
        problems.push('error_type is not request_error');
      if (problems.length) failures.push(`GET ${path}: ${problems.join('; ')}: ${res.text.slice(0, 160)}`);
    }
    expect(failures, failures.join('\n  ')).toEqual([]);
  });

  check('getCredit', 'a wrong method on a known path is 405 request_error with Allow', async () => {
    const failures: string[] = [];
    const cases: [string, string, string[]][] = [
      ['PUT', '/conformance-no-such-credit', ['GET', 'DELETE']],
      ['PATCH', '/conformance-no-such-credit', ['GET', 'DELETE']],
      ['GET', '/find', ['POST']],
      ['DELETE', '/consume', ['POST']],
      ['POST', '/check_balance/cus_x', ['GET']],
      ['GET', '/logs/find', ['POST']],
      ['GET', '', ['POST']],
    ];
    for (const [method, sub, allowed] of cases) {
      const res: Reply = await maple(method, sub, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      const problems = res.status === 405 ? envelopeProblems(res) : [`expected 405, got ${res.status}`];
      const allow = (res.headers.allow ?? '')
        .split(',')
        .map((m) => m.trim().toUpperCase())
        .filter(Boolean);
      for (const m of allowed) if (!allow.includes(m)) problems.push(`Allow "${res.headers.allow ?? ''}" lacks ${m}`);
      if (allow.includes(method)) problems.push(`Allow names ${method} itself`);
      if (problems.length) failures.push(`${method} ${sub || '/'}: ${problems.join('; ')}: ${res.text.slice(0, 160)}`);
    }
    expect(failures, failures.join('\n  ')).toEqual([]);
  });
});

describe('rate limits and internal errors (mock fault injection)', () => {
  check(
    'createCredit',
    'a 429 is request_error in the envelope and creates nothing',
    async () => {
      const customer = await scenarioCustomer();
      await injectFault({ status: 429, count: 1, operation: 'createCredit' });
      try {
        const res = await createCredit(amountCredit(customer.id, 100));
        expectError(res, 429, 'request_error', { operation: 'createCredit' });
      } finally {
        await clearFaults();
      }
      expect(await creditsOf(customer.id)).toEqual([]);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'consumeCredits',
    'a 500 is request_error in the envelope and deducts nothing',
    async () => {
      const customer = await scenarioCustomer();
      const credit = (await createCredit(amountCredit(customer.id, 100))).body as Credit;
      await injectFault({ status: 500, count: 1, operation: 'consumeCredits' });
      try {
        const res = await maple('POST', '/consume', {
          body: { customer_id: customer.id, type: 'AMOUNT', amount: money(40) },
        });
        expectError(res, 500, 'request_error', { operation: 'consumeCredits' });
      } finally {
        await clearFaults();
      }
      expect(await getCredit(credit.id)).toMatchObject({ amount: money(100) });
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'checkBalance',
    'a fault aimed at one operation leaves the others alone; count 1 is one answer',
    async () => {
      const customer = await scenarioCustomer();
      await injectFault({ status: 500, count: 1, operation: 'checkBalance' });
      try {
        const find = await maple('POST', '/find', { body: OPERATIONS[3]!.body });
        expectStatus(find, 200);
        expectError(await maple('GET', `/check_balance/${customer.id}`), 500, 'request_error', {
          operation: 'checkBalance',
        });
        expectStatus(await maple('GET', `/check_balance/${customer.id}`), 200);
      } finally {
        await clearFaults();
      }
    },
    { writes: true, needs: 'admin' },
  );
});
