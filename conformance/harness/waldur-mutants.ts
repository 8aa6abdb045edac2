import type { Answer, Exchange, Mutant } from './mutation-proxy.js';

/**
 * Deliberately broken Waldur servers. Each breaks one rule a real client relies
 * on; the suite must fail against every one of them.
 */
type Json = unknown;

const isList = (ex: Exchange) => /^\/api\/(customer|project)-credits\/$/.test(ex.url.pathname);
const isJson = (a: Answer) => (a.headers['content-type'] ?? '').includes('json') && a.body !== '';

/** Rewrites every credit object in a JSON answer. */
function mapCredits(answer: Answer, f: (credit: Record<string, Json>) => void): Answer {
  if (!isJson(answer)) return answer;
  const body = JSON.parse(answer.body) as Json;
  const visit = (v: Json) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && 'uuid' in v && 'value' in v) f(v as Record<string, Json>);
  };
  if (Array.isArray(body)) body.forEach(visit);
  else visit(body);
  return { ...answer, body: JSON.stringify(body) };
}

const dashed = (hex: string) => hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export const WALDUR_MUTANTS: Mutant[] = [
  {
    name: 'money-as-json-float',
    breaks: 'decimals sent as JSON numbers instead of 5-place strings',
    response: (_ex, a) =>
      mapCredits(a, (c) => {
        c.value = Number(c.value);
        c.expected_consumption = Number(c.expected_consumption);
      }),
  },
  {
    name: 'two-decimal-places',
    breaks: 'value rendered with 2 places instead of 5',
    response: (_ex, a) =>
      mapCredits(a, (c) => {
        c.value = Number(c.value).toFixed(2);
      }),
  },
  {
    name: 'no-x-result-count',
    breaks: 'lists without the X-Result-Count header',
    response: (ex, a) => {
      if (!isList(ex)) return a;
      const { 'x-result-count': _dropped, ...headers } = a.headers;
      return { ...a, headers };
    },
  },
  {
    name: 'off-by-one-page',
    breaks: 'page n ≥ 2 serves page n+1, so an item page is skipped',
    request: (ex) => {
      const page = Number(ex.url.searchParams.get('page'));
      if (!isList(ex) || !(page >= 2)) return ex;
      const url = new URL(ex.url);
      url.searchParams.set('page', String(page + 1));
      return { ...ex, url };
    },
  },
  {
    name: 'filter-ignored',
    breaks: 'the customer_uuid filter is ignored',
    request: (ex) => {
      if (!isList(ex)) return ex;
      const url = new URL(ex.url);
      url.searchParams.delete('customer_uuid');
      return { ...ex, url };
    },
  },
  {
    name: 'ordering-ignored',
    breaks: 'the o ordering parameter is ignored',
    request: (ex) => {
      if (!isList(ex)) return ex;
      const url = new URL(ex.url);
      url.searchParams.delete('o');
      return { ...ex, url };
    },
  },
  {
    name: 'create-200',
    breaks: 'create answers 200 instead of 201',
    response: (_ex, a) => (a.status === 201 ? { ...a, status: 200 } : a),
  },
  {
    name: 'uniqueness-dropped',
    breaks: 'a second credit for the same customer or project is accepted',
    response: (ex, a) =>
      a.status === 400 && a.body.includes('already exists') ? { ...a, status: 201, body: ex.body } : a,
  },
  {
    name: 'error-shape-changed',
    breaks: "validation errors not in DRF's shape",
    response: (_ex, a) => (a.status === 400 ? { ...a, body: JSON.stringify({ errors: [{ message: a.body }] }) } : a),
  },
  {
    name: 'malformed-json-500',
    breaks: 'a malformed JSON body crashes the server (500)',
    request: (ex) => {
      if (!ex.body || !(ex.headers['content-type'] ?? '').includes('json')) return ex;
      try {
        JSON.parse(ex.body);
        return ex;
      } catch {
        return {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: '{"detail":"A server error occurred."}',
        };
      }
    },
  },
  {
    name: 'delete-does-not-delete',
    breaks: 'DELETE answers 204 but keeps the credit',
    request: (ex) => (ex.method === 'DELETE' ? { status: 204, headers: {}, body: '' } : ex),
  },
  {
    name: 'dashed-uuids',
    breaks: 'uuids rendered with dashes (Waldur writes 32 hex characters)',
    response: (_ex, a) =>
      mapCredits(a, (c) => {
        for (const k of ['uuid', 'customer_uuid', 'project_uuid'])
          if (typeof c[k] === 'string') c[k] = dashed(c[k] as string);
      }),
  },
  {
    name: 'auth-not-required',
    breaks: 'requests without credentials are served',
    request: (ex) =>
      ex.headers.authorization || ex.url.searchParams.has('x-auth-token')
        ? ex
        : { ...ex, headers: { ...ex.headers, authorization: 'Token staff-token' } },
  },
  {
    name: 'head-without-link',
    breaks: 'HEAD on a list lacks the Link header',
    response: (ex, a) => {
      if (ex.method !== 'HEAD') return a;
      const { link: _dropped, ...headers } = a.headers;
      return { ...a, headers };
    },
  },
  {
    name: 'float-arithmetic',
    breaks: 'computed sums done in binary floating point (0.1 + 0.2 = 0.30000000000000004)',
    response: (_ex, a) =>
      mapCredits(a, (c) => {
        for (const k of ['allocated_to_projects', 'allocated_customer_credit'])
          if (typeof c[k] === 'number' && c[k] !== 0) c[k] = (c[k] as number) + 0.1 - 0.1;
      }),
  },
  {
    name: 'invalid-page-200',
    breaks: 'a page beyond the last answers 200 with an empty list instead of 404',
    response: (_ex, a) => (a.status === 404 && a.body.includes('Invalid page') ? { ...a, status: 200, body: '[]' } : a),
  },
];

// ------------------------------------------------------------ Waldur 8.1 (run with --profile waldur-8.1)

const isLedger = (ex: Exchange) => ex.url.pathname.startsWith('/api/credit-transactions/');
const isLedgerList = (ex: Exchange) => ex.url.pathname === '/api/credit-transactions/';
/** The Authorization of the suite's users other than staff (their tokens are `conformance-<role>-…`). */
const nonStaff = (ex: Exchange) => /^Token conformance-(?!staff)/i.test(ex.headers.authorization ?? '');

/** Rewrites every ledger row of a JSON answer. */
function mapRows(answer: Answer, f: (row: Record<string, Json>) => void): Answer {
  if (!isJson(answer)) return answer;
  const body = JSON.parse(answer.body) as Json;
  const visit = (v: Json) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && 'transaction_type' in v) f(v as Record<string, Json>);
  };
  if (Array.isArray(body)) body.forEach(visit);
  else visit(body);
  return { ...answer, body: JSON.stringify(body) };
}

/** A JSON answer with `"field": <number>` respelled (the numbers of 8.1 are written as Python writes a Decimal). */
const respell = (answer: Answer, field: string, f: (n: string) => string): Answer =>
  isJson(answer)
    ? {
        ...answer,
        body: answer.body.replace(
          new RegExp(`("${field}":\\s*)(-?[0-9.eE+-]+)`, 'g'),
          (_m, k: string, n: string) => `${k}${f(n)}`,
        ),
      }
    : answer;

/**
 * The 8.1 mutants, each with the file of the 8.1 checks that kills it: the
 * harness runs only that file against it, which keeps the runs short.
 */
export const WALDUR_81_MUTANTS: (Mutant & { killedBy: string })[] = [
  {
    name: 'withdrawable-ignores-the-cap',
    killedBy: 'waldur-8.1/withdrawable.conformance.test.ts',
    breaks: 'withdrawable_balance is the earnings, not capped by value (min(earned, value) dropped)',
    response: (ex, a) => {
      if (ex.method !== 'POST' || !ex.url.pathname.endsWith('/adjust_withdrawable/')) return a;
      return respell(a, 'withdrawable_balance', (n) => (Number(n) + 1).toFixed(1));
    },
  },
  {
    name: 'adjust-errors-as-lists',
    killedBy: 'waldur-8.1/withdrawable.conformance.test.ts',
    breaks: 'adjust_withdrawable\'s two view errors wrapped in lists ({"amount": ["…"]})',
    response: (ex, a) => {
      if (a.status !== 400 || !ex.url.pathname.endsWith('/adjust_withdrawable/')) return a;
      const body = JSON.parse(a.body) as Record<string, Json>;
      if (typeof body.amount === 'string') body.amount = [body.amount];
      return { ...a, body: JSON.stringify(body) };
    },
  },
  {
    name: 'spendable-not-capped',
    killedBy: 'waldur-8.1/project-figures.conformance.test.ts',
    breaks: "spendable_value is the project credit's value, whatever the organisation holds",
    response: (_ex, a) =>
      mapCredits(a, (c) => {
        if ('spendable_value' in c) {
          c.spendable_value = c.value;
          c.is_limited_by_organization_credit = false;
        }
      }),
  },
  {
    name: 'members-shown-organisation-figures',
    killedBy: 'waldur-8.1/project-access.conformance.test.ts',
    breaks: 'project members and other non-owners are shown offerings (the stripping of 8.1 is skipped)',
    response: (ex, a) =>
      nonStaff(ex) && ex.url.pathname.startsWith('/api/project-credits/')
        ? mapCredits(a, (c) => void (c.offerings ??= []))
        : a,
  },
  {
    name: 'members-refused',
    killedBy: 'waldur-8.1/project-access.conformance.test.ts',
    breaks: "a project role reads no project credit (8.0.5's 404)",
    request: (ex) =>
      /^Token conformance-(81-)?manager-/i.test(ex.headers.authorization ?? '') &&
      ex.method === 'GET' &&
      /^\/api\/project-credits\/[0-9a-f]{32}\/$/.test(ex.url.pathname)
        ? {
            status: 404,
            headers: { 'content-type': 'application/json' },
            body: '{"detail":"No ProjectCredit matches the given query."}',
          }
        : ex,
  },
  {
    name: 'compensation-answers-a-body',
    killedBy: 'waldur-8.1/compensations.conformance.test.ts',
    breaks: "apply/clear compensations answer a body (8.0.5's), not an empty 200",
    response: (ex, a) =>
      a.status === 200 && /_compensations\/$/.test(ex.url.pathname)
        ? { ...a, headers: { ...a.headers, 'content-type': 'application/json' }, body: '{}' }
        : a,
  },
  {
    name: 'ledger-filters-ignored',
    killedBy: 'waldur-8.1/ledger-list.conformance.test.ts',
    breaks: 'the ledger ignores credit_uuid, project_uuid, transaction_type and billing_period',
    request: (ex) => {
      if (!isLedgerList(ex)) return ex;
      const url = new URL(ex.url);
      for (const p of ['credit_uuid', 'project_uuid', 'transaction_type', 'billing_period']) url.searchParams.delete(p);
      return { ...ex, url };
    },
  },
  {
    name: 'ledger-amounts-unsigned',
    killedBy: 'waldur-8.1/ledger-writes.conformance.test.ts',
    breaks: 'ledger amounts written without their sign',
    response: (ex, a) => (isLedger(ex) ? mapRows(a, (r) => void (r.amount = String(r.amount).replace(/^-/, ''))) : a),
  },
  {
    name: 'ledger-without-periods',
    killedBy: 'waldur-8.1/compensations.conformance.test.ts',
    breaks: 'ledger rows carry no billing_period',
    response: (ex, a) => (isLedger(ex) ? mapRows(a, (r) => void (r.billing_period = null)) : a),
  },
  {
    name: 'ledger-visible-to-all',
    killedBy: 'waldur-8.1/ledger-list.conformance.test.ts',
    breaks: 'every user sees every ledger row (the visibility by role is skipped)',
    request: (ex) =>
      isLedger(ex) && nonStaff(ex) ? { ...ex, headers: { ...ex.headers, authorization: 'Token staff-token' } } : ex,
  },
  {
    name: 'creditable-cost-capped',
    killedBy: 'waldur-8.1/project-figures.conformance.test.ts',
    breaks: "creditable_cost_this_month capped at the project credit's value",
    response: (_ex, a) =>
      mapCredits(a, (c) => {
        const [cost, value] = [c.creditable_cost_this_month, c.value];
        if (typeof cost === 'string' && typeof value === 'string' && Number(cost) > Number(value))
          c.creditable_cost_this_month = value;
      }),
  },
];
