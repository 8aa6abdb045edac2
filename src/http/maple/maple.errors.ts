import type { FieldError, MapleFailure, MapleFailureKind } from '../../domain/maple/errors.js';

/** Maple's error types (docs/behaviour/maple.md §1.6). */
export type ErrorType = 'request_error' | 'validation_error' | 'auth_error' | 'idempotency_error';

/** `{error_message, error_type, error_code?, error_status, validation_errors?}`; error_status is the HTTP status. */
export interface ErrorEnvelope {
  error_message: string;
  error_type: ErrorType;
  error_code?: string;
  error_status: number;
  validation_errors?: FieldError[];
}

/** What an error answer is made of; `headers` are sent with it (none by default). */
export interface MapleHttpErrorOptions {
  status: number;
  type: ErrorType;
  message: string;
  code?: string | undefined;
  validationErrors?: readonly FieldError[] | undefined;
  headers?: Record<string, string> | undefined;
}

/** An answer in Maple's error shape, thrown anywhere in the dialect and sent as is. */
export class MapleHttpError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | undefined;
  readonly validationErrors: readonly FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(options: MapleHttpErrorOptions) {
    super(options.message);
    this.status = options.status;
    this.type = options.type;
    this.code = options.code;
    this.validationErrors = options.validationErrors;
    this.headers = options.headers ?? {};
  }

  get envelope(): ErrorEnvelope {
    const body: ErrorEnvelope = { error_message: this.message, error_type: this.type, error_status: this.status };
    if (this.code !== undefined) body.error_code = this.code;
    if (this.validationErrors !== undefined) body.validation_errors = [...this.validationErrors];
    return body;
  }
}

const FAILURES: Record<MapleFailureKind, { status: number; type: ErrorType; code?: string }> = {
  validation_error: { status: 400, type: 'validation_error' },
  not_found: { status: 404, type: 'request_error', code: 'not_found' },
  insufficient_balance: { status: 400, type: 'request_error', code: 'insufficient_balance' },
  already_terminal: { status: 400, type: 'request_error', code: 'already_terminal' },
  invalid_idempotency_key: { status: 400, type: 'request_error', code: 'invalid_idempotency_key' },
};

/** A domain refusal as Maple answers it: validation errors carry validation_errors, the others a code. */
export function fromFailure(failure: MapleFailure): MapleHttpError {
  const m = FAILURES[failure.kind];
  const details = failure.kind === 'validation_error' ? failure.validation_errors : undefined;
  return new MapleHttpError({
    status: m.status,
    type: m.type,
    message: failure.message,
    code: m.code,
    validationErrors: details,
  });
}

export const requestError = (status: number, message: string, code?: string, headers?: Record<string, string>) =>
  new MapleHttpError({ status, type: 'request_error', message, code, headers });
export const authError = (status: 401 | 403, message: string) =>
  new MapleHttpError({
    status,
    type: 'auth_error',
    message,
    headers: status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
  });
export const idempotencyError = (message: string, code: string) =>
  new MapleHttpError({ status: 409, type: 'idempotency_error', message, code });
