import { readFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { load as loadYaml } from 'js-yaml';
import { expect } from 'vitest';
import { SPECS_DIR } from '../paths.js';
import type { TestResponse } from './mock-server.js';

/** specs/admin.yaml as the judge of every admin response, for the admin API tests. */
export type JsonSchema = Record<string, unknown>;
export interface SpecResponse {
  content?: Record<string, { schema?: JsonSchema }>;
}
export interface SpecOperation {
  operationId: string;
  responses: Record<string, SpecResponse>;
}
export interface AdminSpec {
  paths: Record<string, Record<string, SpecOperation>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, SpecResponse> };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
export const rawSpec = loadYaml(readFileSync(path.join(SPECS_DIR, 'admin.yaml'), 'utf8')) as object;
let dereferenced: Promise<AdminSpec> | undefined;
/** The spec with every $ref resolved (on a copy: dereference works in place). */
export const adminSpec = () =>
  (dereferenced ??= SwaggerParser.dereference(structuredClone(rawSpec) as never) as unknown as Promise<AdminSpec>);

export const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => Ajv)(ajv);
const validators = new Map<string, ValidateFunction>();
/** "METHOD /path" of every documented operation a real response was checked against. */
export const checked = new Set<string>();

function validatorFor(key: string, schema: JsonSchema): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile(schema);
    validators.set(key, v);
  }
  return v;
}

export function expectBodyMatches(res: TestResponse, schema: JsonSchema | undefined, key: string): void {
  expect(schema, `${key}: no application/json schema in specs/admin.yaml`).toBeDefined();
  expect(res.headers.get('content-type') ?? '', key).toMatch(/^application\/json\b/);
  const validate = validatorFor(key, schema!);
  const ok = validate(res.json);
  const errors = ok
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
  expect(errors, `${key}: body ${res.text.slice(0, 500)}`).toEqual([]);
}

/** Asserts `res` is a response specs/admin.yaml documents for this operation, with a body that fits. */
export async function expectSpecResponse(method: string, specPath: string, res: TestResponse): Promise<void> {
  const doc = await adminSpec();
  const op = doc.paths[specPath]?.[method.toLowerCase()];
  expect(op, `${method} ${specPath} is not in specs/admin.yaml`).toBeDefined();
  const documented = op!.responses[String(res.status)];
  expect(
    documented,
    `${method} ${specPath}: status ${res.status} is not documented (body ${res.text.slice(0, 300)})`,
  ).toBeDefined();
  if (!documented!.content) {
    // A documented answer without content (e.g. 204): no body may come.
    expect(res.text, `${method} ${specPath} ${res.status}: no body is documented`).toBe('');
    checked.add(`${method.toUpperCase()} ${specPath}`);
    return;
  }
  expectBodyMatches(res, documented!.content?.['application/json']?.schema, `${method} ${specPath} ${res.status}`);
  checked.add(`${method.toUpperCase()} ${specPath}`);
}

/** "METHOD /path" of every operation the spec documents under paths matching `keep`. */
export async function documentedOperations(keep: (specPath: string) => boolean): Promise<string[]> {
  const doc = await adminSpec();
  return Object.entries(doc.paths)
    .filter(([p]) => keep(p))
    .flatMap(([p, item]) =>
      Object.keys(item)
        .filter((m) => HTTP_METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    );
}
