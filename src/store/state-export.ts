import type { MapleStore } from './maple.store.js';
import type { WaldurStore } from './waldur.store.js';

/** How much JSON text one chunk of an export holds, about. */
const CHUNK = 64 * 1024;

/**
 * The whole state as `GET /__admin/state` writes it — `{"waldur":{…},"maple":{"companies":[…]}}`,
 * the same document as the stores' export() — in chunks of about 64 KiB, so
 * no single string holds it. The rows are taken when this is called (they are
 * frozen records, so taking them copies nothing): writes made while the
 * chunks are written out do not show in them.
 */
export function stateExportChunks(waldur: WaldurStore, maple: MapleStore): Iterable<string> {
  const waldurTables = waldur.exportedTables().map((t) => ({ name: t.name, rows: [...t.entries()].map(([, r]) => r) }));
  const companies = maple.companies().map((book) => ({
    head: { ...book.company, tokens: maple.tokensOf(book.company.id) },
    tables: book.tables().map((t) => ({ name: t.name, rows: [...t.entries()].map(([, r]) => r) })),
  }));
  return chunked(document(waldurTables, companies));
}

type Rows = { name: string; rows: object[] }[];

function* document(waldurTables: Rows, companies: { head: object; tables: Rows }[]): Iterable<string> {
  yield '{"waldur":';
  yield* object(waldurTables, '{');
  yield ',"maple":{"companies":[';
  for (const [i, c] of companies.entries()) {
    const head = JSON.stringify(c.head);
    yield* object(c.tables, `${i === 0 ? '' : ','}${head.slice(0, -1)}${head === '{}' ? '' : ','}`);
  }
  yield ']}}';
}

/** `open` + `"name":[rows…]` for each table + `}`. */
function* object(tables: Rows, open: string): Iterable<string> {
  yield open;
  for (const [i, t] of tables.entries()) {
    yield `${i === 0 ? '' : ','}${JSON.stringify(t.name)}:[`;
    for (const [j, r] of t.rows.entries()) yield j === 0 ? JSON.stringify(r) : `,${JSON.stringify(r)}`;
    yield ']';
  }
  yield '}';
}

function* chunked(parts: Iterable<string>): Iterable<string> {
  let chunk = '';
  for (const p of parts) {
    chunk += p;
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
