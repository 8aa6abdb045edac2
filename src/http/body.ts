import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { parse as parseLossless } from 'lossless-json';
import { JsonNumber, type Input } from '../domain/waldur/input.js';
import { jsonDepthError } from './json-depth.js';

/** The largest request body either dialect accepts. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLarge extends Error {}

/**
 * Reads the raw body (up to MAX_BODY_BYTES); the dialect decides how to parse
 * it. A body over the limit is drained rather than cut off, so the connection
 * stays usable for the 413 and the requests after it.
 */
export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.once('end', () => (size > MAX_BODY_BYTES ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.once('error', reject);
  });
}

/** Reads and throws away the body of a request whose body means nothing (GET, DELETE). */
export function discardBody(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve();
    req.once('end', () => resolve());
    req.once('error', () => resolve());
    req.resume();
  });
}

export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'data'; data: Input }
  | { kind: 'parse_error'; /** DRF's detail, e.g. "JSON parse error - …" */ message: string }
  | { kind: 'unsupported'; mediaType: string };

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/**
 * JSON with every number kept as the text it was written with (`10.0` is not
 * `10`), duplicate keys resolved to the last one, as Python's json and Go's
 * encoding/json both do.
 */
export function parseJson(raw: Buffer): { data: Input } | { error: string } {
  const tooDeep = jsonDepthError(raw);
  if (tooDeep) return { error: tooDeep };
  try {
    const data = parseLossless(raw.toString('utf8'), null, {
      parseNumber: (s: string) => new JsonNumber(s),
      onDuplicateKey: ({ newValue }) => newValue,
    });
    return { data: data as Input };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The body as a Django REST Framework view sees it: JSON (numbers kept as
 * written), form-encoded or multipart form fields, or anything else refused as
 * an unsupported media type. `listFields` are read as lists from form data (DRF's getlist).
 */
export async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  listFields: ReadonlySet<string>,
): Promise<ParsedBody> {
  if (raw.length === 0) return { kind: 'empty' };
  const mediaType = mediaTypeOf(contentType);
  if (isJsonMediaType(mediaType)) {
    const parsed = parseJson(raw);
    return 'error' in parsed
      ? { kind: 'parse_error', message: `JSON parse error - ${parsed.error}` }
      : { kind: 'data', data: parsed.data };
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    return { kind: 'data', data: formToInput(new URLSearchParams(raw.toString('utf8')), listFields) };
  }
  if (mediaType === 'multipart/form-data') return parseMultipart(raw, contentType!, listFields);
  return { kind: 'unsupported', mediaType: contentType ?? '' };
}

function parseMultipart(raw: Buffer, contentType: string, listFields: ReadonlySet<string>): Promise<ParsedBody> {
  return new Promise((resolve) => {
    const params = new URLSearchParams();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType } });
    } catch (err) {
      resolve({
        kind: 'parse_error',
        message: `Multipart form parse error - ${err instanceof Error ? err.message : String(err)}`,
      });
      return;
    }
    parser.on('field', (name, value) => params.append(name, value));
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('error', (err: Error) =>
      resolve({ kind: 'parse_error', message: `Multipart form parse error - ${err.message}` }),
    );
    parser.on('close', () => resolve({ kind: 'data', data: formToInput(params, listFields) }));
    parser.end(raw);
  });
}

export function formToInput(params: URLSearchParams, listFields: ReadonlySet<string>): Input {
  const out: Record<string, Input> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    // Defined, not assigned: a field named __proto__ stays a field, as in JSON bodies.
    Object.defineProperty(out, key, {
      value: listFields.has(key) ? values : values[values.length - 1]!,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
