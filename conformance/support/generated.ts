import { readFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { load } from 'js-yaml';
import type { JsonSchema } from 'json-schema-faker';
import { SPECS_DIR } from './schema.js';

/** What the generated-request checks share: a seeded random source and the spec's schemas. */

/** Mulberry32: a small seeded PRNG, so that every run sends the same requests. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    bool: () => next() < 0.5,
    pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!,
  };
}

/** The component schemas of a spec file, every $ref resolved. */
export async function specSchemas(file: string): Promise<Record<string, JsonSchema>> {
  const doc = load(readFileSync(path.join(SPECS_DIR, file), 'utf8')) as object;
  const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as { components: { schemas: Record<string, JsonSchema> } };
  return deref.components.schemas;
}
