// `npm start`: builds dist/ only when a source is newer than the last build
// (dist/.tsbuildinfo), then runs the command line in this same process.
// A check of modification times takes milliseconds; even `tsc -b` finding
// nothing to do loads the compiler first.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_INFO = path.join(ROOT, 'dist', '.tsbuildinfo');
const mtime = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** The newest modification time of the build's inputs: src/**\/*.ts but the tests, and the configs. */
function newestInput() {
  let newest = Math.max(mtime(path.join(ROOT, 'tsconfig.json')), mtime(path.join(ROOT, 'tsconfig.build.json')));
  for (const entry of readdirSync(path.join(ROOT, 'src'), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, mtime(path.join(entry.parentPath, entry.name)));
    }
  }
  return newest;
}

if (newestInput() > mtime(BUILD_INFO)) {
  process.stderr.write('credits-mock: sources changed, building dist/ …\n');
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-b', path.join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import('../dist/bin.js');
