import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import type { Reply } from '../support/http.js';
import {
  amountCredit,
  balanceOf,
  cleanUpAfterAll,
  consume,
  createCredit,
  creditsOf,
  entries,
  expectError,
  findAll,
  getCredit,
  logsOf,
  maple,
  money,
  mustCreate,
  EMPTY_BALANCE,
  rawWith,
  EMPTY_ITEM,
  NO_AMOUNT,
  scenarioCustomer,
  sendRefusals,
  unitsCredit,
  type Credit,
  type Refusal,
  unset,
} from '../support/maple-data.js';
import { inDays, mapleWorld, withFrozenClock, type MapleCustomer, type MapleWorld } from '../support/maple-world.js';

/**
 * Credits: create (every field of the Credit object), get, revoke, expiry on
 * the mock's clock, parallel creates, and every validation rule of create with
 * the field it names (docs/behaviour/maple.md §1.3, Part 4 items 2, 3 and 8). Nothing a
 * refused request sends may be stored.
 */
let world: MapleWorld;
beforeAll(async () => {
  world = (await mapleWorld()) as MapleWorld; // null without a world: the checks then do not run
});
cleanUpAfterAll();

/** The fields a Credit carries that only Maple itself fills: null for a credit made through the API. */
const SERVER_SET_NULLS = [
  'coupon_id',
  'metric_record_id',
  'one_time_billable_id',
  'proration_date',
  'import_ref',
  'import_created_at_ref',
  'imported_from',
];
const NO_SUCH_ID = 'conformance-no-such-credit-0000';

describe('credits: create, get, revoke', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  let credit = unset<Credit>('the credit of the block');

  check(
    'createCredit',
    'answers 201 with every field of the Credit object; issued_amount = amount; state ACTIVE; units 0 and the empty item',
    async () => {
      customer = await scenarioCustomer(0);
      const name = `Conformance credit ${world.run}`;
      const res = await createCredit(amountCredit(customer.id, 2500, { name }));
      expectStatus(res, 201);
      expectContract('createCredit', res);
      credit = res.body as Credit;
      expect(typeof credit.id === 'string' && credit.id.length > 0, 'the credit has no id').toBe(true);
      expect(Number.isNaN(Date.parse(credit.created_at)), `created_at ${credit.created_at} is not a date-time`).toBe(
        false,
      );
      expect(credit).toMatchObject({
        customer_id: customer.id,
        name,
        type: 'AMOUNT',
        state: 'ACTIVE',
        amount: money(2500),
        issued_amount: money(2500),
        units: 0,
        issued_units: 0,
        item_id: null,
        item: EMPTY_ITEM,
        subscription_id: null,
        expiration_date: null,
      });
      for (const field of SERVER_SET_NULLS) {
        expect(Object.hasOwn(credit, field), `${field} is missing (nullable fields are present as null)`).toBe(true);
        expect(credit[field], field).toBeNull();
      }
    },
    { writes: true },
  );

  check(
    'getCredit',
    'returns the credit exactly as created',
    async () => {
      const res = await maple('GET', `/${credit.id}`);
      expectStatus(res, 200);
      expectContract('getCredit', res);
      expect(res.body).toEqual(credit);
    },
    { writes: true },
  );

  check(
    'findCreditLogs',
    'a new credit has one ISSUED entry for what was issued',
    async () => {
      const logs = await logsOf(credit.id);
      expect(entries(logs)).toEqual(['ISSUED 2500 USD']);
      expect(logs[0]).toMatchObject({ credit_id: credit.id, customer_id: customer.id });
    },
    { writes: true },
  );

  check(
    'createCredit',
    'without a name the name is ""; state ACTIVE may be given',
    async () => {
      const res = await createCredit(amountCredit(customer.id, 10, { state: 'ACTIVE' }));
      expectStatus(res, 201);
      expectContract('createCredit', res);
      expect(res.body).toMatchObject({ name: '', state: 'ACTIVE', amount: money(10), issued_amount: money(10) });
    },
    { writes: true },
  );

  check(
    'createCredit',
    'type may be left out: it follows from amount (AMOUNT) or units (UNITS)',
    async () => {
      const { type: _a, ...amountOnly } = amountCredit(customer.id, 20);
      const { type: _u, ...unitsOnly } = unitsCredit(customer.id, 2, world.itemId);
      for (const [body, type] of [
        [amountOnly, 'AMOUNT'],
        [unitsOnly, 'UNITS'],
      ] as const) {
        const res = await createCredit(body);
        expectStatus(res, 201);
        expectContract('createCredit', res);
        expect((res.body as Credit).type).toBe(type);
      }
    },
    { writes: true },
  );

  check(
    'createCredit',
    'units are numbers kept exactly: 2.5 and 0.1 + 0.2 consumed from 0.3 leave 0 and a CONSUMED credit',
    async () => {
      const half = await mustCreate(unitsCredit(customer.id, 2.5, world.itemId));
      expect(half).toMatchObject({ units: 2.5, issued_units: 2.5 });
      const made = await mustCreate(unitsCredit(customer.id, 0.3, world.itemId));
      for (const units of [0.1, 0.2]) {
        const res = await consume({ customer_id: customer.id, type: 'UNITS', units, credit_id: made.id });
        expectStatus(res, 200);
        expectContract('consumeCredits', res);
      }
      expect(await getCredit(made.id)).toMatchObject({ state: 'CONSUMED', units: 0, issued_units: 0.3 });
      expect(entries(await logsOf(made.id))).toEqual(['ISSUED 0.3 units', 'CONSUMED 0.1 units', 'CONSUMED 0.2 units']);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'a credit created CONSUMED, EXPIRED or REVOKED (an import) shows 0 remaining, logs ISSUED then its end, and leaves the balance alone',
    async () => {
      const before = await balanceOf(customer.id);
      for (const state of ['CONSUMED', 'EXPIRED', 'REVOKED'] as const) {
        const res = await createCredit(amountCredit(customer.id, 700, { state }));
        expectStatus(res, 201);
        expectContract('createCredit', res);
        const made = res.body as Credit;
        expect(made).toMatchObject({ state, amount: money(0), issued_amount: money(700) });
        expect(entries(await logsOf(made.id))).toEqual(['ISSUED 700 USD', `${state} 700 USD`]);
      }
      expect(await balanceOf(customer.id)).toEqual(before);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'a UNITS credit: issued_units = units, no amount, the item expanded',
    async () => {
      const res = await createCredit(unitsCredit(customer.id, 12, world.itemId));
      expectStatus(res, 201);
      expectContract('createCredit', res);
      const made = res.body as Credit;
      expect(made).toMatchObject({
        type: 'UNITS',
        state: 'ACTIVE',
        units: 12,
        issued_units: 12,
        amount: NO_AMOUNT,
        issued_amount: NO_AMOUNT,
        item_id: world.itemId,
      });
      expect(made.item!.id).toBe(world.itemId);
      expect(entries(await logsOf(made.id))).toEqual(['ISSUED 12 units']);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'keeps subscription_id and expiration_date (the same instant, RFC 3339)',
    async () => {
      if (!world.subscriptionId)
        throw new Error('no maple.subscription_id configured (a subscription of customers[0])');
      const c0 = world.customers[0]!;
      const expires = await inDays(world, 30);
      const res = await createCredit(
        amountCredit(c0.id, 300, { subscription_id: world.subscriptionId, expiration_date: expires }),
      );
      expectStatus(res, 201);
      expectContract('createCredit', res);
      const made = res.body as Credit;
      expect(made.subscription_id).toBe(world.subscriptionId);
      expect(made.expiration_date, 'expiration_date is not RFC 3339').toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
      );
      expect(Date.parse(made.expiration_date!)).toBe(Date.parse(expires));
      expect((await getCredit(made.id)).expiration_date).toBe(made.expiration_date);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'customer_id may be the external identifier; the credit names the Maple customer id',
    async () => {
      const c0 = world.customers[0]!;
      if (!c0.identifier)
        throw new Error('no maple.customer_identifier configured (the external identifier of customers[0])');
      const res = await createCredit(amountCredit(c0.identifier, 150));
      expectStatus(res, 201);
      expectContract('createCredit', res);
      expect((res.body as Credit).customer_id).toBe(c0.id);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'value_in_cents up to 2^53 − 1 is kept exactly',
    async () => {
      const c = await scenarioCustomer(1);
      const res = await createCredit(amountCredit(c.id, Number.MAX_SAFE_INTEGER));
      expectStatus(res, 201);
      expectContract('createCredit', res);
      expect(
        res.text.match(/"value_in_cents"\s*:\s*9007199254740991(?![\d.eE])/g)?.length,
        `amount and issued_amount should be written 9007199254740991: ${res.text.slice(0, 400)}`,
      ).toBe(2);
      const revoked = await maple('DELETE', `/${(res.body as Credit).id}`);
      expectStatus(revoked, 200);
    },
    { writes: true },
  );

  check(
    'revokeCredit',
    'answers 200 with the credit REVOKED: remaining 0, issued unchanged, a REVOKED entry for what remained',
    async () => {
      const res = await maple('DELETE', `/${credit.id}`);
      expectStatus(res, 200);
      expectContract('revokeCredit', res);
      expect(res.body).toMatchObject({
        id: credit.id,
        state: 'REVOKED',
        amount: money(0),
        issued_amount: money(2500),
        customer_id: customer.id,
      });
      expect(await getCredit(credit.id)).toMatchObject({
        state: 'REVOKED',
        amount: money(0),
        issued_amount: money(2500),
      });
      expect(entries(await logsOf(credit.id))).toEqual(['ISSUED 2500 USD', 'REVOKED 2500 USD']);
    },
    { writes: true },
  );

  check(
    'revokeCredit',
    'revoking again is 400 request_error already_terminal; the credit stays REVOKED, no entry is added',
    async () => {
      const res = await maple('DELETE', `/${credit.id}`);
      expectError(res, 400, 'request_error', { operation: 'revokeCredit', code: 'already_terminal' });
      expect((await getCredit(credit.id)).state).toBe('REVOKED');
      expect(entries(await logsOf(credit.id))).toEqual(['ISSUED 2500 USD', 'REVOKED 2500 USD']);
    },
    { writes: true },
  );

  check(
    'revokeCredit',
    'an unknown id is 404 request_error',
    async () => {
      expectError(await maple('DELETE', `/${NO_SUCH_ID}`), 404, 'request_error', { operation: 'revokeCredit' });
    },
    { writes: true },
  );
});

describe('credits: read-only checks', () => {
  check('getCredit', 'an unknown id is 404 request_error', async () => {
    expectError(await maple('GET', `/${NO_SUCH_ID}`), 404, 'request_error', { operation: 'getCredit' });
  });

  check('getCredit', 'every credit find shows reads back the same by id', async () => {
    const res = await maple('POST', '/find', {
      body: { pagination: { limit: 5 }, sort_key: 'createdAtDesc', query: { customer_id: world.customers[0]!.id } },
    });
    expectStatus(res, 200);
    for (const c of (res.body as { results: Credit[] }).results) expect(await getCredit(c.id)).toEqual(c);
  });
});

// ------------------------------------------------------------ validation

describe('credits: create is validated, field by field', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  let before: string | undefined;
  const base = (extra: Record<string, unknown> = {}) => amountCredit(customer.id, 1000, extra);
  const without = (body: Record<string, unknown>, ...keys: string[]) =>
    Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
  const cents = (v: unknown) => base({ amount: { currency: 'USD', value_in_cents: v } });
  const units = (extra: Record<string, unknown> = {}) => unitsCredit(customer.id, 5, world.itemId, extra);
  const snapshot = async () => JSON.stringify(await findAll<Credit>('credits', { customer_id: customer.id }));

  /** Runs the cases; each must be refused as described, and none may store anything. */
  const refuse = async (cases: Refusal[]) => {
    if (before === undefined) {
      customer = await scenarioCustomer(1);
      before = await snapshot();
    }
    const failures = await sendRefusals('createCredit', '', cases);
    expect(
      failures,
      `${failures.length} of ${cases.length} invalid creates were mishandled:\n  ${failures.join('\n  ')}`,
    ).toEqual([]);
  };

  check(
    'createCredit',
    'customer_id is required and a string (400 validation_error customer_id)',
    async () => {
      customer = await scenarioCustomer(1);
      before = await snapshot();
      await refuse([
        { how: 'no customer_id', body: without(base(), 'customer_id'), field: 'customer_id' },
        { how: 'customer_id a number', body: base({ customer_id: 42 }), field: 'customer_id' },
        { how: 'customer_id empty', body: base({ customer_id: '' }), field: 'customer_id' },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'an unknown customer (id or identifier) is 404 request_error',
    async () => {
      await refuse([
        {
          how: 'unknown customer id',
          body: base({ customer_id: `cus_conformance${world.run}nobody` }),
          status: 404,
          type: 'request_error',
        },
        {
          how: 'unknown identifier',
          body: base({ customer_id: `conformance-nobody-${world.run}` }),
          status: 404,
          type: 'request_error',
        },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'type is AMOUNT or UNITS, and required unless exactly one of amount and units is given (400 validation_error type)',
    async () => {
      await refuse([
        { how: 'no type and no grant', body: without(without(base(), 'type'), 'amount'), field: 'type' },
        { how: 'no type, both amount and units', body: without(base({ units: 5 }), 'type'), field: 'type' },
        { how: 'type POINTS', body: base({ type: 'POINTS' }), field: 'type' },
        { how: 'type lowercase', body: base({ type: 'amount' }), field: 'type' },
        { how: 'type a number', body: base({ type: 1 }), field: 'type' },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'an AMOUNT credit needs amount (400 validation_error amount)',
    async () => {
      await refuse([
        { how: 'no amount', body: without(base(), 'amount'), field: 'amount' },
        { how: 'amount a string', body: base({ amount: '1000' }), field: 'amount' },
        { how: 'amount a number', body: base({ amount: 1000 }), field: 'amount' },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'amount.value_in_cents must be a JSON integer 1 … 2^53 − 1: 10.5, 10.0, 1e3, "10", -1, 0, 2^53 are refused, never truncated',
    async () => {
      const raw = (spelling: string) => rawWith(cents('@'), spelling);
      const field = 'amount.value_in_cents';
      await refuse([
        { how: '10.5', raw: raw('10.5'), field },
        { how: '10.0', raw: raw('10.0'), field },
        { how: '1e3', raw: raw('1e3'), field },
        { how: '"10"', body: cents('10'), field },
        { how: '-1', body: cents(-1), field },
        { how: '0', body: cents(0), field },
        { how: '2^53', raw: raw('9007199254740992'), field },
        { how: 'true', body: cents(true), field },
        { how: 'missing', body: base({ amount: { currency: 'USD' } }), field },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'amount.currency is an uppercase ISO 4217 code: "usd", "XYZ", "US", 840 are refused',
    async () => {
      const field = 'amount.currency';
      const cur = (c: unknown) => base({ amount: { currency: c, value_in_cents: 1000 } });
      await refuse([
        { how: 'lowercase usd', body: cur('usd'), field },
        { how: 'not ISO 4217 (XYZ)', body: cur('XYZ'), field },
        { how: 'two letters', body: cur('US'), field },
        { how: 'a number', body: cur(840), field },
        { how: 'missing', body: base({ amount: { value_in_cents: 1000 } }), field },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'an AMOUNT credit forbids units and item_id (400 validation_error units / item_id)',
    async () => {
      await refuse([
        { how: 'AMOUNT with units', body: base({ units: 5 }), field: 'units' },
        { how: 'AMOUNT with item_id', body: base({ item_id: world.itemId }), field: 'item_id' },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'a UNITS credit needs units, a number > 0 (400 validation_error units)',
    async () => {
      const field = 'units';
      await refuse([
        { how: 'no units', body: without(units(), 'units'), field },
        { how: 'units 0', body: units({ units: 0 }), field },
        { how: 'units -1', body: units({ units: -1 }), field },
        { how: 'units -0.5', body: units({ units: -0.5 }), field },
        { how: 'units "3"', body: units({ units: '3' }), field },
        { how: 'units true', body: units({ units: true }), field },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'a UNITS credit needs item_id and forbids amount (400 validation_error item_id / amount)',
    async () => {
      await refuse([
        { how: 'UNITS without item_id', body: without(units(), 'item_id'), field: 'item_id' },
        { how: 'UNITS with amount', body: units({ amount: money(100) }), field: 'amount' },
        { how: 'item_id a number', body: units({ item_id: 7 }), field: 'item_id' },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'an unknown item or subscription is 404 request_error',
    async () => {
      await refuse([
        {
          how: 'unknown item_id',
          body: units({ item_id: `item_conformance_${world.run}_none` }),
          status: 404,
          type: 'request_error',
        },
        {
          how: 'unknown subscription_id',
          body: base({ subscription_id: `subs_conformance_${world.run}_none` }),
          status: 404,
          type: 'request_error',
        },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    "state, when given, is one of Maple's four (400 validation_error state); a settled one is not applied to invoices, nor EXPIRED in the future",
    async () => {
      await refuse([
        ...['PAUSED', 'active', 1].map((s) => ({
          how: `state ${JSON.stringify(s)}`,
          body: base({ state: s }),
          field: 'state',
        })),
        {
          how: 'CONSUMED applied to invoices',
          body: base({ state: 'CONSUMED', apply_to_open_invoices: { enable: true } }),
          field: 'apply_to_open_invoices.enable',
        },
        {
          how: 'EXPIRED in the future',
          body: base({ state: 'EXPIRED', expiration_date: '2099-01-01T00:00:00Z' }),
          field: 'expiration_date',
        },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'expiration_date must be RFC 3339 and strictly in the future (400 validation_error expiration_date)',
    async () => {
      const field = 'expiration_date';
      await refuse([
        { how: 'in the past', body: base({ expiration_date: '2000-01-01T00:00:00Z' }), field },
        { how: 'not a date', body: base({ expiration_date: 'tomorrow' }), field },
        { how: 'month 13', body: base({ expiration_date: '2099-13-01T00:00:00Z' }), field },
        { how: 'a date without a time', body: base({ expiration_date: '2099-01-01' }), field },
        { how: 'no offset', body: base({ expiration_date: '2099-01-01T00:00:00' }), field },
        { how: 'epoch seconds', body: base({ expiration_date: 4070908800 }), field },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'apply_to_open_invoices needs enable (a boolean) and invoice_uuids as a list of strings',
    async () => {
      const apply = (a: unknown) => base({ apply_to_open_invoices: a });
      await refuse([
        { how: 'enable missing', body: apply({}), field: 'apply_to_open_invoices.enable' },
        {
          how: 'enable missing, uuids given',
          body: apply({ invoice_uuids: [] }),
          field: 'apply_to_open_invoices.enable',
        },
        { how: 'enable "yes"', body: apply({ enable: 'yes' }), field: 'apply_to_open_invoices.enable' },
        { how: 'enable 1', body: apply({ enable: 1 }), field: 'apply_to_open_invoices.enable' },
        {
          how: 'invoice_uuids a string',
          body: apply({ enable: true, invoice_uuids: 'inv_1' }),
          field: 'apply_to_open_invoices.invoice_uuids',
        },
        {
          how: 'invoice_uuids of numbers',
          body: apply({ enable: true, invoice_uuids: [1, 2] }),
          field: 'apply_to_open_invoices.invoice_uuids',
        },
        { how: 'not an object', body: apply(true), field: 'apply_to_open_invoices' },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'name, item_id and subscription_id must be strings',
    async () => {
      await refuse([
        { how: 'name a number', body: base({ name: 42 }), field: 'name' },
        { how: 'name an object', body: base({ name: { text: 'x' } }), field: 'name' },
        { how: 'subscription_id a number', body: base({ subscription_id: 42 }), field: 'subscription_id' },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'unknown fields are refused (400 validation_error naming the field)',
    async () => {
      await refuse([
        { how: 'an unknown field', body: base({ colour: 'blue' }), field: 'colour' },
        { how: 'a server-set field', body: base({ issued_amount: money(1000) }), field: 'issued_amount' },
        {
          how: 'a near miss of customer_id',
          body: { ...without(base(), 'customer_id'), customer: customer.id },
          field: 'customer',
        },
        {
          how: 'an unknown field in amount',
          body: base({ amount: { ...money(1000), value: 10 } }),
          field: 'amount.value',
        },
        {
          how: 'an unknown field in apply_to_open_invoices',
          body: base({ apply_to_open_invoices: { enable: false, all: true } }),
          field: 'apply_to_open_invoices.all',
        },
      ]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'every bad field is reported at once',
    async () => {
      const res = await createCredit({ type: 'POINTS', expiration_date: 'soon' });
      expectError(res, 400, 'validation_error', {
        operation: 'createCredit',
        fields: ['customer_id', 'type', 'expiration_date'],
      });
      // Maple's own example body: a bad type hides only the rules by type (which of amount, units and item_id a credit needs or forbids).
      const seed = {
        amount: { currency: '<string>', value_in_cents: 123 },
        apply_to_open_invoices: { enable: true, invoice_uuids: ['<string>'] },
        customer_id: '<string>',
        expiration_date: '2023-11-07T05:31:56Z',
        item_id: '<string>',
        name: '<string>',
        state: 'ACTIVE',
        subscription_id: '<string>',
        type: '<string>',
        units: 123,
      };
      expectError(await createCredit(seed), 400, 'validation_error', {
        operation: 'createCredit',
        fields: ['type', 'expiration_date', 'amount.currency'],
      });
      expectError(await createCredit({ ...seed, type: 'AMOUNT' }), 400, 'validation_error', {
        operation: 'createCredit',
        fields: ['expiration_date', 'amount.currency', 'units', 'item_id'],
      });
    },
    { writes: true },
  );

  check(
    'findCredits',
    'none of the refused creates stored anything',
    async () => {
      if (before === undefined) throw new Error('setup: the first validation check did not run');
      expect(await snapshot(), 'a refused create left a credit behind').toBe(before);
    },
    { writes: true },
  );
});

// ------------------------------------------------------------ expiry

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

/**
 * Expiry on the mock's clock (docs/behaviour/maple.md Part 4 item 8): once the clock passes
 * expiration_date the credit is EXPIRED, shows 0 remaining, leaves the
 * balance, cannot be consumed or revoked, and its log says EXPIRED for what
 * remained. Terminal states never come back, also when the clock is put back.
 */
describe('credits: expiry (mock clock)', () => {
  check(
    'createCredit',
    'a credit past its expiration_date is EXPIRED: remaining 0, out of the balance, an EXPIRED entry for what remained',
    async () => {
      const customer = await scenarioCustomer();
      let expiring: Credit | undefined;
      await withFrozenClock(async (now, advanceDays) => {
        expiring = await mustCreate(amountCredit(customer.id, 500, { expiration_date: iso(now.getTime() + DAY) }));
        const lasting = await mustCreate(amountCredit(customer.id, 200));
        const units = await mustCreate(
          unitsCredit(customer.id, 8, world.itemId, { expiration_date: iso(now.getTime() + DAY) }),
        );
        expectStatus(
          await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(100), credit_id: expiring.id }),
          200,
        );
        await advanceDays(0.5);
        expect((await getCredit(expiring.id)).state, 'expired half a day early').toBe('ACTIVE');
        await advanceDays(1);
        const res = await maple('GET', `/${expiring.id}`);
        expectStatus(res, 200);
        expectContract('getCredit', res);
        expect(res.body).toMatchObject({ state: 'EXPIRED', amount: money(0), issued_amount: money(500) });
        expect(await getCredit(units.id)).toMatchObject({ state: 'EXPIRED', units: 0, issued_units: 8 });
        expect(await balanceOf(customer.id)).toEqual({
          total_amount: { USD: 200 },
          total_units: {},
          total_units_with_meta: {},
        });
        expect(entries(await logsOf(expiring.id))).toEqual(['ISSUED 500 USD', 'CONSUMED 100 USD', 'EXPIRED 400 USD']);
        expect(entries(await logsOf(units.id))).toEqual(['ISSUED 8 units', 'EXPIRED 8 units']);
        expect((await getCredit(lasting.id)).state).toBe('ACTIVE');
      });
      // The clock is back where it was: still EXPIRED.
      expect((await getCredit(expiring!.id)).state, 'an EXPIRED credit came back when the clock went back').toBe(
        'EXPIRED',
      );
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'consumeCredits',
    'an EXPIRED credit cannot be consumed (already_terminal by credit_id; insufficient without) nor revoked',
    async () => {
      const customer = await scenarioCustomer();
      await withFrozenClock(async (now, advanceDays) => {
        const credit = await mustCreate(amountCredit(customer.id, 300, { expiration_date: iso(now.getTime() + DAY) }));
        await advanceDays(2);
        expectError(
          await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(1), credit_id: credit.id }),
          400,
          'request_error',
          { operation: 'consumeCredits', code: 'already_terminal' },
        );
        expectError(
          await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(1) }),
          400,
          'request_error',
          { operation: 'consumeCredits', code: 'insufficient_balance' },
        );
        expectError(await maple('DELETE', `/${credit.id}`), 400, 'request_error', {
          operation: 'revokeCredit',
          code: 'already_terminal',
        });
        expect(await getCredit(credit.id)).toMatchObject({ state: 'EXPIRED', amount: money(0) });
        expect(await balanceOf(customer.id)).toEqual(EMPTY_BALANCE);
        expect(entries(await logsOf(credit.id))).toEqual(['ISSUED 300 USD', 'EXPIRED 300 USD']);
      });
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'findCredits',
    'query.status EXPIRED finds the expired credits',
    async () => {
      const customer = await scenarioCustomer();
      await withFrozenClock(async (now, advanceDays) => {
        const credit = await mustCreate(amountCredit(customer.id, 300, { expiration_date: iso(now.getTime() + DAY) }));
        const other = await mustCreate(
          amountCredit(customer.id, 300, { expiration_date: iso(now.getTime() + 10 * DAY) }),
        );
        await advanceDays(2);
        const expired = await findAll<Credit>('credits', { customer_id: customer.id, status: 'EXPIRED' });
        expect(expired.map((c) => c.id)).toEqual([credit.id]);
        const active = await findAll<Credit>('credits', { customer_id: customer.id, status: 'ACTIVE' });
        expect(active.map((c) => c.id)).toEqual([other.id]);
      });
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'createCredit',
    'expiration_date equal to now is refused: it must be strictly in the future',
    async () => {
      const customer = await scenarioCustomer();
      await withFrozenClock(async (now) => {
        const res = await createCredit(amountCredit(customer.id, 100, { expiration_date: now.toISOString() }));
        expectError(res, 400, 'validation_error', { operation: 'createCredit', fields: ['expiration_date'] });
        const soon = await createCredit(amountCredit(customer.id, 100, { expiration_date: iso(now.getTime() + 1000) }));
        expectStatus(soon, 201);
      });
    },
    { writes: true, needs: 'admin' },
  );
});

// ------------------------------------------------------------ concurrency

/** Requests sent at once (docs/behaviour/maple.md §1.2: consumption "scales reliably … even when consumption is being deducted at a high rate"). */
const PARALLEL = 50;
const tally = (answers: Reply[]) =>
  answers.reduce<Record<string, number>>((t, r) => ({ ...t, [r.status]: (t[r.status] ?? 0) + 1 }), {});

describe('credits: parallel creates', () => {
  check(
    'createCredit',
    `${PARALLEL} parallel creates without a key each make a credit; the balance is their exact sum`,
    async () => {
      const customer = await scenarioCustomer();
      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) => createCredit(amountCredit(customer.id, i + 1))),
      );
      expect(tally(answers)).toEqual({ 201: PARALLEL });
      const ids = new Set(answers.map((r) => (r.body as Credit).id));
      expect(ids.size, 'two creates answered the same id').toBe(PARALLEL);
      expect((await creditsOf(customer.id)).length).toBe(PARALLEL);
      expect((await balanceOf(customer.id)).total_amount).toEqual({ USD: (PARALLEL * (PARALLEL + 1)) / 2 });
    },
    { writes: true },
  );
});
