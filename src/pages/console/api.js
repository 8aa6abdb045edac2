/**
 * Everything the console knows, read through the control API (/__admin/) and
 * the public APIs with the fixtures' tokens: no other channel into the server.
 */

/** An error with the server's own words (the admin problem's lines, DRF's detail, Maple's error_message). */
async function failure(res, what) {
  let detail = `HTTP ${res.status}`;
  try {
    const body = await res.json();
    detail = body.problems?.join('; ') || body.error_message || body.detail || body.error || JSON.stringify(body);
  } catch {
    /* not JSON */
  }
  return new Error(`${what}: ${detail}`);
}

async function call(method, url, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw await failure(res, `${method} ${url.split('?')[0]}`);
  return { json: await res.json(), headers: res.headers };
}

/** A control-API call. */
export const admin = async (method, path, body) => (await call(method, `/__admin/${path}`, { body })).json;

/** Every page of a Waldur list, following its Link header. */
async function waldurList(path, token) {
  const rows = [];
  let url = `${path}?page_size=300`;
  for (let page = 0; url && page < 50; page++) {
    const res = await call('GET', url, { token });
    rows.push(...res.json);
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('Link') ?? '');
    url = next ? new URL(next[1]).pathname + new URL(next[1]).search : null;
  }
  return rows;
}

/** A staff user's token whose key still works at `now`: the console reads every customer through it. */
function staffToken(users, now) {
  const staff = users.find(
    (u) => u.is_staff && u.is_active && (u.token_expires_at === null || Date.parse(u.token_expires_at) > now),
  );
  return staff ? `Token ${staff.token}` : null;
}

async function loadWaldur(state, now) {
  const token = staffToken(state.users, now);
  if (!token)
    return { token: null, customers: state.customers.map((c) => ({ customer: c, credit: null, projects: [] })) };
  const [credits, projectCredits] = await Promise.all([
    waldurList('/api/customer-credits/', token),
    waldurList('/api/project-credits/', token),
  ]);
  const history = await Promise.all(
    credits
      .slice(0, 50)
      .map((c) => call('GET', `/api/customer-credits/${c.uuid}/consumptions/`, { token }).then((r) => r.json)),
  );
  const customers = state.customers.map((customer) => {
    const i = credits.findIndex((c) => c.customer_uuid === customer.uuid);
    return {
      customer,
      credit: i === -1 ? null : credits[i],
      consumptions: history[i] ?? null,
      projects: projectCredits.filter((p) => p.customer_uuid === customer.uuid),
    };
  });
  return { token, customers };
}

/** Waldur 8.1's credit ledger, its latest rows and count; null under 8.0.5 or without a staff token. */
async function loadLedger(state, now, version) {
  const token = staffToken(state.users, now);
  if (version !== '8.1' || !token) return null;
  const res = await call('GET', '/api/credit-transactions/?page_size=20', { token });
  return { rows: res.json, count: Number(res.headers.get('X-Result-Count') ?? res.json.length) };
}

async function loadCompany(company) {
  const token = company.tokens[0] ? `Bearer ${company.tokens[0]}` : null;
  const base = `/api/v1/companies/${company.id}/credits`;
  if (!token)
    return { company, token, customers: company.customers.map((c) => ({ customer: c, balance: null })), logs: [] };
  const balances = await Promise.all(
    company.customers.map((c) =>
      call('GET', `${base}/check_balance/${encodeURIComponent(c.id)}`, { token }).then((r) => r.json),
    ),
  );
  const logs = [];
  let fromKey = null;
  for (let page = 0; page < 20; page++) {
    const pagination = fromKey ? { limit: 100, from_key: fromKey } : { limit: 100 };
    const { json } = await call('POST', `${base}/logs/find`, { token, body: { pagination, sort_key: 'createdAtAsc' } });
    logs.push(...json.results);
    fromKey = json.pagination.from_key;
    if (!fromKey) break;
  }
  return { company, token, customers: company.customers.map((c, i) => ({ customer: c, balance: balances[i] })), logs };
}

/** The console's whole picture: the clock, Waldur's customers with their credits, Maple's companies. */
export async function loadModel() {
  const [clock, state, health] = await Promise.all([
    admin('GET', 'clock'),
    admin('GET', 'state'),
    admin('GET', 'health'),
  ]);
  const now = Date.parse(clock.now);
  const [waldur, maple, ledger] = await Promise.all([
    loadWaldur(state.waldur, now),
    Promise.all(state.maple.companies.map(loadCompany)),
    loadLedger(state.waldur, now, health.waldur_version),
  ]);
  return { clock, waldur, maple, waldurVersion: health.waldur_version, ledger };
}
