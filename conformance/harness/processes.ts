import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceReport } from '../support/reporter.js';

/** Starting the servers the suite is proved against, and running the suite on them — as processes, over HTTP. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = ['--import', 'tsx', path.join(ROOT, 'src', 'bin.ts')];

export interface Running {
  url: string;
  stop(): Promise<void>;
}

function track(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
}

/** Waits until the child prints a line matching `ready`, or fails with what it printed. */
function waitFor(child: ChildProcess, ready: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** The mock, on a free port, with its default fixtures and the strict self-check. */
export async function startMock(): Promise<Running> {
  const child = spawn(process.execPath, [...TSX, 'serve', '--port', '0', '--self-check', 'strict'], { cwd: ROOT });
  const m = await waitFor(child, /listening on (http:\/\/\S+)/);
  return { url: m[1]!, stop: track(child) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Prism 5.14.2 serving the same spec file, the baseline users know. */
export async function startPrism(spec: string): Promise<Running> {
  const port = await freePort();
  const prism = path.join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
  const child = spawn(
    process.execPath,
    [prism, 'mock', path.join(ROOT, 'specs', spec), '-p', String(port), '-h', '127.0.0.1'],
    { cwd: ROOT },
  );
  await waitFor(child, /Prism is listening/);
  return { url: `http://127.0.0.1:${port}`, stop: track(child) };
}

export interface SuiteRun {
  code: number;
  /** stdout and stderr as they came. */
  output: string;
  stdout: string;
  stderr: string;
  report: ConformanceReport;
  /** junit-<api>.xml as written. */
  junit: string;
}

/** `credits-mock conform …` as a user runs it, without a report: its exit code and what it printed. */
export function runConform(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; output: string; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...TSX, 'conform', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output, stdout, stderr }));
  });
}

/** `credits-mock conform … --report DIR`; returns its exit code, what it printed, report-<api>.json and junit-<api>.xml. */
export async function runSuite(args: string[], reportDir: string, env: NodeJS.ProcessEnv = {}): Promise<SuiteRun> {
  const run = await runConform([...args, '--report', reportDir], env);
  const api = args.includes('--api') ? args[args.indexOf('--api') + 1]! : 'waldur';
  try {
    const report = JSON.parse(readFileSync(path.join(reportDir, `report-${api}.json`), 'utf8')) as ConformanceReport;
    return { ...run, report, junit: readFileSync(path.join(reportDir, `junit-${api}.xml`), 'utf8') };
  } catch (err) {
    throw new Error(`the suite wrote no report (exit ${run.code}): ${String(err)}\n${run.output}`, { cause: err });
  }
}
