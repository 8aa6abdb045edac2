import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError } from './config.js';
import {
  checkToken,
  dropSession,
  newSessionName,
  PreflightError,
  probeTarget,
  sessionBase,
} from './conform-preflight.js';
import { PACKAGE_ROOT } from './paths.js';

/** What `credits-mock conform` is told. */
export interface ConformOptions {
  target: string;
  api: 'waldur' | 'maple';
  token: string;
  config: string | null;
  profile: string | null;
  readOnly: boolean;
  reportDir: string | null;
  /** Stop at the first failing check (for quick pass/fail runs). */
  bail: boolean;
  /** Use a session of the run's own when the target offers sessions (--no-session turns it off). */
  session: boolean;
}

export function parseTarget(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`--target must be an http(s) URL, got "${text}"`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`--target must be an http(s) URL, got "${text}"`, 2);
  return text.replace(/\/+$/, '');
}

export function parseApi(text: string): 'waldur' | 'maple' {
  if (text === 'waldur' || text === 'maple') return text;
  throw new ConfigError(`--api must be waldur or maple, got "${text}"`, 2);
}

/** The deviation profiles the suite knows (conformance/support/profiles.json). */
export function knownProfiles(): string[] {
  return Object.keys(
    JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'conformance', 'support', 'profiles.json'), 'utf8')) as object,
  );
}

export function parseProfile(text: string): string {
  const known = knownProfiles();
  if (known.includes(text)) return text;
  throw new ConfigError(`--profile must be one of ${known.join(', ')}, got "${text}"`, 2);
}

interface TargetFile {
  profile?: unknown;
  waldur?: { tokens?: { staff?: unknown } };
  maple?: { company_id?: unknown };
}

function readTargetFile(file: string | null): TargetFile {
  if (!file) return {};
  if (!existsSync(file)) throw new ConfigError(`--config file ${file} does not exist`, 2);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as TargetFile;
  } catch (err) {
    throw new ConfigError(`--config file ${file} is not valid JSON: ${(err as Error).message}`, 2);
  }
  throw new ConfigError(`--config file ${file} must hold a JSON object`, 2);
}

/**
 * Runs the conformance suite (conformance/, plain vitest) against a target in a
 * child process and resolves to its exit code: 0 when every check passes or
 * shows a documented deviation, 1 when one fails, 2 when the run cannot start
 * (unreachable target, missing or rejected token; one line on stderr).
 */
export async function runConformance(opts: ConformOptions): Promise<number> {
  const file = readTargetFile(opts.config);
  const profile = parseProfile(opts.profile ?? (typeof file.profile === 'string' ? file.profile : 'default'));
  const token =
    opts.token ||
    (opts.api === 'waldur' && typeof file.waldur?.tokens?.staff === 'string' ? file.waldur.tokens.staff : '');
  let session: string | null = null;
  let interrupted: NodeJS.Signals | null = null;
  const note = (signal: NodeJS.Signals) => (interrupted = signal);
  process.on('SIGINT', note);
  process.on('SIGTERM', note);
  try {
    if (await probeTarget(opts.target, opts.session)) session = newSessionName();
    const base = session ? sessionBase(opts.target, session) : opts.target;
    const mapleCompany = typeof file.maple?.company_id === 'string' ? file.maple.company_id : null;
    await checkToken({ api: opts.api, base, target: opts.target, token, mapleCompany });
    if (interrupted) return interrupted === 'SIGINT' ? 130 : 143; // before the suite started: drop the session and stop
    return await runSuite({ ...opts, token, profile }, base, session);
  } catch (err) {
    if (!(err instanceof PreflightError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', note);
    process.off('SIGTERM', note);
    if (session) {
      const problem = await dropSession(opts.target, session);
      if (problem) process.stderr.write(`could not drop session ${session}: ${problem}\n`);
    }
  }
}

/** The suite in a child process; SIGINT and SIGTERM reach it and the run still ends here (so the session is dropped). */
function runSuite(opts: ConformOptions & { profile: string }, base: string, session: string | null): Promise<number> {
  const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const args = [
    vitest,
    'run',
    '--config',
    path.join(PACKAGE_ROOT, 'conformance', 'vitest.config.ts'),
    '--reporter',
    path.join(PACKAGE_ROOT, 'conformance', 'support', 'reporter.ts'),
  ];
  if (opts.bail) args.push('--bail', '1');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONFORMANCE_TARGET: base,
    CONFORMANCE_TARGET_NAME: opts.target,
    CONFORMANCE_SESSION: session ?? '',
    CONFORMANCE_API: opts.api,
    CONFORMANCE_TOKEN: opts.token,
    CONFORMANCE_READ_ONLY: opts.readOnly ? '1' : '0',
    CONFORMANCE_PROFILE: opts.profile,
  };
  if (opts.config) env.CONFORMANCE_CONFIG = path.resolve(opts.config);
  if (opts.reportDir) env.CONFORMANCE_REPORT_DIR = path.resolve(opts.reportDir);
  return new Promise((resolve, reject) => {
    // A process group of its own, so that a signal, and the clean-up after, reach vitest's workers too.
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env, stdio: 'inherit', detached: true });
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // the group is gone already
      }
    };
    const forward = (signal: NodeJS.Signals) => signalGroup(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = () => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      signalGroup('SIGKILL'); // a worker left behind by an interrupted run
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    child.on('exit', (code, signal) => {
      done();
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
  });
}
