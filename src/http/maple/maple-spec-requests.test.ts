/**
 * specs/maple-credits.yaml admits the requests Maple's own reference pages
 * send (every `query` field null, consume's optional fields null,
 * include_meta on logs/find, fractional units, a create with only
 * customer_id and a grant), and still refuses what the contract forbids.
 */
import type { OpenAPIBackend } from 'openapi-backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend, loadSpec } from '../openapi.js';

let api: OpenAPIBackend;
beforeAll(async () => {
  api = await createBackend(loadSpec('maple-credits.yaml'), true);
});

const BASE = '/api/v1/companies/cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50/credits';
function problems(path: string, body: unknown): string[] {
  const result = api.validator.validateRequest({
    method: 'post',
    path: `${BASE}${path}`,
    body,
    headers: { 'content-type': 'application/json' },
  });
  return (result.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe("the Maple spec admits Maple's example requests", () => {
  it('find with every query field null, include_meta and from_key null', () => {
    const query = {
      currency: null,
      customer_id: null,
      search: null,
      status: null,
      statuses: null,
      subscription_id: null,
      type: null,
    };
    expect(
      problems('/find', {
        pagination: { from_key: null, limit: 20 },
        query,
        sort_key: 'createdAtDesc',
        include_meta: null,
      }),
    ).toEqual([]);
    expect(
      problems('/find', { pagination: { limit: 20 }, query: null, sort_key: 'createdAtDesc', include_meta: true }),
    ).toEqual([]);
  });

  it('logs/find with every query field null and include_meta', () => {
    const query = {
      action_type: null,
      credit_id: null,
      customer_id: null,
      invoice_id: null,
      note: null,
      search: null,
      type: null,
    };
    expect(
      problems('/logs/find', {
        pagination: { from_key: null, limit: 20 },
        query,
        sort_key: 'createdAtDesc',
        include_meta: true,
      }),
    ).toEqual([]);
  });

  it('consume with credit_id, item_id, note, subscription_id and units null; fractional units', () => {
    const body = {
      customer_id: 'cus_x',
      type: 'AMOUNT',
      amount: { currency: 'USD', value_in_cents: 123 },
      credit_id: null,
      item_id: null,
      note: null,
      subscription_id: null,
      units: null,
    };
    expect(problems('/consume', body)).toEqual([]);
    expect(
      problems('/consume', {
        customer_id: 'cus_x',
        type: 'UNITS',
        units: 2.5,
        item_id: 'item_x',
        subscription_id: 'subs_x',
      }),
    ).toEqual([]);
  });

  it('create with only customer_id and a grant, fractional units, any of the four states', () => {
    expect(problems('', { customer_id: 'cus_x', amount: { currency: 'USD', value_in_cents: 1 } })).toEqual([]);
    expect(problems('', { customer_id: 'cus_x', units: 2.5, item_id: 'item_x' })).toEqual([]);
    for (const state of ['ACTIVE', 'CONSUMED', 'EXPIRED', 'REVOKED'])
      expect(problems('', { customer_id: 'cus_x', state, units: 1 })).toEqual([]);
  });

  it('still refuses what the contract forbids: negative units, an unknown state or query status, no customer_id', () => {
    expect(problems('/consume', { customer_id: 'cus_x', type: 'UNITS', units: -0.5 })).not.toEqual([]);
    expect(problems('', { customer_id: 'cus_x', state: 'PAUSED' })).not.toEqual([]);
    expect(problems('', { units: 1 })).not.toEqual([]);
    expect(
      problems('/find', { pagination: { limit: 20 }, query: { status: 'PAUSED' }, sort_key: 'createdAtDesc' }),
    ).not.toEqual([]);
  });
});
