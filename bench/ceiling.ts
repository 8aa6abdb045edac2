/**
 * The ceilings: a bare node:http server and a bare Express 5 app that answer
 * every request with a fixed JSON body, the one the mock sent for the same
 * scenario (chosen by the `x-bench-body` request header). Run as its own
 * process: `node --import tsx bench/ceiling.ts http|express PORT BODIES.json`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';

export interface CeilingBody {
  status: number;
  body: string;
}

const [kind, port, file] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, CeilingBody>;
const fallback: CeilingBody = Object.values(bodies)[0] ?? { status: 200, body: '{}' };

function pick(req: IncomingMessage): CeilingBody {
  const key = req.headers['x-bench-body'];
  return (typeof key === 'string' && bodies[key]) || fallback;
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const { status, body } = pick(req);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

if (kind === 'http') {
  createServer(answer).listen(Number(port), '127.0.0.1');
} else {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.all('/{*rest}', (req, res) => {
    const { status, body } = pick(req);
    res.status(status).type('application/json').send(body);
  });
  app.listen(Number(port), '127.0.0.1');
}

// Exit normally on a signal, so that `node --cpu-prof` writes its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
