import type { Answer, Exchange, Mutant } from './mutation-proxy.js';

/**
 * Deliberately broken Maple servers. Each breaks one rule a real client relies
 * on (money, the ledger, paging, auth, the error envelope, idempotency,
 * draw-down, expiry, invoices); the suite must fail against every one of them.
 * A mutant is the mock behind a proxy: it rewrites requests, answers or both,
 * and may remember what it saw (each mutant gets a fresh proxy per run).
 */
type Json = unknown;
type Obj = Record<string, Json>;

type Operation = 'create' | 'get' | 'revoke' | 'find' | 'consume' | 'balance' | 'logs' | 'other';

const CREDITS = /^\/api\/v1\/companies\/[^/]+\/credits(\/.*)?$/;

/** Which Maple operation an exchange is. */
function operation(ex: Exchange): Operation {
  const m = CREDITS.exec(ex.url.pathname);
  if (!m) return 'other';
  const rest = m[1] ?? '';
  if (rest === '' && ex.method === 'POST') return 'create';
  if (rest === '/find' && ex.method === 'POST') return 'find';
  if (rest === '/consume' && ex.method === 'POST') return 'consume';
  if (rest === '/logs/find' && ex.method === 'POST') return 'logs';
  if (rest.startsWith('/check_balance/') && ex.method === 'GET') return 'balance';
  if (/^\/[^/]+$/.test(rest) && ex.method === 'GET') return 'get';
  if (/^\/[^/]+$/.test(rest) && ex.method === 'DELETE') return 'revoke';
  return 'other';
}

const isJson = (a: Answer) => (a.headers['content-type'] ?? '').includes('json') && a.body !== '';

function parse(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCredit = (v: Json): v is Obj => isObj(v) && 'issued_amount' in v && 'state' in v && 'id' in v;

/** Rewrites every credit in a JSON answer: top level, find results, and credits expanded in log entries. */
function mapCredits(answer: Answer, f: (credit: Obj) => void): Answer {
  if (!isJson(answer)) return answer;
  const body = parse(answer.body);
  const visit = (v: Json) => {
    if (isCredit(v)) f(v);
    else if (isObj(v) && isCredit(v.credit)) f(v.credit);
  };
  visit(body);
  if (isObj(body) && Array.isArray(body.results)) body.results.forEach(visit);
  return { ...answer, body: JSON.stringify(body) };
}

/** Rewrites a JSON error body. */
function mapError(answer: Answer, f: (error: Obj) => void): Answer {
  if (answer.status < 400 || !isJson(answer)) return answer;
  const body = parse(answer.body);
  if (!isObj(body) || !('error_type' in body)) return answer;
  f(body);
  return { ...answer, body: JSON.stringify(body) };
}

const withoutHeader = (a: Answer, name: string): Answer => ({
  ...a,
  headers: Object.fromEntries(Object.entries(a.headers).filter(([k]) => k.toLowerCase() !== name)),
});
const keyOf = (ex: Exchange) => ex.headers['idempotency-key'];

/** State a mutant keeps between exchanges; a fresh proxy starts with none, and each run of the suite gets one. */
function remembering<T>() {
  const byExchange = new WeakMap<Exchange, T>();
  return { put: (ex: Exchange, v: T) => byExchange.set(ex, v), get: (ex: Exchange) => byExchange.get(ex) };
}

// ------------------------------------------------------------ the mutants

const stripKey = remembering<string>();
const keysSeen = new Map<string, number>();

const replayDropped: Mutant = {
  name: 'replay-creates-again',
  breaks:
    'Idempotency-Key is dropped before the server sees it; the echo and Idempotency-Used: true are faked, so a replay creates another credit',
  request: (ex) => {
    const key = keyOf(ex);
    if (!key || ex.method !== 'POST') return ex;
    const headers = { ...ex.headers };
    delete headers['idempotency-key'];
    const out = { ...ex, headers };
    stripKey.put(out, key);
    keysSeen.set(key, (keysSeen.get(key) ?? 0) + 1);
    return out;
  },
  response: (ex, a) => {
    const key = stripKey.get(ex);
    if (!key) return a;
    return {
      ...a,
      headers: {
        ...a.headers,
        'idempotency-key': key,
        ...((keysSeen.get(key) ?? 0) > 1 ? { 'idempotency-used': 'true' } : {}),
      },
    };
  },
};

const overdraw: Mutant = {
  name: 'consume-overdraws',
  breaks:
    'an insufficient balance is consumed anyway: 200 with the balance below zero instead of 400 insufficient_balance',
  response: (ex, a) => {
    if (operation(ex) !== 'consume' || a.status !== 400 || !a.body.includes('insufficient_balance')) return a;
    const req = parse(ex.body) as
      { amount?: { currency?: string; value_in_cents?: number }; units?: number; item_id?: string } | undefined;
    const total_amount = req?.amount?.currency
      ? { [req.amount.currency]: -Math.abs(req.amount.value_in_cents ?? 1) }
      : {};
    const total_units = req?.item_id ? { [req.item_id]: -Math.abs(req.units ?? 1) } : {};
    return { ...a, status: 200, body: JSON.stringify({ total_amount, total_units, total_units_with_meta: {} }) };
  },
};

const truncateCents: Mutant = {
  name: 'float-cents-truncated',
  breaks:
    'value_in_cents written as a float or with an exponent (10.5, 10.0, 1e3) is truncated to an integer and accepted',
  request: (ex) => {
    if (!['create', 'consume'].includes(operation(ex))) return ex;
    const body = ex.body.replace(
      /("value_in_cents"\s*:\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g,
      (_m, head: string, num: string) => (/^-?\d+$/.test(num) ? `${head}${num}` : `${head}${Math.trunc(Number(num))}`),
    );
    return { ...ex, body };
  },
};

const truncateUnits: Mutant = {
  name: 'fractional-units-truncated',
  breaks:
    'units written with a fraction (2.5, 0.3) are truncated to whole units on create and consume, as an integer-only server would keep them',
  request: (ex) => {
    if (!['create', 'consume'].includes(operation(ex))) return ex;
    const body = ex.body.replace(/("units"\s*:\s*)(\d+)\.\d+/g, (_m, head: string, whole: string) => `${head}${whole}`);
    return { ...ex, body };
  },
};

const issuedFollows: Mutant = {
  name: 'issued-follows-remainder',
  breaks: 'issued_amount and issued_units show what remains instead of the grant',
  response: (_ex, a) =>
    mapCredits(a, (c) => {
      c.issued_amount = c.amount;
      c.issued_units = c.units;
    }),
};

const activeAtZero: Mutant = {
  name: 'not-consumed-at-zero',
  breaks: 'a credit consumed to 0 stays ACTIVE',
  response: (_ex, a) =>
    mapCredits(a, (c) => {
      if (c.state === 'CONSUMED') c.state = 'ACTIVE';
    }),
};

const skipOnPage: Mutant = {
  name: 'find-page-skips-item',
  breaks: 'every page after the first loses its first item',
  response: (ex, a) => {
    if (!['find', 'logs'].includes(operation(ex)) || a.status !== 200 || !ex.body.includes('from_key')) return a;
    const body = parse(a.body);
    if (!isObj(body) || !Array.isArray(body.results)) return a;
    body.results = body.results.slice(1);
    return { ...a, body: JSON.stringify(body) };
  },
};

const clampLimit: Mutant = {
  name: 'limit-clamped',
  breaks: 'pagination.limit is clamped into 1–100 and rounded instead of refused',
  request: (ex) => {
    if (!['find', 'logs'].includes(operation(ex))) return ex;
    const body = parse(ex.body);
    if (!isObj(body) || !isObj(body.pagination) || typeof body.pagination.limit !== 'number') return ex;
    body.pagination.limit = Math.min(100, Math.max(1, Math.round(body.pagination.limit)));
    return { ...ex, body: JSON.stringify(body) };
  },
};

const swapAuth: Mutant = {
  name: 'auth-401-403-swapped',
  breaks: "a bad token answers 403 and another company's token 401",
  response: (_ex, a) => {
    if (a.status !== 401 && a.status !== 403) return a;
    const status = a.status === 401 ? 403 : 401;
    return mapError({ ...a, status }, (e) => {
      e.error_status = status;
    });
  },
};

const noErrorStatus: Mutant = {
  name: 'error-status-missing',
  breaks: 'error bodies lack error_status',
  response: (_ex, a) =>
    mapError(a, (e) => {
      delete e.error_status;
    }),
};

const noUsedHeader: Mutant = {
  name: 'idempotency-used-missing',
  breaks: 'a replayed answer lacks Idempotency-Used: true',
  response: (_ex, a) => withoutHeader(a, 'idempotency-used'),
};

const firstAnswers = new Map<string, Answer>();

const replayDifferentBody: Mutant = {
  name: 'different-body-replays',
  breaks: 'the same key with a different request replays the first answer instead of 409 idempotency_error',
  response: (ex, a) => {
    const key = keyOf(ex);
    if (!key || ex.method !== 'POST') return a;
    const first = firstAnswers.get(key);
    if (a.status === 409 && first)
      return { ...first, headers: { ...first.headers, 'idempotency-key': key, 'idempotency-used': 'true' } };
    if (a.status !== 409 && !first) firstAnswers.set(key, a);
    return a;
  },
};

/** What the FIFO mutant knows of each credit, from the answers it has seen. */
interface Seen {
  customer: string;
  currency: string | null;
  remaining: number;
  created_at: string;
  state: string;
}
const credits = new Map<string, Seen>();

const fifo: Mutant = {
  name: 'draw-down-oldest-first',
  breaks: 'consume without credit_id takes the oldest credit that covers the amount, ignoring expiration dates',
  request: (ex) => {
    if (operation(ex) !== 'consume') return ex;
    const req = parse(ex.body);
    if (!isObj(req) || req.credit_id !== undefined || req.type !== 'AMOUNT' || !isObj(req.amount)) return ex;
    const want = Number(req.amount.value_in_cents);
    const currency = req.amount.currency;
    const oldest = [...credits.entries()]
      .filter(
        ([, c]) =>
          c.customer === req.customer_id && c.currency === currency && c.state === 'ACTIVE' && c.remaining >= want,
      )
      .sort(([, a], [, b]) => Date.parse(a.created_at) - Date.parse(b.created_at))[0];
    if (!oldest) return ex;
    return { ...ex, body: JSON.stringify({ ...req, credit_id: oldest[0] }) };
  },
  response: (_ex, a) => {
    mapCredits(a, (c) => {
      const amount = c.amount as { currency?: string; value_in_cents?: number } | null;
      credits.set(String(c.id), {
        customer: String(c.customer_id),
        currency: amount?.currency ?? null,
        remaining: amount?.value_in_cents ?? Number(c.units ?? 0),
        created_at: String(c.created_at),
        state: String(c.state),
      });
    });
    return a;
  },
};

const stripExpiry = remembering<string>();
const expirations = new Map<string, string>();

const expiryIgnored: Mutant = {
  name: 'expiry-ignored',
  breaks: 'expiration_date is shown but never acted on: expired credits stay ACTIVE, in the balance and consumable',
  request: (ex) => {
    if (operation(ex) !== 'create') return ex;
    const req = parse(ex.body);
    if (!isObj(req) || typeof req.expiration_date !== 'string') return ex;
    const at = req.expiration_date;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(at) || !(Date.parse(at) > Date.now()))
      return ex;
    const { expiration_date: _dropped, ...rest } = req;
    const out = { ...ex, body: JSON.stringify(rest) };
    stripExpiry.put(out, new Date(Date.parse(at)).toISOString());
    return out;
  },
  response: (ex, a) => {
    const at = stripExpiry.get(ex);
    return mapCredits(a, (c) => {
      if (at && a.status === 201) expirations.set(String(c.id), at);
      const known = expirations.get(String(c.id));
      if (known) c.expiration_date = known;
    });
  },
};

const overApply: Mutant = {
  name: 'invoice-over-applied',
  breaks: 'a credit applied to open invoices is used up whole, beyond what the invoices had due',
  response: (ex, a) => {
    if (operation(ex) !== 'create' || a.status !== 201) return a;
    const req = parse(ex.body);
    if (!isObj(req) || !isObj(req.apply_to_open_invoices) || req.apply_to_open_invoices.enable !== true) return a;
    return mapCredits(a, (c) => {
      if (isObj(c.amount)) c.amount = { ...c.amount, value_in_cents: 0 };
      c.state = 'CONSUMED';
    });
  },
};

const revokeAsGet = remembering<true>();

const revokeKeeps: Mutant = {
  name: 'revoke-keeps-credit',
  breaks: 'DELETE answers 200 with the credit REVOKED but the credit stays ACTIVE with its balance',
  request: (ex) => {
    if (operation(ex) !== 'revoke') return ex;
    const out = { ...ex, method: 'GET' };
    revokeAsGet.put(out, true);
    return out;
  },
  response: (ex, a) => {
    if (!revokeAsGet.get(ex) || a.status !== 200) return a;
    return mapCredits(a, (c) => {
      c.state = 'REVOKED';
      if (isObj(c.amount)) c.amount = { ...c.amount, value_in_cents: 0 };
      if (typeof c.units === 'number') c.units = 0;
    });
  },
};

const CREATE_FIELDS = [
  'customer_id',
  'name',
  'type',
  'state',
  'amount',
  'units',
  'item_id',
  'subscription_id',
  'expiration_date',
  'apply_to_open_invoices',
];
const CONSUME_FIELDS = ['customer_id', 'type', 'amount', 'units', 'credit_id', 'item_id', 'subscription_id', 'note'];

const unknownAccepted: Mutant = {
  name: 'unknown-fields-accepted',
  breaks: 'unknown fields in create and consume bodies are silently dropped instead of refused',
  request: (ex) => {
    const op = operation(ex);
    if (op !== 'create' && op !== 'consume') return ex;
    const req = parse(ex.body);
    if (!isObj(req)) return ex;
    const known = op === 'create' ? CREATE_FIELDS : CONSUME_FIELDS;
    return { ...ex, body: JSON.stringify(Object.fromEntries(Object.entries(req).filter(([k]) => known.includes(k)))) };
  },
};

export const MAPLE_MUTANTS: Mutant[] = [
  replayDropped,
  overdraw,
  truncateCents,
  truncateUnits,
  issuedFollows,
  activeAtZero,
  skipOnPage,
  clampLimit,
  swapAuth,
  noErrorStatus,
  noUsedHeader,
  replayDifferentBody,
  fifo,
  expiryIgnored,
  overApply,
  revokeKeeps,
  unknownAccepted,
];
