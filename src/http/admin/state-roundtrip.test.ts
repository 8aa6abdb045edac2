import { describe, expect, it } from 'vitest';
import { shippedFixtures, startTestServer } from '../../test-support/mock-server.js';

/** A Waldur world of `n` customers, each with its credit (the API allows one per customer). */
function largeWorld(n: number): Record<string, unknown> {
  const base = shippedFixtures();
  const hex = (prefix: string, i: number) => `${prefix}${i.toString(16).padStart(32 - prefix.length, '0')}`;
  const customers = Array.from({ length: n }, (_, i) => ({ uuid: hex('ca', i), name: `Org ${i}`, slug: `org-${i}` }));
  const credits = customers.map((c, i) => ({
    uuid: hex('cc', i),
    customer: c.uuid,
    value: (((i * 7919) % 100_000) + 100).toFixed(2),
    end_date: i % 3 === 0 ? null : '2027-07-01',
    created: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  }));
  const staff = (base.users as { is_staff?: boolean }[]).filter((u) => u.is_staff);
  return {
    customers,
    projects: [],
    offerings: [],
    users: staff,
    project_credits: [],
    invoices: [],
    customer_credits: credits,
  };
}

describe('GET and PUT /__admin/state at size', () => {
  it('round-trips 100,000 credits: the export streams, the import takes it back whole', async () => {
    const server = await startTestServer({ fixtures: largeWorld(100_000) });
    try {
      const exported = await fetch(`${server.url}/__admin/state`);
      expect(exported.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await exported.text();
      expect(text.length).toBeGreaterThan(20_000_000);
      await server.call('POST', '/__admin/reset', { token: null });
      await server.call('DELETE', `/api/customer-credits/${'cc'.padEnd(32, '0')}/`);
      const imported = await fetch(`${server.url}/__admin/state`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: text,
      });
      expect(imported.status).toBe(200);
      expect(((await imported.json()) as { counts: { customer_credits: number } }).counts.customer_credits).toBe(
        100_000,
      );
      const again = await (await fetch(`${server.url}/__admin/state`)).text();
      expect(again).toBe(text);
      const page = await server.call('GET', '/api/customer-credits/?page=1000&page_size=100');
      expect(page.headers.get('x-result-count')).toBe('100000');
    } finally {
      await server.close();
    }
  }, 120_000);
});
