/** Maple's companies → customers → balances per currency and item, each customer's balance over the log, and the log. */
import { h, minorUnits, shown, when } from './dom.js';
import { stepChart } from './plot.js';

/** What a log entry moved, keyed by pool (currency or item): ISSUED adds, every other action takes away. */
function movement(entry) {
  const sign = entry.action_type === 'ISSUED' ? 1 : -1;
  if (entry.amount_applied)
    return { pool: entry.amount_applied.currency, delta: sign * entry.amount_applied.value_in_cents };
  if (entry.units_applied !== null && entry.units_applied !== undefined) {
    return { pool: entry.credit?.item_id ?? 'units', delta: sign * entry.units_applied };
  }
  return null;
}

/** One step series per pool: the customer's balance after each of its log entries. */
export function balanceSeries(logs, customerId, itemName) {
  const pools = new Map();
  for (const entry of logs) {
    if (entry.customer_id !== customerId) continue;
    const move = movement(entry);
    if (!move) continue;
    const line = pools.get(move.pool) ?? { name: itemName(move.pool), points: [], v: 0 };
    line.v += move.delta;
    line.points.push({ t: Date.parse(entry.created_at), v: line.v });
    pools.set(move.pool, line);
  }
  return [...pools.values()];
}

function balanceList(balance, itemName) {
  if (!balance) return h('span', { class: 'muted' }, '—');
  const amounts = Object.entries(balance.total_amount).map(([currency, cents]) =>
    h('li', { 'data-pool': currency }, h('span', { class: 'num' }, minorUnits(cents, currency)), ` ${currency}`),
  );
  const units = Object.entries(balance.total_units_with_meta ?? {}).map(([item, meta]) =>
    h(
      'li',
      { 'data-pool': item },
      h('span', { class: 'num' }, String(meta.units)),
      ` × ${meta.item?.name ?? itemName(item)}`,
    ),
  );
  const all = [...amounts, ...units];
  return all.length > 0 ? h('ul', { class: 'balances' }, all) : h('span', { class: 'muted' }, 'nothing');
}

function customerRow(entry, logs, now, itemName) {
  const { customer, balance } = entry;
  const series = balanceSeries(logs, customer.id, itemName);
  const legend = series.map((line, i) =>
    h('span', { class: 'legend' }, h('i', { class: `swatch c${i % 5}` }), line.name),
  );
  return h(
    'tr',
    { 'data-maple-customer': customer.id },
    h('td', {}, h('div', { class: 'name' }, customer.name), h('code', { class: 'id' }, customer.id)),
    h('td', {}, shown(customer.identifier)),
    h('td', {}, balanceList(balance, itemName)),
    h(
      'td',
      { class: 'plot-cell' },
      stepChart(series, now, `Balance of ${customer.name} over the credit log`),
      h('div', {}, legend),
    ),
  );
}

function amountOf(entry) {
  if (entry.amount_applied)
    return `${minorUnits(entry.amount_applied.value_in_cents, entry.amount_applied.currency)} ${entry.amount_applied.currency}`;
  return entry.units_applied === null ? '—' : `${entry.units_applied} units`;
}

function logTable(logs, customers) {
  const names = new Map(customers.map((c) => [c.customer.id, c.customer.name]));
  const recent = logs.slice(-15).reverse();
  const rows = recent.map((e) =>
    h(
      'tr',
      { 'data-log': e.id },
      h('td', {}, when(e.created_at)),
      h('td', {}, h('span', { class: `action ${e.action_type.toLowerCase()}` }, e.action_type)),
      h('td', {}, names.get(e.customer_id) ?? e.customer_id),
      h('td', {}, shown(e.credit?.name)),
      h('td', { class: 'num' }, amountOf(e)),
      h('td', { class: 'muted' }, e.invoice_id ? `invoice ${e.invoice_id}` : shown(e.note)),
    ),
  );
  const head = h(
    'tr',
    {},
    ['when', 'action', 'customer', 'credit', 'amount', 'invoice / note'].map((t) => h('th', {}, t)),
  );
  return h(
    'details',
    { class: 'log', open: true },
    h(
      'summary',
      {},
      `Credit log (${logs.length} ${logs.length === 1 ? 'entry' : 'entries'}${logs.length > recent.length ? `, latest ${recent.length}` : ''})`,
    ),
    h('table', { class: 'grid' }, h('thead', {}, head), h('tbody', {}, rows)),
  );
}

/** One block per company. */
export function mapleView(companies, now) {
  return companies.map(({ company, token, customers, logs }) => {
    const items = new Map(company.items.map((i) => [i.id, i.name]));
    const itemName = (pool) => items.get(pool) ?? pool;
    const head = h(
      'tr',
      {},
      ['customer', 'identifier', 'balance', 'balance over the log'].map((t) => h('th', {}, t)),
    );
    return h(
      'article',
      { class: 'company', 'data-company': company.id },
      h('h3', {}, company.name, ' ', h('code', { class: 'id' }, company.id)),
      token ? null : h('p', { class: 'warn' }, 'This company has no token: its balances cannot be read.'),
      h(
        'table',
        { class: 'grid' },
        h('thead', {}, head),
        h(
          'tbody',
          {},
          customers.map((c) => customerRow(c, logs, now, itemName)),
        ),
      ),
      logTable(logs, customers),
    );
  });
}
