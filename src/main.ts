import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ControllableClock } from './clock.js';
import { ConfigError, DEFAULT_CONFIG, exposureWarning, type ServeConfig } from './config.js';
import type { IdGenerator } from './domain/clock.js';
import { createApp } from './http/app.js';
import { isLoopbackAddress } from './http/hosts.js';
import { RequestJournal } from './http/journal.js';
import type { Logger } from './logger.js';
import { parseMapleFixtures } from './fixtures/maple.fixtures.js';
import { MapleStore } from './domain/maple/maple.store.js';
import { FixtureError, parseWaldurFixtures } from './fixtures/waldur.fixtures.js';
import { WaldurStore } from './domain/waldur/waldur.store.js';
import { StatePersistence } from './state-dir.js';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const randomIds: IdGenerator = { uuidHex: () => randomUUID().replace(/-/g, '') };

/** Reads and parses a fixtures file; every problem is reported with the file's name. */
export async function loadFixtures(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read fixtures file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(`fixtures file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function withFixtureErrors<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof FixtureError)
      throw new ConfigError(`fixtures file ${file} is broken:\n  ${err.problems.join('\n  ')}`);
    throw err;
  }
}

/**
 * Both fixtures files, parsed into start states. A function of its own so that
 * the raw documents are garbage once it returns: the closures of
 * `startServer` live as long as the server, and would keep them.
 */
async function readFixtures(config: ServeConfig, nowIso: string) {
  const waldurFile = config.fixturesDocument ?? (await loadFixtures(config.fixturesPath));
  const mapleFile = config.mapleFixturesDocument ?? (await loadFixtures(config.mapleFixturesPath));
  return {
    waldur: withFixtureErrors(config.fixturesPath, () => parseWaldurFixtures(waldurFile, nowIso)),
    maple: withFixtureErrors(config.mapleFixturesPath, () => parseMapleFixtures(mapleFile)),
  };
}

/**
 * One full garbage collection, run once the start states are in the stores.
 * Reading the fixtures leaves their text and raw documents behind (with
 * 100,000 credits, about as much again as the state itself); V8 collects them
 * only when later allocation fills the enlarged heap, and until then they
 * count as resident memory. `gc` is V8's own, reached through a context made
 * after the flag that exposes it is set.
 */
function collectLoadGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** The composition root: config in, a listening server out. */
export async function startServer(
  config: ServeConfig,
  log: (line: string, level?: 'warn' | 'error') => void,
  logger?: Logger,
): Promise<RunningServer> {
  exposureWarning(config); // refuses an exposed control API without a token
  const clock = new ControllableClock();
  if (config.now) clock.set(new Date(`${config.now}T00:00:00Z`), true);
  clock.markStart();
  const fixtures = await readFixtures(config, clock.now().toISOString());
  const store = new WaldurStore();
  const maple = new MapleStore();
  store.load(fixtures.waldur);
  maple.load(fixtures.maple);
  const mapleSettings = { ...config.maple };
  if (config.maxIdempotencyKeys !== null) {
    maple.limitIdempotencyKeys(config.maxIdempotencyKeys, (company, key) =>
      log(
        `idempotency: company ${company} holds ${config.maxIdempotencyKeys} stored keys (--max-idempotency-keys); the oldest, "${key}", was forgotten`,
      ),
    );
  }
  const persistence =
    config.stateDir === null
      ? null
      : new StatePersistence(config.stateDir, { waldur: store, maple, clock, mapleSettings }, log);
  if (persistence?.start()) log(`credits-mock: state restored from ${config.stateDir}`);
  collectLoadGarbage();
  const app = await createApp({
    waldur: store,
    maple,
    mapleSettings: persistence ? persistence.watchedSettings() : mapleSettings,
    clock,
    ids: randomIds,
    fixtures,
    admin: config.admin,
    selfCheck: config.selfCheck,
    log,
    sessions: { ttlMs: config.sessionTtlMs, max: config.maxSessions },
    cors: config.cors,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    guard: {
      loopbackOnly: isLoopbackAddress(config.host),
      allowedHosts: config.allowedHosts ?? [],
      allowedOrigins: config.cors.origins ?? [],
      adminToken: config.adminToken ?? null,
    },
    journal: new RequestJournal(config.journalSize ?? DEFAULT_CONFIG.journalSize),
    waldurVersion: config.waldurVersion,
    logger,
  });
  const server = await listen(app, config);
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          persistence?.close();
          resolve();
        }),
      ),
  };
}

function listen(app: RequestListener, config: ServeConfig): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app).listen(config.port, config.host);
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new ConfigError(`port ${config.port} on ${config.host} is already in use`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        reject(new ConfigError(`cannot listen on host ${config.host}: ${err.code}`));
      } else reject(err);
    });
  });
}
