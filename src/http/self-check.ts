import { SetMatchType, type OpenAPIBackend, type Operation } from 'openapi-backend';

/** off: production; warn: log violations (npm start); strict: a violation becomes a 500 (tests). */
export type SelfCheckMode = 'off' | 'warn' | 'strict';

export interface SentResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Checks a response the mock is about to send against its own spec; returns
 * the violations. With `everyHeaderRequired` (Waldur's headers are always
 * sent) a documented header that is missing is a violation; without it
 * (Maple's idempotency headers come only with a key) only their values are checked.
 */
export function contractViolations(
  api: OpenAPIBackend,
  operation: Operation,
  res: SentResponse,
  everyHeaderRequired = true,
): string[] {
  const declared = operation.responses?.[String(res.status)] ?? operation.responses?.default;
  if (!declared) return [`status ${res.status} is not declared for ${operation.operationId}`];
  const problems: string[] = [];
  const content = 'content' in declared ? declared.content : undefined;
  if (res.body !== '') {
    if (!content) problems.push(`${operation.operationId} ${res.status} declares no body but one was sent`);
    else {
      const result = api.validator.validateResponse(JSON.parse(res.body), operation, res.status);
      for (const e of result.errors ?? []) problems.push(`body${e.instancePath} ${e.message ?? ''}`.trim());
    }
  }
  const headers = api.validator.validateResponseHeaders(res.headers, operation, {
    statusCode: res.status,
    setMatchType: everyHeaderRequired ? SetMatchType.Superset : SetMatchType.Any,
  });
  for (const e of headers.errors ?? []) problems.push(`headers${e.instancePath} ${e.message ?? ''}`.trim());
  return problems;
}
