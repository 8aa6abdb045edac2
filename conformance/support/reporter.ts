import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** One row of the report: an operation × a check, and how it ended. */
export interface CheckResult {
  operation: string;
  check: string;
  outcome: 'pass' | 'fail' | 'deviation' | 'not run';
  reason?: string;
}

export interface ConformanceReport {
  target: string;
  api: string;
  profile: string;
  finishedAt: string;
  totals: Record<CheckResult['outcome'], number>;
  results: CheckResult[];
}

/**
 * Prints the operation × check summary and, with CONFORMANCE_REPORT_DIR, writes
 * report.json beside vitest's JUnit XML.
 */
export default class ConformanceReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const results: CheckResult[] = [];
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const [operation, check] = test.name.includes(' › ') ? test.name.split(' › ', 2) : ['(setup)', test.name];
        const meta = test.meta();
        const state = test.result().state;
        const firstError = test.result().errors?.[0]?.message?.split('\n').slice(0, 6).join('\n');
        let row: CheckResult;
        if (meta.notRun) row = { operation: operation!, check: check!, outcome: 'not run', reason: meta.notRun };
        else if (state === 'failed') row = { operation: operation!, check: check!, outcome: 'fail', reason: firstError ?? 'failed' };
        else if (meta.deviation?.observed) {
          row = { operation: operation!, check: check!, outcome: 'deviation', reason: `${meta.deviation.id}: ${meta.deviation.reason}` };
        } else if (state === 'passed') row = { operation: operation!, check: check!, outcome: 'pass' };
        else row = { operation: operation!, check: check!, outcome: 'not run', reason: 'not reached (an earlier failure stopped the run)' };
        results.push(row);
      }
      const moduleErrors = mod.errors();
      if (moduleErrors.length > 0) {
        results.push({ operation: '(file)', check: mod.moduleId, outcome: 'fail', reason: moduleErrors[0]!.message });
      }
    }
    const totals = { pass: 0, fail: 0, deviation: 0, 'not run': 0 };
    for (const r of results) totals[r.outcome] += 1;
    const report: ConformanceReport = {
      target: process.env.CONFORMANCE_TARGET ?? '',
      api: process.env.CONFORMANCE_API ?? 'waldur',
      profile: process.env.CONFORMANCE_PROFILE ?? 'default',
      finishedAt: new Date().toISOString(),
      totals,
      results,
    };
    process.stdout.write(summary(report));
    const dir = process.env.CONFORMANCE_REPORT_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    }
  }
}

const MARK: Record<CheckResult['outcome'], string> = { pass: 'PASS', fail: 'FAIL', deviation: 'DEVIATION', 'not run': 'NOT RUN' };

function summary(report: ConformanceReport): string {
  const lines = [`\nConformance of ${report.target} (${report.api}, profile ${report.profile})\n`];
  const byOperation = new Map<string, CheckResult[]>();
  for (const r of report.results) byOperation.set(r.operation, [...(byOperation.get(r.operation) ?? []), r]);
  for (const [operation, rows] of [...byOperation].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${operation}`);
    for (const r of rows) {
      lines.push(`    ${MARK[r.outcome].padEnd(9)} ${r.check}`);
      if (r.reason && r.outcome !== 'pass') lines.push(...r.reason.split('\n').map((l) => `              ${l}`));
    }
  }
  const t = report.totals;
  lines.push('', `conformance: ${t.pass} passed, ${t.fail} failed, ${t.deviation} deviations, ${t['not run']} not run`, '');
  return `${lines.join('\n')}\n`;
}
