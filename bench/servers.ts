import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort } from '../conformance/harness/processes.js';

/** The servers the benchmark measures, each in its own process, started and stopped one at a time. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type ServerKind = 'mock' | 'prism' | 'http' | 'express';

export interface Target {
  kind: ServerKind;
  url: string;
  pid: number;
  /** From spawn to the first 200 (the readiness probe). */
  startMs: number;
  /** Resident memory now and at its peak, in MiB (/proc/PID/status). */
  memory(): { rss: number; peak: number };
  /** CPU time the process has used so far (user + system), in ms. */
  cpuMs(): number;
  /** CPU time the process's main thread (its event loop) has run so far, in ms at ns resolution (/proc/PID/task/PID/schedstat). */
  loopCpuMs(): number;
  stop(): Promise<void>;
}

interface Probe {
  path: string;
  headers?: Record<string, string>;
  /** Which answer counts as ready (default: 200). */
  ready?: (status: number) => boolean;
}

/** One GET; resolves to the status, or null when nothing answers yet. */
function probeOnce(url: string, probe: Probe): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url + probe.path, { headers: probe.headers, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? null));
    });
    req.once('error', () => resolve(null));
    req.setTimeout(2_000, () => req.destroy());
    req.end();
  });
}

async function waitReady(child: ChildProcess, url: string, probe: Probe, output: () => string): Promise<void> {
  const ready = probe.ready ?? ((s: number) => s === 200);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering:\n${output()}`);
    const status = await probeOnce(url, probe);
    if (status !== null && ready(status)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no answer from ${url}${probe.path} after 90 s:\n${output()}`);
}

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** utime + stime from /proc/PID/stat, in clock ticks of 10 ms (CLK_TCK 100). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The first field of the main thread's schedstat: nanoseconds on a CPU. */
function loopCpuMsOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
}

async function launch(kind: ServerKind, args: string[], port: number, probe: Probe): Promise<Target> {
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = stopper(child);
  try {
    await waitReady(child, url, probe, () => output);
  } catch (err) {
    await stop();
    throw new Error(`${kind}: ${(err as Error).message}`, { cause: err });
  }
  const startMs = performance.now() - started;
  const pid = child.pid!;
  return {
    kind,
    url,
    pid,
    startMs,
    memory: () => memoryOf(pid),
    cpuMs: () => cpuMsOf(pid),
    loopCpuMs: () => loopCpuMsOf(pid),
    stop,
  };
}

export const STAFF = { Authorization: 'Token staff-token' };
const WALDUR_PROBE: Probe = { path: '/api/customer-credits/', headers: STAFF };

/** The built mock as `npm start` runs it, with the response self-check off (production use). */
export async function startMock(fixtures?: string, extra: string[] = [], mapleFixtures?: string): Promise<Target> {
  const port = await freePort();
  const args = [
    path.join(ROOT, 'bin', 'credits-mock.js'),
    'serve',
    '--port',
    String(port),
    '--self-check',
    'off',
    '--now',
    '2026-11-15',
    ...extra,
  ];
  if (fixtures) args.push('--fixtures', fixtures);
  if (mapleFixtures) args.push('--maple-fixtures', mapleFixtures);
  return launch('mock', args, port, WALDUR_PROBE);
}

/** Prism 5.14.2 mocking one spec file from its examples. */
export async function startPrism(spec: string): Promise<Target> {
  const port = await freePort();
  const prism = path.join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
  const args = [prism, 'mock', path.join(ROOT, 'specs', spec), '-p', String(port), '-h', '127.0.0.1'];
  const probe = spec.startsWith('waldur') ? WALDUR_PROBE : { path: '/', ready: () => true };
  return launch('prism', args, port, probe);
}

/** A bare node:http server or a bare Express app answering fixed bodies (bench/ceiling.ts). */
export async function startCeiling(kind: 'http' | 'express', bodiesFile: string): Promise<Target> {
  const port = await freePort();
  const args = ['--import', 'tsx', path.join(ROOT, 'bench', 'ceiling.ts'), kind, String(port), bodiesFile];
  return launch(kind, args, port, { path: '/', ready: () => true });
}
