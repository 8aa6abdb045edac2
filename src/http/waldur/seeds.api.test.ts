import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../paths.js';
import { startTestServer, type TestServer } from '../../test-support/mock-server.js';

/**
 * Every HTTPie request of the seed documents (../shared/seeds/000–002), with the
 * example host, uuids and related URLs replaced by the fixtures' and staff-token
 * as the token, gets the status the seed documents. Uuids stay dashed, as in the seeds.
 */
const dashed = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
const DELTA = '6bad6be28e7a46e99f19950499dd251d';
const CLIMATE_MODEL = '70eb9a0a96264ae685e818fac0433cbd';
const GENOME = '7dabe929c4a344bf86cd75e9bb049a79';

interface SeedCall {
  method: string;
  /** The seed's path template. */
  template: string;
  status: number;
  /** HTTPie's `key=value` items, sent as a JSON object. */
  items?: (s: Ctx) => Record<string, string>;
}

interface Ctx {
  url: string;
  customerCredit: string;
  projectCredit: string;
}

const SEED_CALLS: SeedCall[] = [
  { method: 'GET', template: '/api/customer-credits/', status: 200 },
  { method: 'GET', template: '/api/customer-credits/{uuid}/', status: 200 },
  {
    method: 'POST',
    template: '/api/customer-credits/',
    status: 201,
    items: (c) => ({ customer: `${c.url}/api/customers/${dashed(DELTA)}/` }),
  },
  {
    method: 'PUT',
    template: '/api/customer-credits/{uuid}/',
    status: 200,
    items: (c) => ({ customer: `${c.url}/api/customers/${dashed(ALPHA)}/` }),
  },
  { method: 'PATCH', template: '/api/customer-credits/{uuid}/', status: 200 },
  { method: 'DELETE', template: '/api/customer-credits/{uuid}/', status: 204 },
  { method: 'GET', template: '/api/customer-credits/{uuid}/consumptions/', status: 200 },
  {
    method: 'POST',
    template: '/api/customer-credits/{uuid}/apply_compensations/',
    status: 200,
    items: (c) => ({ customer: `${c.url}/api/customers/${dashed(ALPHA)}/` }),
  },
  {
    method: 'POST',
    template: '/api/customer-credits/{uuid}/clear_compensations/',
    status: 200,
    items: (c) => ({ customer: `${c.url}/api/customers/${dashed(ALPHA)}/` }),
  },
  { method: 'GET', template: '/api/project-credits/', status: 200 },
  { method: 'GET', template: '/api/project-credits/{uuid}/', status: 200 },
  {
    method: 'POST',
    template: '/api/project-credits/',
    status: 201,
    items: (c) => ({ project: `${c.url}/api/projects/${dashed(CLIMATE_MODEL)}/` }),
  },
  {
    method: 'PUT',
    template: '/api/project-credits/{uuid}/',
    status: 200,
    items: (c) => ({ project: `${c.url}/api/projects/${dashed(GENOME)}/` }),
  },
  { method: 'PATCH', template: '/api/project-credits/{uuid}/', status: 200 },
  { method: 'DELETE', template: '/api/project-credits/{uuid}/', status: 204 },
];

describe('the seed documents, request by request', () => {
  let server: TestServer;
  let ctx: Ctx;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.call('POST', '/__admin/reset', { token: null });
    const alphaCredit = (await server.call('GET', `/api/customer-credits/?customer_uuid=${ALPHA}`)).json[0];
    const genomeCredit = (await server.call('GET', `/api/project-credits/?project_uuid=${GENOME}`)).json[0];
    ctx = { url: server.url, customerCredit: alphaCredit.uuid, projectCredit: genomeCredit.uuid };
  });

  it.each(SEED_CALLS)('$method $template → $status', async (seed) => {
    const uuid = seed.template.startsWith('/api/customer-') ? ctx.customerCredit : ctx.projectCredit;
    const res = await server.call(seed.method, seed.template.replace('{uuid}', dashed(uuid)), {
      body: seed.items?.(ctx),
    });
    expect(res.status, res.text).toBe(seed.status);
  });

  const seedsDir = path.resolve(PACKAGE_ROOT, '..', 'shared', 'seeds');
  it.runIf(existsSync(seedsDir))(
    'the table above holds every HTTPie request of the seeds (checked when ../shared/seeds is present)',
    () => {
      const found = new Set<string>();
      for (const file of readdirSync(seedsDir)) {
        const text = readFileSync(path.join(seedsDir, file), 'utf8');
        for (const m of text.matchAll(
          /http \\\n\s+(GET|POST|PUT|PATCH|DELETE) \\\n\s+https:\/\/api\.example\.com(\/api\/(?:customer|project)-credits\/[^\s]*)/g,
        )) {
          found.add(
            `${m[1]} ${m[2]!.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, '{uuid}')}`,
          );
        }
      }
      expect(found.size).toBeGreaterThan(0);
      expect([...found].sort()).toEqual(SEED_CALLS.map((s) => `${s.method} ${s.template}`).sort());
    },
  );
});
