/**
 * The failures a Waldur request can end in, named as Django REST Framework
 * names them. The HTTP dialect maps each kind to its status code.
 */
export type FieldErrors = Record<string, string[] | string | Record<string, string[]>>;
export type ValidationBody = FieldErrors | string[];

export class WaldurError extends Error {
  constructor(
    readonly kind: 'validation' | 'not_authenticated' | 'authentication_failed' | 'permission_denied' | 'not_found',
    readonly body: ValidationBody | { detail: string },
  ) {
    super(typeof body === 'object' && 'detail' in body ? String(body.detail) : 'validation error');
  }
}

export const validationError = (body: ValidationBody) => new WaldurError('validation', body);
export const permissionDenied = () =>
  new WaldurError('permission_denied', { detail: 'You do not have permission to perform this action.' });
export const notFound = (detail = 'Not found.') => new WaldurError('not_found', { detail });
export const invalidPage = () => notFound('Invalid page.');
