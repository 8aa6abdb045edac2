import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load as loadYaml } from 'js-yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SPECS_DIR } from '../paths.js';
import { startTestServer, type TestServer } from '../test-support/mock-server.js';
import { PAGES_CSP } from './pages.routes.js';

const get = (server: TestServer, p: string, init: RequestInit = {}) =>
  fetch(`${server.url}${p}`, { redirect: 'manual', ...init });

describe('pages over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('redirects / to the API reference with a 302', async () => {
    const res = await get(server, '/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/__docs/');
  });

  it.each([
    ['/__docs', '/__docs/'],
    ['/__console', '/__console/'],
    ['/__docs?x=1', '/__docs/?x=1'],
  ])('redirects %s to %s (the pages link relatively)', async (from, to) => {
    const res = await get(server, from);
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(to);
  });

  it.each([
    ['/__docs/', 'text/html; charset=utf-8'],
    ['/__docs/docs.js', 'text/javascript; charset=utf-8'],
    ['/__docs/docs.css', 'text/css; charset=utf-8'],
    ['/__docs/vendor/swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
    ['/__docs/vendor/swagger-ui.css', 'text/css; charset=utf-8'],
    ['/__docs/config.json', 'application/json; charset=utf-8'],
    ['/__console/', 'text/html; charset=utf-8'],
    ['/__console/main.js', 'text/javascript; charset=utf-8'],
    ['/__console/console.css', 'text/css; charset=utf-8'],
  ])('serves %s as %s under a self-only CSP', async (p, type) => {
    const res = await get(server, p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-security-policy')).toBe(PAGES_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.text()).length).toBeGreaterThan(0);
  });

  it('allows only its own origin (and inline data: images) in the CSP', () => {
    expect(PAGES_CSP).toMatch(/^default-src 'self';/);
    expect(PAGES_CSP).not.toMatch(/https?:|\*|unsafe/);
  });

  it.each(['waldur-credits', 'waldur-credits-8.1', 'maple-credits', 'admin'])(
    'serves specs/%s.yaml as it is and as JSON',
    async (name) => {
      const text = readFileSync(path.join(SPECS_DIR, `${name}.yaml`), 'utf8');
      const yaml = await get(server, `/__docs/specs/${name}.yaml`);
      expect(yaml.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
      expect(await yaml.text()).toBe(text);
      const json = await get(server, `/__docs/specs/${name}.json`);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await json.json()).toEqual(loadYaml(text));
    },
  );

  it.each([
    '/__docs/specs/nope.json',
    '/__docs/specs/admin.yml',
    '/__docs/specs/..%2fpackage.json',
    '/__docs/vendor/index.html',
    '/__docs/../package.json',
    '/__console/nothing.js',
  ])('answers %s with a 404', async (p) => {
    expect((await get(server, p)).status).toBe(404);
  });

  it('lists the three specs with the start fixtures tokens as presets, staff first', async () => {
    const config = (await (await get(server, '/__docs/config.json')).json()) as {
      specs: { name: string; scheme: string | null; presets: { label: string; value: string; company?: string }[] }[];
      console: string | null;
    };
    expect(config.console).toBe('/__console/');
    expect(config.specs.map((s) => [s.name, s.scheme])).toEqual([
      ['waldur-credits', 'tokenAuth'],
      ['waldur-credits-8.1', 'waldurTokenAuth'],
      ['maple-credits', 'bearerAuth'],
      ['admin', null],
    ]);
    const [waldur, waldur81, maple, admin] = config.specs;
    expect(waldur81!.presets).toEqual(waldur!.presets);
    expect(waldur!.presets[0]).toEqual({ label: 'Token staff-token (staff: staff)', value: 'Token staff-token' });
    expect(waldur!.presets.map((p) => p.value)).toEqual(
      expect.arrayContaining(['Token owner-token', 'Token support-token']),
    );
    expect(waldur!.presets.slice(-2).map((p) => p.value)).toEqual(['Token inactive-token', 'Token expired-token']);
    expect(maple!.presets).toEqual([
      {
        label: 'Bearer maple-token (Acme Analytics)',
        value: 'maple-token',
        company: 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50',
      },
      {
        label: 'Bearer maple-globex-token (Globex Corporation)',
        value: 'maple-globex-token',
        company: 'cmp_2Mm8QhXv1bYxH6s0wz9P4KdRt3E',
      },
    ]);
    expect(admin!.presets).toEqual([]);
  });
});

describe('the docs page and the Waldur version profile', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ waldurVersion: '8.1' });
  });
  afterAll(() => server.close());
  type Config = { specs: { name: string; waldurVersion?: string }[]; waldur_version: string };
  const config = async (prefix = '') => (await (await get(server, `${prefix}/__docs/config.json`)).json()) as Config;

  it('names the profile of the world the page is served in, and which spec is whose', async () => {
    const c = await config();
    expect(c.waldur_version).toBe('8.1');
    expect(c.specs.filter((s) => s.waldurVersion).map((s) => [s.name, s.waldurVersion])).toEqual([
      ['waldur-credits', '8.0.5'],
      ['waldur-credits-8.1', '8.1'],
    ]);
    await server.call('POST', '/__session/docs-805/__admin/waldur/settings', {
      token: null,
      body: { version: '8.0.5' },
    });
    expect((await config('/__session/docs-805')).waldur_version).toBe('8.0.5');
    expect((await config()).waldur_version).toBe('8.1');
  });
});

describe('pages with --no-admin', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ admin: false });
  });
  afterAll(() => server.close());

  it.each(['/__console/', '/__console/main.js', '/__admin/health'])('answers %s with a 404', async (p) => {
    const res = await get(server, p);
    expect(res.status).toBe(404);
  });

  it('still serves the API reference, without the control API', async () => {
    expect((await get(server, '/')).headers.get('location')).toBe('/__docs/');
    expect((await get(server, '/__docs/')).status).toBe(200);
    const config = (await (await get(server, '/__docs/config.json')).json()) as {
      specs: { name: string }[];
      console: string | null;
    };
    expect(config.specs.map((s) => s.name)).toEqual(['waldur-credits', 'waldur-credits-8.1', 'maple-credits']);
    expect(config.console).toBe(null);
    expect((await get(server, '/__docs/specs/admin.yaml')).status).toBe(404);
  });
});
