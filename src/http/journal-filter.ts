import { headersOf, type Dialect, type JournalRecord, type RequestJournal } from './journal.js';
import { parseDateOrRfc3339 } from '../store/rfc3339.js';

/** Which journal entries a query or a count is about; every part given must match. */
export interface JournalFilter {
  method?: string;
  /** A prefix of the request path. */
  path?: string;
  operation?: string;
  dialect?: Dialect;
  /** An exact status, or a class: 4 for 4xx. */
  status?: { exact: number } | { class: number };
  /** Entries recorded at or after this wall-clock time (ms). */
  since?: number;
  /** Request headers that must be present with exactly these values (names lower case). */
  headers?: [string, string][];
  limit?: number;
}

const QUERY_MEMBERS = ['method', 'path', 'operation', 'dialect', 'status', 'since', 'header', 'limit'];
const COUNT_MEMBERS = ['method', 'path', 'operation', 'dialect', 'status', 'since', 'headers'];
export const MAX_LIMIT = 1_000_000;

type Problems = { problems: string[] };

/**
 * The filter of GET /__admin/requests, from its query (every value a string;
 * `header=name:value` may repeat), or of POST /__admin/requests/count, from
 * its JSON body (`headers` an object). `operations` are the operationIds known.
 */
export function parseFilter(source: unknown, from: 'query' | 'body', operations: readonly string[]): JournalFilter | Problems {
  if (source === undefined || source === null) source = {};
  if (typeof source !== 'object' || Array.isArray(source)) return { problems: ['(top level): must be an object'] };
  const members = from === 'query' ? QUERY_MEMBERS : COUNT_MEMBERS;
  const input = source as Record<string, unknown>;
  const problems: string[] = [];
  const filter: JournalFilter = {};
  for (const [name, raw] of Object.entries(input)) {
    if (!members.includes(name)) {
      problems.push(`${name}: unknown filter (use ${members.join(', ')})`);
      continue;
    }
    if (name === 'header' || name === 'headers') {
      const headers = from === 'query' ? headersFromQuery(raw, problems) : headersFromBody(raw, problems);
      if (headers.length > 0) filter.headers = headers;
      continue;
    }
    if (Array.isArray(raw)) {
      problems.push(`${name}: give it once`);
      continue;
    }
    const problem = setMember(filter, name, raw, operations);
    if (problem) problems.push(`${name}: ${problem}`);
  }
  return problems.length > 0 ? { problems } : filter;
}

/** Sets one member from its value; returns what is wrong with it, if anything. */
function setMember(f: JournalFilter, name: string, raw: unknown, operations: readonly string[]): string | null {
  const s = typeof raw === 'string' ? raw : null;
  switch (name) {
    case 'method':
      if (s === null || !/^[A-Za-z]+$/.test(s)) return 'must be an HTTP method, e.g. POST';
      f.method = s.toUpperCase();
      return null;
    case 'path':
      if (s === null || !s.startsWith('/')) return 'must be a path prefix starting with /';
      f.path = s;
      return null;
    case 'operation':
      if (s === null || !operations.includes(s)) return `must be an operationId of a mocked API (${operations.join(', ')})`;
      f.operation = s;
      return null;
    case 'dialect':
      if (s !== 'waldur' && s !== 'maple') return 'must be waldur or maple';
      f.dialect = s;
      return null;
    case 'status':
      return setStatus(f, raw);
    case 'since': {
      const t = s === null ? null : parseDateOrRfc3339(s);
      if (t === null) return 'must be an ISO 8601 date or an RFC 3339 date-time with its offset, e.g. 2026-12-03T09:30:00Z';
      f.since = t;
      return null;
    }
    default: {
      const n = typeof raw === 'number' ? raw : s !== null && /^\d+$/.test(s) ? Number(s) : Number.NaN;
      if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) return `must be a whole number from 1 to ${MAX_LIMIT}`;
      f.limit = n;
      return null;
    }
  }
}

function setStatus(f: JournalFilter, raw: unknown): string | null {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
  if (/^[1-5]\d\d$/.test(text)) f.status = { exact: Number(text) };
  else if (/^[1-5]xx$/i.test(text)) f.status = { class: Number(text[0]) };
  else return 'must be a status from 100 to 599, or a class such as 4xx';
  return null;
}

function headersFromQuery(raw: unknown, problems: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const item of Array.isArray(raw) ? raw : [raw]) {
    const s = String(item);
    const colon = s.indexOf(':');
    if (colon <= 0) problems.push(`header: must be name:value, got "${s}"`);
    else out.push([s.slice(0, colon).trim().toLowerCase(), s.slice(colon + 1).trim()]);
  }
  return out;
}

function headersFromBody(raw: unknown, problems: string[]): [string, string][] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push('headers: must be an object of header names and values');
    return [];
  }
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string') problems.push(`headers.${name}: must be a string`);
    else out.push([name.toLowerCase(), value]);
  }
  return out;
}

/** Whether an entry matches. Header values are compared with what was sent (before redaction). */
export function matches(r: JournalRecord, f: JournalFilter): boolean {
  if (f.since !== undefined && r.time < f.since) return false;
  if (f.method !== undefined && r.method !== f.method) return false;
  if (f.path !== undefined && !r.path.startsWith(f.path)) return false;
  if (f.operation !== undefined && r.operationId !== f.operation) return false;
  if (f.dialect !== undefined && r.dialect !== f.dialect) return false;
  if (f.status !== undefined) {
    if ('exact' in f.status ? r.status !== f.status.exact : Math.floor(r.status / 100) !== f.status.class) return false;
  }
  if (f.headers) {
    const sent = headersOf(r.rawHeaders);
    for (const [name, value] of f.headers) if (sent[name] !== value) return false;
  }
  return true;
}

/** The matching entries, newest first, at most `limit`. */
export function select(journal: RequestJournal, f: JournalFilter): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const r of journal.newestFirst()) {
    if (f.limit !== undefined && out.length >= f.limit) break;
    if (matches(r, f)) out.push(r);
  }
  return out;
}

export function count(journal: RequestJournal, f: JournalFilter): number {
  let n = 0;
  for (const r of journal.newestFirst()) if (matches(r, f)) n++;
  return n;
}
