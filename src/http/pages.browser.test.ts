import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '../test-support/browser.js';
import { shippedFixtures, startTestServer, type TestServer } from '../test-support/mock-server.js';

const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
const NORTHWIND = 'cus_0EIsHbZ86Y3mOPyoXbNytHiKYd5';

/** Every request the page makes and every error it reports. */
interface Watched {
  page: Page;
  requests: string[];
  errors: string[];
}

async function open(browser: Browser, url: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const watched: Watched = { page, requests: [], errors: [] };
  page.on('request', (r) => watched.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') watched.errors.push(m.text());
  });
  page.on('pageerror', (e) => watched.errors.push(e.message));
  await page.goto(url);
  return watched;
}

/** Requests to anything but the mock (data: URLs go nowhere and are allowed). */
const foreign = (w: Watched, origin: string) =>
  w.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));

// The shipped fixtures (with Alpha's invoices) on 20 November 2026: November's usage is open, so the month-end changes the credits.
// A world on the 8.1 profile: the docs open on the 8.1 spec, the console says which profile runs.
describe('pages in a browser, on the 8.1 profile', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ now: '2026-11-20', waldurVersion: '8.1' }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('/__docs/ opens on the 8.1 spec, marked as running, with adjust_withdrawable', async () => {
    const { page, errors } = await open(browser, `${server.url}/__docs/`);
    await page.locator('#operations-customer-credits-customer_credits_adjust_withdrawable').waitFor();
    expect(page.url()).toBe(`${server.url}/__docs/#waldur-credits-8.1`);
    await expect(page.locator('#spec-tabs [data-running="true"]').textContent()).resolves.toBe(
      'Waldur credits 8.1 \u00b7 running',
    );
    expect(errors).toEqual([]);
  });

  it('/__console/ says the Waldur API speaks 8.1', async () => {
    const { page, errors } = await open(browser, `${server.url}/__console/`);
    await page.locator('#waldur-version', { hasText: 'Waldur 8.1' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('/__console/ shows the credit ledger, newest row first, and no ledger under 8.0.5', async () => {
    expect(
      (await server.call('PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { body: { value: '1100' } })).status,
    ).toBe(200);
    const { page, errors } = await open(browser, `${server.url}/__console/`);
    const first = page.locator('#waldur-ledger-table tbody tr').first();
    await first.waitFor();
    await expect(first.getAttribute('data-type')).resolves.toBe('staff_grant');
    await expect(first.locator('[data-field="amount"]').textContent()).resolves.toBe('100.00000');
    await expect(page.locator('#waldur-ledger-table caption').textContent()).resolves.toMatch(/latest 1 of 1 rows/);
    await page.screenshot({ path: screenshotPath('console-ledger'), fullPage: true });
    expect(
      (await server.call('POST', '/__admin/waldur/settings', { token: null, body: { version: '8.0.5' } })).status,
    ).toBe(200);
    await page.reload();
    await page.locator('#waldur-version', { hasText: 'Waldur 8.0.5' }).waitFor();
    await expect(page.locator('#waldur-ledger-table').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ now: '2026-11-20', fixtures: shippedFixtures() }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('/__docs/ renders the APIs, calls only the mock, and "try it" lists credits with the staff preset', async () => {
    const w = await open(browser, `${server.url}/`);
    const { page } = w;
    const list = page.locator('#operations-customer-credits-customer_credits_list');
    await list.locator('.opblock-summary-description', { hasText: 'List Customer Credits' }).waitFor();
    expect(page.url()).toBe(`${server.url}/__docs/#waldur-credits`);
    await expect(page.locator('#preset option:checked').textContent()).resolves.toBe(
      'Token staff-token (staff: staff)',
    );
    await expect(page.locator('#spec-tabs [data-running="true"]').textContent()).resolves.toBe(
      'Waldur credits \u00b7 running',
    );
    await page.screenshot({ path: screenshotPath('docs-waldur') });

    await list.locator('.opblock-summary').click();
    await list.getByRole('button', { name: 'Try it out' }).click();
    const answer = page.waitForResponse((r) => r.url().startsWith(`${server.url}/api/customer-credits/`));
    await list.getByRole('button', { name: 'Execute' }).click();
    const res = await answer;
    expect(res.status()).toBe(200);
    expect(res.request().headers()['authorization']).toBe('Token staff-token');
    expect(((await res.json()) as unknown[]).length).toBe(3);
    const shown = list.locator('.live-responses-table tbody .response-col_status');
    await shown.first().waitFor();
    await expect(shown.first().textContent()).resolves.toMatch(/^200/);
    await page.screenshot({ path: screenshotPath('docs-try-it'), fullPage: false });

    await page.getByRole('button', { name: 'Maple credits' }).click();
    await page
      .locator('#operations-credits-consumeCredits .opblock-summary-description', { hasText: 'Consume' })
      .waitFor();
    await page.locator('.opblock-summary-description', { hasText: 'Check balance' }).first().waitFor();
    expect(page.url()).toMatch(/#maple-credits$/);
    await expect(page.locator('#preset option:checked').textContent()).resolves.toBe(
      'Bearer maple-token (Acme Analytics)',
    );
    await page.screenshot({ path: screenshotPath('docs-maple') });

    // The Globex preset: its bearer token, and company_id prefilled with Globex's id.
    await page.locator('#preset').selectOption({ label: 'Bearer maple-globex-token (Globex Corporation)' });
    const balance = page.locator('#operations-credits-checkBalance');
    await balance.locator('.opblock-summary').click();
    await balance.getByRole('button', { name: 'Try it out' }).click();
    await expect(balance.locator('tr[data-param-name="company_id"] input').inputValue()).resolves.toBe(
      'cmp_2Mm8QhXv1bYxH6s0wz9P4KdRt3E',
    );
    await balance.locator('tr[data-param-name="customer"] input').fill('initech');
    const checked = page.waitForResponse((r) => r.url().includes('/check_balance/initech'));
    await balance.getByRole('button', { name: 'Execute' }).click();
    const answered = await checked;
    expect(answered.status()).toBe(200);
    expect(answered.request().headers()['authorization']).toBe('Bearer maple-globex-token');
    expect(await answered.json()).toMatchObject({ total_amount: { USD: 10000 } });

    await page.getByRole('button', { name: 'Control API (/__admin/)' }).click();
    await page.locator('.opblock-summary-description', { hasText: 'Reset' }).first().waitFor();
    expect(await page.locator('#preset-box').isHidden()).toBe(true);

    expect(foreign(w, server.url)).toEqual([]);
    expect(w.requests).toContain(`${server.url}/__docs/vendor/swagger-ui-bundle.js`);
    expect(w.errors).toEqual([]);
    expect(server.violations).toEqual([]);
    await page.close();
  });

  it('/__console/ shows the fixtures, and "Next month" runs the month-end it shows', async () => {
    const w = await open(browser, `${server.url}/__console/`);
    const { page } = w;
    const alpha = page.locator(`tr[data-customer="${ALPHA}"]`);
    const field = (name: string) => alpha.locator(`td[data-field="${name}"]`).textContent();
    await alpha.locator('td[data-field="value"]').waitFor();
    await expect(page.locator('#clock-today').textContent()).resolves.toBe('2026-11-20');
    await expect(page.locator('#waldur-version').textContent()).resolves.toBe('Waldur 8.0.5');
    await expect(field('value')).resolves.toBe('1000.00000');
    await expect(field('allocated_to_projects')).resolves.toBe('450');
    await expect(field('consumption_last_month')).resolves.toBe('170.7');
    expect(await alpha.locator('svg.plot rect.bar').count()).toBe(3);
    const northwind = page.locator(`tr[data-maple-customer="${NORTHWIND}"]`);
    await expect(northwind.locator('li[data-pool="USD"]').textContent()).resolves.toBe('500.00 USD');
    await expect(northwind.locator('li[data-pool="EUR"]').textContent()).resolves.toBe('200.00 EUR');
    expect(await northwind.locator('svg.plot path').count()).toBe(3);
    await page.screenshot({ path: screenshotPath('console'), fullPage: true });

    await page.getByRole('button', { name: 'Next month' }).click();
    await page.locator('#clock-today', { hasText: '2026-12-01' }).waitFor();
    await page.waitForFunction((uuid) => {
      const cell = document.querySelector(`tr[data-customer="${uuid}"] td[data-field="value"]`);
      return cell !== null && cell.textContent !== '1000.00000';
    }, ALPHA);
    const api = await server.call('GET', `/api/customer-credits/?customer_uuid=${ALPHA}`);
    await expect(field('value')).resolves.toBe(api.json[0].value);
    await expect(field('consumption_last_month')).resolves.toBe(String(api.json[0].consumption_last_month));
    expect(await field('consumption_last_month')).not.toBe('170.7');
    expect(await alpha.locator('svg.plot rect.bar').count()).toBe(4);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('console-next-month'), fullPage: true });

    expect(foreign(w, server.url)).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(server.violations).toEqual([]);
    await page.close();
  });

  it('/__console/ adds customers, moves a day, shows changes made elsewhere, reports refusals, and resets', async () => {
    await server.call('POST', '/__admin/reset', { token: null });
    await server.call('POST', '/__admin/clock', { token: null, body: { now: '2026-11-20T10:00:00Z' } });
    const w = await open(browser, `${server.url}/__console/`);
    const { page } = w;
    await page.locator('#clock-today', { hasText: '2026-11-20' }).waitFor();

    const waldurForm = page.locator('#add-waldur-customer');
    await waldurForm.getByLabel('Customer name').fill('Zeta Lab');
    await waldurForm.getByRole('button', { name: 'Add' }).click();
    const zeta = page.locator('#waldur-table tr', { hasText: 'Zeta Lab' });
    await zeta.waitFor();
    await expect(zeta.textContent()).resolves.toContain('no credit');
    const added = (
      (await server.call('GET', '/__admin/state', { token: null })).json.waldur.customers as {
        name: string;
        slug: string;
      }[]
    ).at(-1);
    expect(added).toMatchObject({ name: 'Zeta Lab', slug: 'zeta-lab' });

    const mapleForm = page.locator('#add-maple-customer');
    await mapleForm.getByLabel('Customer name').fill('Umbrella Corp');
    await mapleForm.getByLabel('Customer identifier').fill('northwind');
    await mapleForm.getByRole('button', { name: 'Add' }).click();
    await page.locator('#status.error', { hasText: 'Add Umbrella Corp failed' }).waitFor();
    await mapleForm.getByLabel('Customer identifier').fill('umbrella');
    await mapleForm.getByRole('button', { name: 'Add' }).click();
    await page.locator('[data-company="cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50"] tr', { hasText: 'Umbrella Corp' }).waitFor();
    await expect(page.locator('#status').getAttribute('class')).resolves.toBe('status ok');

    await page.getByRole('button', { name: '+1 day' }).click();
    await page.locator('#clock-today', { hasText: '2026-11-21' }).waitFor();

    // A change made through the API, not the console, shows up by itself.
    const delta = page.locator('tr[data-customer="6bad6be28e7a46e99f19950499dd251d"]');
    const made = await server.call('POST', '/api/customer-credits/', {
      body: { customer: '/api/customers/6bad6be28e7a46e99f19950499dd251d/', value: '500.00' },
    });
    expect(made.status).toBe(201);
    await delta.locator('td[data-field="value"]', { hasText: '500.00000' }).waitFor({ timeout: 15_000 });
    const consumed = await server.maple('POST', '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits/consume', {
      body: {
        customer_id: 'northwind',
        type: 'AMOUNT',
        amount: { currency: 'USD', value_in_cents: 1250 },
        note: 'lunch',
      },
    });
    expect(consumed.status).toBe(200);
    const northwind = page.locator(`tr[data-maple-customer="${NORTHWIND}"]`);
    await northwind.locator('li[data-pool="USD"]', { hasText: '487.50 USD' }).waitFor({ timeout: 15_000 });
    const log = page.locator('[data-company="cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50"] details.log');
    await expect(log.locator('summary').textContent()).resolves.toBe('Credit log (5 entries)');
    await expect(log.locator('tbody tr').first().textContent()).resolves.toMatch(
      /CONSUMED.*Northwind Traders.*12\.50 USD.*lunch/,
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('console-actions'), fullPage: true });

    await page.getByRole('button', { name: 'Run clock' }).click();
    await page.getByRole('button', { name: 'Freeze clock' }).waitFor();
    await expect(page.locator('#clock').textContent()).resolves.toContain('running');
    expect((await server.call('GET', '/__admin/clock', { token: null })).json.frozen).toBe(false);
    await page.getByRole('button', { name: 'Freeze clock' }).click();
    await page.getByRole('button', { name: 'Run clock' }).waitFor();
    expect((await server.call('GET', '/__admin/clock', { token: null })).json.frozen).toBe(true);

    await page.getByRole('button', { name: 'Reset' }).click();
    await delta.locator('td', { hasText: 'no credit' }).waitFor();
    expect(await page.locator('#waldur-table tr', { hasText: 'Zeta Lab' }).count()).toBe(0);
    expect(await page.locator('tr', { hasText: 'Umbrella Corp' }).count()).toBe(0);

    expect(foreign(w, server.url)).toEqual([]);
    // The refused add is the one error the page saw: the browser logs the failed request's 400.
    expect(w.errors).toEqual([expect.stringMatching(/status of 400/)]);
    expect(server.violations).toEqual([]);
    await page.close();
  });
});
