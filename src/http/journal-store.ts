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

/** The pieces of an entry kept as bytes (journal-ring.ts), in this order. */
const URL = 0,
  PATH = 1,
  HEADERS = 2,
  REQUEST_BODY = 3,
  RESPONSE_HEADERS = 4,
  RESPONSE_BODY = 5,
  PIECES = 6;

/** The journal's storage, made on its first entry (a world that records nothing holds none). */
export class Columns {
  readonly ring: EntryRing;
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
    this.ring = new EntryRing(capacity, PIECES);
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

export function recordAt(c: Columns, slot: number): JournalRecord {
  const ring = c.ring;
  const requestBody = ring.bytesOf(slot, REQUEST_BODY);
  return {
    id: c.ids[slot]!,
    time: c.times[slot]!,
    durationMs: c.durations[slot]!,
    dialect: c.dialects[slot]!,
    operationId: c.operations[slot]!,
    method: c.methods[slot]!,
    url: ring.textOf(slot, URL)!,
    path: ring.textOf(slot, PATH)!,
    rawHeaders: ring.textOf(slot, HEADERS)!,
    requestBody: requestBody === null ? null : Buffer.from(requestBody),
    requestTruncated: (c.truncated[slot]! & 1) !== 0,
    status: c.statuses[slot]!,
    responseHeaders: splitHeaders(ring.textOf(slot, RESPONSE_HEADERS)!),
    responseBody: ring.textOf(slot, RESPONSE_BODY)!,
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
