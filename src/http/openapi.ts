import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import addFormats from 'ajv-formats';
import { SPECS_DIR } from '../paths.js';

/** Uuids as the real servers write them: 32 hex chars, or the dashed form. An explicit allowance. */
export const UUID_ANY_FORM = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

export function loadSpec(file: string): Document {
  return loadYaml(readFileSync(path.join(SPECS_DIR, file), 'utf8')) as Document;
}

type Ajv = Parameters<NonNullable<ConstructorParameters<typeof OpenAPIBackend>[0]['customizeAjv']>>[0];

function customizeAjv(ajv: Ajv): Ajv {
  (addFormats as unknown as (a: Ajv) => Ajv)(ajv);
  ajv.addFormat('uuid', UUID_ANY_FORM);
  ajv.addFormat('decimal', /^-?\d*(?:\.\d*)?$/);
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
  return ajv;
}

/**
 * An openapi-backend instance for one spec: routing by operationId with
 * slash-sensitive paths; its Ajv validators (built only when `validate`) serve
 * the response self-check.
 */
export async function createBackend(definition: Document, validate: boolean): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition,
    strict: true,
    validate,
    quick: !validate,
    ignoreTrailingSlashes: false,
    customizeAjv: (ajv) => customizeAjv(ajv),
  });
  await api.init();
  return api;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'] as const;

/** The operation for a method and path, and the methods the path allows at all. */
export function route(api: OpenAPIBackend, method: string, path: string): { operation?: Operation; allowed: string[] } {
  const allowed: string[] = [];
  let operation: Operation | undefined;
  for (const m of METHODS) {
    const op = api.router.matchOperation({ method: m, path, headers: {}, query: {} });
    if (!op) continue;
    allowed.push(m);
    if (m === method.toLowerCase()) operation = op;
  }
  return { operation, allowed };
}
