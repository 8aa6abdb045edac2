/**
 * How the request journal keeps its entries (journal.ts holds the journal itself
 * and how entries are shown): the exchange an API hands over, and the columns
 * an entry is stored in, made when the journal is read.
 */
import { EntryRing } from './journal-ring.js';

/** Which mocked API answered. */
export type Dialect = 'waldur' | 'maple';

/**
 * One answered request as an API hands it over once its answer is written:
 * references to what the request and the answer already hold, nothing copied
 * or rendered again. The journal copies only what it must (a body over the cap).
 */
export interface Exchange {
  dialect: Dialect;
  /** The spec's operationId; null for a 404, 405 or redirect that matched none. */
  operationId: string | null;
  method: string;
  /** The request target as received (path and query). */
  url: string;
  path: string;
  /** The request's headers as received: name, value, name, value… (req.rawHeaders). */
  rawHeaders: readonly string[];
  /** The request body as read (null: none was read). */
  requestBody: Buffer | string | null;
  status: number;
  responseHeaders: Readonly<Record<string, string>>;
  /** The body as sent ('' for none, and for HEAD). */
  responseBody: string;
  /** performance.now() when the request arrived. */
  started: number;
}

/**
 * A journal entry as the journal gives it when read: the exchange with its id,
 * time, duration and capped bodies (the whole bodies are not kept), and the
 * request's headers in one string (`name\nvalue\n…`). Made from the columns
 * below on each read; nothing of it is kept between requests.
 */
export interface JournalRecord extends Omit<Exchange, 'rawHeaders'> {
  rawHeaders: string;
  id: number;
  /** Wall-clock time (Date.now()) when the answer was written. */
  time: number;
  durationMs: number;
  requestTruncated: boolean;
  responseTruncated: boolean;
}

/**
 * An entry in the ring (journal-ring.ts) is two pieces: its text, and the
 * request body as it came (bytes, which need not be UTF-8). The text is the
 * target, the path, the request headers, the response headers and the
 * response body joined into one string, written with one copy; the columns
 * keep each part's length in UTF-16 code units to cut it again when read.
 */
const TEXT = 0,
  REQUEST_BODY = 1,
  RING_PIECES = 2;
/** The parts of the text, in order: url, path, request headers, response headers, response body. */
const TEXT_PARTS = 5;

/** The journal's storage, made on its first entry (a world that records nothing holds none). */
export class Columns {
  readonly ring: EntryRing;
  /** Per slot and part of its text: the part's length in UTF-16 code units. */
  readonly textLengths: Int32Array;
  readonly ids: Float64Array;
  readonly times: Float64Array;
  readonly durations: Float64Array;
  readonly starts: Float64Array;
  readonly statuses: Uint16Array;
  /** Bit 1: request body truncated; bit 2: response body truncated. */
  readonly truncated: Uint8Array;
  readonly dialects: Dialect[];
  readonly operations: (string | null)[];
  readonly methods: string[];

  constructor(capacity: number) {
    this.ring = new EntryRing(capacity, RING_PIECES);
    this.textLengths = new Int32Array(capacity * TEXT_PARTS);
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.starts = new Float64Array(capacity);
    this.statuses = new Uint16Array(capacity);
    this.truncated = new Uint8Array(capacity);
    this.dialects = new Array<Dialect>(capacity).fill('waldur');
    this.operations = new Array<string | null>(capacity).fill(null);
    this.methods = new Array<string>(capacity).fill('');
  }
}

/** `isWellFormed` and `toWellFormed` (ES2024, in Node.js 20). */
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Writes an exchange's text and request body (both already capped) into the
 * next slot of the ring, returns the slot. A lone surrogate (which UTF-8
 * cannot carry) becomes U+FFFD first, one code unit for one, so the parts'
 * lengths still cut the text read back.
 */
export function writeEntry(c: Columns, x: Exchange, requestBody: Buffer | string | null, responseBody: string): number {
  let headers = '';
  const raw = x.rawHeaders;
  for (let i = 0; i < raw.length; i++) headers += i === 0 ? raw[i] : `\n${raw[i]}`;
  const responseHeaders = joinHeaders(x.responseHeaders);
  let text = (x.url + x.path + headers + responseHeaders + responseBody) as Es2024String;
  if (!text.isWellFormed()) text = text.toWellFormed() as Es2024String;
  const slot = c.ring.write([text, requestBody]);
  const at = slot * TEXT_PARTS;
  c.textLengths[at] = x.url.length;
  c.textLengths[at + 1] = x.path.length;
  c.textLengths[at + 2] = headers.length;
  c.textLengths[at + 3] = responseHeaders.length;
  c.textLengths[at + 4] = responseBody.length;
  return slot;
}

export function recordAt(c: Columns, slot: number): JournalRecord {
  const ring = c.ring;
  const requestBody = ring.bytesOf(slot, REQUEST_BODY);
  const text = ring.textOf(slot, TEXT)!;
  let from = 0;
  let part = slot * TEXT_PARTS;
  const next = () => text.slice(from, (from += c.textLengths[part++]!));
  const url = next();
  const path = next();
  const rawHeaders = next();
  const responseHeaders = splitHeaders(next());
  const responseBody = next();
  return {
    id: c.ids[slot]!,
    time: c.times[slot]!,
    durationMs: c.durations[slot]!,
    dialect: c.dialects[slot]!,
    operationId: c.operations[slot]!,
    method: c.methods[slot]!,
    url,
    path,
    rawHeaders,
    requestBody: requestBody === null ? null : Buffer.from(requestBody),
    requestTruncated: (c.truncated[slot]! & 1) !== 0,
    status: c.statuses[slot]!,
    responseHeaders,
    responseBody,
    responseTruncated: (c.truncated[slot]! & 2) !== 0,
    started: c.starts[slot]!,
  };
}

/** `{a: '1', b: '2'}` → `a\n1\nb\n2`. */
export function joinHeaders(headers: Readonly<Record<string, string>>): string {
  let out = '';
  for (const name in headers) out += out === '' ? `${name}\n${headers[name]}` : `\n${name}\n${headers[name]}`;
  return out;
}

function splitHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === '') return out;
  const parts = text.split('\n');
  for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i]!] = parts[i + 1]!;
  return out;
}
