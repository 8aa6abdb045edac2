/** The JSON schema of a Waldur fixtures file (also the state /__admin/state exports and imports). */
const uuid = { type: 'string', pattern: '^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$' };
const decimal = { anyOf: [{ type: 'string', pattern: '^-?\\d+(?:\\.\\d+)?$' }, { type: 'number' }] };
const date = { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-01$' };
const credit = {
  uuid,
  created: { type: 'string' },
  seq: { type: 'integer' },
  value: decimal,
  end_date: date,
  expected_consumption: decimal,
  minimal_consumption_logic: { enum: ['fixed', 'linear'] },
  grace_coefficient: decimal,
  apply_as_minimal_consumption: { type: 'boolean' },
};
const obj = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});
const list = (items: unknown) => ({ type: 'array', items });

export const WALDUR_FIXTURE_SCHEMA = obj([], {
  customers: list(obj(['uuid', 'name', 'slug'], { uuid, name: { type: 'string' }, slug: { type: 'string' } })),
  projects: list(
    obj(['uuid', 'name', 'customer'], { uuid, name: { type: 'string' }, slug: { type: 'string' }, customer: uuid }),
  ),
  offerings: list(
    obj(['uuid', 'name'], { uuid, name: { type: 'string' }, type: { type: 'string' }, customer: { anyOf: [uuid, { type: 'null' }] } }),
  ),
  users: list(
    obj(['token'], {
      uuid,
      username: { type: 'string' },
      token: { type: 'string', minLength: 1, pattern: '^\\S+$' },
      is_staff: { type: 'boolean' },
      is_support: { type: 'boolean' },
      is_active: { type: 'boolean' },
      token_expires_at: { type: ['string', 'null'], format: 'date-time' },
      customer_roles: list(obj(['customer', 'role'], { customer: uuid, role: { enum: ['owner', 'service_manager', 'support'] } })),
      project_roles: list(obj(['project', 'role'], { project: uuid, role: { enum: ['manager', 'admin', 'member'] } })),
    }),
  ),
  customer_credits: list(obj(['customer'], { ...credit, customer: uuid, offerings: list(uuid), withdrawable_earned: decimal })),
  project_credits: list(
    obj(['project'], { ...credit, project: uuid, mark_unused_credit_as_spent_on_project_termination: { type: 'boolean' } }),
  ),
  invoices: list(
    obj(['customer', 'year', 'month'], {
      uuid,
      customer: uuid,
      year: { type: 'integer', minimum: 2000, maximum: 9999 },
      month: { type: 'integer', minimum: 1, maximum: 12 },
      state: { enum: ['pending', 'created', 'paid', 'canceled'] },
      tax_percent: decimal,
      items: list(
        obj(['name', 'unit_price'], {
          uuid,
          name: { type: 'string' },
          unit_price: decimal,
          quantity: decimal,
          project: { anyOf: [uuid, { type: 'null' }] },
          offering: { anyOf: [uuid, { type: 'null' }] },
          resource: { anyOf: [uuid, { type: 'null' }] },
          credit: { anyOf: [uuid, { type: 'null' }] },
          details: { type: 'object' },
        }),
      ),
    }),
  ),
  credit_transactions: list(
    obj(['amount', 'transaction_type'], {
      uuid,
      created: { type: 'string', format: 'date-time' },
      seq: { type: 'integer' },
      amount: decimal,
      transaction_type: { enum: ['staff_grant', 'compensation', 'minimal_draw', 'affiliate_fee', 'transfer_in', 'transfer_out', 'payout', 'expiry', 'rollback', 'adjustment', 'withdrawable_adjustment'] },
      comment: { type: 'string' },
      credit: { anyOf: [uuid, { type: 'null' }] },
      project_credit: { anyOf: [uuid, { type: 'null' }] },
      project_uuid: { anyOf: [uuid, { const: '' }] },
      project_name: { type: 'string' },
      billing_period: date,
    }),
  ),
});

