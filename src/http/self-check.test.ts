import { describe, expect, it } from 'vitest';
import { createBackend, loadSpec } from './openapi.js';
import { contractViolations } from './self-check.js';

/** The response self-check, on validators compiled at first use (openapi-backend's quick mode). */
describe('contractViolations', async () => {
  const api = await createBackend(loadSpec('maple-credits.yaml'), true);
  const op = (id: string) => api.router.getOperations().find((o) => o.operationId === id)!;
  const json = 'application/json';
  const balance = { total_amount: { USD: 100 }, total_units: {}, total_units_with_meta: {} };

  it('passes a response that keeps the contract', () => {
    expect(
      contractViolations(
        api,
        op('checkBalance'),
        { status: 200, headers: { 'content-type': json }, body: JSON.stringify(balance) },
        false,
      ),
    ).toEqual([]);
  });

  it('names a body that breaks the schema', () => {
    const body = JSON.stringify({ ...balance, total_amount: { USD: 10.5 } });
    expect(contractViolations(api, op('checkBalance'), { status: 200, headers: {}, body }, false)).toEqual([
      expect.stringMatching(/^body\/total_amount\/USD must be integer/),
    ]);
  });

  it('names a status the operation does not declare', () => {
    expect(contractViolations(api, op('checkBalance'), { status: 413, headers: {}, body: '{}' }, false)).toEqual([
      'status 413 is not declared for checkBalance',
    ]);
  });

  it('with every header required, a documented header that is missing is a violation; without, only its value counts', () => {
    const res = { status: 200, headers: {}, body: JSON.stringify(balance) };
    expect(contractViolations(api, op('consumeCredits'), res, true).join()).toMatch(/idempotency-key/);
    expect(contractViolations(api, op('consumeCredits'), res, false)).toEqual([]);
    expect(
      contractViolations(api, op('consumeCredits'), { ...res, headers: { 'idempotency-used': 'yes' } }, false).join(),
    ).toMatch(/idempotency-used/);
  });
});
