import { appendFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateFiles } from './state-files.js';

const folder = () => mkdtempSync(path.join(tmpdir(), 'state-files-'));

describe('StateFiles', () => {
  it('an empty folder has no state; a snapshot then a journal read back in order', () => {
    const dir = folder();
    const files = new StateFiles(dir);
    expect(files.hasState).toBe(false);
    expect(files.read()).toEqual({ values: [], warnings: [] });
    files.writeSnapshot(['{"n":1}', '{"n":2}']);
    files.append('{"n":3}\n{"n":4}\n', 2);
    files.close();
    const again = new StateFiles(dir);
    expect(again.hasState).toBe(true);
    expect(again.read()).toEqual({ values: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }], warnings: [] });
  });

  it('a new snapshot starts a new generation and drops the old one, journal included', () => {
    const dir = folder();
    const files = new StateFiles(dir);
    files.writeSnapshot(['{"n":1}']);
    files.append('{"n":2}\n', 1);
    expect(files.journalLines).toBe(1);
    files.writeSnapshot(['{"n":9}']);
    expect(files.journalLines).toBe(0);
    files.append('{"n":10}\n', 1);
    files.close();
    expect(readdirSync(dir).sort()).toEqual(['journal-2.ndjson', 'snapshot-2.ndjson']);
    expect(new StateFiles(dir).read().values).toEqual([{ n: 9 }, { n: 10 }]);
  });

  it('a snapshot cut short before its rename is not used: the previous generation is', () => {
    const dir = folder();
    const files = new StateFiles(dir);
    files.writeSnapshot(['{"n":1}']);
    files.append('{"n":2}\n', 1);
    files.close();
    writeFileSync(path.join(dir, 'snapshot-2.ndjson.tmp'), '{"n":');
    expect(new StateFiles(dir).read().values).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('drops a torn last journal line with a warning, and refuses a broken line elsewhere', () => {
    const dir = folder();
    const files = new StateFiles(dir);
    files.writeSnapshot(['{"n":1}']);
    files.append('{"n":2}\n', 1);
    files.close();
    appendFileSync(path.join(dir, 'journal-1.ndjson'), '{"n":3');
    const read = new StateFiles(dir).read();
    expect(read.values).toEqual([{ n: 1 }, { n: 2 }]);
    expect(read.warnings).toEqual([
      'journal-1.ndjson: the last line was cut short (the process died while writing it): dropped',
    ]);
    appendFileSync(path.join(dir, 'journal-1.ndjson'), '\n{"n":4}\n');
    expect(() => new StateFiles(dir).read()).toThrow(/journal-1.ndjson: line 2 is not valid JSON/);
  });
});
