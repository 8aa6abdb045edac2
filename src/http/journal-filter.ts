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

export const MAX_LIMIT = 1_000_000;

type Problems = { problems: string[] };

/**
 * The filter of GET /__admin/requests, from its query (`header=name:value`
 * may repeat), or of POST /__admin/requests/count, from its JSON body
 * (`headers` an object). The request was checked against specs/admin.yaml
 * first (members, types, patterns, the limit's range); what is left here is
 * what the spec cannot know: that `operation` is one of `operations` and
 * `since` a real time.
 */
export function parseFilter(
  input: Record<string, unknown> | undefined,
  operations: readonly string[],
): JournalFilter | Problems {
  const given = input ?? {};
  const problems: string[] = [];
  const filter: JournalFilter = {};
  const text = (name: string) => (given[name] === undefined ? undefined : String(given[name]));
  const method = text('method');
  if (method !== undefined) filter.method = method.toUpperCase();
  const path = text('path');
  if (path !== undefined) filter.path = path;
  const operation = text('operation');
  if (operation !== undefined) {
    if (operations.includes(operation)) filter.operation = operation;
    else problems.push(`operation: must be an operationId of a mocked API (${operations.join(', ')})`);
  }
  const dialect = text('dialect');
  if (dialect !== undefined) filter.dialect = dialect as Dialect;
  const status = text('status');
  if (status !== undefined)
    filter.status = /xx$/i.test(status) ? { class: Number(status[0]) } : { exact: Number(status) };
  const since = text('since');
  if (since !== undefined) {
    const t = parseDateOrRfc3339(since);
    if (t === null)
      problems.push(
        'since: must be an ISO 8601 date or an RFC 3339 date-time with its offset, e.g. 2026-12-03T09:30:00Z',
      );
    else filter.since = t;
  }
  const headers = [
    ...headersOfQuery(given.header),
    ...Object.entries((given.headers ?? {}) as Record<string, string>).map(
      ([k, v]) => [k.toLowerCase(), v] as [string, string],
    ),
  ];
  if (headers.length > 0) filter.headers = headers;
  const limit = text('limit');
  if (limit !== undefined) filter.limit = Number(limit);
  return problems.length > 0 ? { problems } : filter;
}

/** `header=name:value`, once or repeated. */
function headersOfQuery(raw: unknown): [string, string][] {
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map((item) => {
    const s = String(item);
    const colon = s.indexOf(':');
    return [s.slice(0, colon).trim().toLowerCase(), s.slice(colon + 1).trim()];
  });
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
