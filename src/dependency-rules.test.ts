import { execFile } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './paths.js';

/**
 * The dependency rules (.dependency-cruiser.cjs, `npm run lint:deps`) as part of `npm test`: the tree keeps them,
 * the known violations listed in .dependency-cruiser-known-violations.json are exactly the ones left (one that is
 * gone must leave the list), and breaking a rule fails the run — shown on a copy of src/, never in src/ itself.
 */

const CRUISER = path.join(PACKAGE_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = '.dependency-cruiser.cjs';
const KNOWN = '.dependency-cruiser-known-violations.json';

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs dependency-cruiser as `npm run lint:deps` does, in `cwd`; `extra` are more arguments. */
async function cruise(cwd: string, dirs: string[], extra: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CRUISER, ...dirs, '--config', CONFIG, ...extra], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '' };
  }
}

const label = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('dependency rules', () => {
  it('hold over src/, bench/, conformance/ and scripts/, but for the known violations, each of which still occurs', async () => {
    // What `npm run lint:deps` runs, word for word: `depcruise <dirs…> --config .dependency-cruiser.cjs --ignore-known`.
    const script = (
      JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts['lint:deps']!;
    const [bin, ...args] = script.split(/\s+/);
    expect(bin).toBe('depcruise');
    const dirs = args.slice(0, args.indexOf('--config'));
    expect(args.slice(dirs.length)).toEqual(['--config', CONFIG, '--ignore-known']);
    expect(dirs).toEqual(['src', 'bench', 'conformance', 'scripts']);
    const [run, lint] = await Promise.all([
      cruise(PACKAGE_ROOT, dirs, ['--output-type', 'json', '--no-ignore-known']),
      cruise(PACKAGE_ROOT, dirs, ['--ignore-known']),
    ]);
    const found = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations.map(label);
    const known = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, KNOWN), 'utf8')) as Violation[]).map(label);
    expect(
      found.filter((v) => !known.includes(v)),
      'new violations',
    ).toEqual([]);
    expect(
      known.filter((v) => !found.includes(v)),
      `gone: remove them from ${KNOWN}`,
    ).toEqual([]);
    expect(lint.code, lint.stdout).toBe(0);
  }, 120_000);

  it('fail the run on an import from the store into the domain, a cycle, a domain import of http, express in the store, conformance or bench reaching into src/ (on a copy)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'credits-mock-deps-'));
    temps.push(dir);
    for (const d of ['src', 'conformance']) {
      cpSync(path.join(PACKAGE_ROOT, d), path.join(dir, d), {
        recursive: true,
        filter: (f) => path.basename(f) !== 'node_modules',
      });
    }
    for (const f of [CONFIG, KNOWN, 'tsconfig.json']) cpSync(path.join(PACKAGE_ROOT, f), path.join(dir, f));
    symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    // Each break imports a module that imports nothing of the project, so it makes no cycle but the one meant.
    appendFileSync(
      path.join(dir, 'src/store/table.ts'),
      "\nimport { Dec } from '../domain/money/decimal.js';\nexport const kept = Dec;\n",
    );
    appendFileSync(
      path.join(dir, 'src/store/table.ts'),
      "import type { TransactionManager } from './transaction.js';\nexport type Tx = TransactionManager;\n",
    );
    appendFileSync(
      path.join(dir, 'src/domain/maple/units.ts'),
      "import { pathOf } from '../../http/request-target.js';\nexport const p = pathOf;\n",
    );
    appendFileSync(
      path.join(dir, 'src/store/state-files.ts'),
      "import express from 'express';\nexport const e = express;\n",
    );
    writeFileSync(path.join(dir, 'conformance/probe.ts'), "export { Dec } from '../src/domain/money/decimal.js';\n");
    mkdirSync(path.join(dir, 'bench'));
    writeFileSync(
      path.join(dir, 'bench/probe.ts'),
      "export { startMock } from '../src/index.js';\nexport { createApp } from '../src/http/app.js';\n",
    );

    const broken = await cruise(dir, ['src', 'bench', 'conformance'], ['--ignore-known']);
    expect(broken.code).not.toBe(0);
    // Exactly the rules broken above, nothing else: the copy is otherwise as clean as the tree.
    const errors = [...broken.stdout.matchAll(/error ([\w-]+): (\S+) →\s*(\S+)/g)].map(
      (m) => `${m[1]}: ${m[2]} → ${m[3]!.replace(/^.*\/node_modules\//, 'node_modules/')}`,
    );
    expect(errors.sort(), broken.stdout).toEqual([
      'bench-through-public-api: bench/probe.ts → src/http/app.ts',
      'conformance-speaks-http-only: conformance/probe.ts → src/domain/money/decimal.ts',
      'domain-not-to-outer-layers: src/domain/maple/units.ts → src/http/request-target.ts',
      'no-circular: src/store/table.ts → src/store/transaction.ts',
      'no-http-framework-inside: src/store/state-files.ts → node_modules/express/index.js',
      'store-is-generic: src/store/table.ts → src/domain/money/decimal.ts',
    ]);
  }, 180_000);
});
