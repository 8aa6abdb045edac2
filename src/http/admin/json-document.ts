import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import Assembler from 'stream-json/assembler.js';
import parser from 'stream-json/index.js';
import { jsonDepthError } from '../json-depth.js';

/** The largest body `PUT /__admin/state` reads (what an export of several million credits comes to). */
export const MAX_STATE_BYTES = 2 * 1024 ** 3;
/** Above this a body is parsed as a stream of tokens: V8 cannot hold a string much longer (about 512 MiB). */
export const STREAM_PARSE_ABOVE = 256 * 1024 ** 2;

export type JsonDocument = { value: unknown } | { status: 400 | 413; message: string };

/**
 * A whole JSON request body of any size up to `maxBytes`: parsed with
 * JSON.parse when it fits in a string comfortably, token by token
 * (stream-json) when it is larger; an oversized body is drained and refused.
 */
export async function readJsonDocument(
  req: IncomingMessage,
  maxBytes = MAX_STATE_BYTES,
  streamAbove = STREAM_PARSE_ABOVE,
): Promise<JsonDocument> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) return { status: 413, message: `the body is larger than ${maxBytes} bytes` };
  const whole = Buffer.concat(chunks, size);
  const tooDeep = jsonDepthError(whole);
  if (tooDeep) return { status: 400, message: tooDeep };
  try {
    if (size <= streamAbove) return { value: JSON.parse(whole.toString('utf8')) as unknown };
    return { value: await parseStreamed(chunks) };
  } catch (err) {
    return { status: 400, message: (err as Error).message };
  }
}

function parseStreamed(chunks: Buffer[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const tokens = Readable.from(chunks).pipe(parser());
    const values: unknown[] = [];
    Assembler.connectTo(tokens, { onDone: (asm) => values.push(asm.current) });
    tokens.once('error', reject);
    tokens.once('end', () => {
      if (values.length === 1) resolve(values[0]);
      else
        reject(
          new Error(
            values.length === 0
              ? 'the body ended before its JSON value did'
              : 'the body holds more than one JSON value',
          ),
        );
    });
  });
}
