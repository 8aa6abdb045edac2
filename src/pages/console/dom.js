/** A small DOM builder and the formatting the console shares (no innerHTML: names come from user data). */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element with attributes (`class`, `data-*`, `title`, …) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  return fill(el, attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return el;
}

/** Minor units as a decimal string, exactly (no float division): 1250 USD → "12.50". */
export function minorUnits(cents, currency) {
  const digits = currencyDigits(currency);
  const sign = cents < 0 ? '-' : '';
  const text = String(Math.abs(cents)).padStart(digits + 1, '0');
  return digits === 0 ? sign + text : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

const digitsCache = new Map();
function currencyDigits(currency) {
  if (!digitsCache.has(currency)) {
    let digits = 2;
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
    } catch {
      /* an unknown code: two places */
    }
    digitsCache.set(currency, digits);
  }
  return digitsCache.get(currency);
}

/** A value as the API sent it, with a dash for null. */
export const shown = (v) => (v === null || v === undefined ? '—' : String(v));

/** `2026-11-15T10:00:00.000Z` → `2026-11-15 10:00`. */
export const when = (iso) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');
