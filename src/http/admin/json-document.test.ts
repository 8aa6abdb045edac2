import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonDocument } from './json-document.js';

const body = (text: string) =>
  Readable.from([Buffer.from(text.slice(0, 7)), Buffer.from(text.slice(7))]) as unknown as IncomingMessage;
const doc = {
  waldur: { customers: [{ uuid: 'a', name: 'Ärger "quoted"', n: 1.5e3 }] },
  maple: { companies: [] },
  deep: [[[null, true]]],
};

describe('readJsonDocument', () => {
  it('parses a body with JSON.parse below the streaming threshold', async () => {
    expect(await readJsonDocument(body(JSON.stringify(doc)))).toEqual({ value: doc });
  });

  it('parses the same body token by token above it (what a state of more than 256 MiB takes)', async () => {
    expect(await readJsonDocument(body(JSON.stringify(doc)), 1024, 10)).toEqual({ value: doc });
  });

  it('refuses broken JSON either way with 400, and a body over the limit with 413', async () => {
    for (const streamAbove of [1e9, 10]) {
      expect(await readJsonDocument(body('{"waldur": [1, 2'), 1024, streamAbove)).toMatchObject({ status: 400 });
      expect(await readJsonDocument(body('{"a":1} trailing'), 1024, streamAbove)).toMatchObject({ status: 400 });
    }
    expect(await readJsonDocument(body(JSON.stringify(doc)), 20)).toMatchObject({ status: 413 });
    expect(await readJsonDocument(body(`{"waldur":${'['.repeat(5000)}${']'.repeat(5000)}}`))).toMatchObject({
      status: 400,
      message: /nested deeper/,
    });
  });
});
