import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { run } from './cli.js';
import { PACKAGE_ROOT } from './paths.js';
import { PACKAGE_VERSION } from './version.js';

afterEach(() => vi.restoreAllMocks());

it("--version prints package.json's version and exits 0", async () => {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(PACKAGE_VERSION).toBe(pkg.version);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  expect(await run(['node', 'credits-mock', '--version'])).toBe(0);
  expect(out).toHaveBeenCalledWith(`${pkg.version}\n`);
});
