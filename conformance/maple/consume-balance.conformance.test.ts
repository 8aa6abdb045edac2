import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus, replyContractProblems } from '../support/check.js';
import type { Reply } from '../support/http.js';
import {
  amountCredit,
  balanceOf,
  cleanUpAfterAll,
  consume,
  EMPTY_BALANCE,
  entries,
  envelopeProblems,
  expectError,
  findAll,
  getCredit,
  later,
  logsOf,
  maple,
  money,
  mustCreate,
  rawWith,
  scenarioCustomer,
  sendRefusals,
  unitsCredit,
  type Balance,
  type Credit,
  type CreditLog,
  type Refusal,
  unset,
  NO_AMOUNT,
} from '../support/maple-data.js';
import { inDays, mapleWorld, type MapleCustomer, type MapleWorld } from '../support/maple-world.js';

/**
 * Consume and check_balance (docs/behaviour/maple.md §1.4, Part 4 items 6, 7, 9): what is
 * deducted from which credit, what the balance says afterwards, what the log
 * records, and what is refused with nothing deducted.
 */
let world: MapleWorld;
beforeAll(async () => {
  world = (await mapleWorld()) as MapleWorld; // null without a world: the checks then do not run
});
cleanUpAfterAll();

const usd = (customer: string, cents: number, extra: Record<string, unknown> = {}) => ({
  customer_id: customer,
  type: 'AMOUNT',
  amount: money(cents),
  ...extra,
});

describe('consume by credit_id', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  let credit = unset<Credit>('the credit of the block');
  let answer = unset<Balance>('the first answer of the block');

  check(
    'consumeCredits',
    'by credit_id deducts from that credit and answers the balance after',
    async () => {
      customer = await scenarioCustomer();
      credit = await mustCreate(amountCredit(customer.id, 1000));
      const res = await consume(usd(customer.id, 300, { credit_id: credit.id, note: `conformance ${world.run}` }));
      expectStatus(res, 200);
      expectContract('consumeCredits', res);
      answer = res.body as Balance;
      expect(answer).toEqual({ total_amount: { USD: 700 }, total_units: {}, total_units_with_meta: {} });
      expect(await getCredit(credit.id)).toMatchObject({
        state: 'ACTIVE',
        amount: money(700),
        issued_amount: money(1000),
      });
    },
    { writes: true },
  );

  check(
    'checkBalance',
    'says what the consume answered',
    async () => {
      expect(await balanceOf(customer.id)).toEqual(answer);
    },
    { writes: true },
  );

  check(
    'findCreditLogs',
    'the consumption is one CONSUMED entry with amount_applied and the note',
    async () => {
      const logs = await logsOf(credit.id);
      expect(entries(logs)).toEqual(['ISSUED 1000 USD', 'CONSUMED 300 USD']);
      expect(logs[1]).toMatchObject({
        action_type: 'CONSUMED',
        credit_id: credit.id,
        customer_id: customer.id,
        note: `conformance ${world.run}`,
      });
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'consuming what remains makes the credit CONSUMED with amount 0; the balance is then empty',
    async () => {
      const res = await consume(usd(customer.id, 700, { credit_id: credit.id }));
      expectStatus(res, 200);
      expectContract('consumeCredits', res);
      expect(res.body).toEqual(EMPTY_BALANCE);
      expect(await getCredit(credit.id)).toMatchObject({
        state: 'CONSUMED',
        amount: money(0),
        issued_amount: money(1000),
      });
      expect(await balanceOf(customer.id)).toEqual(EMPTY_BALANCE);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'a CONSUMED credit cannot be consumed: 400 request_error already_terminal, nothing deducted',
    async () => {
      const other = await mustCreate(amountCredit(customer.id, 500));
      const res = await consume(usd(customer.id, 1, { credit_id: credit.id }));
      expectError(res, 400, 'request_error', { operation: 'consumeCredits', code: 'already_terminal' });
      expect(await getCredit(other.id)).toMatchObject({ state: 'ACTIVE', amount: money(500) });
      expect(await balanceOf(customer.id)).toEqual({
        total_amount: { USD: 500 },
        total_units: {},
        total_units_with_meta: {},
      });
    },
    { writes: true },
  );

  check(
    'revokeCredit',
    'a CONSUMED credit cannot be revoked: 400 already_terminal; it stays CONSUMED',
    async () => {
      expectError(await maple('DELETE', `/${credit.id}`), 400, 'request_error', {
        operation: 'revokeCredit',
        code: 'already_terminal',
      });
      expect((await getCredit(credit.id)).state).toBe('CONSUMED');
      expect(entries(await logsOf(credit.id))).toEqual(['ISSUED 1000 USD', 'CONSUMED 300 USD', 'CONSUMED 700 USD']);
    },
    { writes: true },
  );
});

describe('insufficient balance, zero, currencies', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  let a = unset<Credit>('credit a of the block');
  let b = unset<Credit>('credit b of the block');
  const untouched = async () => {
    expect(await balanceOf(customer.id)).toEqual({
      total_amount: { USD: 500 },
      total_units: {},
      total_units_with_meta: {},
    });
    expect(entries(await logsOf(a.id))).toEqual(['ISSUED 300 USD']);
    expect(entries(await logsOf(b.id))).toEqual(['ISSUED 200 USD']);
  };

  check(
    'consumeCredits',
    'more than the balance is refused: 400 request_error insufficient_balance, nothing deducted from any credit',
    async () => {
      customer = await scenarioCustomer();
      a = await mustCreate(amountCredit(customer.id, 300));
      b = await mustCreate(amountCredit(customer.id, 200));
      expectError(await consume(usd(customer.id, 501)), 400, 'request_error', {
        operation: 'consumeCredits',
        code: 'insufficient_balance',
      });
      await untouched();
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'by credit_id, more than that credit holds is refused though the balance would cover it',
    async () => {
      expectError(await consume(usd(customer.id, 301, { credit_id: a.id })), 400, 'request_error', {
        operation: 'consumeCredits',
        code: 'insufficient_balance',
      });
      await untouched();
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'consuming 0 answers 200 with the balance and changes nothing',
    async () => {
      const res = await consume(usd(customer.id, 0));
      expectStatus(res, 200);
      expectContract('consumeCredits', res);
      expect(res.body).toEqual({ total_amount: { USD: 500 }, total_units: {}, total_units_with_meta: {} });
      await untouched();
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'each currency is its own balance: GBP against USD credits is insufficient',
    async () => {
      expectError(
        await consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(1, 'GBP') }),
        400,
        'request_error',
        { operation: 'consumeCredits', code: 'insufficient_balance' },
      );
      await untouched();
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'exactly the whole balance, over two credits, empties it',
    async () => {
      const res = await consume(usd(customer.id, 500));
      expectStatus(res, 200);
      expect(res.body).toEqual(EMPTY_BALANCE);
      for (const c of [a, b]) expect((await getCredit(c.id)).state).toBe('CONSUMED');
    },
    { writes: true },
  );
});

describe('draw-down without credit_id', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  const made: Record<string, Credit> = {};

  check(
    'consumeCredits',
    'draws the soonest expiration first, credits without one last, then the oldest; other currencies untouched',
    async () => {
      customer = await scenarioCustomer();
      // Created in this order; each strictly younger than the one before.
      const plan: [string, number, number | null, string][] = [
        ['A', 100, null, 'USD'], // the oldest without expiration
        ['B', 100, 20, 'USD'],
        ['C', 100, 10, 'USD'],
        ['D', 100, null, 'USD'], // the youngest without expiration
        ['E', 100, 1, 'EUR'], // expires first of all, but another currency
      ];
      for (const [tag, value, days, currency] of plan) {
        const extra = {
          name: `draw-down ${tag} ${world.run}`,
          ...(days === null ? {} : { expiration_date: await inDays(world, days) }),
        };
        made[tag] = await mustCreate(amountCredit(customer.id, value, extra, currency));
        await later();
      }
      const res = await consume(usd(customer.id, 250));
      expectStatus(res, 200);
      expectContract('consumeCredits', res);
      expect(res.body).toEqual({ total_amount: { USD: 150, EUR: 100 }, total_units: {}, total_units_with_meta: {} });
      const now = Object.fromEntries(
        await Promise.all(Object.entries(made).map(async ([tag, c]) => [tag, await getCredit(c.id)] as const)),
      );
      const shown = (tag: string) => `${tag}: ${now[tag]!.state} ${now[tag]!.amount?.value_in_cents}`;
      expect(['A', 'B', 'C', 'D', 'E'].map(shown)).toEqual([
        'A: ACTIVE 50',
        'B: CONSUMED 0',
        'C: CONSUMED 0',
        'D: ACTIVE 100',
        'E: ACTIVE 100',
      ]);
    },
    { writes: true },
  );

  check(
    'findCreditLogs',
    'a draw-down over several credits writes one CONSUMED entry per credit, with what each gave',
    async () => {
      const consumed: string[] = [];
      for (const [tag, c] of Object.entries(made)) {
        const logs = await findAll<CreditLog>('logs', { credit_id: c.id, action_type: 'CONSUMED' });
        consumed.push(...logs.map((l) => `${tag} ${l.amount_applied?.value_in_cents} ${l.amount_applied?.currency}`));
      }
      expect(consumed.sort()).toEqual(['A 50 USD', 'B 100 USD', 'C 100 USD']);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'a single credit that covers the amount is still taken in order: the soonest expiration',
    async () => {
      // A (50 left, no expiration, oldest) and D (100, no expiration) remain, and a new one that expires soon.
      const soon = await mustCreate(amountCredit(customer.id, 100, { expiration_date: await inDays(world, 5) }));
      const res = await consume(usd(customer.id, 40));
      expectStatus(res, 200);
      expect(await getCredit(soon.id)).toMatchObject({ amount: money(60) });
      expect(await getCredit(made.A!.id)).toMatchObject({ amount: money(50) });
      expect(await getCredit(made.D!.id)).toMatchObject({ amount: money(100) });
    },
    { writes: true },
  );
});

describe('UNITS credits', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  let credit = unset<Credit>('the credit of the block');

  check(
    'consumeCredits',
    "UNITS are drawn from the item's credits; the balance shows them with the item",
    async () => {
      customer = await scenarioCustomer();
      credit = await mustCreate(unitsCredit(customer.id, 10, world.itemId));
      const res = await consume({ customer_id: customer.id, type: 'UNITS', units: 4, item_id: world.itemId });
      expectStatus(res, 200);
      expectContract('consumeCredits', res);
      const b = res.body as Balance;
      expect(b.total_amount).toEqual({});
      expect(b.total_units).toEqual({ [world.itemId]: 6 });
      expect(Object.keys(b.total_units_with_meta ?? {})).toEqual([world.itemId]);
      expect(b.total_units_with_meta![world.itemId]).toMatchObject({ units: 6, item: { id: world.itemId } });
      expect(await getCredit(credit.id)).toMatchObject({ state: 'ACTIVE', units: 6, issued_units: 10 });
      expect(await balanceOf(customer.id)).toEqual(b);
    },
    { writes: true },
  );

  check(
    'findCreditLogs',
    'a UNITS consumption is logged with units_applied, the empty amount and the item',
    async () => {
      const logs = await logsOf(credit.id);
      expect(entries(logs)).toEqual(['ISSUED 10 units', 'CONSUMED 4 units']);
      for (const l of logs)
        expect(l, 'a UNITS entry').toMatchObject({
          amount_applied: NO_AMOUNT,
          item_id: world.itemId,
          item: { id: world.itemId },
        });
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'UNITS by credit_id need no item_id; more units than remain is insufficient_balance',
    async () => {
      const res = await consume({ customer_id: customer.id, type: 'UNITS', units: 1, credit_id: credit.id });
      expectStatus(res, 200);
      expect((res.body as Balance).total_units).toEqual({ [world.itemId]: 5 });
      expectError(
        await consume({ customer_id: customer.id, type: 'UNITS', units: 6, item_id: world.itemId }),
        400,
        'request_error',
        { operation: 'consumeCredits', code: 'insufficient_balance' },
      );
      expect(await getCredit(credit.id)).toMatchObject({ units: 5 });
    },
    { writes: true },
  );
});

describe('revoke and the balance', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  let credit = unset<Credit>('the credit of the block');

  check(
    'revokeCredit',
    'what remained leaves the balance and is logged as REVOKED',
    async () => {
      customer = await scenarioCustomer();
      credit = await mustCreate(amountCredit(customer.id, 400));
      const keep = await mustCreate(amountCredit(customer.id, 50, {}, 'EUR'));
      expectStatus(await consume(usd(customer.id, 100, { credit_id: credit.id })), 200);
      const res = await maple('DELETE', `/${credit.id}`);
      expectStatus(res, 200);
      expectContract('revokeCredit', res);
      expect(res.body).toMatchObject({ state: 'REVOKED', amount: money(0), issued_amount: money(400) });
      expect(await balanceOf(customer.id)).toEqual({
        total_amount: { EUR: 50 },
        total_units: {},
        total_units_with_meta: {},
      });
      expect(entries(await logsOf(credit.id))).toEqual(['ISSUED 400 USD', 'CONSUMED 100 USD', 'REVOKED 300 USD']);
      expect((await getCredit(keep.id)).state).toBe('ACTIVE');
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'a REVOKED credit cannot be consumed: 400 already_terminal; it stays REVOKED',
    async () => {
      await mustCreate(amountCredit(customer.id, 1000));
      expectError(await consume(usd(customer.id, 1, { credit_id: credit.id })), 400, 'request_error', {
        operation: 'consumeCredits',
        code: 'already_terminal',
      });
      expect(await getCredit(credit.id)).toMatchObject({ state: 'REVOKED', amount: money(0) });
      expect(entries(await logsOf(credit.id))).toEqual(['ISSUED 400 USD', 'CONSUMED 100 USD', 'REVOKED 300 USD']);
    },
    { writes: true },
  );
});

describe('check_balance', () => {
  check(
    'checkBalance',
    'a customer without credits has an empty balance: {} for each total',
    async () => {
      const customer = await scenarioCustomer();
      expect(await balanceOf(customer.id)).toEqual(EMPTY_BALANCE);
    },
    { writes: true },
  );

  check(
    'checkBalance',
    'the external identifier gives the same balance as the customer id',
    async () => {
      const c0 = world.customers[0]!;
      if (!c0.identifier)
        throw new Error('no maple.customer_identifier configured (the external identifier of customers[0])');
      await mustCreate(amountCredit(c0.id, 1234, {}, 'EUR'));
      const byId = await balanceOf(c0.id);
      expect(byId.total_amount?.EUR).toBe(1234);
      expect(await balanceOf(c0.identifier)).toEqual(byId);
    },
    { writes: true },
  );

  check('checkBalance', 'an unknown customer is 404 request_error', async () => {
    expectError(await maple('GET', `/check_balance/cus_conformance${world.run}nobody`), 404, 'request_error', {
      operation: 'checkBalance',
    });
  });

  check('checkBalance', "a configured customer's balance matches the contract", async () => {
    const res = await maple('GET', `/check_balance/${world.customers[1]!.id}`);
    expectStatus(res, 200);
    expectContract('checkBalance', res);
    for (const [currency, cents] of Object.entries((res.body as Balance).total_amount ?? {})) {
      expect(currency).toMatch(/^[A-Z]{3}$/);
      expect(Number.isSafeInteger(cents) && cents > 0, `${currency}: ${cents}`).toBe(true);
    }
  });
});

// ------------------------------------------------------------ validation

describe('consume is validated', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  let unitsId: string;
  let before: string | undefined;
  const snapshot = async () =>
    JSON.stringify({
      balance: await balanceOf(customer.id),
      credits: await findAll<Credit>('credits', { customer_id: customer.id }),
    });
  const refuse = async (cases: Refusal[]) => {
    if (before === undefined) throw new Error('setup: the first validation check did not run');
    const failures = await sendRefusals('consumeCredits', '/consume', cases);
    expect(
      failures,
      `${failures.length} of ${cases.length} invalid consumes were mishandled:\n  ${failures.join('\n  ')}`,
    ).toEqual([]);
  };
  const base = (extra: Record<string, unknown> = {}) => usd(customer.id, 100, extra);
  const units = (extra: Record<string, unknown> = {}) => ({
    customer_id: customer.id,
    type: 'UNITS',
    units: 1,
    item_id: world.itemId,
    ...extra,
  });
  const without = (body: Record<string, unknown>, ...keys: string[]) =>
    Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

  check(
    'consumeCredits',
    'customer_id and type are required (400 validation_error customer_id / type)',
    async () => {
      // A balance to draw on, so that a wrongly accepted consume shows.
      customer = await scenarioCustomer();
      await mustCreate(amountCredit(customer.id, 1000));
      unitsId = (await mustCreate(unitsCredit(customer.id, 10, world.itemId))).id;
      before = await snapshot();
      await refuse([
        { how: 'no customer_id', body: without(base(), 'customer_id'), field: 'customer_id' },
        { how: 'customer_id a number', body: base({ customer_id: 7 }), field: 'customer_id' },
        { how: 'no type', body: without(base(), 'type'), field: 'type' },
        { how: 'type POINTS', body: base({ type: 'POINTS' }), field: 'type' },
      ]);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'an AMOUNT consume needs a valid amount: 10.5, 1e3, "10", -1 and "usd" are refused',
    async () => {
      const v = (x: unknown) => base({ amount: { currency: 'USD', value_in_cents: x } });
      await refuse([
        { how: 'no amount', body: without(base(), 'amount'), field: 'amount' },
        { how: 'value_in_cents 10.5', raw: rawWith(v('@'), '10.5'), field: 'amount.value_in_cents' },
        { how: 'value_in_cents 1e3', raw: rawWith(v('@'), '1e3'), field: 'amount.value_in_cents' },
        { how: 'value_in_cents "10"', body: v('10'), field: 'amount.value_in_cents' },
        { how: 'value_in_cents -1', body: v(-1), field: 'amount.value_in_cents' },
        {
          how: 'currency usd',
          body: base({ amount: { currency: 'usd', value_in_cents: 100 } }),
          field: 'amount.currency',
        },
        {
          how: 'currency XYZ',
          body: base({ amount: { currency: 'XYZ', value_in_cents: 100 } }),
          field: 'amount.currency',
        },
        { how: 'AMOUNT with units', body: base({ units: 1 }), field: 'units' },
      ]);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'a UNITS consume needs units (a number ≥ 0), item_id (without credit_id) and no amount',
    async () => {
      await refuse([
        { how: 'no units', body: without(units(), 'units'), field: 'units' },
        { how: 'units -0.5', body: units({ units: -0.5 }), field: 'units' },
        { how: 'units -1', body: units({ units: -1 }), field: 'units' },
        { how: 'units "1"', body: units({ units: '1' }), field: 'units' },
        { how: 'no item_id and no credit_id', body: without(units(), 'item_id'), field: 'item_id' },
        { how: 'UNITS with amount', body: units({ amount: money(1) }), field: 'amount' },
      ]);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'unknown fields and wrong types of note and credit_id are refused',
    async () => {
      await refuse([
        { how: 'an unknown field', body: base({ colour: 'blue' }), field: 'colour' },
        { how: 'note a number', body: base({ note: 42 }), field: 'note' },
        { how: 'credit_id a number', body: base({ credit_id: 42 }), field: 'credit_id' },
      ]);
    },
    { writes: true },
  );

  check(
    'consumeCredits',
    'an unknown customer, credit or item is 404 request_error',
    async () => {
      const other = await scenarioCustomer(0);
      const theirs = await mustCreate(amountCredit(other.id, 100));
      await refuse([
        {
          how: 'unknown customer',
          body: base({ customer_id: `cus_conformance${world.run}nobody` }),
          status: 404,
          type: 'request_error',
        },
        {
          how: 'unknown credit_id',
          body: base({ credit_id: 'conformance-no-such-credit' }),
          status: 404,
          type: 'request_error',
        },
        {
          how: "another customer's credit_id",
          body: base({ credit_id: theirs.id }),
          status: 404,
          type: 'request_error',
        },
        {
          how: 'unknown item_id',
          body: units({ item_id: `item_conformance_${world.run}_none` }),
          status: 404,
          type: 'request_error',
        },
      ]);
      expect(await getCredit(theirs.id)).toMatchObject({ amount: money(100) });
    },
    { writes: true },
  );

  check(
    'checkBalance',
    'none of the refused consumes deducted anything',
    async () => {
      if (before === undefined) throw new Error('setup: the first validation check did not run');
      expect(await snapshot(), 'a refused consume changed the balance').toBe(before);
      expect(entries(await logsOf(unitsId))).toEqual(['ISSUED 10 units']);
    },
    { writes: true },
  );
});

// ------------------------------------------------------------ one subscription

describe('consume: from one subscription', () => {
  check(
    'consumeCredits',
    'subscription_id draws only the credits attached to it; an unknown one is 404 as on create, nothing deducted',
    async () => {
      if (!world.subscriptionId)
        throw new Error('no maple.subscription_id configured (a subscription of customers[0])');
      const c0 = world.customers[0]!;
      const currency = 'CHF';
      const onSubscription = await mustCreate(
        amountCredit(c0.id, 300, { amount: money(300, currency), subscription_id: world.subscriptionId }),
      );
      const loose = await mustCreate(amountCredit(c0.id, 500, { amount: money(500, currency) }));
      const res = await consume({
        customer_id: c0.id,
        type: 'AMOUNT',
        amount: money(200, currency),
        subscription_id: world.subscriptionId,
      });
      expectStatus(res, 200);
      expectContract('consumeCredits', res);
      expect(await getCredit(onSubscription.id)).toMatchObject({ amount: money(100, currency) });
      expect(await getCredit(loose.id)).toMatchObject({ amount: money(500, currency) });
      const more = await consume({
        customer_id: c0.id,
        type: 'AMOUNT',
        amount: money(101, currency),
        subscription_id: world.subscriptionId,
      });
      expectError(more, 400, 'request_error', { operation: 'consumeCredits' });
      const unknown = await consume({
        customer_id: c0.id,
        type: 'AMOUNT',
        amount: money(1, currency),
        subscription_id: `subs_conformance_${world.run}_none`,
      });
      expectError(unknown, 404, 'request_error', { operation: 'consumeCredits' });
      expect((await balanceOf(c0.id)).total_amount?.[currency]).toBe(600);
      expectStatus(await maple('DELETE', `/${onSubscription.id}`), 200);
      expectStatus(await maple('DELETE', `/${loose.id}`), 200);
    },
    { writes: true },
  );
});

// ------------------------------------------------------------ concurrency

/** Requests sent at once (docs/behaviour/maple.md §1.2: consumption "scales reliably … even when consumption is being deducted at a high rate"). */
const PARALLEL = 50;
const tally = (answers: Reply[]) =>
  answers.reduce<Record<string, number>>((t, r) => ({ ...t, [r.status]: (t[r.status] ?? 0) + 1 }), {});

describe('consume: parallel consumes against one balance', () => {
  check(
    'consumeCredits',
    `${PARALLEL} parallel consumes of 30 against a balance of 1000 never overdraw it: 33 succeed, 17 are insufficient, 10 remains`,
    async () => {
      const customer = await scenarioCustomer();
      const credit = await mustCreate(amountCredit(customer.id, 1000));
      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          consume({ customer_id: customer.id, type: 'AMOUNT', amount: money(30), note: `parallel ${i} ${world.run}` }),
        ),
      );
      const bad = answers.filter(
        (r) =>
          r.status !== 200 &&
          !(r.status === 400 && (r.body as { error_code?: string })?.error_code === 'insufficient_balance'),
      );
      expect(
        bad.map((r) => `${r.status} ${r.text.slice(0, 160)}`),
        'answers other than 200 or 400 insufficient_balance',
      ).toEqual([]);
      for (const r of answers)
        expect([
          ...replyContractProblems('consumeCredits', r),
          ...(r.status === 400 ? envelopeProblems(r) : []),
        ]).toEqual([]);
      expect(tally(answers)).toEqual({ 200: 33, 400: 17 });
      // Every 200 answers a balance the ledger went through: 970, 940, …, 10, each once.
      const seen = answers
        .filter((r) => r.status === 200)
        .map((r) => (r.body as { total_amount: Record<string, number> }).total_amount.USD ?? 0)
        .sort((a, b) => b - a);
      expect(seen).toEqual(Array.from({ length: 33 }, (_, i) => 1000 - 30 * (i + 1)));
      expect((await balanceOf(customer.id)).total_amount).toEqual({ USD: 10 });
      expect(await getCredit(credit.id)).toMatchObject({
        state: 'ACTIVE',
        amount: money(10),
        issued_amount: money(1000),
      });
      const consumed = await findAll<CreditLog>('logs', { credit_id: credit.id, action_type: 'CONSUMED' });
      expect(consumed.length).toBe(33);
      for (const l of consumed) expect(l.amount_applied).toEqual(money(30));
    },
    { writes: true },
  );
});
