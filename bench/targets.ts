import type { Measured } from './load.js';
import type { Scenario } from './scenarios.js';
import type { ServerKind } from './servers.js';

/** The targets, checked here and only here (never by timed tests). */
export const TARGETS = {
  readVsPrism: 5,
  readVsExpress: 0.5,
  p99Ms: 25,
  startMs: 1_000,
  largeRssMb: 300,
  largeListP50Ms: 20,
  sessionCreateMs: 5,
  sessionsMb: 50,
};

export interface Row {
  scenario: Scenario;
  runs: Partial<Record<ServerKind, Measured>>;
}

export interface Check {
  name: string;
  met: boolean;
  detail: string;
}

/** Answers with the scenario's success status, as a share of all answers. */
export function successShare(m: Measured, success: number): number {
  return m.total === 0 ? 0 : (m.statuses[String(success)] ?? 0) / m.total;
}

/** Prism answers from examples: its numbers compare only when it answered with the success status. */
export function prismComparable(row: Row): boolean {
  const p = row.runs.prism;
  return p !== undefined && successShare(p, row.scenario.success) > 0.99;
}

export function ratio(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b === 0 ? null : a / b;
}

/** The per-scenario checks on the mock's numbers. */
export function rowChecks(row: Row): Check[] {
  const mock = row.runs.mock;
  if (!mock) return [];
  const checks: Check[] = [
    { name: 'p99', met: mock.p99 < TARGETS.p99Ms, detail: `p99 ${mock.p99.toFixed(1)} ms < ${TARGETS.p99Ms} ms` },
    {
      name: 'all answers succeed',
      met: successShare(mock, row.scenario.success) === 1 && mock.errors === 0,
      detail: `${mock.total - (mock.statuses[String(row.scenario.success)] ?? 0)} non-${row.scenario.success}, ${mock.errors} errors`,
    },
  ];
  if (!row.scenario.read) return checks;
  const vsPrism = prismComparable(row) ? ratio(mock.rps, row.runs.prism!.rps) : null;
  if (vsPrism !== null) {
    checks.push({
      name: 'vs Prism',
      met: vsPrism >= TARGETS.readVsPrism,
      detail: `${vsPrism.toFixed(1)}× Prism ≥ ${TARGETS.readVsPrism}×`,
    });
  }
  const vsExpress = ratio(mock.rps, row.runs.express?.rps);
  if (vsExpress !== null) {
    checks.push({
      name: 'vs Express',
      met: vsExpress >= TARGETS.readVsExpress,
      detail: `${Math.round(vsExpress * 100)} % of bare Express ≥ ${TARGETS.readVsExpress * 100} %`,
    });
  }
  return checks;
}
