import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request on its way to the server under test. */
export interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A deliberately broken server: the mock behind a proxy that breaks one rule.
 * `request` may rewrite the request or answer it itself; `response` may rewrite the answer.
 */
export interface Mutant {
  name: string;
  breaks: string;
  request?(ex: Exchange): Exchange | Answer;
  response?(ex: Exchange, answer: Answer): Answer;
}

const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

const SESSION = /^\/__session\/[^/]+(?=\/)/;

/**
 * Serves `mutant` in front of `upstream` on a free port; resolves to its URL and a stop function.
 * Every path is forwarded, session paths too: a mutant sees `/__session/<name>/api/…` as
 * `/api/…` (so it breaks a session's API as it breaks the default world's), and what it
 * forwards goes back under the same prefix.
 */
export async function startMutationProxy(
  upstream: string,
  mutant: Mutant,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
      );
      const url = new URL(req.url ?? '/', upstream);
      const session = SESSION.exec(url.pathname)?.[0] ?? '';
      url.pathname = url.pathname.slice(session.length);
      let ex: Exchange = { method: req.method ?? 'GET', url, headers, body: await read(req) };
      let answer: Answer;
      const rewritten = mutant.request && ex.url.pathname.startsWith('/api/') ? mutant.request(ex) : ex;
      if ('status' in rewritten) answer = rewritten;
      else {
        ex = rewritten;
        const forwarded = Object.fromEntries(Object.entries(ex.headers).filter(([k]) => !HOP.has(k.toLowerCase())));
        const outbound = new URL(ex.url);
        outbound.pathname = `${session}${outbound.pathname}`;
        const upstreamRes = await fetch(outbound, {
          method: ex.method,
          headers: forwarded,
          body: ex.method === 'GET' || ex.method === 'HEAD' || ex.body === '' ? undefined : ex.body,
          redirect: 'manual',
        });
        const outHeaders: Record<string, string> = {};
        upstreamRes.headers.forEach((v, k) => {
          if (!HOP.has(k) && k !== 'content-encoding') outHeaders[k] = v;
        });
        answer = { status: upstreamRes.status, headers: outHeaders, body: await upstreamRes.text() };
        if (mutant.response && ex.url.pathname.startsWith('/api/')) answer = mutant.response(ex, answer);
      }
      res.writeHead(answer.status, answer.headers);
      res.end(ex.method === 'HEAD' ? undefined : answer.body);
    })().catch((err: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`mutation proxy: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
