import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase, TestModule, TestSpecification } from 'vitest/node';
import { paintFor } from './colour.js';
import { junitXml } from './junit.js';

/** One row of the report: an operation × a check, and how it ended. */
export interface CheckResult {
  /** The test file, relative to conformance/. */
  file: string;
  operation: string;
  check: string;
  outcome: 'pass' | 'fail' | 'deviation' | 'not_run';
  reason?: string;
  /** The deviation's id, when the check showed one of the profile's known deviations. */
  deviation?: string;
  durationMs: number;
}

export interface ConformanceReport {
  /** The version of credits-mock that ran the suite. */
  version: string;
  /** The target as given to --target. */
  target: string;
  /** The session the run used on that target, or null. */
  session: string | null;
  api: string;
  profile: string;
  readOnly: boolean;
  finishedAt: string;
  totals: Record<CheckResult['outcome'], number>;
  results: CheckResult[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, '..', 'package.json'), 'utf8')) as { version: string })
  .version;
const api = () => process.env.CONFORMANCE_API ?? 'waldur';
const PROGRESS_EVERY = 25;

function rowsOf(mod: TestModule): CheckResult[] {
  const file = path.relative(ROOT, mod.moduleId);
  const moduleErrors = mod.errors();
  const rows: CheckResult[] = [];
  for (const test of mod.children.allTests()) {
    const [operation, check] = test.name.includes(' › ') ? test.name.split(' › ', 2) : ['(setup)', test.name];
    const meta = test.meta();
    const result = test.result();
    const base = {
      file,
      operation: operation!,
      check: check!,
      durationMs: Math.round(test.diagnostic()?.duration ?? 0),
    };
    const firstError = result.errors?.[0]?.message?.split('\n').slice(0, 6).join('\n');
    if (meta.notRun) rows.push({ ...base, outcome: 'not_run', reason: meta.notRun });
    else if (result.state === 'failed') rows.push({ ...base, outcome: 'fail', reason: firstError ?? 'failed' });
    else if (meta.deviation?.observed)
      rows.push({
        ...base,
        outcome: 'deviation',
        deviation: meta.deviation.id,
        reason: `${meta.deviation.id}: ${meta.deviation.reason}`,
      });
    else if (result.state === 'passed') rows.push({ ...base, outcome: 'pass' });
    else {
      const why =
        moduleErrors.length > 0
          ? "not reached: the file's setup failed"
          : 'not reached (an earlier failure stopped the run)';
      rows.push({ ...base, outcome: 'not_run', reason: why });
    }
  }
  for (const err of moduleErrors.slice(0, 1)) {
    rows.push({
      file,
      operation: '(setup)',
      check: file,
      outcome: 'fail',
      reason: `setup failed: ${err.message}`,
      durationMs: Math.round(mod.diagnostic().duration),
    });
  }
  return rows;
}

/**
 * Prints a progress line per test file and per 25 checks to stderr, the
 * operation × check summary to stdout at the end and, with
 * CONFORMANCE_REPORT_DIR, writes report-<api>.json and junit-<api>.xml there.
 */
export default class ConformanceReporter implements Reporter {
  private files = 0;
  private filesDone = 0;
  private checks = 0;
  private failed = 0;
  private readonly paint = paintFor(process.stderr);

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.files = specifications.length;
  }

  onTestCaseResult(test: TestCase): void {
    this.checks += 1;
    if (test.result().state === 'failed') this.failed += 1;
    if (this.checks % PROGRESS_EVERY === 0) this.progress();
  }

  onTestModuleEnd(mod: TestModule): void {
    this.filesDone += 1;
    if (mod.errors().length > 0) this.failed += 1;
    this.progress(path.relative(ROOT, mod.moduleId));
  }

  private progress(fileDone?: string): void {
    const failed = this.paint(this.failed ? 'red' : 'green', `${this.failed} failed`);
    const where = fileDone
      ? `file ${this.filesDone}/${this.files} done: ${fileDone}`
      : `file ${Math.min(this.filesDone + 1, this.files)}/${this.files}`;
    process.stderr.write(`[${api()}] ${this.checks} checks, ${failed} (${where})\n`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const results = modules.flatMap(rowsOf);
    const totals = { pass: 0, fail: 0, deviation: 0, not_run: 0 };
    for (const r of results) totals[r.outcome] += 1;
    const report: ConformanceReport = {
      version: VERSION,
      target: process.env.CONFORMANCE_TARGET_NAME || process.env.CONFORMANCE_TARGET || '',
      session: process.env.CONFORMANCE_SESSION || null,
      api: api(),
      profile: process.env.CONFORMANCE_PROFILE ?? 'default',
      readOnly: process.env.CONFORMANCE_READ_ONLY === '1',
      finishedAt: new Date().toISOString(),
      totals,
      results,
    };
    process.stdout.write(summary(report));
    const dir = process.env.CONFORMANCE_REPORT_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `report-${report.api}.json`), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(path.join(dir, `junit-${report.api}.xml`), junitXml(report));
    }
  }
}

const MARK = {
  pass: ['PASS', 'green'],
  fail: ['FAIL', 'red'],
  deviation: ['DEVIATION', 'yellow'],
  not_run: ['NOT RUN', 'dim'],
} as const;

function summary(report: ConformanceReport): string {
  const paint = paintFor(process.stdout);
  const session = report.session ? `, session ${report.session}` : '';
  const lines = [
    `\nConformance of ${report.target} (${report.api}, profile ${report.profile}${session}; credits-mock ${report.version})\n`,
  ];
  const byOperation = new Map<string, CheckResult[]>();
  for (const r of report.results) byOperation.set(r.operation, [...(byOperation.get(r.operation) ?? []), r]);
  for (const [operation, rows] of [...byOperation].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${paint('bold', operation)}`);
    for (const r of rows) {
      const [word, style] = MARK[r.outcome];
      lines.push(`    ${paint(style, word.padEnd(9))} ${r.check}`);
      if (r.reason && r.outcome !== 'pass') lines.push(...r.reason.split('\n').map((l) => `              ${l}`));
    }
  }
  const t = report.totals;
  lines.push(
    '',
    `conformance: ${t.pass} passed, ${t.fail} failed, ${t.deviation} deviations, ${t.not_run} not run`,
    '',
  );
  return `${lines.join('\n')}\n`;
}
