import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shippedFixtures, startTestServer, type TestServer } from '../../test-support/mock-server.js';

/**
 * apply_compensations / clear_compensations against the shipped fixtures'
 * billing history: Alpha (credit 1000, floor 90) has Genome Pipeline (project
 * credit 300) and Data Lake (150, floor 20) on November's open invoice with
 * usage of 80.40 and 45.00; October's closed invoice (VAT 20 %) drew 130.25 and 12.00.
 */
const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const GENOME = '7dabe929c4a344bf86cd75e9bb049a79';
const LAKE = '14aa4e719d3c4dec80a61f933d6c51e3';

describe('compensations through the API', () => {
  let server: TestServer;
  let credit: string;
  const values = async () => {
    const cc = (await server.call('GET', `/api/customer-credits/${credit}/`)).json;
    const pcs = (await server.call('GET', `/api/project-credits/?customer_uuid=${ALPHA}`)).json as {
      project_uuid: string;
      value: string;
    }[];
    const of = (p: string) => pcs.find((x) => x.project_uuid === p)!.value;
    return { customer: cc.value, genome: of(GENOME), lake: of(LAKE) };
  };
  beforeAll(async () => {
    server = await startTestServer({ fixtures: shippedFixtures() });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.call('POST', '/__admin/reset', { token: null });
    credit = (await server.call('GET', `/api/customer-credits/?customer_uuid=${ALPHA}`)).json[0].uuid;
  });

  it('reads the history: consumptions by month, pre-VAT, and last month with VAT', async () => {
    const rows = await server.call('GET', `/api/customer-credits/${credit}/consumptions/`);
    expect(rows.json).toEqual([
      { date: '2026-08-01', price: '120.00' },
      { date: '2026-09-01', price: '95.50' },
      { date: '2026-10-01', price: '142.25' },
    ]);
    const cc = await server.call('GET', `/api/customer-credits/${credit}/`);
    expect(cc.text).toContain('"consumption_last_month":170.7');
  });

  it('apply draws the open invoice through the project credits, cheapest item first', async () => {
    const res = await server.call('POST', `/api/customer-credits/${credit}/apply_compensations/`);
    expect(res.status).toBe(200);
    expect(res.json.value).toBe('874.60000');
    expect(await values()).toEqual({ customer: '874.60000', genome: '219.60000', lake: '105.00000' });
    const rows = (await server.call('GET', `/api/customer-credits/${credit}/consumptions/`)).json;
    expect(rows.at(-1)).toEqual({ date: '2026-11-01', price: '125.40' });
  });

  it('apply twice is apply once; clear restores every balance and removes the lines', async () => {
    await server.call('POST', `/api/customer-credits/${credit}/apply_compensations/`);
    await server.call('POST', `/api/customer-credits/${credit}/apply_compensations/`);
    expect(await values()).toEqual({ customer: '874.60000', genome: '219.60000', lake: '105.00000' });
    const res = await server.call('POST', `/api/customer-credits/${credit}/clear_compensations/`);
    expect(res.json.value).toBe('1000.00000');
    expect(await values()).toEqual({ customer: '1000.00000', genome: '300.00000', lake: '150.00000' });
    const rows = (await server.call('GET', `/api/customer-credits/${credit}/consumptions/`)).json;
    expect(rows.map((r: { date: string }) => r.date)).not.toContain('2026-11-01');
  });

  it('a credit without an open invoice is left as it is', async () => {
    const gamma = (await server.call('GET', '/api/customer-credits/?customer_uuid=e512148239294d22a255accb1a466884'))
      .json[0];
    const res = await server.call('POST', `/api/customer-credits/${gamma.uuid}/apply_compensations/`);
    expect(res.status).toBe(200);
    expect(res.json.value).toBe(gamma.value);
  });

  it('is staff only, before the lookup', async () => {
    const res = await server.call('POST', `/api/customer-credits/${credit}/apply_compensations/`, {
      token: 'owner-token',
    });
    expect(res.status).toBe(403);
    expect(await values()).toEqual({ customer: '1000.00000', genome: '300.00000', lake: '150.00000' });
  });
});
