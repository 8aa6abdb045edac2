/**
 * Every OpenAPI document in specs/ must be valid OpenAPI (swagger-parser) and
 * lint clean of errors under the repository's .spectral.yaml (Spectral, the
 * same ruleset `npx spectral lint` and `npm run lint:spec` use).
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Document, Spectral, type ISpectralDiagnostic } from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { bundleAndLoadRuleset } from '@stoplight/spectral-ruleset-bundler/with-loader';
import spectralRuntime from '@stoplight/spectral-runtime';
import { load as loadYaml } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';

// CommonJS packages: Node's ESM loader sees no named exports in them.
const { Yaml } = spectralParsers;
const { fetch } = spectralRuntime;

const SPECS_DIR = path.dirname(fileURLToPath(import.meta.url));
const RULESET = path.join(SPECS_DIR, '..', '.spectral.yaml');
const SEVERITY_ERROR = 0;

const specFiles = fs
  .readdirSync(SPECS_DIR)
  .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
  .sort();

const describeLine = (d: ISpectralDiagnostic) =>
  `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message} (${d.path.join('.')})`;

let spectral: Spectral;

beforeAll(async () => {
  spectral = new Spectral();
  spectral.setRuleset(await bundleAndLoadRuleset(RULESET, { fs, fetch }));
});

it('finds the specs', () => {
  expect(specFiles).toContain('waldur-credits.yaml');
});

describe.each(specFiles)('%s', (name) => {
  const file = path.join(SPECS_DIR, name);
  const text = fs.readFileSync(file, 'utf8');

  it('parses as YAML (no duplicate keys) into an OpenAPI 3.0.x document', () => {
    const doc = loadYaml(text) as { openapi?: unknown };
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
  });

  it('is valid OpenAPI (swagger-parser)', async () => {
    // A JSON round trip is a deep copy that also unfolds YAML aliases, so the
    // validator's in-place dereferencing touches nothing shared.
    const copy = JSON.parse(JSON.stringify(loadYaml(text))) as Parameters<typeof SwaggerParser.validate>[0];
    await expect(SwaggerParser.validate(copy)).resolves.toBeDefined();
  });

  it('has no Spectral errors', async () => {
    const results = await spectral.run(new Document(text, Yaml, file));
    const errors = results.filter((r) => r.severity === SEVERITY_ERROR);
    const others = results.length - errors.length;
    if (others > 0) console.info(`${name}: ${others} Spectral warning(s)/info(s)/hint(s)`);
    expect(errors.map(describeLine)).toEqual([]);
  });
});
