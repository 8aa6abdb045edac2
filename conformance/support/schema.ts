import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { load } from 'js-yaml';

/**
 * Response checks against specs/: bodies by operation and status, and the
 * documented headers. The spec files are read as data; nothing of the mock is imported.
 *
 * Explicit allowances for forms the real servers use:
 * - `format: uuid` accepts 32 hex characters without dashes (Waldur's StringUUID), as well as the dashed form;
 * - `format: decimal` and `format: double` are annotations (the patterns and types carry the rule).
 */
export const SPECS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'specs');

const UUID_ANY_FORM =
  /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

interface Operation {
  operationId: string;
  responses: Record<
    string,
    { content?: Record<string, { schema?: object }>; headers?: Record<string, { schema?: object; required?: boolean }> }
  >;
}

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
ajv.addFormat('uuid', UUID_ANY_FORM);
ajv.addFormat('decimal', true);
ajv.addFormat('double', true);

const operations = new Map<string, Operation>();
const validators = new Map<string, ValidateFunction>();

export async function loadSpec(file: string): Promise<void> {
  const doc = load(readFileSync(path.join(SPECS_DIR, file), 'utf8')) as object;
  const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as {
    paths: Record<string, Record<string, Operation>>;
  };
  for (const methods of Object.values(deref.paths)) {
    for (const op of Object.values(methods))
      if (op && typeof op === 'object' && 'operationId' in op) operations.set(op.operationId, op);
  }
}

/** The problems of a response against the spec: undeclared status, body shape, missing or bad headers. */
export function contractProblems(
  operationId: string,
  reply: { status: number; headers: Record<string, string>; body: unknown; text: string },
): string[] {
  const op = operations.get(operationId);
  if (!op) return [`operation ${operationId} is not in the spec`];
  const declared = op.responses[String(reply.status)];
  if (!declared)
    return [
      `status ${reply.status} is not documented for ${operationId} (documented: ${Object.keys(op.responses).join(', ')})`,
    ];
  const problems: string[] = [];
  const schema = declared.content?.['application/json']?.schema;
  if (schema && reply.text !== '') {
    const key = `${operationId}:${reply.status}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      validators.set(key, validate);
    }
    if (reply.body === undefined) problems.push('body is not JSON');
    else if (!validate(reply.body)) {
      for (const e of validate.errors ?? []) problems.push(`body${e.instancePath} ${e.message ?? ''}`);
    }
  }
  for (const [name, header] of Object.entries(declared.headers ?? {})) {
    const value = reply.headers[name.toLowerCase()];
    if (value === undefined) problems.push(`header ${name} is missing`);
    else if ((header.schema as { type?: string } | undefined)?.type === 'integer' && !/^\d+$/.test(value)) {
      problems.push(`header ${name} is not an integer: ${value}`);
    }
  }
  return problems;
}
