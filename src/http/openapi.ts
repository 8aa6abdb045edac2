import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import addFormats from 'ajv-formats';
import { SPECS_DIR } from '../paths.js';

/** Uuids as the real servers write them: 32 hex chars, or the dashed form. An explicit allowance. */
export const UUID_ANY_FORM =
  /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

export function loadSpec(file: string): Document {
  // A JSON round trip turns YAML aliases into independent copies: openapi-backend rewrites schemas in place.
  return JSON.parse(JSON.stringify(loadYaml(readFileSync(path.join(SPECS_DIR, file), 'utf8')))) as Document;
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
 * slash-sensitive paths; its Ajv validators (only when `validate`) serve the
 * response self-check. Quick mode: the validators are compiled at their first
 * use, not all at start (seconds for the Waldur spec), and the document is
 * not re-validated here (specs.test.ts lints every spec in npm test).
 */
export async function createBackend(definition: Document, validate: boolean): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition,
    strict: true,
    validate,
    quick: true,
    ignoreTrailingSlashes: false,
    customizeAjv: (ajv) => customizeAjv(ajv),
  });
  await api.init();
  return api;
}

/**
 * The spec's operations as a route table, compiled once. openapi-backend's own
 * matchOperation takes milliseconds a call; this is a regex per path.
 */
export class RouteTable {
  private readonly routes: { pattern: RegExp; names: string[]; byMethod: Map<string, Operation> }[] = [];

  constructor(operations: readonly Operation[]) {
    const byPath = new Map<string, Map<string, Operation>>();
    for (const op of operations) {
      const methods = byPath.get(op.path) ?? new Map<string, Operation>();
      methods.set(op.method.toUpperCase(), op);
      byPath.set(op.path, methods);
    }
    for (const [template, byMethod] of byPath) {
      const names: string[] = [];
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const m = /^\{([^}]+)\}$/.exec(part);
          if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1]!);
          return '([^/]+)';
        })
        .join('');
      this.routes.push({ pattern: new RegExp(`^${source}$`), names, byMethod });
    }
    // A literal path wins over a template that also matches it (`/credits/find` before `/credits/{id}`).
    this.routes.sort((a, b) => a.names.length - b.names.length);
  }

  /** The operation for a method and path, the path's parameters, and the methods the path allows. */
  match(method: string, path: string): { operation?: Operation; params: Record<string, string>; allowed: string[] } {
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, safeDecode(m[i + 1]!)]));
      return { operation: r.byMethod.get(method.toUpperCase()), params, allowed: [...r.byMethod.keys()] };
    }
    return { params: {}, allowed: [] };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
