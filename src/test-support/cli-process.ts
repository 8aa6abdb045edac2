import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

/** The command line as a user runs it: a real process (src/bin.ts through tsx), its output and exit code. */
const BIN = path.join(PACKAGE_ROOT, 'src', 'bin.ts');
const children: ChildProcess[] = [];

/** Kills every process `cli` started (call it in afterAll). */
export function killCliProcesses(): void {
  for (const c of children.splice(0)) c.kill('SIGKILL');
}

/**
 * Starts `credits-mock <args>`. `listening` resolves to the URL of the
 * "listening on …" line (on either stream), and rejects if the process exits first.
 */
export function cli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { cwd: PACKAGE_ROOT });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', () => reject(new Error(`exited: ${output}`)));
  });
  listening.catch(() => undefined);
  return { child, exited, listening, output: () => output };
}
