import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../test-support/browser.js';
import { startTestServer, type TestServer } from '../test-support/mock-server.js';

/**
 * A page on another origin calls the mock as a frontend would, in Chromium:
 * Waldur's list with its count and Link pages, then a Maple consume with an
 * Idempotency-Key. The browser, not the test, decides what the page may read.
 */
const ACME = 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50';
const NORTHWIND = 'cus_0EIsHbZ86Y3mOPyoXbNytHiKYd5';

/** The page's script: every call's outcome goes into the DOM, and an error too. */
function pageScript(api: string): string {
  return `
const API = ${JSON.stringify(api)};
const show = (id, value) => { document.getElementById(id).textContent = typeof value === 'string' ? value : JSON.stringify(value); };
async function run() {
  const waldur = { Authorization: 'Token staff-token' };
  const first = await fetch(API + '/api/customer-credits/?page_size=2', { headers: waldur });
  const firstBody = await first.json();
  const link = first.headers.get('Link') || '';
  const next = /<([^>]+)>;\\s*rel="next"/.exec(link);
  show('page1', { status: first.status, count: first.headers.get('X-Result-Count'), items: firstBody.length, date: first.headers.get('Date') });
  show('next', next ? next[1] : 'no next link in ' + JSON.stringify(link));
  const second = await fetch(next[1], { headers: waldur });
  const secondBody = await second.json();
  show('page2', { status: second.status, items: secondBody.length, uuids: secondBody.map((c) => c.uuid) });
  const consume = () => fetch(API + '/api/v1/companies/${ACME}/credits/consume', {
    method: 'POST',
    headers: { Authorization: 'Bearer maple-token', 'Content-Type': 'application/json', 'Idempotency-Key': 'browser-consume-1' },
    body: JSON.stringify({ customer_id: '${NORTHWIND}', type: 'AMOUNT', amount: { currency: 'USD', value_in_cents: 1250 } }),
  });
  const c1 = await consume();
  const c1Body = await c1.json();
  show('consume', { status: c1.status, key: c1.headers.get('Idempotency-Key'), used: c1.headers.get('Idempotency-Used'), usd: c1Body.total_amount && c1Body.total_amount.USD });
  const c2 = await consume();
  show('replay', { status: c2.status, key: c2.headers.get('Idempotency-Key'), used: c2.headers.get('Idempotency-Used') });
  const anonymous = await fetch(API + '/api/customer-credits/');
  show('anonymous', { status: anonymous.status, wwwAuthenticate: anonymous.headers.get('WWW-Authenticate') });
}
run().then(() => show('done', 'done'), (err) => show('done', 'error: ' + err));
`;
}

function pageHtml(api: string): string {
  const rows = ['page1', 'next', 'page2', 'consume', 'replay', 'anonymous', 'done']
    .map((id) => `<tr><th>${id}</th><td id="${id}">…</td></tr>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>CORS check</title>
<style>body{font:14px sans-serif;margin:2em} th{text-align:left;padding-right:1em;vertical-align:top} td{font-family:monospace;word-break:break-all}</style>
</head><body><h1>A frontend on another origin calls credits-mock</h1><p>API: ${api}</p><table>${rows}</table>
<script>${pageScript(api)}</script></body></html>`;
}

/** The page's own origin: a second server, another port. */
async function startPageServer(api: string): Promise<{ url: string; server: Server }> {
  const html = pageHtml(api);
  const server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    else res.writeHead(404).end();
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('a page on another origin, in Chromium', () => {
  let mock: TestServer;
  let page: { url: string; server: Server };
  let browser: Browser;
  beforeAll(async () => {
    mock = await startTestServer();
    page = await startPageServer(mock.url);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.server.close(resolve));
    await mock?.close();
  });

  it('lists with X-Result-Count, follows Link to page 2, consumes with an Idempotency-Key; preflights got 204', async () => {
    expect(new URL(page.url).origin).not.toBe(new URL(mock.url).origin);
    const tab = await browser.newPage();
    const cdp: CDPSession = await tab.context().newCDPSession(tab);
    const preflights: { url: string; status: number }[] = [];
    const preflightUrls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; type?: string; request: { url: string } }) => {
      if (e.type === 'Preflight') preflightUrls.set(e.requestId, e.request.url);
    });
    cdp.on(
      'Network.responseReceived',
      (e: { requestId: string; type?: string; response: { status: number; url: string } }) => {
        if (e.type === 'Preflight' || preflightUrls.has(e.requestId))
          preflights.push({ url: e.response.url, status: e.response.status });
      },
    );
    await cdp.send('Network.enable');
    const consoleErrors: string[] = [];
    tab.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const balance = await mock.maple('GET', `/api/v1/companies/${ACME}/credits/check_balance/${NORTHWIND}`);
    const usdBefore = (balance.json as { total_amount: Record<string, number> }).total_amount.USD!;
    await tab.goto(page.url);
    await tab.waitForFunction(() => document.getElementById('done')?.textContent !== '…', undefined, {
      timeout: 20_000,
    });
    const cell = async (id: string) => (await tab.locator(`#${id}`).textContent()) ?? '';
    const json = async (id: string) => JSON.parse(await cell(id)) as Record<string, unknown>;
    await tab.screenshot({ path: screenshotPath('cors-frontend'), fullPage: true });

    expect(await cell('done')).toBe('done');
    expect(await json('page1')).toEqual({ status: 200, count: '3', items: 2, date: null });
    expect(await cell('next')).toBe(`${mock.url}/api/customer-credits/?page=2&page_size=2`);
    const page2 = await json('page2');
    expect(page2).toMatchObject({ status: 200, items: 1 });
    const all = (await mock.call('GET', '/api/customer-credits/')).json as { uuid: string }[];
    expect(page2.uuids).toEqual([all[2]!.uuid]);
    expect(await json('consume')).toEqual({ status: 200, key: 'browser-consume-1', used: null, usd: usdBefore - 1250 });
    expect(await json('replay')).toEqual({ status: 200, key: 'browser-consume-1', used: 'true' });
    expect(await json('anonymous')).toEqual({ status: 401, wwwAuthenticate: 'Token' });
    expect(consoleErrors.filter((e) => /CORS|Access-Control/i.test(e))).toEqual([]);

    // Authorization (and the JSON Content-Type) make every call above preflighted; each preflight was answered 204.
    expect(preflights.length).toBeGreaterThanOrEqual(2);
    for (const p of preflights) expect(p.status).toBe(204);
    const paths = new Set(preflights.map((p) => new URL(p.url).pathname));
    expect(paths).toContain('/api/customer-credits/');
    expect(paths).toContain(`/api/v1/companies/${ACME}/credits/consume`);
    expect(mock.violations).toEqual([]);
  });

  it('the same page, with CORS off on the mock, cannot read anything', async () => {
    const closed = await startTestServer({ cors: { enabled: false, origins: null } });
    const other = await startPageServer(closed.url);
    try {
      const tab = await browser.newPage();
      await tab.goto(other.url);
      await tab.waitForFunction(() => document.getElementById('done')?.textContent !== '…', undefined, {
        timeout: 20_000,
      });
      expect(await tab.locator('#done').textContent()).toMatch(/^error: TypeError/);
      expect(await tab.locator('#page1').textContent()).toBe('…');
    } finally {
      await new Promise((resolve) => other.server.close(resolve));
      await closed.close();
    }
  });
});
