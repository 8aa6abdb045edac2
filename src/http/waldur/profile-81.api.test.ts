/**
 * The 8.1 profile as a whole: routing by the world's spec, the bodiless
 * apply/clear compensations, volume discounts in the compensation run, and
 * what a switch of profile does (docs/behaviour/waldur-8.1.md §7, §8).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shippedFixtures, startTestServer, type TestServer } from '../../test-support/mock-server.js';

const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
const GENOME = '7dabe929c4a344bf86cd75e9bb049a79';
const GENOME_CREDIT = '93550840067f4cfc8e1fd3d9849acfb5';
const LAKE_CREDIT = 'd1711cbd2106419e840d31b5397a7623';
const action = (name: string) => `/api/customer-credits/${ALPHA_CREDIT}/${name}/`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ fixtures: shippedFixtures(), waldurVersion: '8.1' });
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await server.call('POST', '/__admin/reset', { token: null })).status).toBe(200);
  await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.1' } });
  expect((await server.call('DELETE', '/__admin/waldur/faults', { token: null })).status).toBe(200);
  server.violations.length = 0;
});

const values = async () => {
  const credit = async (path: string) => (await server.call('GET', path)).json.value as string;
  return {
    customer: await credit(`/api/customer-credits/${ALPHA_CREDIT}/`),
    genome: await credit(`/api/project-credits/${GENOME_CREDIT}/`),
    lake: await credit(`/api/project-credits/${LAKE_CREDIT}/`),
  };
};
const setVersion = (version: string) =>
  server.call('POST', '/__admin/waldur/settings', { token: null, body: { version } });

describe('apply_compensations / clear_compensations under 8.1 (§8)', () => {
  it('apply → 200 with no body (no Content-Type) and the same draws as 8.0.5; clear → 200 with no body, everything back', async () => {
    const applied = await server.call('POST', action('apply_compensations'));
    expect([applied.status, applied.text, applied.headers.get('content-type')]).toEqual([200, '', null]);
    expect(await values()).toEqual({ customer: '874.60000', genome: '219.60000', lake: '105.00000' });
    const cleared = await server.call('POST', action('clear_compensations'));
    expect([cleared.status, cleared.text]).toEqual([200, '']);
    expect(await values()).toEqual({ customer: '1000.00000', genome: '300.00000', lake: '150.00000' });
    expect(server.violations).toEqual([]);
  });

  it('a body sent anyway is not read: malformed JSON or another media type still gets 200', async () => {
    const malformed = await server.call('POST', action('apply_compensations'), {
      raw: '{"customer":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect([malformed.status, malformed.text]).toEqual([200, '']);
    const text = await server.call('POST', action('clear_compensations'), {
      raw: 'hello',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect([text.status, text.text]).toEqual([200, '']);
    expect(await values()).toEqual({ customer: '1000.00000', genome: '300.00000', lake: '150.00000' });
  });

  it("a bad filter on the lookup is still a 400 (the list's filters apply to it)", async () => {
    const res = await server.call('POST', `${action('apply_compensations')}?o=nope`);
    expect(res.status).toBe(400);
    expect(server.violations).toEqual([]);
  });

  it('is staff only, before the lookup (403); an unknown credit → 404 with its body', async () => {
    expect((await server.call('POST', action('apply_compensations'), { token: 'owner-token' })).status).toBe(403);
    const missing = await server.call('POST', `/api/customer-credits/${'f'.repeat(32)}/apply_compensations/`);
    expect([missing.status, missing.json]).toEqual([404, { detail: 'No CustomerCredit matches the given query.' }]);
    expect(await values()).toEqual({ customer: '1000.00000', genome: '300.00000', lake: '150.00000' });
  });

  it('under 8.0.5 the same actions answer the credit and check the body', async () => {
    await setVersion('8.0.5');
    const applied = await server.call('POST', action('apply_compensations'));
    expect(applied.json.value).toBe('874.60000');
    const malformed = await server.call('POST', action('clear_compensations'), {
      raw: '{"customer":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
  });
});

describe('volume discounts in compensations (§7.1)', () => {
  /** A −20.40 discount line paired with Genome's 80.40 item of November. */
  async function addDiscount(): Promise<void> {
    const invoices = (await server.call('GET', `/__admin/waldur/invoices?customer=${ALPHA}`, { token: null })).json as {
      uuid: string;
      month: number;
      items: { uuid: string; project: string; unit_price: string; resource: string; offering: string }[];
    }[];
    const november = invoices.find((i) => i.month === 11)!;
    const main = november.items.find((i) => i.project === GENOME && i.unit_price === '80.40')!;
    const res = await server.call('POST', `/__admin/waldur/invoices/${november.uuid}/items`, {
      token: null,
      body: {
        name: 'Volume discount',
        unit_price: '-20.40',
        project: GENOME,
        offering: main.offering,
        resource: main.resource,
        details: { is_discount: true, discount_of_item: main.uuid, discount_type: 'org_volume_discount' },
      },
    });
    expect(res.status).toBe(201);
  }

  it("8.1 draws Genome's item net of its discount (60.00), and reports it as creditable", async () => {
    await addDiscount();
    expect((await server.call('GET', `/api/project-credits/${GENOME_CREDIT}/`)).json.creditable_cost_this_month).toBe(
      '60.00000',
    );
    await server.call('POST', action('apply_compensations'));
    expect(await values()).toEqual({ customer: '895.00000', genome: '240.00000', lake: '105.00000' });
    expect(server.violations).toEqual([]);
  });

  it('8.0.5 draws the full 80.40 (the discount line itself is never drawn)', async () => {
    await addDiscount();
    await setVersion('8.0.5');
    await server.call('POST', action('apply_compensations'));
    expect(await values()).toEqual({ customer: '874.60000', genome: '219.60000', lake: '105.00000' });
  });

  it('the month-end run under 8.1 draws net of the discount too', async () => {
    await addDiscount();
    server.clock.set(new Date('2026-12-01T10:00:00Z'), true);
    try {
      expect(await values()).toEqual({ customer: '895.00000', genome: '240.00000', lake: '105.00000' });
    } finally {
      server.clock.set(new Date('2026-11-15T10:00:00Z'), true);
    }
  });
});

describe('routing by the profile', () => {
  it('adjust_withdrawable exists under 8.1 only: under 8.0.5 it is an unknown path (404), for every method', async () => {
    await setVersion('8.0.5');
    const res = await server.call('POST', action('adjust_withdrawable'), { body: { amount: '1', comment: 'x' } });
    expect([res.status, res.json]).toEqual([404, { detail: 'Not found.' }]);
    expect((await server.call('GET', action('adjust_withdrawable'))).status).toBe(404);
    expect(server.violations).toEqual([]);
  });

  it('the credit-transactions ledger is routed under 8.1 only: under 8.0.5 its paths answer as an unknown path does', async () => {
    await setVersion('8.0.5');
    for (const path of [
      '/api/credit-transactions/',
      `/api/credit-transactions/${'a'.repeat(32)}/`,
      '/api/credit-transactions',
    ]) {
      const res = await server.call('GET', path);
      expect([res.status, res.json], `8.0.5 ${path}`).toEqual([404, { detail: 'Not found.' }]);
    }
    await setVersion('8.1');
    expect((await server.call('GET', '/api/credit-transactions/')).status).toBe(200);
    expect((await server.call('GET', `/api/credit-transactions/${'a'.repeat(32)}/`)).json).toEqual({
      detail: 'No CreditTransaction matches the given query.',
    });
    expect((await server.call('GET', '/api/credit-transactions')).status).toBe(301);
    expect(server.violations).toEqual([]);
  });

  it('a fault can be aimed at adjust_withdrawable', async () => {
    expect(
      (
        await server.call('POST', '/__admin/waldur/faults', {
          token: null,
          body: { status: 503, operation: 'customer_credits_adjust_withdrawable' },
        })
      ).status,
    ).toBe(201);
    const res = await server.call('POST', action('adjust_withdrawable'), { body: { amount: '1', comment: 'x' } });
    expect(res.status).toBe(503);
    expect((await server.call('GET', `/api/customer-credits/${ALPHA_CREDIT}/`)).json.value).toBe('1000.00000');
  });

  it('the journal names the 8.1 operation', async () => {
    await server.call('POST', action('adjust_withdrawable'), { body: { amount: '1', comment: 'x' } });
    const journal = await server.call('GET', '/__admin/requests?operation=customer_credits_adjust_withdrawable', {
      token: null,
    });
    expect(journal.status).toBe(200);
    expect(JSON.stringify(journal.json)).toContain('customer_credits_adjust_withdrawable');
  });

  it('a switch keeps the data and changes the contract at once', async () => {
    await setVersion('8.0.5');
    const before = await server.call('GET', '/api/customer-credits/');
    expect(before.json[0]).not.toHaveProperty('withdrawable_balance');
    await setVersion('8.1');
    const after = await server.call('GET', '/api/customer-credits/');
    expect(after.json.map((c: { uuid: string; value: string }) => [c.uuid, c.value])).toEqual(
      before.json.map((c: { uuid: string; value: string }) => [c.uuid, c.value]),
    );
    expect(after.json[0]).toHaveProperty('withdrawable_balance');
    expect(server.violations).toEqual([]);
  });

  it("a session speaks the server's profile until told otherwise, apart from the default world", async () => {
    const session = '/__session/w81-a';
    expect((await server.call('GET', `${session}/api/customer-credits/`)).json[0]).toHaveProperty(
      'withdrawable_balance',
    );
    await server.call('POST', `${session}/__admin/waldur/settings`, { token: null, body: { version: '8.0.5' } });
    expect((await server.call('GET', `${session}/api/customer-credits/`)).json[0]).not.toHaveProperty(
      'withdrawable_balance',
    );
    expect((await server.call('GET', '/api/customer-credits/')).json[0]).toHaveProperty('withdrawable_balance');
    expect(server.violations).toEqual([]);
  });
});
