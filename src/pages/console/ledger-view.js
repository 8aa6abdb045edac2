/** Waldur 8.1's credit ledger: the latest rows of GET /api/credit-transactions/, as staff see them. */
import { h, shown, when } from './dom.js';

function row(t) {
  const owner = t.project_uuid === '' ? 'organisation' : t.project_name;
  return h(
    'tr',
    { 'data-transaction': t.uuid, 'data-type': t.transaction_type },
    h('td', {}, when(t.created)),
    h('td', {}, shown(t.customer_name)),
    h('td', {}, owner),
    h('td', {}, t.transaction_type_display),
    h('td', { class: 'num', 'data-field': 'amount' }, t.amount),
    h('td', {}, shown(t.billing_period)),
    h('td', { class: 'muted' }, t.comment),
  );
}

/** The ledger's latest rows and its count; null (nothing shown) when the world does not speak 8.1. */
export function ledgerView(ledger) {
  if (!ledger) return null;
  const head = h(
    'tr',
    {},
    ['when', 'customer', 'credit', 'type', 'amount', 'billing period', 'comment'].map((label) =>
      h('th', { class: label === 'amount' ? 'num' : undefined }, label),
    ),
  );
  const caption = h(
    'caption',
    {},
    `Credit ledger: the latest ${ledger.rows.length} of ${ledger.count} rows (GET /api/credit-transactions/)`,
  );
  return h(
    'table',
    { class: 'grid', id: 'waldur-ledger-table' },
    caption,
    h('thead', {}, head),
    h('tbody', {}, ledger.rows.map(row)),
  );
}
