import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { load as loadYaml } from 'js-yaml';
import { PAGES_DIR, SPECS_DIR } from '../paths.js';
import type { StartFixtures } from './world.js';
import { docsSpecs, SPEC_NAMES, type SpecName } from './docs-presets.js';
import { scopeOf } from './world.js';

export interface PagesOptions {
  /** The console is served only with the control API it works through. */
  admin: boolean;
  /** The start fixtures: their tokens are the docs page's presets. */
  fixtures: StartFixtures;
}

/**
 * Only this server: scripts, styles, fonts and fetches from the page's own
 * origin (data: images are the inline icons in Swagger UI's stylesheet).
 */
export const PAGES_CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** The files of swagger-ui-dist the docs page uses, served from the installed package (no CDN). */
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const;
const swaggerUiDir = (): string => path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const STATIC_OPTIONS = {
  index: 'index.html',
  redirect: false,
  dotfiles: 'ignore',
  fallthrough: true,
  etag: true,
} as const;

/**
 * The pages: `/` → `/__docs/`, the API reference under `/__docs/` (Swagger UI
 * over the three specs, which are also served as YAML and JSON), and the
 * console under `/__console/` when the control API is on.
 */
export function createPagesRouter(opts: PagesOptions): Router {
  const router = Router();
  const specs = docsSpecs(opts.fixtures, opts.admin);
  const served = new Set<string>(specs.map((s) => s.name));
  const yamlCache = new Map<SpecName, string>();
  const yamlOf = (name: SpecName): string => {
    let text = yamlCache.get(name);
    if (text === undefined) yamlCache.set(name, (text = readFileSync(path.join(SPECS_DIR, `${name}.yaml`), 'utf8')));
    return text;
  };

  router.use(['/__docs', '/__console'], (_req, res, next) => {
    res.set({ 'Content-Security-Policy': PAGES_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
    next();
  });
  router.get('/', (_req, res) => res.redirect(302, '/__docs/'));
  router.get(['/__docs', '/__console'], (req, res, next) => {
    // Relative links in the pages need the slash; express matches both forms here.
    if (req.path.endsWith('/')) return next();
    const q = req.originalUrl.indexOf('?');
    return res.redirect(301, `${req.path}/${q === -1 ? '' : req.originalUrl.slice(q)}`);
  });

  router.get('/__docs/config.json', (_req, res) =>
    res.json({
      specs,
      console: opts.admin ? '/__console/' : null,
      waldur_version: scopeOf(res).world.waldurSettings.version,
    }),
  );
  router.get('/__docs/specs/:file', (req, res, next) => {
    const match = /^([a-z0-9.-]+?)\.(yaml|json)$/.exec(req.params.file);
    const name = match?.[1] as SpecName | undefined;
    if (!match || !name || !SPEC_NAMES.includes(name) || !served.has(name)) return next();
    if (match[2] === 'yaml') return void res.type('application/yaml; charset=utf-8').send(yamlOf(name));
    return void res.json(loadYaml(yamlOf(name)));
  });
  for (const file of SWAGGER_UI_FILES) {
    router.get(`/__docs/vendor/${file}`, (_req, res) => res.sendFile(path.join(swaggerUiDir(), file)));
  }
  router.use('/__docs', express.static(path.join(PAGES_DIR, 'docs'), STATIC_OPTIONS));
  if (opts.admin) router.use('/__console', express.static(path.join(PAGES_DIR, 'console'), STATIC_OPTIONS));
  return router;
}
