import type { Request } from 'express';
import { parse as parseLossless } from 'lossless-json';
import { JsonNumber, type Input } from '../domain/waldur/input.js';

/** The largest request body either dialect accepts. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLarge extends Error {}

/** Reads the raw body (up to MAX_BODY_BYTES) into req.rawBody; the dialect decides how to parse it. */
export async function readRawBody(req: Request): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new BodyTooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'data'; data: Input }
  | { kind: 'parse_error'; message: string }
  | { kind: 'unsupported'; mediaType: string };

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The body as a Django REST Framework view sees it: JSON (numbers kept as
 * written), form-encoded, or anything else refused as an unsupported media type.
 * `listFields` are read as lists from form data (DRF's getlist).
 */
export function parseBody(raw: Buffer, contentType: string | undefined, listFields: ReadonlySet<string>): ParsedBody {
  if (raw.length === 0) return { kind: 'empty' };
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    try {
      const text = raw.toString('utf8');
      const data = parseLossless(text, null, {
        parseNumber: (s: string) => new JsonNumber(s),
        onDuplicateKey: ({ newValue }) => newValue, // Python's json keeps the last one
      });
      return { kind: 'data', data: data as Input };
    } catch (err) {
      return { kind: 'parse_error', message: err instanceof Error ? err.message : String(err) };
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    return { kind: 'data', data: formToInput(new URLSearchParams(raw.toString('utf8')), listFields) };
  }
  return { kind: 'unsupported', mediaType: contentType ?? '' };
}

export function formToInput(params: URLSearchParams, listFields: ReadonlySet<string>): Input {
  const out: Record<string, Input> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = listFields.has(key) ? values : values[values.length - 1]!;
  }
  return out;
}
