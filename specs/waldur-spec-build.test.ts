/**
 * specs/waldur-credits-8.1.yaml is generated (scripts/build-waldur-spec.mjs):
 * the committed file must be exactly the build of the 8.0.5 spec plus the
 * overlays, and the check must catch a file that is not. (Its OpenAPI
 * validity and lint are checked by specs.test.ts, with every spec.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = path.join(ROOT, 'scripts', 'build-waldur-spec.mjs');
const GENERATED = path.join(ROOT, 'specs', 'waldur-credits-8.1.yaml');
const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });

type Doc = {
  info: { version: string };
  paths: Record<string, Record<string, { operationId?: string; requestBody?: unknown }>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
};
const operationIds = (doc: Doc) =>
  Object.values(doc.paths)
    .flatMap((item) =>
      Object.values(item)
        .map((op) => op.operationId)
        .filter(Boolean),
    )
    .sort();

describe('specs/waldur-credits-8.1.yaml', () => {
  it('is exactly the build output (npm run build:specs)', () => {
    const res = run('--check');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('the check fails on a file that differs from the build, and names the remedy', () => {
    const copy = path.join(mkdtempSync(path.join(tmpdir(), 'waldur-spec-')), 'waldur-credits-8.1.yaml');
    writeFileSync(copy, `${readFileSync(GENERATED, 'utf8')}# edited by hand\n`);
    const res = run('--check', '--out', copy);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('npm run build:specs');
    execFileSync(process.execPath, [SCRIPT, '--out', copy], { cwd: ROOT });
    expect(run('--check', '--out', copy).status).toBe(0);
  });

  it('is the 8.0.5 spec with the documented differences (merge-patch semantics: merged, replaced, deleted)', () => {
    const base = loadYaml(readFileSync(path.join(ROOT, 'specs', 'waldur-credits.yaml'), 'utf8')) as Doc;
    const v81 = loadYaml(readFileSync(GENERATED, 'utf8')) as Doc;
    expect(v81.info.version).toBe('8.1');
    // Merged: every 8.0.5 operation is still there, plus adjust_withdrawable.
    expect(operationIds(v81).filter((id) => !operationIds(base).includes(id!))).toContain(
      'customer_credits_adjust_withdrawable',
    );
    expect(operationIds(base).filter((id) => !operationIds(v81).includes(id!))).toEqual([]);
    // Replaced: a required list is the overlay's whole list.
    expect(v81.components.schemas.CustomerCredit!.required).toContain('withdrawable_balance');
    expect(v81.components.schemas.ProjectCredit!.required).not.toContain('offerings');
    expect(v81.components.schemas.ProjectCredit!.properties).toHaveProperty('offerings');
    // Deleted: apply/clear have no request body, the old body schema is gone.
    expect(v81.paths['/api/customer-credits/{uuid}/apply_compensations/']!.post!.requestBody).toBeUndefined();
    expect(v81.components.schemas.CustomerCreditRequest).toBeUndefined();
    expect(base.components.schemas.CustomerCreditRequest).toBeDefined();
  });
});
