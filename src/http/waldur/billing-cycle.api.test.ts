import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/mock-server.js';

/** Month-ends as the clock crosses them (docs/behaviour/waldur.md §4, §13 items 4, 6 and 7), through the API. */
const C = 'c0'.repeat(16);
const P = 'b0'.repeat(16);
const Q = 'a0'.repeat(16);

const world = (opts: {
  customer: Record<string, unknown>;
  project?: Record<string, unknown>;
  invoiceMonth?: number;
  itemPrice?: string;
}) => ({
  customers: [{ uuid: C, name: 'Org', slug: 'org' }],
  projects: [
    { uuid: P, name: 'Fixture project', customer: C },
    { uuid: Q, name: 'Other project', customer: C },
  ],
  users: [{ token: 'staff-token', is_staff: true }],
  customer_credits: [{ customer: C, ...opts.customer }],
  project_credits: opts.project ? [{ project: P, ...opts.project }] : [],
  invoices:
    opts.invoiceMonth === undefined
      ? []
      : [
          {
            customer: C,
            year: 2026,
            month: opts.invoiceMonth,
            items: [
              { name: 'VM', unit_price: opts.itemPrice ?? '10', quantity: '30', project: P, resource: 'd0'.repeat(16) },
            ],
          },
        ],
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function travel(now: string) {
  await server!.call('POST', '/__admin/clock', { token: null, body: { now } });
}
const customerCredit = async () => (await server!.call('GET', '/api/customer-credits/')).json[0];
const projectCredit = async () => (await server!.call('GET', '/api/project-credits/')).json[0];

describe('§13.4 linear project credit, processed at 2026-03-01', () => {
  it.each([
    ['2026-04-01', (e: string) => expect(e).toBe('200.00000')],
    ['2026-07-01', (e: string) => expect(Number(e)).toBeGreaterThan(0)],
    ['2026-02-01', (e: string) => expect(e).toBe('0.00000')],
  ])('end_date %s', async (endDate, expectation) => {
    server = await startTestServer({
      now: '2026-02-15',
      fixtures: world({
        customer: { value: '1000' },
        project: { value: '500', minimal_consumption_logic: 'linear', end_date: endDate },
        invoiceMonth: 2,
      }),
    });
    await customerCredit();
    await travel('2026-03-01');
    const pc = await projectCredit();
    expectation(pc.expected_consumption);
    if (endDate === '2026-04-01') expect(pc.value).toBe('200.00000');
    if (endDate === '2026-02-01') expect((await customerCredit()).value).toBe('1000.00000');
  });
});

describe('§13.6 expiry at the month-end', () => {
  it.each([
    ['none', null, '100.00000'],
    ['31 days ahead', '2026-04-01', '100.00000'],
    ['before the month', '2026-02-01', '0.00000'],
    ['the 1st of this month (still pays for last month, zeroed next time)', '2026-03-01', '100.00000'],
  ])('a customer credit with end_date %s', async (_what, endDate, value) => {
    server = await startTestServer({
      now: '2026-02-20',
      fixtures: world({ customer: { value: '100', end_date: endDate } }),
    });
    await customerCredit();
    await travel('2026-03-01');
    expect((await customerCredit()).value).toBe(value);
  });

  it('an expired project credit is zeroed on its own, the customer credit unchanged; then it blocks the organisation credit', async () => {
    server = await startTestServer({
      now: '2026-02-20',
      fixtures: world({
        customer: { value: '100000' },
        project: { value: '50000', end_date: '2026-02-01' },
        invoiceMonth: 2,
      }),
    });
    await customerCredit();
    await travel('2026-03-01');
    expect((await projectCredit()).value).toBe('0.00000');
    expect((await customerCredit()).value).toBe('100000.00000');
  });

  it('without zeroing, an expired project credit 50000 is drawn to 49700 (the clock stays in the month)', async () => {
    server = await startTestServer({
      now: '2026-02-20',
      fixtures: world({
        customer: { value: '100000' },
        project: { value: '50000', end_date: '2026-02-01' },
        invoiceMonth: 2,
      }),
    });
    const credit = (await customerCredit()).uuid;
    await server.call('POST', `/api/customer-credits/${credit}/apply_compensations/`);
    expect((await projectCredit()).value).toBe('49700.00000');
  });
});

describe('§13.7 project termination', () => {
  it.each([
    [true, '90.00000'],
    [false, '100.00000'],
  ])(
    'with mark_unused_credit_as_spent_on_project_termination %s the customer credit ends at %s',
    async (flag, value) => {
      server = await startTestServer({
        now: '2026-02-20',
        fixtures: world({
          customer: { value: '100' },
          project: { value: '10', mark_unused_credit_as_spent_on_project_termination: flag },
        }),
      });
      const res = await server.call('POST', `/__admin/waldur/projects/${P}/terminate`, { token: null });
      expect(res.status).toBe(200);
      expect((await customerCredit()).value).toBe(value);
      expect((await server.call('GET', '/api/project-credits/')).json).toEqual([]);
      expect((await server.call('POST', `/__admin/waldur/projects/${P}/terminate`, { token: null })).status).toBe(404);
    },
  );
});

describe('the month-end closes last month and opens this one', () => {
  it('compensates, closes the invoice, opens the new month, and consumption_last_month follows', async () => {
    server = await startTestServer({
      now: '2026-02-20',
      fixtures: world({ customer: { value: '1000' }, invoiceMonth: 2 }),
    });
    expect((await customerCredit()).consumption_last_month).toBeNull();
    await travel('2026-03-10');
    const cc = await customerCredit();
    expect(cc.value).toBe('700.00000');
    expect(cc.consumption_last_month).toBe(300);
    const invoices = (await server.call('GET', '/__admin/waldur/invoices', { token: null })).json as {
      month: number;
      state: string;
    }[];
    expect(invoices.map((i) => [i.month, i.state])).toEqual([
      [2, 'created'],
      [3, 'pending'],
    ]);
    expect((await server.call('GET', `/api/customer-credits/${cc.uuid}/consumptions/`)).json).toEqual([
      { date: '2026-02-01', price: '300.00' },
    ]);
  });
});

describe('§13.9 and §13.10: two invoices, and the history rows', () => {
  it('credit 100 with invoices of 40 and 30 processed → 30', async () => {
    const usage = (month: number, price: string) => ({
      customer: C,
      year: 2026,
      month,
      items: [{ name: 'VM', unit_price: price, quantity: '1', resource: 'e0'.repeat(16) }],
    });
    server = await startTestServer({
      now: '2026-03-20',
      fixtures: { ...world({ customer: { value: '100' } }), invoices: [usage(1, '40'), usage(2, '30')] },
    });
    expect((await customerCredit()).value).toBe('30.00000');
  });

  it('compensation lines of −100 (2023-01) and −200 (2023-02) → rows "100.00" and "200.00", oldest first', async () => {
    const line = (price: string) => ({
      name: 'Credit compensation. VM',
      unit_price: price,
      quantity: '1',
      credit: 'cc'.repeat(16),
    });
    const fixtures = {
      ...world({ customer: { value: '1000' } }),
      customer_credits: [{ uuid: 'cc'.repeat(16), customer: C, value: '1000' }],
      invoices: [
        { customer: C, year: 2023, month: 2, state: 'created', items: [line('-200')] },
        { customer: C, year: 2023, month: 1, state: 'created', items: [line('-100')] },
      ],
    };
    server = await startTestServer({ now: '2023-03-10', fixtures });
    const rows = await server.call('GET', `/api/customer-credits/${'cc'.repeat(16)}/consumptions/`);
    expect(rows.json).toEqual([
      { date: '2023-01-01', price: '100.00' },
      { date: '2023-02-01', price: '200.00' },
    ]);
  });
});

/**
 * A linear credit's new expected consumption counts everything the month-end
 * took: the compensation lines and the floor tail (docs/behaviour/waldur.md §2.4: the factor
 * f = min(1, days in this month / days until end_date's month), and
 * max(0, expected − drawn) × (1 − f) + value × f). The numbers are worked out
 * by hand below; the 5-place results are rounded half-up, as the database does.
 */
describe('linear credits after a month-end with a floor draw', () => {
  const linear = {
    minimal_consumption_logic: 'linear',
    end_date: '2027-06-01',
    expected_consumption: '100',
    grace_coefficient: '0',
  };
  const emptyInvoice = (month: number) => ({ customer: C, year: 2026, month, tax_percent: '0', items: [] });

  it('a customer credit with a floor, walked through two month-ends without usage', async () => {
    server = await startTestServer({
      now: '2026-11-15',
      fixtures: { ...world({ customer: { value: '1200', ...linear } }), invoices: [emptyInvoice(11)] },
    });
    const before = await customerCredit();
    expect([before.value, before.expected_consumption, before.minimal_consumption]).toEqual([
      '1200.00000',
      '100.00000',
      100,
    ]);

    // 2026-12-01: no usage, so the floor takes its 100 → 1100. f = 31 (December) / 182 (days to 2027-06-01).
    // expected = max(0, 100 − 100) × (1 − f) + 1100 × 31/182 = 187.362637… → 187.36264.
    await travel('2026-12-01');
    const december = await customerCredit();
    expect([december.value, december.expected_consumption, december.minimal_consumption]).toEqual([
      '1100.00000',
      '187.36264',
      187.36264,
    ]);

    // 2027-01-01: the floor takes 187.36264 → 912.63736. f = 31 (January) / 151.
    // expected = max(0, 187.36264 − 187.36264) × (1 − f) + 912.63736 × 31/151 = 187.362636… → 187.36264.
    await travel('2027-01-01');
    const january = await customerCredit();
    expect([january.value, january.expected_consumption, january.minimal_consumption]).toEqual([
      '912.63736',
      '187.36264',
      187.36264,
    ]);
  });

  it('a linear project credit counts its own floor tail too', async () => {
    const usage = {
      customer: C,
      year: 2026,
      month: 11,
      tax_percent: '0',
      items: [{ name: 'VM', unit_price: '1', quantity: '10', project: P, resource: 'd0'.repeat(16) }],
    };
    server = await startTestServer({
      now: '2026-11-15',
      fixtures: {
        ...world({ customer: { value: '10000', expected_consumption: '0' }, project: { value: '600', ...linear } }),
        invoices: [usage],
      },
    });
    // 2026-12-01: usage 10 from the project credit (600 → 590, the customer 10000 → 9990), then the project's floor
    // tail 100 − 10 = 90 → 500. Drawn: 10 + 90 = 100. expected = max(0, 100 − 100) × (1 − f) + 500 × 31/182 = 85.164835… → 85.16484.
    await travel('2026-12-01');
    const pc = await projectCredit();
    expect([pc.value, pc.expected_consumption, pc.minimal_consumption]).toEqual(['500.00000', '85.16484', 85.16484]);
    expect((await customerCredit()).value).toBe('9990.00000');
  });
});
