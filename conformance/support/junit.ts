import type { CheckResult, ConformanceReport } from './reporter.js';

/**
 * The report as JUnit XML, written from the same rows as report-<api>.json so
 * the counts agree: tests = rows, failures = `fail`, skipped = `not_run` (with
 * its reason as the message); a deviation is a passing test that carries a
 * `deviation` property and says so in its system-out.
 */

// XML 1.0 allows neither most control characters nor lone surrogates; ANSI colour codes go too.
const ANSI = /\x1b\[[0-9;]*m/g;
const INVALID =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlText(text: string): string {
  return text.replace(ANSI, '').replace(INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const attr = (text: string) => xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(r: CheckResult): string {
  const open = `    <testcase classname="${attr(`${r.file} › ${r.operation}`)}" name="${attr(r.check)}" time="${seconds(r.durationMs)}">`;
  const body: string[] = [];
  if (r.outcome === 'fail') {
    const reason = r.reason ?? 'failed';
    body.push(`      <failure message="${attr(reason.split('\n')[0]!)}">${xmlText(reason)}</failure>`);
  } else if (r.outcome === 'not_run') {
    body.push(`      <skipped message="${attr(r.reason ?? 'not run')}"/>`);
  } else if (r.outcome === 'deviation') {
    body.push(
      `      <properties>`,
      `        <property name="deviation" value="${attr(r.deviation ?? '')}"/>`,
      `      </properties>`,
    );
    body.push(`      <system-out>${xmlText(`DEVIATION ${r.reason ?? r.deviation ?? ''}`)}</system-out>`);
  }
  return body.length ? [open, ...body, '    </testcase>'].join('\n') : `${open}</testcase>`;
}

function counts(rows: CheckResult[]): string {
  const n = (o: CheckResult['outcome']) => rows.filter((r) => r.outcome === o).length;
  const ms = rows.reduce((sum, r) => sum + r.durationMs, 0);
  return `tests="${rows.length}" failures="${n('fail')}" errors="0" skipped="${n('not_run')}" time="${seconds(ms)}"`;
}

export function junitXml(report: ConformanceReport): string {
  const byFile = new Map<string, CheckResult[]>();
  for (const r of report.results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`credits-mock conformance (${report.api})`)}" ${counts(report.results)}>`,
  ];
  for (const [file, rows] of byFile) {
    lines.push(`  <testsuite name="${attr(file)}" timestamp="${report.finishedAt}" ${counts(rows)}>`);
    lines.push('    <properties>');
    for (const [name, value] of [
      ['target', report.target],
      ['session', report.session ?? ''],
      ['api', report.api],
      ['profile', report.profile],
      ['version', report.version],
    ] as const) {
      lines.push(`      <property name="${name}" value="${attr(value)}"/>`);
    }
    lines.push('    </properties>');
    lines.push(...rows.map(testcase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
