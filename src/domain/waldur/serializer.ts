import { FieldError } from './drf-fields.js';
import { validationError, type FieldErrors } from './errors.js';
import { isInputObject, pyTypeName, type Input, type InputObject } from './input.js';

/** One writable field of a DRF serializer: how to parse it, then its field-level validation. */
export interface FieldDef<K extends string = string> {
  name: K;
  required?: boolean;
  nullable?: boolean;
  /** A relational field: DRF turns an empty string into null before validating it. */
  relation?: boolean;
  parse(input: Input): unknown;
}

/**
 * DRF's Serializer.to_internal_value: fields in declaration order, every field
 * error collected under its name; anything other than a field error (a 403
 * raised from a validate_<field> method) stops at once.
 */
export function runFields(
  data: Input | undefined,
  fields: readonly FieldDef[],
  partial: boolean,
): Map<string, unknown> {
  const body = rootObject(data);
  const errors: FieldErrors = {};
  const attrs = new Map<string, unknown>();
  for (const field of fields) {
    if (!Object.hasOwn(body, field.name)) {
      if (field.required && !partial) errors[field.name] = ['This field is required.'];
      continue;
    }
    const given = body[field.name] as Input;
    const raw = field.relation && given === '' ? null : given;
    if (raw === null) {
      if (field.nullable) attrs.set(field.name, null);
      else errors[field.name] = ['This field may not be null.'];
      continue;
    }
    try {
      attrs.set(field.name, field.parse(raw));
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      errors[field.name] = err.detail;
    }
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return attrs;
}

function rootObject(data: Input | undefined): InputObject {
  if (data === undefined) return {};
  if (data === null) throw validationError({ non_field_errors: ['No data provided'] });
  if (!isInputObject(data)) {
    throw validationError({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${pyTypeName(data)}.`] });
  }
  return data;
}

/** A field-level rule failing inside a parse step. */
export function fieldFail(message: string): never {
  throw new FieldError([message]);
}
