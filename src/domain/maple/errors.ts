/**
 * The failures a Maple command can end in. The domain names them; the HTTP
 * dialect maps each kind to Maple's envelope
 * `{error_message, error_type, error_status, validation_errors}`:
 *
 * | kind                      | suggested status / error_type   |
 * |---------------------------|---------------------------------|
 * | validation_error          | 400 validation_error            |
 * | not_found                 | 404 request_error               |
 * | insufficient_balance      | 400 request_error               |
 * | already_terminal          | 400 request_error               |
 * | invalid_idempotency_key   | 400 request_error               |
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type MapleFailureKind =
  'validation_error' | 'not_found' | 'insufficient_balance' | 'already_terminal' | 'invalid_idempotency_key';

export interface MapleFailure {
  readonly kind: MapleFailureKind;
  readonly message: string;
  readonly validation_errors: readonly FieldError[];
}

/** The result of a command: a value, or a failure that changed nothing. */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: MapleFailure };

export const VALIDATION_MESSAGE = 'Request body does not contain all required information';

export function succeed<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  kind: MapleFailureKind,
  message: string,
  errors: readonly FieldError[] = [],
): Outcome<T> {
  return { ok: false, failure: { kind, message, validation_errors: errors } };
}

export function invalid<T = never>(errors: readonly FieldError[]): Outcome<T> {
  return fail('validation_error', VALIDATION_MESSAGE, errors);
}

export function notFound<T = never>(field: string, what: string, id: string): Outcome<T> {
  return fail('not_found', `${what} ${id} not found`, [{ field, message: `${what} ${id} not found` }]);
}
