import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError } from './config.js';
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
}

export function parseTarget(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`--target must be an http(s) URL, got "${text}"`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--target must be an http(s) URL, got "${text}"`, 2);
  return text.replace(/\/+$/, '');
}

export function parseApi(text: string): 'waldur' | 'maple' {
  if (text === 'waldur' || text === 'maple') return text;
  throw new ConfigError(`--api must be waldur or maple, got "${text}"`, 2);
}

/**
 * Runs the conformance suite (conformance/, plain vitest) against a target in a
 * child process and resolves to its exit code: 0 when every check passes or
 * shows a documented deviation.
 */
export function runConformance(opts: ConformOptions): Promise<number> {
  if (opts.config && !existsSync(opts.config)) throw new ConfigError(`--config file ${opts.config} does not exist`);
  const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const args = [vitest, 'run', '--config', path.join(PACKAGE_ROOT, 'conformance', 'vitest.config.ts'), '--reporter', path.join(PACKAGE_ROOT, 'conformance', 'support', 'reporter.ts')];
  if (opts.reportDir) args.push('--reporter', 'junit', '--outputFile.junit', path.resolve(opts.reportDir, 'junit.xml'));
  if (opts.bail) args.push('--bail', '1');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONFORMANCE_TARGET: opts.target,
    CONFORMANCE_API: opts.api,
    CONFORMANCE_TOKEN: opts.token,
    CONFORMANCE_READ_ONLY: opts.readOnly ? '1' : '0',
  };
  if (opts.config) env.CONFORMANCE_CONFIG = path.resolve(opts.config);
  if (opts.profile) env.CONFORMANCE_PROFILE = opts.profile;
  if (opts.reportDir) env.CONFORMANCE_REPORT_DIR = path.resolve(opts.reportDir);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
