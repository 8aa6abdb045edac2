import { generateSync, type JsonSchema } from 'json-schema-faker';
import { beforeAll, describe, expect } from 'vitest';
import { malformedJson, prng as seededPrng, specSchemas } from '../support/generated.js';
import { check, replyContractProblems } from '../support/check.js';
import type { Reply } from '../support/http.js';
import {
  balanceOf,
  cleanUpAfterAll,
  envelopeProblems,
  findAll,
  maple,
  mustCreate,
  remember,
  amountCredit,
  unitsCredit,
  type Credit,
  type CreditLog,
} from '../support/maple-data.js';
import { mapleWorld, serverNow, type MapleWorld } from '../support/maple-world.js';

/**
 * Robustness: a deterministic batch of invalid requests. Bodies are generated
 * from the request schemas of specs/maple-credits.yaml with json-schema-faker
 * (seeded), repaired into valid ones, then broken in exactly one way the
 * contract or docs/behaviour/maple.md (§1.3–§1.6, Part 3) says is invalid. Every answer
 * must be a 4xx in Maple's envelope, and afterwards the customer's balance,
 * credits and log must be exactly as before.
 *
 * The seed is fixed; CONFORMANCE_SEED overrides it. Every failure message
 * names the seed and the request's index, so a failure reproduces.
 */
const SEED = Number(process.env.CONFORMANCE_SEED ?? 20261122);
/** Invalid bodies per operation (4 operations). */
const PER_OPERATION = 14;

let world: MapleWorld;
let schemas: Record<string, JsonSchema>;
beforeAll(async () => {
  world = (await mapleWorld()) as MapleWorld; // null without a world: the checks then do not run
  schemas = await specSchemas('maple-credits.yaml');
});
cleanUpAfterAll();

// ------------------------------------------------------------ randomness

/** The shared seeded source, plus what this file's broken values need. */
function prng(seed: number) {
  const base = seededPrng(seed);
  return {
    ...base,
    word: (seed2: number) => String(generateSync({ type: 'string', pattern: '^[a-z][a-z_]{3,12}$' }, { seed: seed2 })),
  };
}
type Rnd = ReturnType<typeof prng>;

// ------------------------------------------------------------ operations

interface Operation {
  id: string;
  sub: string;
  schema: string;
  /** The top-level fields with an enum, and (for find) the query's. */
  enums: string[];
}
const OPERATIONS: Operation[] = [
  { id: 'createCredit', sub: '', schema: 'CreditCreateRequest', enums: ['type', 'state'] },
  { id: 'consumeCredits', sub: '/consume', schema: 'ConsumeRequest', enums: ['type'] },
  { id: 'findCredits', sub: '/find', schema: 'FindCreditsRequest', enums: ['sort_key', 'query.type', 'query.status'] },
  {
    id: 'findCreditLogs',
    sub: '/logs/find',
    schema: 'FindCreditLogsRequest',
    enums: ['sort_key', 'query.action_type', 'query.type'],
  },
];

/** The body's required fields, as the spec lists them (createCredit: customer_id only; its type may be inferred). */
const requiredOf = (op: Operation): string[] =>
  (schemas[op.schema] as { required?: string[] } | undefined)?.required ?? [];

/** What the requests aim at: a customer with a balance to lose, and its credits. */
interface Targets {
  customer: string;
  usdCredit: string;
  unitsCredit: string;
  now: number;
}

type Body = Record<string, unknown>;

/**
 * A valid body for the operation: json-schema-faker picks the fields and raw
 * values; each is then repaired into one docs/behaviour/maple.md accepts (the faker
 * knows nothing of customers that must exist or of the type rules).
 */
function validBody(op: Operation, t: Targets, seed: number): Body {
  const raw = generateSync(schemas[op.schema]!, { seed }) as Body;
  const rnd = prng(seed);
  const grant = (body: Body, type: string, consume: boolean) => {
    if (type === 'AMOUNT')
      body.amount = {
        currency: consume ? 'USD' : rnd.pick(['USD', 'EUR', 'GBP', 'JPY']),
        value_in_cents: rnd.int(1, consume ? 50 : 100_000),
      };
    else {
      body.units = rnd.int(1, consume ? 3 : 50);
      body.item_id = world.itemId;
    }
  };
  if (op.id === 'createCredit' || op.id === 'consumeCredits') {
    const consume = op.id === 'consumeCredits';
    const type = raw.type === 'UNITS' ? 'UNITS' : 'AMOUNT';
    const body: Body = { customer_id: t.customer, type };
    grant(body, type, consume);
    if ('name' in raw && !consume) body.name = `robust ${seed}`;
    if ('state' in raw && !consume) body.state = 'ACTIVE';
    if ('expiration_date' in raw && !consume)
      body.expiration_date = new Date(t.now + rnd.int(30, 400) * 86_400_000).toISOString();
    if ('apply_to_open_invoices' in raw && !consume) body.apply_to_open_invoices = { enable: false };
    if ('note' in raw && consume) body.note = `robust ${seed}`;
    if ('credit_id' in raw && consume) body.credit_id = type === 'AMOUNT' ? t.usdCredit : t.unitsCredit;
    return body;
  }
  const body: Body = {
    pagination: { limit: rnd.int(1, 100) },
    sort_key: rnd.pick(['createdAtDesc', 'createdAtAsc']),
  };
  const rawQuery = (raw.query ?? {}) as Body;
  const query: Body = { customer_id: t.customer };
  if ('type' in rawQuery) query.type = rnd.pick(['AMOUNT', 'UNITS']);
  if (op.id === 'findCredits') {
    if ('status' in rawQuery) query.status = rnd.pick(['ACTIVE', 'CONSUMED', 'EXPIRED', 'REVOKED']);
    if ('statuses' in rawQuery) query.statuses = ['ACTIVE'];
    if ('currency' in rawQuery) query.currency = 'USD';
    if ('search' in rawQuery) query.search = 'robust';
    if ('include_meta' in raw) body.include_meta = rnd.bool();
  } else {
    if ('action_type' in rawQuery) query.action_type = rnd.pick(['ISSUED', 'CONSUMED', 'REVOKED', 'EXPIRED']);
    if ('note' in rawQuery) query.note = 'robust';
  }
  body.query = query;
  return body;
}

// ------------------------------------------------------------ the breaks

/** What an invalid request must get: 400 validation_error naming a field, any 400, 400 request_error (parsing), 404 or 413. */
type Expect =
  { kind: 'field'; field: string } | { kind: 'any400' } | { kind: 'parse400' } | { kind: '404' } | { kind: '413' };

interface Broken {
  how: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  expect: Expect;
}

interface Breaker {
  name: string;
  /** Whether it applies to the operation's body. */
  applies: (op: Operation, base: Body) => boolean;
  make: (base: Body, op: Operation, rnd: Rnd, seed: number) => Broken;
}

/** Sets a (possibly dotted) field on a copy of the body. */
function withField(base: Body, field: string, value: unknown): Body {
  const copy = structuredClone(base);
  const [head, tail] = field.split('.', 2) as [string, string | undefined];
  if (tail === undefined) copy[head] = value;
  else copy[head] = { ...((copy[head] as Body | undefined) ?? {}), [tail]: value };
  return copy;
}

function withoutField(base: Body, field: string): Body {
  const copy = structuredClone(base);
  delete copy[field];
  return copy;
}

/** A JSON value of a type the field does not take. */
function wrongType(value: unknown, rnd: Rnd): unknown {
  if (typeof value === 'string') return rnd.pick([rnd.int(-5, 99_999), true, false, ['x'], { v: 'x' }]);
  if (typeof value === 'number') return rnd.pick([String(value), true, [value], { v: value }]);
  if (typeof value === 'boolean') return rnd.pick(['true', 1, 0, [value]]);
  if (Array.isArray(value)) return rnd.pick(['x', 3, true]);
  return rnd.pick(['x', 3, true, [value]]);
}

/** The enum fields of the operation that the body has (query fields count when there is a query). */
const enumFields = (op: Operation, base: Body) =>
  op.enums.filter((f) => (f.startsWith('query.') ? typeof base.query === 'object' : f in base));
const moneyOf = (base: Body) => base.amount as { currency: string; value_in_cents: number } | undefined;

const BREAKERS: Breaker[] = [
  {
    name: 'a field of the wrong JSON type',
    applies: () => true,
    make: (base, _op, rnd) => {
      const field = rnd.pick(Object.keys(base));
      const value = wrongType(base[field], rnd);
      return {
        how: `${field} as ${JSON.stringify(value)}`,
        body: withField(base, field, value),
        expect: { kind: 'field', field },
      };
    },
  },
  {
    name: 'an enum outside its values',
    applies: (op, base) => enumFields(op, base).length > 0,
    make: (base, op, rnd, seed) => {
      const field = rnd.pick(enumFields(op, base));
      const value = rnd.pick([rnd.word(seed), 'ACTIVE_', 'amount', 'units', 'createdatdesc', 'NONE', '']);
      return {
        how: `${field} = ${JSON.stringify(value)}`,
        body: withField(base, field, value),
        expect: { kind: 'field', field },
      };
    },
  },
  {
    name: 'value_in_cents that is not a whole number in range',
    applies: (_op, base) => moneyOf(base) !== undefined,
    make: (base, op, rnd) => {
      const spelling = rnd.pick([
        '10.5',
        '10.0',
        '1e3',
        '-1',
        '"12"',
        '9007199254740992',
        '1.0e2',
        ...(op.id === 'createCredit' ? ['0'] : []),
      ]);
      const body = withField(base, 'amount', { currency: moneyOf(base)!.currency, value_in_cents: '@' });
      return {
        how: `value_in_cents ${spelling}`,
        raw: JSON.stringify(body).replace('"@"', spelling),
        expect: { kind: 'field', field: 'amount.value_in_cents' },
      };
    },
  },
  {
    name: 'a currency that is not an uppercase ISO 4217 code',
    applies: (_op, base) => moneyOf(base) !== undefined,
    make: (base, _op, rnd) => {
      const currency = rnd.pick(['usd', 'Usd', 'XYZ', 'US', 'USDD', 'ABC', ' USD', '€']);
      return {
        how: `currency ${JSON.stringify(currency)}`,
        body: withField(base, 'amount', { ...moneyOf(base)!, currency }),
        expect: { kind: 'field', field: 'amount.currency' },
      };
    },
  },
  {
    name: 'units that are not a number ≥ 0',
    applies: (_op, base) => typeof base.units === 'number',
    make: (base, _op, rnd) => {
      const units = rnd.pick([-2.5, -3, '4', '0.1', -0.5, true, [1]]);
      return {
        how: `units ${JSON.stringify(units)}`,
        body: withField(base, 'units', units),
        expect: { kind: 'field', field: 'units' },
      };
    },
  },
  {
    name: 'the grant of the other type',
    applies: (op) => op.id === 'createCredit' || op.id === 'consumeCredits',
    make: (base) =>
      base.type === 'AMOUNT'
        ? { how: 'AMOUNT with units', body: { ...base, units: 3 }, expect: { kind: 'field', field: 'units' } }
        : {
            how: 'UNITS with amount',
            body: { ...base, amount: { currency: 'USD', value_in_cents: 5 } },
            expect: { kind: 'field', field: 'amount' },
          },
  },
  {
    name: 'a required field missing',
    applies: () => true,
    make: (base, op, rnd) => {
      const field = rnd.pick(requiredOf(op));
      return { how: `no ${field}`, body: withoutField(base, field), expect: { kind: 'field', field } };
    },
  },
  {
    name: 'an unknown field',
    applies: () => true,
    make: (base, op, rnd, seed) => {
      const name = `x_${rnd.word(seed)}`;
      const field = op.id.startsWith('find') && rnd.bool() ? `query.${name}` : name;
      return {
        how: `unknown ${field}`,
        body: withField(base, field, rnd.pick([1, 'x', true, null, {}])),
        expect: { kind: 'field', field },
      };
    },
  },
  {
    name: 'pagination.limit out of range',
    applies: (op) => op.id.startsWith('find'),
    make: (base, _op, rnd) => {
      const limit = rnd.pick([0, -1, rnd.int(101, 100_000), 2.5, 100.5]);
      return {
        how: `limit ${limit}`,
        body: withField(base, 'pagination', { limit }),
        expect: { kind: 'field', field: 'pagination.limit' },
      };
    },
  },
  {
    name: 'an expiration_date that is not a future RFC 3339 instant',
    applies: (op) => op.id === 'createCredit',
    make: (base, _op, rnd) => {
      const value = rnd.pick([
        '2001-02-03T04:05:06Z',
        '2099-02-30T00:00:00Z',
        '2099-01-01',
        'next week',
        '2099-01-01T25:00:00Z',
        `2099-01-01T00:00:00Z${'x'.repeat(rnd.int(1, 5000))}`,
      ]);
      return {
        how: `expiration_date ${value.slice(0, 40)}`,
        body: withField(base, 'expiration_date', value),
        expect: { kind: 'field', field: 'expiration_date' },
      };
    },
  },
  {
    name: 'an unknown customer',
    applies: (op) => op.id === 'createCredit' || op.id === 'consumeCredits',
    make: (base, _op, rnd) => {
      const customer = rnd.pick([`cus_${'z'.repeat(rnd.int(5, 50_000))}`, 'cus_', 'robust-nobody', '../../etc']);
      return {
        how: `customer_id ${customer.slice(0, 40)} (${customer.length} characters)`,
        body: withField(base, 'customer_id', customer),
        expect: { kind: '404' },
      };
    },
  },
  {
    name: 'nested junk for a scalar field',
    applies: () => true,
    make: (base, op, rnd) => {
      const field = rnd.pick(requiredOf(op).filter((f) => typeof base[f] !== 'object'));
      const junk = { a: { b: [1, { c: null, d: [[[rnd.int(0, 9)]]] }], e: 'x'.repeat(rnd.int(1, 50)) } };
      return { how: `${field} as nested junk`, body: withField(base, field, junk), expect: { kind: 'field', field } };
    },
  },
  {
    name: 'an array or a scalar instead of an object',
    applies: () => true,
    make: (base, _op, rnd) => ({
      how: 'not an object',
      body: rnd.pick([[base], [], 'text', 42, true, null]),
      expect: { kind: 'any400' },
    }),
  },
  {
    name: 'malformed JSON text',
    applies: () => true,
    make: (base, _op, rnd) => ({
      how: 'malformed JSON',
      raw: malformedJson(base, 'type', rnd),
      contentType: 'application/json',
      expect: { kind: 'parse400' },
    }),
  },
  {
    name: 'a content type that is not JSON',
    applies: () => true,
    make: (base, _op, rnd) => ({
      how: 'not JSON',
      raw: JSON.stringify(base),
      contentType: rnd.pick([
        'text/plain',
        'application/xml',
        'text/csv',
        'application/x-www-form-urlencoded',
        'application/yaml',
      ]),
      expect: { kind: 'parse400' },
    }),
  },
  {
    name: 'a body over 1 MiB',
    applies: () => true,
    make: (base, _op, rnd) => ({
      how: 'over 1 MiB',
      raw: JSON.stringify({ ...base, pad: 'p'.repeat(rnd.int(1_050_000, 1_300_000)) }),
      contentType: 'application/json',
      expect: { kind: '413' },
    }),
  },
];

// ------------------------------------------------------------ the verdicts

/** The problems of one answer to an invalid request ([] when it is right). */
function verdict(operationId: string, res: Reply, expected: Expect): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`a server error ${res.status}`);
  else if (res.status < 400) problems.push(`accepted with ${res.status}`);
  if (problems.length) return [...problems, `body: ${res.text.slice(0, 200)}`];
  problems.push(...envelopeProblems(res), ...replyContractProblems(operationId, res));
  const body = res.body as { error_type?: string; validation_errors?: { field?: string }[] } | undefined;
  const want = (status: number) => res.status !== status && problems.push(`expected ${status}, got ${res.status}`);
  if (expected.kind === 'field') {
    want(400);
    if (body?.error_type !== 'validation_error')
      problems.push(`error_type ${JSON.stringify(body?.error_type)}, not validation_error`);
    const named = Array.isArray(body?.validation_errors) ? body!.validation_errors.map((v) => v?.field) : [];
    if (!named.includes(expected.field))
      problems.push(`validation_errors name ${JSON.stringify(named)}, not ${expected.field}`);
  } else if (expected.kind === 'any400') want(400);
  else if (expected.kind === 'parse400') {
    want(400);
    if (body?.error_type !== 'request_error')
      problems.push(`error_type ${JSON.stringify(body?.error_type)}, not request_error`);
  } else if (expected.kind === '404') want(404);
  else want(413);
  return problems.length ? [...problems, `body: ${res.text.slice(0, 200)}`] : [];
}

const describeRequest = (b: Broken) => {
  const payload = b.raw ?? JSON.stringify(b.body) ?? 'undefined';
  return `${b.how}${b.contentType ? ` (${b.contentType})` : ''}: ${payload.length > 160 ? `${payload.slice(0, 160)}… [${payload.length} chars]` : payload}`;
};

// ------------------------------------------------------------ the checks

describe('robustness: generated invalid requests', () => {
  let targets: Targets | undefined;
  let before: string | undefined;
  const ready = (): Targets => {
    if (!targets) throw new Error('setup: the target credits were not created (the first check of this block failed)');
    return targets;
  };
  /** The customer's balance, credits and log. */
  const snapshot = async () => {
    const t = ready();
    return JSON.stringify(
      {
        balance: await balanceOf(t.customer),
        credits: await findAll<Credit>('credits', { customer_id: t.customer }),
        logs: await findAll<CreditLog>('logs', { customer_id: t.customer }),
      },
      null,
      1,
    );
  };

  check(
    'createCredit',
    'creates the credits the invalid requests would change',
    async () => {
      const customer = world.customers[0]!.id;
      const usd = await mustCreate(amountCredit(customer, 1000));
      const units = await mustCreate(unitsCredit(customer, 10, world.itemId));
      targets = { customer, usdCredit: usd.id, unitsCredit: units.id, now: await serverNow(world) };
      before = await snapshot();
    },
    { writes: true },
  );

  for (const [opIndex, op] of OPERATIONS.entries()) {
    check(
      op.id,
      `${PER_OPERATION} generated invalid bodies are each refused with a 4xx in Maple's envelope (seed ${SEED})`,
      async () => {
        const t = ready();
        const failures: string[] = [];
        for (let i = 0; i < PER_OPERATION; i++) {
          const seed = (SEED + opIndex * 1000 + i) >>> 0;
          const rnd = prng(seed ^ 0x9e3779b9);
          const base = validBody(op, t, seed);
          const applicable = BREAKERS.filter((b) => b.applies(op, base));
          const breaker = applicable[(i + opIndex * PER_OPERATION) % applicable.length]!;
          const broken = breaker.make(base, op, rnd, seed);
          const headers = { 'Content-Type': broken.contentType ?? 'application/json' };
          const res = await maple(
            'POST',
            op.sub,
            broken.raw !== undefined
              ? { raw: broken.raw, headers }
              : { raw: JSON.stringify(broken.body) ?? '', headers },
          );
          if (op.id === 'createCredit') remember(res); // a wrongly accepted create is revoked on a real server
          const problems = verdict(op.id, res, broken.expect);
          if (problems.length)
            failures.push(
              `#${i} [${breaker.name}] POST ${op.sub || '/'} ${describeRequest(broken)}\n      → ${res.status}: ${problems.join('; ')}`,
            );
        }
        expect(
          failures,
          `seed ${SEED} (CONFORMANCE_SEED=${SEED} reproduces): ${failures.length} of ${PER_OPERATION} invalid requests were mishandled:\n  ${failures.join('\n  ')}`,
        ).toEqual([]);
      },
      { writes: true },
    ); // the finds too: they aim at the credits made above
  }

  check(
    'checkBalance',
    "the customer's balance, credits and log are exactly as before the invalid requests",
    async () => {
      ready();
      expect(await snapshot(), `seed ${SEED}: an invalid request changed data`).toBe(before);
    },
    { writes: true },
  );
});
