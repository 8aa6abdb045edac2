import { Dec } from '../domain/money/decimal.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deduct, terminate } from '../domain/maple/ledger-entries.js';
import { ID_BODY_LENGTH } from '../domain/maple/ids.js';
import { FixtureError as WaldurFixtureError } from './waldur.fixtures.js';
import { DEFAULT_CREATED_AT, FixtureError, isRfc3339, parseMapleFixtures } from './maple.fixtures.js';
import { MapleStore, type MapleState } from './maple.store.js';

const shipped: unknown = JSON.parse(readFileSync(new URL('../../fixtures/maple.json', import.meta.url), 'utf8'));

type Row = Record<string, unknown>;
interface Co {
  id: unknown;
  name?: unknown;
  tokens: unknown[];
  customers: Row[];
  items: Row[];
  subscriptions: Row[];
  invoices: Row[];
  credits: Row[];
  logs?: Row[];
}
type Edit = (c: Co, companies: Co[]) => void;

const usd = (value_in_cents: unknown) => ({ currency: 'USD', value_in_cents });

/** A small valid document: one company, customers cus_a and cus_b, item item_x, two credits of cus_a. */
function doc(...edits: Edit[]): { companies: Co[] } {
  const c: Co = {
    id: 'cmp_Test1',
    name: 'Test Co',
    tokens: ['t1'],
    customers: [{ id: 'cus_a', name: 'A', identifier: 'a' }, { id: 'cus_b', name: 'B' }],
    items: [{ id: 'item_x', name: 'X' }],
    subscriptions: [{ id: 'subs_a', customer_id: 'cus_a' }, { id: 'subs_b', customer_id: 'cus_b' }],
    invoices: [{ id: 'inv_1', customer_id: 'cus_a', currency: 'USD', total_in_cents: 1000 }],
    credits: [
      { id: 'crd_1', customer_id: 'cus_a', type: 'AMOUNT', amount: usd(1000) },
      { id: 'crd_2', customer_id: 'cus_a', type: 'UNITS', units: 50, item_id: 'item_x' },
    ],
  };
  const companies = [c];
  for (const edit of edits) edit(c, companies);
  return { companies };
}

function problemsOf(d: unknown): string[] {
  try {
    parseMapleFixtures(d);
  } catch (e) {
    if (e instanceof FixtureError) return e.problems;
    throw e;
  }
  throw new Error('the document loaded');
}

const secondCompany: Edit = (c, all) => {
  all.push({ ...structuredClone(c), id: 'cmp_Test2', tokens: ['t2'] });
};
/** Replaces the credits with one full-form credit crd_f of cus_a (1000 issued, 600 left) and gives its log. */
const fullCredit = (remaining: number, logs: Row[]): Edit => (c) => {
  c.credits = [{ id: 'crd_f', customer_id: 'cus_a', type: 'AMOUNT', state: 'ACTIVE', issued_amount: usd(1000), amount: usd(remaining) }];
  c.logs = logs;
};
const entry = (id: string, action_type: string, cents: number, extra: Row = {}): Row => ({
  id, action_type, amount_applied: usd(cents), units_applied: null, credit_id: 'crd_f', customer_id: 'cus_a', ...extra,
});
const issuedThenConsumed = [entry('log_1', 'ISSUED', 1000), entry('log_2', 'CONSUMED', 400, { invoice_id: 'inv_1', note: 'applied' })];

describe('the shipped fixtures/maple.json', () => {
  const state = parseMapleFixtures(shipped);
  const [acme, globex] = state.companies;

  it('loads two companies with their rows', () => {
    expect(state.companies.map((c) => [c.name, c.tokens])).toEqual([
      ['Acme Analytics', ['maple-token']],
      ['Globex Corporation', ['maple-globex-token']],
    ]);
    const counts = (c: MapleState['companies'][number]) =>
      [c.customers, c.items, c.subscriptions, c.invoices, c.credits, c.logs].map((rows) => rows.length);
    expect(counts(acme!)).toEqual([3, 2, 2, 6, 4, 4]);
    expect(counts(globex!)).toEqual([1, 1, 0, 0, 1, 1]);
  });

  it('uses KSUID-like ids with the documented prefixes', () => {
    const body = `[0-9A-Za-z]{${ID_BODY_LENGTH}}`;
    for (const c of state.companies) {
      expect(c.id).toMatch(new RegExp(`^cmp_${body}$`));
      const check = (rows: { id: string }[], prefix: string) => rows.forEach((r) => expect(r.id).toMatch(new RegExp(`^${prefix}${body}$`)));
      check(c.customers, 'cus_');
      check(c.items, 'item_');
      check(c.subscriptions, 'subs_');
      check(c.invoices, 'inv_');
      check(c.credits, 'crd_');
      check(c.logs, 'log_');
    }
  });

  it('synthesises one ISSUED entry per credit', () => {
    expect(acme!.logs).toEqual(
      acme!.credits.map((c) => ({
        id: `log_${c.id.slice('crd_'.length)}`,
        action_type: 'ISSUED',
        amount_applied: c.issued_amount,
        units_applied: c.issued_units,
        created_at: c.created_at,
        credit_id: c.id,
        customer_id: c.customer_id,
        invoice_id: null,
        note: null,
      })),
    );
    const bundle = acme!.logs.find((l) => l.units_applied !== null);
    expect(bundle).toMatchObject({ units_applied: '10000', amount_applied: null, created_at: '2026-07-01T00:00:00.000Z' });
  });

  it('fills the defaults', () => {
    const fabrikam = acme!.customers.find((c) => c.name === 'Fabrikam Inc');
    expect(fabrikam).toMatchObject({ identifier: null, email: null });
    expect(acme!.items[1]).toMatchObject({
      name: 'Storage', external_name: 'Storage (GB-month)', description: null, display_type: null,
      type: 'metered', standard: true, editable: true, company_id: acme!.id,
    });
    expect(globex!.items[0]!.company_id).toBe(globex!.id);
    const byTotal = new Map(acme!.invoices.map((i) => [i.total_in_cents, i]));
    expect(byTotal.get(9900)).toMatchObject({ state: 'PAID', due_in_cents: 0 });
    expect(byTotal.get(4500)).toMatchObject({ state: 'OVERDUE', due_in_cents: 4500 });
    const partner = acme!.credits.find((c) => c.name === 'Partner credit')!;
    expect(partner).toMatchObject({
      state: 'ACTIVE', amount: { currency: 'EUR', value_in_cents: 20000 }, issued_amount: { currency: 'EUR', value_in_cents: 20000 },
      units: null, issued_units: null, expiration_date: '2027-03-31T00:00:00.000Z', coupon_id: null, import_ref: null,
    });
    expect(partner.subscription_id).toBe(acme!.subscriptions.find((s) => s.customer_id === partner.customer_id)!.id);
  });

  it('normalises every timestamp to toISOString', () => {
    const stamps = JSON.stringify(state).match(/"(?:created_at|updated_at|expiration_date)":"[^"]*"/g) ?? [];
    expect(stamps.length).toBeGreaterThan(20);
    for (const s of stamps) expect(s).toMatch(/:"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"$/);
  });
});

describe('round trip through MapleStore', () => {
  const roundTrip = (state: MapleState) => {
    const store = new MapleStore();
    store.load(state);
    return JSON.parse(JSON.stringify(store.export())) as unknown;
  };

  it('parse(export(parse(doc))) equals parse(doc)', () => {
    const first = parseMapleFixtures(shipped);
    expect(parseMapleFixtures(roundTrip(first))).toEqual(first);
    const small = parseMapleFixtures(doc(fullCredit(600, issuedThenConsumed)));
    expect(parseMapleFixtures(roundTrip(small))).toEqual(small);
  });

  it('accepts the export of a book the ledger has changed', () => {
    const store = new MapleStore();
    store.load(parseMapleFixtures(shipped));
    const book = store.companies()[0]!;
    const [welcome, bundle] = [...book.credits.all()];
    const at = '2026-12-01T00:00:00.000Z';
    deduct(book, welcome!, new Dec(50000), { id: 'log_spent', created_at: at, note: 'all of it' });
    deduct(book, bundle!, new Dec(400), { id: 'log_calls', created_at: at });
    terminate(book, book.credits.get(bundle!.id)!, 'REVOKED', { id: 'log_revoked', created_at: at });
    const exported = store.export();
    expect(parseMapleFixtures(JSON.parse(JSON.stringify(exported)))).toEqual(exported);
    expect(book.credits.get(welcome!.id)!.state).toBe('CONSUMED');
  });
});

describe('a full-form credit with its log', () => {
  it('loads when the log replays to it (ISSUED 1000, CONSUMED 400, remaining 600)', () => {
    const c = parseMapleFixtures(doc(fullCredit(600, issuedThenConsumed))).companies[0]!;
    expect(c.credits[0]).toMatchObject({ issued_amount: usd(1000), amount: usd(600), state: 'ACTIVE' });
    expect(c.logs.map((l) => [l.action_type, l.amount_applied?.value_in_cents, l.invoice_id])).toEqual([
      ['ISSUED', 1000, null],
      ['CONSUMED', 400, 'inv_1'],
    ]);
  });

  it('is refused when the log does not replay to it (remaining 700)', () => {
    expect(problemsOf(doc(fullCredit(700, issuedThenConsumed)))).toEqual([
      'companies[0].credits[0]: credit crd_f: remaining is 700 but the log leaves 600',
    ]);
  });

  it('reports each mismatch: issued, remaining and state', () => {
    const logs = [entry('log_1', 'ISSUED', 900), entry('log_2', 'CONSUMED', 900)];
    expect(problemsOf(doc(fullCredit(600, logs)))).toEqual([
      'companies[0].credits[0]: credit crd_f: issued is 1000 but the log issues 900',
      'companies[0].credits[0]: credit crd_f: remaining is 600 but the log leaves 0',
      'companies[0].credits[0]: credit crd_f: state is ACTIVE but the log makes it CONSUMED',
    ]);
  });

  it('names the first entry the ledger could not have written', () => {
    const logs = [entry('log_1', 'ISSUED', 1000), entry('log_2', 'CONSUMED', 400), entry('log_3', 'CONSUMED', 700)];
    expect(problemsOf(doc(fullCredit(600, logs)))).toEqual(['companies[0].logs[2]: impossible CONSUMED entry log_3']);
  });

  it('needs an ISSUED entry for every credit once a log is given', () => {
    const d = doc((c) => {
      c.logs = [{ ...entry('log_1', 'ISSUED', 1000), credit_id: 'crd_1' }];
    });
    expect(problemsOf(d)).toEqual(['companies[0].credits[1]: credit crd_2 has no ISSUED entry in the log']);
  });
});

type Case = [string, Edit, string];
const credit = (j: number, patch: Row): Edit => (c) => {
  c.credits[j] = { ...c.credits[j], ...patch };
};

const cases: Case[] = [
  ['a bad company id', (c) => void (c.id = 'company_1'), 'companies[0].id: must match pattern "^cmp_[0-9A-Za-z]+$"'],
  ['a company without name', (c) => void delete c.name, "companies[0]: must have required property 'name'"],
  ['an unknown field', (c) => void (c.customers[0]!.phone = '1'), "companies[0].customers[0]: must NOT have additional property 'phone'"],
  ['a repeated company id', (c, all) => void (secondCompany(c, all), (all[1]!.id = c.id)), 'companies[1]: id cmp_Test1 appears twice (also companies[0])'],
  ['a token of two companies', (c, all) => void (secondCompany(c, all), (all[1]!.tokens = ['t1'])), 'companies[1].tokens[0]: token t1 already belongs to companies[0]'],
  ['a token twice in one company', (c) => void c.tokens.push('t1'), 'companies[0].tokens[1]: token t1 appears twice'],
  ['a token with whitespace', (c) => void (c.tokens = ['a b']), 'companies[0].tokens[0]: must match pattern "^\\S+$"'],
  ['an empty token', (c) => void (c.tokens = ['']), 'companies[0].tokens[0]: must NOT have fewer than 1 characters'],
  ['a bad customer id', (c) => void (c.customers[1]!.id = 'cust_b'), 'companies[0].customers[1].id: must match pattern "^cus_[0-9A-Za-z]+$"'],
  ['a repeated customer id', (c) => void (c.customers[1]!.id = 'cus_a'), 'companies[0].customers[1]: id cus_a appears twice'],
  ['a repeated identifier', (c) => void (c.customers[1]!.identifier = 'a'), 'companies[0].customers[1]: identifier a appears twice'],
  ['a customer without name', (c) => void delete c.customers[0]!.name, "companies[0].customers[0]: must have required property 'name'"],
  ['a non-string email', (c) => void (c.customers[0]!.email = 5), 'companies[0].customers[0].email: must be string,null'],
  ['a timestamp that is not RFC 3339', (c) => void (c.customers[0]!.created_at = '2026-01-01'), 'companies[0].customers[0].created_at: must be an RFC 3339 date-time from 1970 on'],
  ['a timestamp before 1970', (c) => void (c.customers[0]!.created_at = '1969-12-31T23:59:59Z'), 'companies[0].customers[0].created_at: must be an RFC 3339 date-time from 1970 on'],
  ['a day that does not exist', (c) => void (c.subscriptions[0]!.created_at = '2026-02-30T00:00:00Z'), 'companies[0].subscriptions[0].created_at: must be an RFC 3339 date-time from 1970 on'],
  ['an empty item id', (c) => void (c.items[0]!.id = ''), 'companies[0].items[0].id: must NOT have fewer than 1 characters'],
  ['a repeated item id', (c) => void c.items.push({ id: 'item_x', name: 'Y' }), 'companies[0].items[1]: id item_x appears twice'],
  ['an item of another company', (c) => void (c.items[0]!.company_id = 'cmp_Other'), 'companies[0].items[0].company_id: cmp_Other is not this company (cmp_Test1)'],
  ['a bad subscription id', (c) => void (c.subscriptions[0]!.id = 'sub_a'), 'companies[0].subscriptions[0].id: must match pattern "^subs_[0-9A-Za-z]+$"'],
  ['a subscription of an unknown customer', (c) => void (c.subscriptions[1]!.customer_id = 'cus_x'), 'companies[0].subscriptions[1]: customer cus_x does not exist'],
  ['an invoice of an unknown customer', (c) => void (c.invoices[0]!.customer_id = 'cus_x'), 'companies[0].invoices[0]: customer cus_x does not exist'],
  ['an invoice in no ISO 4217 currency', (c) => void (c.invoices[0]!.currency = 'usd'), 'companies[0].invoices[0].currency: usd is not an ISO 4217 currency code'],
  ['an unknown invoice state', (c) => void (c.invoices[0]!.state = 'PAYMENT PROCESSING'), 'companies[0].invoices[0].state: must be one of PENDING, OVERDUE, PAID, VOID, DRAFT'],
  ['a fractional total', (c) => void (c.invoices[0]!.total_in_cents = 10.5), 'companies[0].invoices[0].total_in_cents: must be integer'],
  ['a total past 2^53 − 1', (c) => void (c.invoices[0]!.total_in_cents = 2 ** 53), 'companies[0].invoices[0].total_in_cents: must be <= 9007199254740991'],
  ['a negative due', (c) => void (c.invoices[0]!.due_in_cents = -1), 'companies[0].invoices[0].due_in_cents: must be >= 0'],
  ['a due above the total', (c) => void (c.invoices[0]!.due_in_cents = 1001), 'companies[0].invoices[0]: due_in_cents 1001 is more than total_in_cents 1000'],
  ['a repeated invoice id', (c) => void c.invoices.push({ ...c.invoices[0] }), 'companies[0].invoices[1]: id inv_1 appears twice'],
  ['a credit of an unknown customer', credit(1, { customer_id: 'cus_x' }), 'companies[0].credits[1]: customer cus_x does not exist'],
  ['a credit without type', (c) => void delete c.credits[0]!.type, "companies[0].credits[0]: must have required property 'type'"],
  ['a repeated credit id', credit(1, { id: 'crd_1' }), 'companies[0].credits[1]: id crd_1 appears twice'],
  ['an AMOUNT credit without amount', credit(0, { amount: undefined }), 'companies[0].credits[0]: an AMOUNT credit needs amount'],
  ['an AMOUNT credit with units', credit(0, { units: 5 }), 'companies[0].credits[0]: an AMOUNT credit cannot have units'],
  ['an AMOUNT credit in no ISO 4217 currency', credit(0, { amount: { currency: 'XYZ', value_in_cents: 1 } }), 'companies[0].credits[0].amount.currency: XYZ is not an ISO 4217 currency code'],
  ['a fractional value_in_cents', credit(0, { amount: usd(1.5) }), 'companies[0].credits[0].amount.value_in_cents: must be integer'],
  ['a negative value_in_cents', credit(0, { amount: usd(-1) }), 'companies[0].credits[0].amount.value_in_cents: must be >= 0'],
  ['a UNITS credit without units', credit(1, { units: null }), 'companies[0].credits[1]: a UNITS credit needs units'],
  ['a UNITS credit with amount', credit(1, { amount: usd(5) }), 'companies[0].credits[1]: a UNITS credit cannot have amount'],
  ['a UNITS credit without item', credit(1, { item_id: null }), 'companies[0].credits[1]: a UNITS credit needs item_id'],
  ['a UNITS credit of an unknown item', credit(1, { item_id: 'item_y' }), 'companies[0].credits[1]: item item_y does not exist'],
  ['negative units', credit(1, { units: -2.5 }), 'companies[0].credits[1].units: must match a schema in anyOf'],
  ['units as text with an exponent', credit(1, { units: '1e3' }), 'companies[0].credits[1].units: must match a schema in anyOf'],
  ['units with 31 decimal places', credit(1, { units: 1e-31 }), 'companies[0].credits[1].units: must have at most 30 decimal places'],
  ['an unknown subscription', credit(0, { subscription_id: 'subs_x' }), 'companies[0].credits[0]: subscription subs_x does not exist'],
  ['another customer\'s subscription', credit(0, { subscription_id: 'subs_b' }), "companies[0].credits[0]: subscription subs_b is customer cus_b's, not cus_a's"],
  ['a bad expiration_date', credit(0, { expiration_date: '31/03/2027' }), 'companies[0].credits[0].expiration_date: must be an RFC 3339 date-time from 1970 on'],
  ['an unknown credit state', credit(0, { state: 'VOID' }), 'companies[0].credits[0].state: must be one of ACTIVE, CONSUMED, EXPIRED, REVOKED'],
  ['remaining above issued', credit(0, { issued_amount: usd(1000), amount: usd(1200) }), 'companies[0].credits[0]: remaining 1200 is more than issued 1000'],
  ['remaining in another currency', credit(0, { issued_amount: usd(1000), amount: { currency: 'EUR', value_in_cents: 10 } }), 'companies[0].credits[0]: amount is in EUR but issued_amount in USD'],
  ['a CONSUMED credit with a remainder', credit(1, { issued_units: 50, units: 5, state: 'CONSUMED' }), 'companies[0].credits[1]: a CONSUMED credit must have remaining 0, not 5'],
  ['a REVOKED short-form credit', credit(0, { state: 'REVOKED' }), 'companies[0].credits[0]: a REVOKED credit must have remaining 0, not 1000'],
  ['consumption without a log', credit(0, { issued_amount: usd(1000), amount: usd(400) }), 'companies[0].credits[0]: credit crd_1 has consumption but no log (ACTIVE, 400 of 1000 left)'],
  ['a spent credit without a log', credit(1, { issued_units: 50, units: 0, state: 'CONSUMED' }), 'companies[0].credits[1]: credit crd_2 has consumption but no log (CONSUMED, 0 of 50 left)'],
  ['synthesised log ids that collide', credit(1, { id: 'x_1' }), "companies[0].credits[1]: the ISSUED entry's id log_1 would appear twice; give the log"],
  ['a log entry of an unknown credit', fullCredit(600, [...issuedThenConsumed, entry('log_3', 'CONSUMED', 1, { credit_id: 'crd_x' })]), 'companies[0].logs[2]: credit crd_x does not exist'],
  ['a log entry of an unknown invoice', fullCredit(600, [entry('log_1', 'ISSUED', 1000), entry('log_2', 'CONSUMED', 400, { invoice_id: 'inv_x' })]), 'companies[0].logs[1]: invoice inv_x does not exist'],
  ['a log entry of another customer', fullCredit(600, [entry('log_1', 'ISSUED', 1000, { customer_id: 'cus_b' }), issuedThenConsumed[1]!]), 'companies[0].logs[0]: customer cus_b is not the customer of credit crd_f (cus_a)'],
  ['a log entry in units for an AMOUNT credit', fullCredit(600, [entry('log_1', 'ISSUED', 1000, { amount_applied: null, units_applied: 1000 })]), 'companies[0].logs[0]: an entry of AMOUNT credit crd_f needs amount_applied and no units_applied'],
  ['a log entry in another currency', fullCredit(600, [entry('log_1', 'ISSUED', 1000, { amount_applied: { currency: 'EUR', value_in_cents: 1000 } })]), 'companies[0].logs[0]: amount_applied is in EUR but credit crd_f in USD'],
  ['an unknown action_type', fullCredit(600, [entry('log_1', 'APPLIED', 1000)]), 'companies[0].logs[0].action_type: must be one of ISSUED, CONSUMED, EXPIRED, REVOKED'],
  ['a repeated log id', fullCredit(600, [entry('log_1', 'ISSUED', 1000), entry('log_1', 'CONSUMED', 400)]), 'companies[0].logs[1]: id log_1 appears twice'],
  ['an entry issuing a credit twice', fullCredit(600, [entry('log_1', 'ISSUED', 1000), entry('log_2', 'ISSUED', 1000)]), 'companies[0].logs[1]: credit crd_f issued twice'],
];

describe('broken documents', () => {
  it.each(cases)('%s', (_title, edit, problem) => {
    expect(problemsOf(doc(edit))).toContain(problem);
  });

  it('refuses what is not a document', () => {
    expect(problemsOf(null)).toEqual(['(top level): must be object']);
    expect(problemsOf({ companies: {} })).toEqual(['companies: must be array']);
    expect(problemsOf({})).toEqual(["(top level): must have required property 'companies'"]);
  });

  it('reports several problems at once', () => {
    const problems = problemsOf(doc(credit(1, { customer_id: 'cus_x' }), credit(0, { subscription_id: 'subs_x' }), (c) => {
      c.invoices[0]!.currency = 'XXQ';
      c.items[0]!.company_id = 'cmp_Other';
    }));
    expect(problems).toEqual([
      'companies[0].items[0].company_id: cmp_Other is not this company (cmp_Test1)',
      'companies[0].invoices[0].currency: XXQ is not an ISO 4217 currency code',
      'companies[0].credits[0]: subscription subs_x does not exist',
      'companies[0].credits[1]: customer cus_x does not exist',
    ]);
    const shapes = problemsOf(doc((c) => {
      c.id = 'x';
      c.customers[0]!.created_at = 'soon';
      c.invoices[0]!.total_in_cents = -5;
    }));
    expect(shapes).toHaveLength(3);
  });
});

describe('what the loader accepts', () => {
  it('reuses the Waldur FixtureError', () => {
    expect(FixtureError).toBe(WaldurFixtureError);
    expect(() => parseMapleFixtures(doc((c) => void (c.id = 'x')))).toThrow(FixtureError);
  });

  it('lets two companies use the same row ids, and customers share a null identifier', () => {
    const state = parseMapleFixtures(doc((c) => void (c.customers[1]!.identifier = null), secondCompany));
    expect(state.companies.map((c) => c.customers[0]!.id)).toEqual(['cus_a', 'cus_a']);
  });

  it('defaults lists, timestamps and the invoice fields', () => {
    const c = parseMapleFixtures({ companies: [{ id: 'cmp_E', name: 'Empty' }] }).companies[0]!;
    expect(c).toEqual({ id: 'cmp_E', name: 'Empty', tokens: [], customers: [], items: [], subscriptions: [], invoices: [], credits: [], logs: [] });
    const t = parseMapleFixtures(doc()).companies[0]!;
    expect(t.items[0]).toMatchObject({ created_at: DEFAULT_CREATED_AT, updated_at: DEFAULT_CREATED_AT });
    const stamped = parseMapleFixtures(doc((d) => void (d.items[0]!.created_at = '2026-05-01T08:00:00Z'))).companies[0]!;
    expect(stamped.items[0]!.updated_at).toBe('2026-05-01T08:00:00.000Z');
    expect(t.customers[0]).toEqual({ id: 'cus_a', name: 'A', identifier: 'a', email: null, created_at: DEFAULT_CREATED_AT });
    expect(t.invoices[0]).toMatchObject({ state: 'PENDING', due_in_cents: 1000, created_at: DEFAULT_CREATED_AT });
    expect(t.credits[1]).toMatchObject({ units: '50', issued_units: '50', amount: null, issued_amount: null, state: 'ACTIVE', name: null });
  });

  it('reads units as JSON numbers or as the exact decimal text the state export writes', () => {
    const t = parseMapleFixtures(doc(credit(1, { units: 2.5 }))).companies[0]!;
    expect(t.credits[1]).toMatchObject({ units: '2.5', issued_units: '2.5' });
    const exact = parseMapleFixtures(doc(credit(1, { units: '1234567890123.000000000000000001' }))).companies[0]!;
    expect(exact.credits[1]).toMatchObject({ units: '1234567890123.000000000000000001' });
    expect(exact.logs[1]).toMatchObject({ action_type: 'ISSUED', units_applied: '1234567890123.000000000000000001' });
  });

  it('normalises timestamps given with offsets', () => {
    const c = parseMapleFixtures(doc(credit(0, { created_at: '2026-06-01T02:00:00+02:00', expiration_date: '2027-06-30t00:00:00.5z' })));
    expect(c.companies[0]!.credits[0]).toMatchObject({ created_at: '2026-06-01T00:00:00.000Z', expiration_date: '2027-06-30T00:00:00.500Z' });
    expect(c.companies[0]!.logs[0]!.created_at).toBe('2026-06-01T00:00:00.000Z');
  });

  it('knows an RFC 3339 date-time', () => {
    expect(['1970-01-01T00:00:00Z', '2024-02-29T23:59:59.999+05:30', '2026-01-01 00:00:00Z'].map(isRfc3339)).toEqual([true, true, true]);
    const bad = ['2026-01-01', '2026-01-01T00:00:00', '2025-02-29T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:59:60Z', '2026-01-01T00:00:00+24:00'];
    expect(bad.map(isRfc3339)).toEqual(bad.map(() => false));
  });
});
