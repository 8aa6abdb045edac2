#!/usr/bin/env node
// Checks every OpenAPI document in specs/ (or the files given as arguments):
// valid OpenAPI per swagger-parser, and no Spectral errors under .spectral.yaml.
// Prints every finding; exits 1 if any spec has an error. (`npm run lint:spec`)
import * as fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Document, Spectral } from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { bundleAndLoadRuleset } from '@stoplight/spectral-ruleset-bundler/with-loader';
import spectralRuntime from '@stoplight/spectral-runtime';
import { load as loadYaml } from 'js-yaml';

// CommonJS packages: Node's ESM loader sees no named exports in them.
const { Yaml } = spectralParsers;
const { fetch } = spectralRuntime;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPECS_DIR = path.join(ROOT, 'specs');
const SEVERITY = ['error', 'warning', 'info', 'hint'];

function specFiles(args) {
  if (args.length > 0) return args.map((f) => path.resolve(f));
  return fs
    .readdirSync(SPECS_DIR)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => path.join(SPECS_DIR, name));
}

/** swagger-parser on a deep copy (the JSON round trip also unfolds YAML aliases). */
async function structuralErrors(text) {
  try {
    await SwaggerParser.validate(JSON.parse(JSON.stringify(loadYaml(text))));
    return [];
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
}

async function lintFile(spectral, file) {
  const rel = path.relative(ROOT, file);
  const text = fs.readFileSync(file, 'utf8');
  const parserErrors = await structuralErrors(text);
  const results = await spectral.run(new Document(text, Yaml, file));
  for (const message of parserErrors) console.log(`${rel}: error swagger-parser ${message}`);
  for (const r of results) {
    const where = `${r.range.start.line + 1}:${r.range.start.character + 1}`;
    console.log(`${rel}:${where} ${SEVERITY[r.severity] ?? r.severity} ${r.code} ${r.message} (${r.path.join('.')})`);
  }
  const errors = parserErrors.length + results.filter((r) => r.severity === 0).length;
  const warnings = results.length - results.filter((r) => r.severity === 0).length;
  console.log(`${rel}: ${errors} error(s), ${warnings} warning(s)/info(s)/hint(s)`);
  return errors;
}

async function main() {
  const spectral = new Spectral();
  spectral.setRuleset(await bundleAndLoadRuleset(path.join(ROOT, '.spectral.yaml'), { fs, fetch }));
  let errors = 0;
  for (const file of specFiles(process.argv.slice(2))) errors += await lintFile(spectral, file);
  if (errors > 0) {
    console.error(`lint-specs: ${errors} error(s)`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
