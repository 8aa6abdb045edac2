import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/**
 * A state folder on disk: generation n is a snapshot (`snapshot-<n>.ndjson`,
 * one JSON value a line, complete once renamed from its `.tmp`) and the
 * journal of what changed after it (`journal-<n>.ndjson`, appended line by
 * line). A new snapshot starts generation n + 1 and drops generation n.
 * Lines are written with plain write(2): they survive the process being
 * killed (the kernel holds them), not the machine losing power.
 */
export class StateFiles {
  private generation: number;
  private journalFd: number | null = null;
  /** Lines appended to the current journal. */
  journalLines = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.generation = newestSnapshot(dir) ?? 0;
  }

  /** Whether the folder holds a snapshot to start from. */
  get hasState(): boolean {
    return newestSnapshot(this.dir) !== null;
  }

  /**
   * The lines of the newest snapshot, then of its journal, parsed. A torn last
   * journal line (the process died while writing it) is dropped with a
   * warning; a broken line anywhere else is an error.
   */
  read(): { values: unknown[]; warnings: string[] } {
    const warnings: string[] = [];
    const n = newestSnapshot(this.dir);
    if (n === null) return { values: [], warnings };
    const values = parseLines(readFileSync(this.file('snapshot', n), 'utf8'), `snapshot-${n}.ndjson`, false, warnings);
    const journal = this.file('journal', n);
    if (existsSync(journal))
      values.push(...parseLines(readFileSync(journal, 'utf8'), `journal-${n}.ndjson`, true, warnings));
    return { values, warnings };
  }

  /** Appends whole lines (each ending in a newline) to the current journal, before anything else happens. */
  append(text: string, lines: number): void {
    this.journalFd ??= openSync(this.file('journal', this.generation), 'a');
    writeSync(this.journalFd, text);
    this.journalLines += lines;
  }

  /** Writes a new snapshot from `lines` (each a JSON text without its newline), then starts its empty journal. */
  writeSnapshot(lines: Iterable<string>): void {
    const next = this.generation + 1;
    const tmp = `${this.file('snapshot', next)}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      let chunk = '';
      for (const line of lines) {
        chunk += `${line}\n`;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file('snapshot', next));
    if (this.journalFd !== null) closeSync(this.journalFd);
    this.journalFd = null;
    const previous = this.generation;
    this.generation = next;
    this.journalLines = 0;
    rmSync(this.file('snapshot', previous), { force: true });
    rmSync(this.file('journal', previous), { force: true });
  }

  close(): void {
    if (this.journalFd !== null) closeSync(this.journalFd);
    this.journalFd = null;
  }

  private file(kind: 'snapshot' | 'journal', n: number): string {
    return path.join(this.dir, `${kind}-${n}.ndjson`);
  }
}

function newestSnapshot(dir: string): number | null {
  let newest: number | null = null;
  for (const name of readdirSync(dir)) {
    const m = /^snapshot-(\d+)\.ndjson$/.exec(name);
    if (m && (newest === null || Number(m[1]) > newest)) newest = Number(m[1]);
  }
  return newest;
}

function parseLines(text: string, file: string, tornTailAllowed: boolean, warnings: string[]): unknown[] {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const values: unknown[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    try {
      values.push(JSON.parse(line) as unknown);
    } catch {
      if (tornTailAllowed && i === lines.length - 1 && last === '') {
        warnings.push(`${file}: line ${i + 1} is broken (a write cut short?): dropped`);
        return;
      }
      throw new Error(`${file}: line ${i + 1} is not valid JSON`);
    }
  });
  if (last !== '') {
    if (!tornTailAllowed) throw new Error(`${file}: the last line is incomplete`);
    warnings.push(`${file}: the last line was cut short (the process died while writing it): dropped`);
  }
  return values;
}
