import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../support/reporter.js';
import { startMutationProxy } from './mutation-proxy.js';
import { ROOT, runSuite, startMock, type Running, type SuiteRun } from './processes.js';

/**
 * What a CI job reads: report-<api>.json and junit-<api>.xml, written from
 * the same rows, and the console (progress on stderr, summary on stdout,
 * nothing from third parties). Kept fast: a --read-only Waldur run and a Maple
 * run whose setup fails at once.
 */
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface JUnitCase {
  '@_name': string;
  skipped?: { '@_message': string };
  failure?: { '@_message': string };
  properties?: { property: { '@_name': string; '@_value': string }[] };
  'system-out'?: string;
}
interface JUnitSuite {
  '@_tests': string;
  '@_failures': string;
  '@_skipped': string;
  testcase: JUnitCase[];
}
interface JUnit {
  testsuites: JUnitSuite & { testsuite: JUnitSuite[] };
}

function parseJUnit(xml: string): JUnit {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml, true) as JUnit;
}

/** The JUnit counts equal the JSON's: tests = rows, failures = fail, skipped = not_run, for the whole run and per file. */
function expectCountsAgree(report: ConformanceReport, junit: JUnit): void {
  const all = junit.testsuites;
  expect([all['@_tests'], all['@_failures'], all['@_skipped']].map(Number)).toEqual([
    report.results.length,
    report.totals.fail,
    report.totals.not_run,
  ]);
  const cases = all.testsuite.flatMap((s) => s.testcase);
  expect(cases).toHaveLength(report.results.length);
  expect(cases.filter((c) => c.failure)).toHaveLength(report.totals.fail);
  expect(cases.filter((c) => c.skipped)).toHaveLength(report.totals.not_run);
  for (const suite of all.testsuite) {
    expect(Number(suite['@_tests'])).toBe(suite.testcase.length);
    expect(Number(suite['@_skipped'])).toBe(suite.testcase.filter((c) => c.skipped).length);
  }
}

/** A Maple target whose /__admin/ answers health but drops the connection when asked to make a company. */
async function brokenAdmin(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/__admin/health')
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (req.url === '/__admin/sessions') return res.writeHead(404).end();
    req.socket.destroy(); // pactum would print `[E] Error performing request` to stdout
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('the reports and the console', { timeout: 240_000 }, () => {
  let mock: Running;
  let proxy: Running;
  let broken: { url: string; close(): Promise<void> };
  const dir = mkdtempSync(path.join(tmpdir(), 'conformance-reports-'));
  let waldur: SuiteRun;
  let maple: SuiteRun;
  beforeAll(async () => {
    [mock, broken] = await Promise.all([startMock(), brokenAdmin()]);
    // Waldur 8.0.5's known deviation: project credits' customer_credit as a JSON number.
    proxy = await startMutationProxy(mock.url, {
      name: 'customer-credit-number',
      breaks: 'customer_credit as a JSON number',
      response: (ex, answer) =>
        ex.url.pathname.startsWith('/api/project-credits/')
          ? { ...answer, body: answer.body.replace(/"customer_credit":"(-?[\d.]+)"/g, '"customer_credit":$1') }
          : answer,
    });
    // Both runs write into the same folder.
    [waldur, maple] = await Promise.all([
      runSuite(['--target', proxy.url, '--token', 'staff-token', '--read-only', '--profile', 'waldur-8.0.5'], dir),
      runSuite(['--target', broken.url, '--api', 'maple', '--read-only'], dir, { FORCE_COLOR: '1' }),
    ]);
  }, 240_000);
  afterAll(async () => {
    await Promise.all([proxy?.stop(), mock?.stop(), broken?.close()]);
  });

  it('writes report-<api>.json and junit-<api>.xml per API, side by side', () => {
    for (const api of ['waldur', 'maple']) {
      expect(existsSync(path.join(dir, `report-${api}.json`))).toBe(true);
      expect(existsSync(path.join(dir, `junit-${api}.xml`))).toBe(true);
    }
    expect(waldur.report.api).toBe('waldur');
    expect(maple.report.api).toBe('maple');
  });

  it('report-<api>.json has the version, each check with its duration, and not_run with its reason', () => {
    expect(waldur.code, waldur.output.slice(-3000)).toBe(0);
    expect(waldur.report).toMatchObject({
      version: VERSION,
      profile: 'waldur-8.0.5',
      readOnly: true,
      target: proxy.url,
    });
    for (const r of waldur.report.results) {
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
      expect(r.file).toMatch(/^waldur\/\S+\.conformance\.test\.ts$/);
    }
    expect(waldur.report.results.filter((r) => r.outcome === 'pass').some((r) => r.durationMs > 0)).toBe(true);
    const notRun = waldur.report.results.filter((r) => r.outcome === 'not_run');
    expect(notRun.length).toBe(waldur.report.totals.not_run);
    expect(notRun.length).toBeGreaterThan(0);
    for (const r of notRun) expect(r.reason).toBe('writes data; the run is --read-only');
    expect(Object.keys(waldur.report.totals).sort()).toEqual(['deviation', 'fail', 'not_run', 'pass']);
  });

  it('a shown deviation is in the JSON and, in the JUnit file, a property and system-out naming it', () => {
    const deviations = waldur.report.results.filter((r) => r.outcome === 'deviation');
    expect(deviations.map((r) => `${r.operation} › ${r.check}`)).toEqual([
      'project_credits_list › every page matches the contract',
    ]);
    expect(deviations[0]!.deviation).toBe('project-customer-credit-number');
    const junit = parseJUnit(waldur.junit);
    const shown = junit.testsuites.testsuite.flatMap((s) => s.testcase).filter((c) => c.properties);
    expect(shown).toHaveLength(1);
    expect(shown[0]!['@_name']).toBe('every page matches the contract');
    expect(shown[0]!.properties!.property[0]).toMatchObject({
      '@_name': 'deviation',
      '@_value': 'project-customer-credit-number',
    });
    expect(shown[0]!['system-out']).toMatch(
      /^DEVIATION project-customer-credit-number: customer_credit is sent as a JSON number/,
    );
    expect(shown[0]!.failure).toBeUndefined();
  });

  it('JUnit: a skipped check carries its reason, and the counts equal the JSON', () => {
    const junit = parseJUnit(waldur.junit);
    const skipped = junit.testsuites.testsuite.flatMap((s) => s.testcase).filter((c) => c.skipped);
    expect(skipped.length).toBeGreaterThan(0);
    for (const c of skipped) expect(c.skipped!['@_message']).toBe('writes data; the run is --read-only');
    expectCountsAgree(waldur.report, junit);
  });

  it('when a setup step fails, the failure is in both files and the counts still agree', () => {
    expect(maple.code).not.toBe(0);
    const setup = maple.report.results.filter((r) => r.operation === '(setup)' && r.outcome === 'fail');
    expect(setup.length).toBeGreaterThan(0);
    for (const r of setup) expect(r.reason).toMatch(/^setup failed: /);
    expect(maple.report.totals.fail).toBeGreaterThanOrEqual(setup.length);
    expectCountsAgree(maple.report, parseJUnit(maple.junit));
  });

  it('progress on stderr, the summary on stdout, and no third-party log lines', () => {
    expect(waldur.stderr).toMatch(/^\[waldur\] 25 checks, 0 failed \(file \d+\/\d+\)$/m);
    const files = new Set(waldur.report.results.map((r) => r.file)).size;
    expect(waldur.stderr).toMatch(
      new RegExp(
        `^\\[waldur\\] ${waldur.report.results.length} checks, 0 failed \\(file ${files}/${files} done: waldur/\\S+\\.conformance\\.test\\.ts\\)$`,
        'm',
      ),
    );
    expect(maple.stderr).toMatch(/^\[maple\] \d+ checks, .*\d+ failed.* \(file (\d+)\/\1 done: maple\/\S+\)$/m);
    expect(waldur.stdout).toMatch(/conformance: \d+ passed, 0 failed, 1 deviations, \d+ not run/);
    expect(waldur.stdout).not.toMatch(/\[waldur\]/);
    for (const run of [waldur, maple]) {
      expect(run.stdout).not.toMatch(/\[(E|W|I)\]|\x1b\[\d+m(E|W)\x1b/);
      expect(run.stdout).not.toMatch(/JUNIT report written/);
    }
  });

  it('colours only where asked (FORCE_COLOR), never with NO_COLOR', async () => {
    expect(maple.stdout).toMatch(/\x1b\[31mFAIL/);
    expect(waldur.stdout).not.toMatch(/\x1b\[/); // a pipe, not a terminal
    const plain = await runSuite(
      ['--target', broken.url, '--api', 'maple', '--read-only'],
      mkdtempSync(path.join(tmpdir(), 'conformance-nocolor-')),
      {
        FORCE_COLOR: '1',
        NO_COLOR: '1',
      },
    );
    expect(plain.report.totals.fail).toBeGreaterThan(0);
    expect(plain.stdout + plain.stderr).not.toMatch(/\x1b\[/);
  });
});
