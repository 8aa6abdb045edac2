import { beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import {
  amountCredit,
  balanceOf,
  cleanUpAfterAll,
  createCredit,
  creditsOf,
  EMPTY_BALANCE,
  entries,
  expectError,
  findAll,
  getCredit,
  logsOf,
  money,
  scenarioCustomer,
  unitsCredit,
  type Credit,
  type CreditLog,
  unset,
} from '../support/maple-data.js';
import {
  adminInvoices,
  mapleWorld,
  provisionCustomer,
  provisionInvoice,
  serverNow,
  type AdminInvoice,
  type MapleCustomer,
  type MapleWorld,
} from '../support/maple-world.js';

/**
 * apply_to_open_invoices (docs/behaviour/maple.md §1.9, Part 4 item 10): a new AMOUNT credit
 * pays the customer's PENDING and OVERDUE invoices in its currency, oldest
 * first, or only those listed; never beyond what is due; the leftover stays on
 * the credit; each payment is a CONSUMED entry with the invoice_id.
 *
 * The scenarios with written-out numbers make their invoices through the mock's
 * /__admin/; against a real server, one credit is applied to the configured
 * maple.open_invoices[0].
 */
let world: MapleWorld;
beforeAll(async () => {
  world = (await mapleWorld()) as MapleWorld; // null without a world: the checks then do not run
});
cleanUpAfterAll();

const daysAgo = async (days: number) => new Date((await serverNow(world)) - days * 86_400_000).toISOString();
const applyTo = (invoice_uuids?: string[]) => ({
  apply_to_open_invoices: invoice_uuids ? { enable: true, invoice_uuids } : { enable: true },
});
const state = (i: AdminInvoice | undefined) => (i ? `${i.state} due ${i.due_in_cents}` : 'missing');

describe('invoices: a credit pays open invoices, oldest first (mock)', () => {
  let customer = unset<MapleCustomer>('the scenario customer of the block');
  const inv: Record<string, AdminInvoice> = {};
  let credit = unset<Credit>('the credit of the block');
  let second = unset<Credit>('the second credit of the block');

  check(
    'createCredit',
    'a credit of 10000 pays invoices due 4500 (oldest, in full) and 12000 (5500 of it); it remains 0, CONSUMED',
    async () => {
      customer = await provisionCustomer(world);
      const make = async (
        tag: string,
        body: Omit<Partial<AdminInvoice>, 'id'> & { currency: string; total_in_cents: number },
      ) => {
        inv[tag] = await provisionInvoice(world, { customer_id: customer.id, ...body });
      };
      await make('oldest', {
        currency: 'USD',
        state: 'PENDING',
        total_in_cents: 4500,
        due_in_cents: 4500,
        created_at: await daysAgo(30),
      });
      await make('second', {
        currency: 'USD',
        state: 'OVERDUE',
        total_in_cents: 12000,
        due_in_cents: 12000,
        created_at: await daysAgo(20),
      });
      await make('eur', {
        currency: 'EUR',
        state: 'PENDING',
        total_in_cents: 3000,
        due_in_cents: 3000,
        created_at: await daysAgo(40),
      });
      await make('paid', {
        currency: 'USD',
        state: 'PAID',
        total_in_cents: 800,
        due_in_cents: 0,
        created_at: await daysAgo(50),
      });
      await make('draft', {
        currency: 'USD',
        state: 'DRAFT',
        total_in_cents: 900,
        due_in_cents: 900,
        created_at: await daysAgo(45),
      });
      await make('void', {
        currency: 'USD',
        state: 'VOID',
        total_in_cents: 700,
        due_in_cents: 700,
        created_at: await daysAgo(44),
      });
      await make('listed', {
        currency: 'USD',
        state: 'PENDING',
        total_in_cents: 3000,
        due_in_cents: 3000,
        created_at: await daysAgo(10),
      });
      // The third open USD invoice, due 3000, is for the second credit (listed alone); the first credit, unrestricted,
      // would reach it only after 4500 + 12000, which is more than it has.
      const res = await createCredit(amountCredit(customer.id, 10_000, applyTo()));
      expectStatus(res, 201);
      expectContract('createCredit', res);
      credit = res.body as Credit;
      expect(credit).toMatchObject({ state: 'CONSUMED', amount: money(0), issued_amount: money(10_000) });
      const now = await adminInvoices(world);
      expect(state(now.get(inv.oldest!.id)), 'the oldest invoice').toBe('PAID due 0');
      expect(state(now.get(inv.second!.id)), 'the second invoice').toBe('OVERDUE due 6500');
      expect(state(now.get(inv.listed!.id)), 'the third invoice (nothing left for it)').toBe('PENDING due 3000');
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'findCreditLogs',
    'each payment is a CONSUMED entry with its invoice_id: 4500 then 5500',
    async () => {
      const logs = await logsOf(credit.id);
      expect(entries(logs)).toEqual([
        'ISSUED 10000 USD',
        `CONSUMED 4500 USD invoice ${inv.oldest!.id}`,
        `CONSUMED 5500 USD invoice ${inv.second!.id}`,
      ]);
      const byInvoice = await findAll<CreditLog>('logs', { invoice_id: inv.oldest!.id });
      expect(entries(byInvoice)).toEqual([`CONSUMED 4500 USD invoice ${inv.oldest!.id}`]);
      expect(byInvoice[0]!.credit_id).toBe(credit.id);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'createCredit',
    'invoices in another currency, PAID, DRAFT and VOID are left alone',
    async () => {
      const now = await adminInvoices(world);
      expect(['eur', 'paid', 'draft', 'void'].map((t) => `${t}: ${state(now.get(inv[t]!.id))}`)).toEqual([
        'eur: PENDING due 3000',
        'paid: PAID due 0',
        'draft: DRAFT due 900',
        'void: VOID due 700',
      ]);
      expect(await findAll<CreditLog>('logs', { invoice_id: inv.eur!.id })).toEqual([]);
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'createCredit',
    'a credit of 20000 listed on one invoice due 3000 applies 3000; 17000 remains ACTIVE; the others are untouched',
    async () => {
      const res = await createCredit(amountCredit(customer.id, 20_000, applyTo([inv.listed!.id])));
      expectStatus(res, 201);
      expectContract('createCredit', res);
      second = res.body as Credit;
      expect(second).toMatchObject({ state: 'ACTIVE', amount: money(17_000), issued_amount: money(20_000) });
      const now = await adminInvoices(world);
      expect(state(now.get(inv.listed!.id))).toBe('PAID due 0');
      expect(state(now.get(inv.second!.id)), 'an invoice that was not listed').toBe('OVERDUE due 6500');
      expect(entries(await logsOf(second.id))).toEqual([
        'ISSUED 20000 USD',
        `CONSUMED 3000 USD invoice ${inv.listed!.id}`,
      ]);
      expect(await balanceOf(customer.id)).toEqual({
        total_amount: { USD: 17_000 },
        total_units: {},
        total_units_with_meta: {},
      });
    },
    { writes: true, needs: 'admin' },
  );

  check(
    'createCredit',
    'with enable false no invoice changes and the credit keeps all of it',
    async () => {
      const res = await createCredit(amountCredit(customer.id, 1000, { apply_to_open_invoices: { enable: false } }));
      expectStatus(res, 201);
      expect(res.body).toMatchObject({ state: 'ACTIVE', amount: money(1000) });
      expect(state((await adminInvoices(world)).get(inv.second!.id))).toBe('OVERDUE due 6500');
      expect(entries(await logsOf((res.body as Credit).id))).toEqual(['ISSUED 1000 USD']);
    },
    { writes: true, needs: 'admin' },
  );
});

describe('invoices: refusals', () => {
  check(
    'createCredit',
    'an unknown invoice in invoice_uuids is 404 request_error; nothing is created or paid',
    async () => {
      const customer = await scenarioCustomer();
      const open =
        world.provisioned === 'admin'
          ? await provisionInvoice(world, {
              customer_id: customer.id,
              currency: 'USD',
              state: 'PENDING',
              total_in_cents: 500,
              due_in_cents: 500,
            })
          : undefined;
      const res = await createCredit(
        amountCredit(customer.id, 1000, applyTo([...(open ? [open.id] : []), `inv_conformance_${world.run}_none`])),
      );
      expectError(res, 404, 'request_error', { operation: 'createCredit' });
      expect(await creditsOf(customer.id)).toEqual([]);
      if (open) expect(state((await adminInvoices(world)).get(open.id))).toBe('PENDING due 500');
    },
    { writes: true },
  );

  check(
    'createCredit',
    "another customer's invoice in invoice_uuids is 404 request_error; it is not paid",
    async () => {
      const customer = await scenarioCustomer();
      let theirs: string;
      if (world.provisioned === 'admin') {
        const other = await provisionCustomer(world);
        theirs = (
          await provisionInvoice(world, {
            customer_id: other.id,
            currency: 'USD',
            state: 'PENDING',
            total_in_cents: 500,
            due_in_cents: 500,
          })
        ).id;
      } else {
        const configured = world.openInvoices.find((i) => i.customer_id !== customer.id);
        if (!configured)
          throw new Error('no maple.open_invoices entry of a customer other than customers[1] configured');
        theirs = configured.id;
      }
      const res = await createCredit(amountCredit(customer.id, 1000, applyTo([theirs])));
      expectError(res, 404, 'request_error', { operation: 'createCredit' });
      expect(await creditsOf(customer.id)).toEqual([]);
      if (world.provisioned === 'admin')
        expect(state((await adminInvoices(world)).get(theirs))).toBe('PENDING due 500');
    },
    { writes: true },
  );

  check(
    'createCredit',
    'a UNITS credit cannot be applied to invoices: 400 validation_error apply_to_open_invoices.enable',
    async () => {
      const customer = await scenarioCustomer();
      const res = await createCredit(unitsCredit(customer.id, 5, world.itemId, applyTo()));
      expectError(res, 400, 'validation_error', {
        operation: 'createCredit',
        fields: ['apply_to_open_invoices.enable'],
      });
      expect(await creditsOf(customer.id)).toEqual([]);
    },
    { writes: true },
  );

  check(
    'createCredit',
    'enable true without open invoices keeps the whole credit and logs no payment',
    async () => {
      const customer = await scenarioCustomer();
      const res = await createCredit(amountCredit(customer.id, 1000, applyTo(), 'CHF'));
      expectStatus(res, 201);
      expect(res.body).toMatchObject({ state: 'ACTIVE', amount: money(1000, 'CHF') });
      expect(entries(await logsOf((res.body as Credit).id))).toEqual(['ISSUED 1000 CHF']);
    },
    { writes: true },
  );
});

describe('invoices: a configured open invoice (real server) or a made one (mock)', () => {
  check(
    'createCredit',
    'a credit of due + 1000 listed on one open invoice pays what is due; 1000 remains ACTIVE',
    async () => {
      let invoice: { id: string; customer_id: string; currency: string; due_in_cents: number };
      if (world.provisioned === 'admin') {
        const c = await provisionCustomer(world);
        invoice = await provisionInvoice(world, {
          customer_id: c.id,
          currency: 'EUR',
          state: 'OVERDUE',
          total_in_cents: 2599,
          due_in_cents: 2599,
        });
      } else {
        invoice = world.openInvoices[0]!;
      }
      const res = await createCredit(
        amountCredit(invoice.customer_id, invoice.due_in_cents + 1000, applyTo([invoice.id]), invoice.currency),
      );
      expectStatus(res, 201);
      expectContract('createCredit', res);
      const credit = res.body as Credit;
      expect(credit).toMatchObject({
        state: 'ACTIVE',
        amount: money(1000, invoice.currency),
        issued_amount: money(invoice.due_in_cents + 1000, invoice.currency),
      });
      expect(entries(await logsOf(credit.id))).toEqual([
        `ISSUED ${invoice.due_in_cents + 1000} ${invoice.currency}`,
        `CONSUMED ${invoice.due_in_cents} ${invoice.currency} invoice ${invoice.id}`,
      ]);
      expect(await getCredit(credit.id)).toMatchObject({ amount: money(1000, invoice.currency) });
      if (world.provisioned === 'admin') expect(state((await adminInvoices(world)).get(invoice.id))).toBe('PAID due 0');
      const balance = await balanceOf(invoice.customer_id);
      expect(balance.total_amount?.[invoice.currency]).toBeGreaterThanOrEqual(1000);
      expect(balance).not.toEqual(EMPTY_BALANCE);
    },
    { writes: true, needs: 'invoices' },
  );
});
