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
    response: (_ex, a) => mapCredits(a, (c) => {
      c.value = Number(c.value);
      c.expected_consumption = Number(c.expected_consumption);
    }),
  },
  {
    name: 'two-decimal-places',
    breaks: 'value rendered with 2 places instead of 5',
    response: (_ex, a) => mapCredits(a, (c) => {
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
    response: (ex, a) => (a.status === 400 && a.body.includes('already exists') ? { ...a, status: 201, body: ex.body } : a),
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
        return { status: 500, headers: { 'content-type': 'application/json' }, body: '{"detail":"A server error occurred."}' };
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
    response: (_ex, a) => mapCredits(a, (c) => {
      for (const k of ['uuid', 'customer_uuid', 'project_uuid']) if (typeof c[k] === 'string') c[k] = dashed(c[k] as string);
    }),
  },
  {
    name: 'auth-not-required',
    breaks: 'requests without credentials are served',
    request: (ex) => (ex.headers.authorization || ex.url.searchParams.has('x-auth-token') ? ex : { ...ex, headers: { ...ex.headers, authorization: 'Token staff-token' } }),
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
    response: (_ex, a) => mapCredits(a, (c) => {
      for (const k of ['allocated_to_projects', 'allocated_customer_credit']) if (typeof c[k] === 'number' && c[k] !== 0) c[k] = (c[k] as number) + 0.1 - 0.1;
    }),
  },
  {
    name: 'invalid-page-200',
    breaks: 'a page beyond the last answers 200 with an empty list instead of 404',
    response: (_ex, a) => (a.status === 404 && a.body.includes('Invalid page') ? { ...a, status: 200, body: '[]' } : a),
  },
];
