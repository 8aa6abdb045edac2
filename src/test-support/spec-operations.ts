/**
 * The operations of a spec in specs/, dereferenced, as the spec/code
 * agreement test reads them: method, path, operationId, query parameters,
 * and the JSON request body with a valid example when the spec gives one.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { load as loadYaml } from 'js-yaml';
import type { Router } from 'express';
import { SPECS_DIR } from '../paths.js';

export type JsonSchema = Record<string, unknown>;

export interface SpecOperation {
  method: string;
  path: string;
  operationId: string;
  query: { name: string; schema: JsonSchema }[];
  body: { schema: JsonSchema; example: unknown } | null;
}

interface RawOperation {
  operationId: string;
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: {
    content?: Record<
      string,
      { schema?: JsonSchema; example?: unknown; examples?: Record<string, { value?: unknown }> }
    >;
  };
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'];

/** The spec files of the mocked APIs and the admin API that are there (specs/waldur-credits-8.1.yaml comes with the 8.1 profile). */
export const specPresent = (file: string): boolean => existsSync(path.join(SPECS_DIR, file));

export async function specOperations(file: string): Promise<SpecOperation[]> {
  const raw = loadYaml(readFileSync(path.join(SPECS_DIR, file), 'utf8')) as object;
  // A JSON round trip first: YAML aliases would otherwise be shared by dereference.
  const doc = (await SwaggerParser.dereference(JSON.parse(JSON.stringify(raw)) as never)) as unknown as {
    paths: Record<string, Record<string, unknown> & { parameters?: RawOperation['parameters'] }>;
  };
  const out: SpecOperation[] = [];
  for (const [specPath, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as RawOperation | undefined;
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const json = op.requestBody?.content?.['application/json'];
      const example = json?.example ?? Object.values(json?.examples ?? {})[0]?.value;
      out.push({
        method: method.toUpperCase(),
        path: specPath,
        operationId: op.operationId,
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: json?.schema ? { schema: json.schema, example } : null,
      });
    }
  }
  return out;
}

/** Values of a query parameter to try: at least one must change the answer (or be refused) if the parameter is honoured. */
export function candidateValues(schema: JsonSchema): string[] {
  const items = (schema.items ?? {}) as JsonSchema;
  const values = (schema.enum ?? items.enum ?? []) as unknown[];
  const type = schema.type === 'array' ? items.type : schema.type;
  const typed =
    type === 'integer' || type === 'number'
      ? ['1', '2', '0', '-1', '999999']
      : type === 'boolean'
        ? ['true', 'false']
        : ['zz-no-such-value', 'a:b'];
  return [...values.filter((v) => v !== null).map(String), ...typed, 'zz'];
}

/** "METHOD /path/{param}" of every route an express router serves, with path parameters written as the spec writes them. */
export function expressRoutes(router: Router, prefix: string): string[] {
  interface Layer {
    name: string;
    rawPath?: string;
    route?: { path: string; methods: Record<string, boolean> };
    handle: { stack?: Layer[] };
  }
  const out: string[] = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (layer.route) {
      const p = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}`.replace(/:([A-Za-z_]+)/g, '{}') || '/';
      for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${p}`);
    } else if (layer.name === 'router' && layer.handle.stack && layer.rawPath) {
      out.push(...expressRoutes(layer.handle as unknown as Router, `${prefix}${layer.rawPath}`));
    }
  }
  return out;
}

/** A spec path with its parameters written as `{}`, to compare with expressRoutes. */
export const anonymousParams = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
