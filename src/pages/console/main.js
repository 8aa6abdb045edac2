/** The console: renders the model, acts through /__admin/, re-reads after every action and every few seconds. */
import { admin, loadModel } from './api.js';
import { h, when } from './dom.js';
import { mapleView } from './maple-view.js';
import { waldurView } from './waldur-view.js';
import { ledgerView } from './ledger-view.js';

const POLL_MS = 3000;
const $ = (id) => document.getElementById(id);
let model = null;
let loading = null;
let again = false;

function setStatus(text, kind = 'ok') {
  const status = $('status');
  status.textContent = text;
  status.className = `status ${kind}`;
}

function render() {
  const { clock, waldur, maple } = model;
  $('clock').replaceChildren(
    h('span', { id: 'clock-today', class: 'today' }, clock.today),
    ' ',
    h('span', { class: 'muted' }, `${when(clock.now).slice(11)} UTC · ${clock.frozen ? 'frozen' : 'running'}`),
  );
  $('clock').dataset.now = clock.now;
  $('toggle-run').textContent = clock.frozen ? 'Run clock' : 'Freeze clock';
  $('waldur-version').textContent = `Waldur ${model.waldurVersion}`;
  $('waldur-version').title =
    `The Waldur API speaks the ${model.waldurVersion} contract (--waldur-version; POST /__admin/waldur/settings)`;
  $('waldur').replaceChildren(waldurView(waldur));
  $('waldur-ledger').replaceChildren(...[ledgerView(model.ledger)].filter(Boolean));
  $('maple').replaceChildren(...mapleView(maple, Date.parse(clock.now)));
  // The company list is rebuilt only when it changes, so a poll never closes it under the user's pointer.
  const select = $('add-maple-customer').elements.namedItem('company');
  const options = maple.map(({ company }) => `${company.id}\u0000${company.name}`).join('\u0001');
  if (select.dataset.options !== options) {
    const chosen = select.value;
    select.replaceChildren(...maple.map(({ company }) => h('option', { value: company.id }, company.name)));
    if (maple.some(({ company }) => company.id === chosen)) select.value = chosen;
    select.dataset.options = options;
  }
}

/** Re-reads everything; a call while one runs asks for one more pass after it (so an action's effect is never missed). */
function refresh() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      try {
        model = await loadModel();
        render();
        document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? 0) + 1);
        // An action's failure stays until the next action; a failed read goes with the next good one.
        if (!$('status').classList.contains('error')) setStatus(`Updated ${new Date().toLocaleTimeString()}`);
      } catch (err) {
        setStatus(`Could not read the state: ${err.message}`, 'read-error');
      }
    } while (again);
    loading = null;
  })();
  return loading;
}

/** Runs one action, reports it, and re-reads at once. */
async function act(label, action) {
  setStatus(`${label}…`);
  try {
    await action();
    setStatus(`${label}: done`);
  } catch (err) {
    setStatus(`${label} failed: ${err.message}`, 'error');
  }
  await refresh();
}

/** The 1st of the month after `today` (YYYY-MM-DD). */
function nextMonth(today) {
  const [y, m] = today.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

const slugOf = (name) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'customer';

function wire() {
  $('advance-day').addEventListener('click', () => act('+1 day', () => admin('POST', 'clock', { advance_days: 1 })));
  $('next-month').addEventListener('click', () =>
    act('Next month', async () => {
      const clock = await admin('GET', 'clock');
      await admin('POST', 'clock', { now: nextMonth(clock.today), freeze: clock.frozen });
    }),
  );
  $('toggle-run').addEventListener('click', () =>
    act('Clock', async () => admin('POST', 'clock', { freeze: !(await admin('GET', 'clock')).frozen })),
  );
  $('reset').addEventListener('click', () => act('Reset', () => admin('POST', 'reset')));
  $('add-waldur-customer').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = form.elements.namedItem('name').value.trim();
    const slug = form.elements.namedItem('slug').value.trim() || slugOf(name);
    act(`Add ${name}`, async () => {
      await admin('POST', 'waldur/customers', { name, slug });
      form.reset();
    });
  });
  $('add-maple-customer').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const company = form.elements.namedItem('company').value;
    const name = form.elements.namedItem('name').value.trim();
    const identifier = form.elements.namedItem('identifier').value.trim() || null;
    act(`Add ${name}`, async () => {
      await admin('POST', `maple/companies/${encodeURIComponent(company)}/customers`, { name, identifier });
      form.reset();
    });
  });
}

wire();
refresh();
setInterval(() => {
  if (!document.hidden) refresh();
}, POLL_MS);
