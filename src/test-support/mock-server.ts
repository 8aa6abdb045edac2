import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControllableClock } from '../clock.js';
import { createApp } from '../http/app.js';
import type { GuardOptions } from '../http/guard.js';
import { FIXTURES_DIR } from '../paths.js';
import { DEFAULT_MAPLE_SETTINGS, type MapleSettings } from '../domain/maple/credits.service.js';
import { parseMapleFixtures } from '../fixtures/maple.fixtures.js';
import { MapleStore } from '../domain/maple/maple.store.js';
import { parseWaldurFixtures } from '../fixtures/waldur.fixtures.js';
import { WaldurStore } from '../domain/waldur/waldur.store.js';
import { randomIds } from '../main.js';
import type { SessionLimits } from '../http/sessions.js';
import type { CorsOptions } from '../http/cors.js';
import type { RequestJournal } from '../http/journal.js';
import type { WaldurVersion } from '../domain/waldur/profile.js';

export const shippedFixtures = (): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'waldur.json'), 'utf8')) as Record<string, unknown>;

export const shippedMapleFixtures = (): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'maple.json'), 'utf8')) as Record<string, unknown>;

/** The shipped fixtures without their invoices: the credits as they stand, with no billing history to compute from. */
export const defaultFixtures = (): Record<string, unknown> => ({ ...shippedFixtures(), invoices: [] });

export interface TestServer {
  url: string;
  store: WaldurStore;
  mapleStore: MapleStore;
  mapleSettings: MapleSettings;
  clock: ControllableClock;
  violations: string[];
  close(): Promise<void>;
  /** fetch against the server with a Waldur token (null: none). */
  call(method: string, path: string, opts?: CallOptions): Promise<TestResponse>;
  /** fetch against the Maple API with a Bearer token (default maple-token; null: none). */
  maple(method: string, path: string, opts?: CallOptions): Promise<TestResponse>;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string;
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
export async function startTestServer(
  opts: {
    now?: string;
    fixtures?: unknown;
    mapleFixtures?: unknown;
    admin?: boolean;
    sessions?: SessionLimits;
    cors?: CorsOptions;
    publicUrl?: string;
    trustProxy?: boolean;
    guard?: GuardOptions;
    journal?: RequestJournal;
    waldurVersion?: WaldurVersion;
  } = {},
): Promise<TestServer> {
  const clock = new ControllableClock();
  clock.set(new Date(`${opts.now ?? '2026-11-15'}T10:00:00Z`), true);
  clock.markStart();
  const fixtures = opts.fixtures ?? defaultFixtures();
  const mapleFixtures = opts.mapleFixtures ?? shippedMapleFixtures();
  const start = {
    waldur: parseWaldurFixtures(fixtures, clock.now().toISOString()),
    maple: parseMapleFixtures(mapleFixtures),
  };
  const store = new WaldurStore();
  store.load(start.waldur);
  const maple = new MapleStore();
  maple.load(start.maple);
  const mapleSettings: MapleSettings = { ...DEFAULT_MAPLE_SETTINGS };
  const violations: string[] = [];
  const app = await createApp({
    waldur: store,
    maple,
    mapleSettings,
    clock,
    ids: randomIds,
    fixtures: start,
    admin: opts.admin ?? true,
    selfCheck: 'strict',
    log: (line) => violations.push(line),
    sessions: opts.sessions,
    cors: opts.cors,
    publicUrl: opts.publicUrl,
    trustProxy: opts.trustProxy,
    guard: opts.guard,
    journal: opts.journal,
    waldurVersion: opts.waldurVersion,
  });
  const server = createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    mapleStore: maple,
    mapleSettings,
    clock,
    violations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    call: (method, p, o = {}) => fetchJson(url, method, p, o, (t) => `Token ${t}`, 'staff-token'),
    maple: (method, p, o = {}) => fetchJson(url, method, p, o, (t) => `Bearer ${t}`, 'maple-token'),
  };
}

async function fetchJson(
  url: string,
  method: string,
  p: string,
  o: CallOptions,
  scheme: (token: string) => string,
  defaultToken: string,
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...o.headers };
  const token = o.token === undefined ? defaultToken : o.token;
  if (token !== null) headers.Authorization ??= scheme(token);
  let body: string | undefined = o.raw;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${url}${p}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
