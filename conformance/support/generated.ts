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

/**
 * Broken JSON made from a valid body, each variant one way real clients get
 * it wrong (cut short, trailing data, quotes, commas, comments); `field` names
 * a key to leave dangling. Only texts JSON.parse refuses are offered.
 */
export function malformedJson(body: unknown, field: string, rnd: ReturnType<typeof prng>): string {
  const text = JSON.stringify(body);
  const variants = [
    text.slice(0, rnd.int(1, text.length - 1)), // truncated
    `${text}}`, // extra data
    text.replace(/"/g, "'"), // single quotes
    `${text.slice(0, -1)},}`, // trailing comma
    text.replace(/"(\w+)":/g, '$1:'), // unquoted keys
    `/* comment */${text}`,
    `${text.slice(0, -1)}, ${JSON.stringify(field)}: }`,
  ].filter((v) => {
    try {
      JSON.parse(v);
      return false;
    } catch {
      return true;
    }
  });
  return rnd.pick(variants);
}

/** The component schemas of a spec file, every $ref resolved. */
export async function specSchemas(file: string): Promise<Record<string, JsonSchema>> {
  const doc = load(readFileSync(path.join(SPECS_DIR, file), 'utf8')) as object;
  const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as {
    components: { schemas: Record<string, JsonSchema> };
  };
  return deref.components.schemas;
}
