import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ControllableClock } from '../clock.js';
import { createApp } from '../http/app.js';
import { FIXTURES_DIR } from '../paths.js';
import { parseWaldurFixtures } from '../store/waldur.fixtures.js';
import { WaldurStore } from '../store/waldur.store.js';
import { randomIds } from '../main.js';

export const shippedFixtures = (): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'waldur.json'), 'utf8')) as Record<string, unknown>;

/** The shipped fixtures without their invoices: the credits as they stand, with no billing history to compute from. */
export const defaultFixtures = (): Record<string, unknown> => ({ ...shippedFixtures(), invoices: [] });

export interface TestServer {
  url: string;
  store: WaldurStore;
  clock: ControllableClock;
  violations: string[];
  close(): Promise<void>;
  /** fetch against the server with a Waldur token (null: none). */
  call(method: string, path: string, opts?: { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<TestResponse>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/**
 * The mock in-process on a free port, with the default fixtures (the shipped
 * ones without invoices) or others,
 * a clock frozen at `now`, and the strict self-check: any response that breaks
 * the spec comes back as a 500 and is recorded in `violations`.
 */
export async function startTestServer(opts: { now?: string; fixtures?: unknown } = {}): Promise<TestServer> {
  const clock = new ControllableClock();
  clock.set(new Date(`${opts.now ?? '2026-11-15'}T10:00:00Z`), true);
  const fixtures = opts.fixtures ?? defaultFixtures();
  const store = new WaldurStore();
  store.load(parseWaldurFixtures(fixtures, clock.now().toISOString()));
  const violations: string[] = [];
  const app = await createApp({
    waldur: store,
    clock,
    ids: randomIds,
    fixtures,
    admin: true,
    selfCheck: 'strict',
    log: (line) => violations.push(line),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    clock,
    violations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    async call(method, p, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const token = o.token === undefined ? 'staff-token' : o.token;
      if (token !== null) headers.Authorization = `Token ${token}`;
      let body: string | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['Content-Type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${p}`, { method, headers, body, redirect: 'manual' });
      const text = await res.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
  };
}
