import { parseDateOrRfc3339 } from '../../store/rfc3339.js';
/**
 * The request half of specs/admin.yaml, compiled once: for every operation,
 * a matcher for its path and Ajv validators for its JSON body and its query
 * parameters, both built from the spec (no shape is restated here).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { adminAjv, adminDocument, adminRef, type JsonSchema } from '../../fixtures/admin-spec.js';

export interface AdminOperation {
  method: string;
  specPath: string;
  operationId: string;
  pattern: RegExp;
  /** The JSON body's validator; null when the operation takes no body. */
  body: ValidateFunction | null;
  bodyRequired: boolean;
  /** The query's validator (values are strings, coerced to the declared types); null when none is declared. */
  query: ValidateFunction | null;
  /** The declared query parameters that may repeat (arrays). */
  arrays: ReadonlySet<string>;
  /** Whether the path names something (`{uuid}`) the route must find first. */
  pathParameters: boolean;
}

interface SpecParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface SpecOperation {
  operationId: string;
  parameters?: SpecParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The clock reaches years 1 to 9999, like the dates it feeds. */
export const EARLIEST = Date.UTC(1, 0, 1);
export const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `format: date`: a real calendar day, YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    at.getUTCFullYear() === Number(m[1]) && at.getUTCMonth() === Number(m[2]) - 1 && at.getUTCDate() === Number(m[3])
  );
}

/**
 * `format: clock-time`: a date (midnight UTC) or an RFC 3339 date-time with
 * its offset, between the years 1 and 9999 (an offset-less time would be read
 * in the machine's time zone, so it is refused).
 */
export function clockTime(s: string): Date | null {
  const ms = parseDateOrRfc3339(s);
  return ms === null || ms < EARLIEST || ms > LATEST ? null : new Date(ms);
}

const FORMATS = {
  date: isCalendarDate,
  'clock-time': (s: string) => clockTime(s) !== null,
};
/** `format: date-time` in a request: what `Date.parse` reads (the Maple state check then insists on RFC 3339). */
const parsableTime = (s: string) => !Number.isNaN(Date.parse(s));

/** A JSON pointer as a URI fragment: `~` and `/` escaped in each segment, then percent-encoded. */
const pointer = (segments: (string | number)[]) =>
  segments.map((s) => `/${encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('');

const toPattern = (specPath: string) =>
  new RegExp(`^${specPath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** Every operation of specs/admin.yaml, with its validators. */
export function compileAdminOperations(): AdminOperation[] {
  const bodies = adminAjv({ dateTime: parsableTime, formats: FORMATS });
  const queries = adminAjv({ dateTime: parsableTime, formats: FORMATS, ajv: { coerceTypes: 'array' } });
  const out: AdminOperation[] = [];
  for (const [specPath, item] of Object.entries(adminDocument().paths)) {
    for (const method of METHODS) {
      const op = item[method] as SpecOperation | undefined;
      if (!op) continue;
      // Compiled by reference into the document, so the schemas' own $refs resolve.
      const at = (...segments: (string | number)[]) => adminRef(pointer(['paths', specPath, method, ...segments]));
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const params = (op.parameters ?? [])
        .map((p, i) => ({ ...p, ref: at('parameters', i, 'schema') }))
        .filter((p) => p.in === 'query');
      const query =
        params.length === 0
          ? null
          : {
              type: 'object',
              properties: Object.fromEntries(params.map((p) => [p.name, p.schema ? p.ref : {}])),
              required: params.filter((p) => p.required).map((p) => p.name),
              additionalProperties: false,
            };
      out.push({
        method: method.toUpperCase(),
        specPath,
        operationId: op.operationId,
        pattern: toPattern(specPath),
        body: schema ? bodies.compile(at('requestBody', 'content', 'application/json', 'schema')) : null,
        bodyRequired: op.requestBody?.required === true,
        query: query ? queries.compile(query) : null,
        arrays: new Set(params.filter((p) => p.schema?.type === 'array').map((p) => p.name)),
        pathParameters: specPath.includes('{'),
      });
    }
  }
  return out;
}

/** Readable lines for Ajv's errors, each naming the member at fault (`(top level)` for the whole body). */
export function describeErrors(errors: readonly ErrorObject[], unknown: 'member' | 'parameter' = 'member'): string[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  // Inside anyOf/oneOf every branch complains: one line for the member says it better.
  const shown = errors
    .filter((e) => !alternatives.some((a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`)))
    // A value of the wrong type: that is the problem, not its range or its values as well.
    .filter(
      (e, _, all) =>
        e.keyword === 'type' || !all.some((t) => t.keyword === 'type' && t.instancePath === e.instancePath),
    );
  return [...new Set(shown.map((e) => describe(e, unknown)))];
}

function describe(e: ErrorObject, unknown: string): string {
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  const member =
    e.keyword === 'required'
      ? String(e.params.missingProperty)
      : e.keyword === 'additionalProperties'
        ? String(e.params.additionalProperty)
        : null;
  const segments = [
    ...e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')),
    ...(member ? [member] : []),
  ];
  const where = segments.join('.') || '(top level)';
  return `${where}: ${message(e, parent, unknown)}`;
}

function message(e: ErrorObject, parent: JsonSchema, unknown: string): string {
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return `unknown ${unknown} (use ${orList(Object.keys((parent.properties as object | undefined) ?? {}))})`;
    case 'type':
      return `must be ${TYPE_NAMES[String(e.params.type)] ?? String(e.params.type)}${parent.nullable === true ? ' or null' : ''}`;
    case 'enum': {
      const values = (e.params.allowedValues as unknown[]).filter((v) => v !== null).map(String);
      return values.length <= 4 ? `must be ${orList(values)}` : `must be one of ${values.join(', ')}`;
    }
    case 'minimum':
    case 'maximum':
      return `must be ${parent.type === 'integer' ? 'a whole number' : 'a number'} ${range(parent)}`;
    case 'format':
      return FORMAT_NAMES[String(e.params.format)] ?? `must be a ${String(e.params.format)}`;
    case 'pattern':
      return `must match ${String(e.params.pattern)}`;
    case 'anyOf':
    case 'oneOf':
      return alternatives(e, parent);
    default:
      return e.message ?? 'is invalid';
  }
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  boolean: 'a boolean',
  number: 'a number',
  integer: 'a whole number',
};
const FORMAT_NAMES: Record<string, string> = {
  date: 'must be a date as YYYY-MM-DD',
  'date-time': 'must be a date-time, e.g. 2026-12-03T09:30:00Z',
  'clock-time':
    'must be a date (YYYY-MM-DD, midnight UTC) or an RFC 3339 date-time with its offset, between the years 1 and 9999',
};

/** None of the forms a value may take: which members to give, when each form requires one; else the description. */
function alternatives(e: ErrorObject, parent: JsonSchema): string {
  const branches = Array.isArray(e.schema) ? (e.schema as JsonSchema[]) : [];
  const members = branches.map((b) =>
    Object.keys(b).length === 1 && Array.isArray(b.required) && b.required.length === 1 ? String(b.required[0]) : '',
  );
  if (members.length > 1 && !members.includes('')) {
    if (e.keyword === 'oneOf') return `give exactly one of ${members.join(', ')}`;
    return members.length === 2
      ? `give ${members[0]}, ${members[1]} or both`
      : `give one or more of ${members.join(', ')}`;
  }
  return typeof parent.description === 'string'
    ? `must be ${sentence(parent.description)}`
    : 'is none of the forms it may take';
}

/** A schema's description inside a message: first letter small, no full stop. */
const sentence = (text: string) =>
  text
    .trim()
    .replace(/\.$/, '')
    .replace(/^[A-Z](?![A-Z])/, (c) => c.toLowerCase());

function range(s: JsonSchema): string {
  const min = s.minimum as number | undefined;
  const max = s.maximum as number | undefined;
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  return min !== undefined ? `of at least ${min}` : `of at most ${String(max)}`;
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
