/** Waldur's customers as a frontend developer sees them: the credit's numbers, its project credits, its monthly history. */
import { h, shown } from './dom.js';
import { barChart } from './plot.js';

const FIELDS = [
  ['value', 'value'],
  ['allocated_to_projects', 'allocated to projects'],
  ['minimal_consumption', 'minimal consumption'],
  ['consumption_last_month', 'consumption last month'],
  ['end_date', 'end date'],
];

function projectList(projects) {
  if (projects.length === 0) return h('span', { class: 'muted' }, 'none');
  return h(
    'ul',
    { class: 'projects' },
    projects.map((p) =>
      h(
        'li',
        { 'data-project': p.project_uuid },
        h('span', { class: 'name' }, p.project_name),
        h('span', { 'data-field': 'value' }, p.value),
        h('span', { class: 'muted' }, ` · last month ${shown(p.consumption_last_month)}`),
      ),
    ),
  );
}

function row({ customer, credit, consumptions, projects }) {
  const name = h('td', {}, h('div', { class: 'name' }, customer.name), h('code', { class: 'id' }, customer.uuid));
  if (!credit) {
    return h(
      'tr',
      { 'data-customer': customer.uuid },
      name,
      h('td', { colspan: FIELDS.length + 2, class: 'muted' }, 'no credit'),
    );
  }
  const cells = FIELDS.map(([field]) => h('td', { class: 'num', 'data-field': field }, shown(credit[field])));
  const plot = consumptions ? barChart(consumptions, `Monthly consumption of ${customer.name}'s credit`) : '';
  return h(
    'tr',
    { 'data-customer': customer.uuid, 'data-credit': credit.uuid },
    name,
    cells,
    h('td', {}, projectList(projects)),
    h('td', { class: 'plot-cell' }, plot),
  );
}

/** The customers table, or a note when the fixtures have no staff token to read through. */
export function waldurView(model) {
  const head = h(
    'tr',
    {},
    h('th', {}, 'customer'),
    FIELDS.map(([, label]) => h('th', { class: 'num' }, label)),
    h('th', {}, 'project credits'),
    h('th', {}, 'monthly consumption (pre-VAT)'),
  );
  const table = h(
    'table',
    { class: 'grid', id: 'waldur-table' },
    h('thead', {}, head),
    h('tbody', {}, model.customers.map(row)),
  );
  if (model.token) return table;
  return h('div', {}, h('p', { class: 'warn' }, 'No active staff token in the state: credits cannot be read.'), table);
}
