import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMutationProxy, type Exchange } from './mutation-proxy.js';

/**
 * The mutants also break a session's API: the proxy forwards every path, and a
 * mutant sees `/__session/<name>/api/…` as `/api/…` while the upstream gets the
 * prefix back (the conformance suite runs in a session of its own when the mock
 * offers sessions).
 */
describe('the mutation proxy in front of sessions', () => {
  let upstream: Server;
  let url: string;
  const received: string[] = [];
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":"1.00000"}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  it('a mutant sees the path without the prefix; upstream gets it back, with the rewritten query', async () => {
    const seen: string[] = [];
    const proxy = await startMutationProxy(url, {
      name: 'probe',
      breaks: 'nothing: records and rewrites',
      request: (ex: Exchange) => {
        seen.push(ex.url.pathname);
        const rewritten = new URL(ex.url);
        rewritten.searchParams.set('page', '2');
        return { ...ex, url: rewritten };
      },
      response: (ex, answer) => ({ ...answer, body: answer.body.replace('"1.00000"', '1') }),
    });
    try {
      const inSession = await fetch(`${proxy.url}/__session/conform-abc/api/customer-credits/?page=1`);
      expect(await inSession.text()).toBe('{"value":1}');
      const plain = await fetch(`${proxy.url}/api/customer-credits/`);
      expect(await plain.text()).toBe('{"value":1}');
      const admin = await fetch(`${proxy.url}/__session/conform-abc/__admin/health`);
      expect(await admin.text()).toBe('{"value":"1.00000"}'); // not the API: untouched
      await fetch(`${proxy.url}/__admin/sessions/conform-abc`, { method: 'DELETE' });
    } finally {
      await proxy.stop();
    }
    expect(seen).toEqual(['/api/customer-credits/', '/api/customer-credits/']);
    expect(received).toEqual([
      'GET /__session/conform-abc/api/customer-credits/?page=2',
      'GET /api/customer-credits/?page=2',
      'GET /__session/conform-abc/__admin/health',
      'DELETE /__admin/sessions/conform-abc',
    ]);
  });
});
