/**
 * Consume, check_balance, expiry and apply_to_open_invoices over HTTP
 * (docs/behaviour/maple.md Part 4 items 6–10; README behaviour choices: draw-down, insufficient
 * balance, consume 0, expiry, open invoices, balance shape). Numbers are
 * written out; every scenario uses Fabrikam, which starts with no credits.
 */
import { describe, expect, it } from 'vitest';
import {
  ACME,
  admin,
  amountBody,
  amounts,
  API_CALLS,
  addInvoice,
  balanceOf,
  balancePath,
  consumeAmount,
  consumePath,
  CONTOSO,
  creditPath,
  creditsPath,
  DAY_MS,
  expectError,
  expectInvalid,
  FABRIKAM,
  findLogs,
  FIXTURE_CREDITS,
  fromNow,
  issue,
  money,
  NORTHWIND,
  setSettings,
  STORAGE,
  unitsBody,
  useMapleServer,
} from './maple-test-helpers.js';

const server = useMapleServer();

const consume = (body: unknown) => server().maple('POST', consumePath(), { body });
const credit = async (id: string) => (await server().maple('GET', creditPath(id))).json;
const consumedEntries = async (customer = FABRIKAM) =>
  (await findLogs(server(), { customer_id: customer, action_type: 'CONSUMED' })).map((l) => [
    l.credit_id,
    l.units_applied ?? l.amount_applied.value_in_cents,
  ]);

/** Fabrikam: 500 (no expiry), 1000 (expires in 10 days), 300 (expires in 5 days), created in that order. */
async function threeCredits() {
  const noExpiry = await issue(server(), amountBody(FABRIKAM, 500));
  const tenDays = await issue(server(), amountBody(FABRIKAM, 1000, { expiration_date: fromNow(10 * DAY_MS) }));
  const fiveDays = await issue(server(), amountBody(FABRIKAM, 300, { expiration_date: fromNow(5 * DAY_MS) }));
  return { noExpiry: noExpiry.id as string, tenDays: tenDays.id as string, fiveDays: fiveDays.id as string };
}

describe('POST /credits/consume: draw-down', () => {
  it('1200 from 500 / 1000 (10 days) / 300 (5 days) takes 300, then 900 of the 1000; balance 600', async () => {
    const c = await threeCredits();
    const res = await consume(consumeAmount(FABRIKAM, 1200, { note: 'usage 2026-11' }));
    expect(res.status).toBe(200);
    expect(res.json).toEqual(amounts({ USD: 600 }));
    expect(await credit(c.fiveDays)).toMatchObject({ state: 'CONSUMED', amount: money(0), issued_amount: money(300) });
    expect(await credit(c.tenDays)).toMatchObject({ state: 'ACTIVE', amount: money(100), issued_amount: money(1000) });
    expect(await credit(c.noExpiry)).toMatchObject({ state: 'ACTIVE', amount: money(500) });
    expect(await consumedEntries()).toEqual([
      [c.fiveDays, 300],
      [c.tenDays, 900],
    ]);
    const logs = await findLogs(server(), { customer_id: FABRIKAM, action_type: 'CONSUMED' });
    expect(logs.map((l) => l.note)).toEqual(['usage 2026-11', 'usage 2026-11']);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 600 }));
  });

  it('equal expiry: the older credit first', async () => {
    const older = await issue(server(), amountBody(FABRIKAM, 400));
    server().clock.set(new Date(fromNow(3_600_000)), true);
    const newer = await issue(server(), amountBody(FABRIKAM, 400));
    expect((await consume(consumeAmount(FABRIKAM, 500))).json).toEqual(amounts({ USD: 300 }));
    expect(await consumedEntries()).toEqual([
      [older.id, 400],
      [newer.id, 100],
    ]);
  });

  it('only the currency asked for; other currencies and customers untouched', async () => {
    await issue(server(), amountBody(FABRIKAM, 800));
    await issue(server(), amountBody(FABRIKAM, 700, { amount: money(700, 'EUR') }));
    expect((await consume(consumeAmount(FABRIKAM, 250, { amount: money(250, 'EUR') }))).json).toEqual(
      amounts({ EUR: 450, USD: 800 }),
    );
    expect((await balanceOf(server(), NORTHWIND)).total_amount).toEqual({ EUR: 20000, USD: 50000 });
  });

  it('by credit_id: only that credit, whatever the draw-down order', async () => {
    const c = await threeCredits();
    expect((await consume(consumeAmount(FABRIKAM, 200, { credit_id: c.noExpiry }))).json).toEqual(
      amounts({ USD: 1600 }),
    );
    expect(await consumedEntries()).toEqual([[c.noExpiry, 200]]);
  });

  it('by credit_id, more than that credit holds → 400 insufficient_balance', async () => {
    const c = await threeCredits();
    expectError(
      await consume(consumeAmount(FABRIKAM, 301, { credit_id: c.fiveDays })),
      400,
      'request_error',
      'insufficient_balance',
    );
  });

  it('UNITS by item: only that item, with the item expanded in total_units_with_meta', async () => {
    await issue(server(), unitsBody(FABRIKAM, 100, API_CALLS));
    await issue(server(), unitsBody(FABRIKAM, 50, STORAGE));
    const res = await consume({ customer_id: FABRIKAM, type: 'UNITS', units: 30, item_id: API_CALLS });
    expect(res.status).toBe(200);
    expect(res.json.total_amount).toEqual({});
    expect(res.json.total_units).toEqual({ [API_CALLS]: 70, [STORAGE]: 50 });
    expect(res.json.total_units_with_meta[API_CALLS]).toMatchObject({
      units: 70,
      item: { id: API_CALLS, name: 'API calls' },
    });
    expect(res.json.total_units_with_meta[STORAGE]).toMatchObject({
      units: 50,
      item: { id: STORAGE, name: 'Storage' },
    });
  });

  it('UNITS by credit_id without item_id', async () => {
    const u = await issue(server(), unitsBody(FABRIKAM, 100, STORAGE));
    expect(
      (await consume({ customer_id: FABRIKAM, type: 'UNITS', units: 100, credit_id: u.id })).json.total_units,
    ).toEqual({});
    expect((await credit(u.id)).state).toBe('CONSUMED');
  });

  it('the customer by its external identifier', async () => {
    expect((await consume(consumeAmount('northwind', 1000))).json.total_amount).toEqual({ EUR: 20000, USD: 49000 });
  });

  it('insufficient → 400 insufficient_balance with nothing deducted: balance and log unchanged', async () => {
    await threeCredits();
    const logsBefore = await findLogs(server(), { customer_id: FABRIKAM });
    expectError(await consume(consumeAmount(FABRIKAM, 1801)), 400, 'request_error', 'insufficient_balance');
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 1800 }));
    expect(await findLogs(server(), { customer_id: FABRIKAM })).toEqual(logsBefore);
  });

  it('with allow_partial_consume: takes what is there (1800 of 2000)', async () => {
    const c = await threeCredits();
    await setSettings(server(), { allow_partial_consume: true });
    expect((await consume(consumeAmount(FABRIKAM, 2000))).json).toEqual(amounts({}));
    expect(await consumedEntries()).toEqual([
      [c.fiveDays, 300],
      [c.tenDays, 1000],
      [c.noExpiry, 500],
    ]);
    expect((await credit(c.noExpiry)).state).toBe('CONSUMED');
  });

  it('consume 0 → 200, nothing changes, no entry', async () => {
    await issue(server(), amountBody(FABRIKAM, 500));
    expect((await consume(consumeAmount(FABRIKAM, 0))).json).toEqual(amounts({ USD: 500 }));
    expect((await consume({ customer_id: FABRIKAM, type: 'UNITS', units: 0, item_id: API_CALLS })).status).toBe(200);
    expect(await consumedEntries()).toEqual([]);
  });

  it('a terminal credit by credit_id → 400 already_terminal', async () => {
    const c = await threeCredits();
    expect((await server().maple('DELETE', creditPath(c.tenDays))).status).toBe(200);
    expectError(
      await consume(consumeAmount(FABRIKAM, 1, { credit_id: c.tenDays })),
      400,
      'request_error',
      'already_terminal',
    );
    await consume(consumeAmount(FABRIKAM, 300, { credit_id: c.fiveDays }));
    expectError(
      await consume(consumeAmount(FABRIKAM, 1, { credit_id: c.fiveDays })),
      400,
      'request_error',
      'already_terminal',
    );
  });

  it.each([
    ['missing customer_id', { type: 'AMOUNT', amount: money(1) }, ['customer_id']],
    ['missing type', { customer_id: FABRIKAM, amount: money(1) }, ['type']],
    ['AMOUNT without amount', { customer_id: FABRIKAM, type: 'AMOUNT' }, ['amount']],
    ['value_in_cents 2.5', consumeAmount(FABRIKAM, 2.5), ['amount.value_in_cents']],
    ['negative value_in_cents', consumeAmount(FABRIKAM, -1), ['amount.value_in_cents']],
    ['value_in_cents 2^53', consumeAmount(FABRIKAM, 9007199254740992), ['amount.value_in_cents']],
    ['currency "usd"', consumeAmount(FABRIKAM, 1, { amount: money(1, 'usd') }), ['amount.currency']],
    ['negative units', { customer_id: FABRIKAM, type: 'UNITS', units: -1, item_id: API_CALLS }, ['units']],
    ['UNITS without item_id or credit_id', { customer_id: FABRIKAM, type: 'UNITS', units: 1 }, ['item_id']],
    ['an unknown field', consumeAmount(FABRIKAM, 1, { priority: 1 }), ['priority']],
  ])('%s → 400 validation_error', async (_name, body, fields) => {
    expectInvalid(await consume(body), ...fields);
  });

  it('a credit_id of another currency → 400 on amount.currency', async () => {
    expectInvalid(
      await consume(consumeAmount(NORTHWIND, 1, { credit_id: FIXTURE_CREDITS.partner })),
      'amount.currency',
    );
  });

  it.each([
    ['customer', consumeAmount('cus_0000000000000000000000000000', 1)],
    ['item', { customer_id: FABRIKAM, type: 'UNITS', units: 1, item_id: 'item_0000000000000000000000000000' }],
    ['credit_id', consumeAmount(FABRIKAM, 1, { credit_id: 'crd_0000000000000000000000000000' })],
    ['credit_id of another customer', consumeAmount(FABRIKAM, 1, { credit_id: FIXTURE_CREDITS.welcome })],
  ])('unknown %s → 404 request_error', async (_what, body) => {
    expectError(await consume(body), 404, 'request_error', 'not_found');
  });
});

describe('GET /credits/check_balance/{customer}', () => {
  it('by id and by identifier: the same balance, maps of currency and item', async () => {
    const byId = await balanceOf(server(), NORTHWIND);
    expect(byId.total_amount).toEqual({ EUR: 20000, USD: 50000 });
    expect(byId.total_units).toEqual({ [API_CALLS]: 10000 });
    expect(byId.total_units_with_meta).toEqual({
      [API_CALLS]: { units: 10000, item: expect.objectContaining({ id: API_CALLS }) },
    });
    expect(await balanceOf(server(), 'northwind')).toEqual(byId);
  });

  it('no credits → empty maps', async () => {
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({}));
  });

  it.each(['cus_0000000000000000000000000000', 'nobody', 'cus_0EKTUHDLAOZkNwOYMvgKSPSCP6z'])(
    'unknown customer %s → 404',
    async (who) => {
      expectError(await server().maple('GET', balancePath(who)), 404, 'request_error', 'not_found');
    },
  );
});

describe('expiry on the mock clock', () => {
  it('past expiration_date → EXPIRED, remaining 0, out of the balance, EXPIRED entry dated at the expiration instant', async () => {
    const c = await threeCredits();
    await consume(consumeAmount(FABRIKAM, 100, { credit_id: c.fiveDays }));
    server().clock.set(new Date('2026-11-21T00:00:00Z'), true);
    expect(await credit(c.fiveDays)).toMatchObject({ state: 'EXPIRED', amount: money(0), issued_amount: money(300) });
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 1500 }));
    const expired = await findLogs(server(), { credit_id: c.fiveDays, action_type: 'EXPIRED' });
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ created_at: '2026-11-20T10:00:00.000Z', amount_applied: money(200) });
    expect(await findLogs(server(), { action_type: 'EXPIRED' })).toHaveLength(1);
  });

  it('through POST /__admin/clock; exactly at the instant it is expired', async () => {
    const c = await threeCredits();
    expect((await admin(server(), 'POST', '/clock', { now: '2026-11-25T10:00:00Z' })).status).toBe(200);
    expect((await credit(c.tenDays)).state).toBe('EXPIRED');
    expect((await credit(c.fiveDays)).state).toBe('EXPIRED');
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 500 }));
    const entries = await findLogs(server(), { customer_id: FABRIKAM, action_type: 'EXPIRED' });
    expect(entries.map((l) => [l.credit_id, l.created_at, l.amount_applied.value_in_cents])).toEqual([
      [c.fiveDays, '2026-11-20T10:00:00.000Z', 300],
      [c.tenDays, '2026-11-25T10:00:00.000Z', 1000],
    ]);
  });

  it('a millisecond before the instant it is still ACTIVE and consumable', async () => {
    const c = await threeCredits();
    server().clock.set(new Date('2026-11-20T09:59:59.999Z'), true);
    expect((await credit(c.fiveDays)).state).toBe('ACTIVE');
    expect((await consume(consumeAmount(FABRIKAM, 300))).json).toEqual(amounts({ USD: 1500 }));
  });

  it('an expired credit can no longer be consumed or revoked', async () => {
    const c = await threeCredits();
    server().clock.set(new Date('2026-12-01T00:00:00Z'), true);
    expectError(await consume(consumeAmount(FABRIKAM, 501)), 400, 'request_error', 'insufficient_balance');
    expectError(
      await consume(consumeAmount(FABRIKAM, 1, { credit_id: c.tenDays })),
      400,
      'request_error',
      'already_terminal',
    );
    expectError(await server().maple('DELETE', creditPath(c.tenDays)), 400, 'request_error', 'already_terminal');
  });

  it('an expiry once read stays: EXPIRED never returns to ACTIVE, even with the clock moved back', async () => {
    const c = await threeCredits();
    server().clock.set(new Date('2026-12-01T00:00:00Z'), true);
    expect((await credit(c.fiveDays)).state).toBe('EXPIRED');
    server().clock.set(new Date(fromNow(0)), true);
    expect((await credit(c.fiveDays)).state).toBe('EXPIRED');
  });

  it('an expiry seen only through refused requests stays too (terminal states never return to ACTIVE)', async () => {
    const c = await threeCredits();
    server().clock.set(new Date('2026-12-01T00:00:00Z'), true);
    const refused = await consume(consumeAmount(FABRIKAM, 1, { credit_id: c.tenDays }));
    expectError(refused, 400, 'request_error', 'already_terminal');
    expect(refused.json.error_message).toContain('EXPIRED');
    server().clock.set(new Date(fromNow(0)), true);
    expect((await credit(c.tenDays)).state).toBe('EXPIRED');
  });
});

describe('apply_to_open_invoices', () => {
  /** Fabrikam's invoices: OVERDUE 4500 (oldest USD), PENDING 12000, and some that must stay untouched. */
  async function invoices() {
    const eur = await addInvoice(server(), {
      customer_id: FABRIKAM,
      currency: 'EUR',
      state: 'PENDING',
      total_in_cents: 7000,
      created_at: '2026-05-01T00:00:00Z',
    });
    const voided = await addInvoice(server(), {
      customer_id: FABRIKAM,
      currency: 'USD',
      state: 'VOID',
      total_in_cents: 2000,
      created_at: '2026-06-01T00:00:00Z',
    });
    const paid = await addInvoice(server(), {
      customer_id: FABRIKAM,
      currency: 'USD',
      state: 'PAID',
      total_in_cents: 9900,
      due_in_cents: 0,
      created_at: '2026-07-01T00:00:00Z',
    });
    const draft = await addInvoice(server(), {
      customer_id: FABRIKAM,
      currency: 'USD',
      state: 'DRAFT',
      total_in_cents: 3000,
      created_at: '2026-08-01T00:00:00Z',
    });
    const overdue = await addInvoice(server(), {
      customer_id: FABRIKAM,
      currency: 'USD',
      state: 'OVERDUE',
      total_in_cents: 4500,
      created_at: '2026-09-01T00:00:00Z',
    });
    const pending = await addInvoice(server(), {
      customer_id: FABRIKAM,
      currency: 'USD',
      state: 'PENDING',
      total_in_cents: 12000,
      created_at: '2026-10-01T00:00:00Z',
    });
    return {
      eur: eur.id,
      voided: voided.id,
      paid: paid.id,
      draft: draft.id,
      overdue: overdue.id,
      pending: pending.id,
    } as Record<string, string>;
  }
  const invoiceState = async () => {
    const res = await admin(server(), 'GET', `/maple/companies/${ACME}/invoices?customer_id=${FABRIKAM}`);
    return Object.fromEntries((res.json as any[]).map((i) => [i.id, [i.state, i.due_in_cents]]));
  };
  const untouched = (inv: Record<string, string>) => ({
    [inv.eur!]: ['PENDING', 7000],
    [inv.voided!]: ['VOID', 2000],
    [inv.paid!]: ['PAID', 0],
    [inv.draft!]: ['DRAFT', 3000],
  });

  it('10000: 4500 pays the OVERDUE invoice in full (PAID), 5500 goes to the PENDING one (due 6500), the credit is CONSUMED', async () => {
    const inv = await invoices();
    const c = await issue(server(), amountBody(FABRIKAM, 10000, { apply_to_open_invoices: { enable: true } }));
    expect(c).toMatchObject({ state: 'CONSUMED', amount: money(0), issued_amount: money(10000) });
    expect(await invoiceState()).toEqual({
      ...untouched(inv),
      [inv.overdue!]: ['PAID', 0],
      [inv.pending!]: ['PENDING', 6500],
    });
    const applied = await findLogs(server(), { credit_id: c.id, action_type: 'CONSUMED' });
    expect(applied.map((l) => [l.invoice_id, l.amount_applied.value_in_cents])).toEqual([
      [inv.overdue, 4500],
      [inv.pending, 5500],
    ]);
    expect(applied[1].invoice).toMatchObject({
      uuid: inv.pending,
      status: 'PENDING',
      due: money(6500),
      paid: money(5500),
      total: money(12000),
    });
    expect((await findLogs(server(), { invoice_id: inv.overdue })).map((l) => l.credit_id)).toEqual([c.id]);
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({}));
  });

  it('20000: both paid (16500), the leftover 3500 stays ACTIVE on the credit', async () => {
    const inv = await invoices();
    const c = await issue(server(), amountBody(FABRIKAM, 20000, { apply_to_open_invoices: { enable: true } }));
    expect(c).toMatchObject({ state: 'ACTIVE', amount: money(3500) });
    expect(await invoiceState()).toEqual({
      ...untouched(inv),
      [inv.overdue!]: ['PAID', 0],
      [inv.pending!]: ['PAID', 0],
    });
    expect(await balanceOf(server(), FABRIKAM)).toEqual(amounts({ USD: 3500 }));
  });

  it('only the listed invoice_uuids', async () => {
    const inv = await invoices();
    const c = await issue(
      server(),
      amountBody(FABRIKAM, 10000, { apply_to_open_invoices: { enable: true, invoice_uuids: [inv.pending] } }),
    );
    expect(c).toMatchObject({ state: 'CONSUMED', amount: money(0) });
    expect(await invoiceState()).toEqual({
      ...untouched(inv),
      [inv.overdue!]: ['OVERDUE', 4500],
      [inv.pending!]: ['PENDING', 2000],
    });
  });

  it('listed DRAFT, PAID, VOID and EUR invoices are skipped: nothing applied', async () => {
    const inv = await invoices();
    const listed = [inv.draft, inv.paid, inv.voided, inv.eur];
    const c = await issue(
      server(),
      amountBody(FABRIKAM, 10000, { apply_to_open_invoices: { enable: true, invoice_uuids: listed } }),
    );
    expect(c).toMatchObject({ state: 'ACTIVE', amount: money(10000) });
    expect(await invoiceState()).toEqual({
      ...untouched(inv),
      [inv.overdue!]: ['OVERDUE', 4500],
      [inv.pending!]: ['PENDING', 12000],
    });
    expect(await findLogs(server(), { credit_id: c.id, action_type: 'CONSUMED' })).toEqual([]);
  });

  it('a EUR credit pays only the EUR invoice', async () => {
    const inv = await invoices();
    const c = await issue(
      server(),
      amountBody(FABRIKAM, 0, { amount: money(5000, 'EUR'), apply_to_open_invoices: { enable: true } }),
    );
    expect(c.amount).toEqual(money(0, 'EUR'));
    expect((await invoiceState())[inv.eur!]).toEqual(['PENDING', 2000]);
    expect((await invoiceState())[inv.pending!]).toEqual(['PENDING', 12000]);
  });

  it('enable false touches nothing', async () => {
    const inv = await invoices();
    const c = await issue(
      server(),
      amountBody(FABRIKAM, 10000, { apply_to_open_invoices: { enable: false, invoice_uuids: [inv.overdue] } }),
    );
    expect(c).toMatchObject({ state: 'ACTIVE', amount: money(10000) });
    expect(await invoiceState()).toEqual({
      ...untouched(inv),
      [inv.overdue!]: ['OVERDUE', 4500],
      [inv.pending!]: ['PENDING', 12000],
    });
    expect(await findLogs(server(), { credit_id: c.id })).toHaveLength(1);
  });

  it('a UNITS credit with enable → 400 on apply_to_open_invoices.enable, no invoice touched', async () => {
    const inv = await invoices();
    const res = await server().maple('POST', creditsPath(), {
      body: unitsBody(FABRIKAM, 10, API_CALLS, { apply_to_open_invoices: { enable: true } }),
    });
    expectInvalid(res, 'apply_to_open_invoices.enable');
    expect((await invoiceState())[inv.overdue!]).toEqual(['OVERDUE', 4500]);
  });

  it("another customer's invoice listed → 404", async () => {
    await invoices();
    const contosos = await admin(server(), 'GET', `/maple/companies/${ACME}/invoices?customer_id=${CONTOSO}`);
    const theirs = (contosos.json as any[]).find((i) => i.state === 'OVERDUE').id;
    const res = await server().maple('POST', creditsPath(), {
      body: amountBody(FABRIKAM, 100, { apply_to_open_invoices: { enable: true, invoice_uuids: [theirs] } }),
    });
    expectError(res, 404, 'request_error', 'not_found');
  });
});
