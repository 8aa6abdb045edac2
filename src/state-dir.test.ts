import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PACKAGE_ROOT } from './paths.js';

/** --state-dir as a user meets it: a real process, killed with SIGKILL, started again on the same folder. */
const BIN = path.join(PACKAGE_ROOT, 'src', 'bin.ts');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

interface Mock {
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function serve(dir: string | null, more: string[] = []): Promise<Mock> {
  const state = dir === null ? [] : ['--state-dir', dir];
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      BIN,
      'serve',
      '--port',
      '0',
      '--now',
      '2026-11-20',
      '--self-check',
      'strict',
      ...state,
      ...more,
    ],
    {
      cwd: PACKAGE_ROOT,
    },
  );
  children.push(child);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  return { url, child, output: () => output };
}

function kill(mock: Mock): Promise<void> {
  return new Promise((resolve) => {
    mock.child.once('exit', () => resolve());
    mock.child.kill('SIGKILL');
  });
}

const COMPANY = 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50';
const ALPHA_CREDIT = '864fa3f3eab04e9ba5ed0de47db4304d';
const EDGE_PROJECT_CREDIT = '85f184e0b4644554b675299b0c83e786';
const DELTA = '6bad6be28e7a46e99f19950499dd251d';

async function call(base: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  const auth = p.startsWith('/api/v1/') ? 'Bearer maple-token' : 'Token staff-token';
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { Authorization: auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as any) : undefined };
}

describe('--state-dir', () => {
  it('after kill -9, every acknowledged write, the clock, the settings and a stored key that replays are back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'credits-mock-state-'));
    const first = await serve(dir);
    const u = first.url;
    const created = await call(u, 'POST', '/api/customer-credits/', {
      customer: `${u}/api/customers/${DELTA}/`,
      value: '500.00',
    });
    expect(created.status).toBe(201);
    expect((await call(u, 'PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { value: '1234.56789' })).status).toBe(
      200,
    );
    expect((await call(u, 'DELETE', `/api/project-credits/${EDGE_PROJECT_CREDIT}/`)).status).toBe(204);
    const credits = `/api/v1/companies/${COMPANY}/credits`;
    const grant = { customer_id: 'fabrikam-inc', type: 'AMOUNT', amount: { currency: 'USD', value_in_cents: 4200 } };
    const fabrikam = 'cus_0ERUrAL9SJRKBkceBhjoEDdCMKC';
    const keyed = await call(u, 'POST', credits, { ...grant, customer_id: fabrikam }, { 'Idempotency-Key': 'grant-1' });
    expect(keyed.status).toBe(201);
    const consumed = await call(u, 'POST', `${credits}/consume`, {
      customer_id: fabrikam,
      type: 'AMOUNT',
      amount: { currency: 'USD', value_in_cents: 200 },
    });
    expect(consumed.status).toBe(200);
    // Half a day: the stored key (kept 24 hours on the mock clock) is still live after the restart.
    expect((await call(u, 'POST', '/__admin/clock', { advance_days: 0.5 })).json.now).toBe('2026-11-20T12:00:00.000Z');
    expect((await call(u, 'POST', '/__admin/maple/settings', { allow_partial_consume: true })).status).toBe(200);
    const before = (await call(u, 'GET', '/__admin/state')).json;
    await kill(first);

    const second = await serve(dir);
    const v = second.url;
    expect(second.output()).toContain(`state restored from ${dir}`);
    const after = (await call(v, 'GET', '/__admin/state')).json;
    expect(after).toEqual(before);
    expect((await call(v, 'GET', `/api/customer-credits/${created.json.uuid}/`)).json.value).toBe('500.00000');
    expect((await call(v, 'GET', `/api/customer-credits/${ALPHA_CREDIT}/`)).json.value).toBe('1234.56789');
    expect((await call(v, 'GET', `/api/project-credits/${EDGE_PROJECT_CREDIT}/`)).status).toBe(404);
    expect((await call(v, 'GET', '/__admin/clock')).json).toMatchObject({
      now: '2026-11-20T12:00:00.000Z',
      frozen: true,
    });
    expect((await call(v, 'GET', '/__admin/maple/settings')).json).toMatchObject({ allow_partial_consume: true });
    const retried = await call(
      v,
      'POST',
      credits,
      { ...grant, customer_id: fabrikam },
      { 'Idempotency-Key': 'grant-1' },
    );
    expect(retried.headers.get('idempotency-used')).toBe('true');
    expect(retried.text).toBe(keyed.text);
    const balance = await call(v, 'GET', `${credits}/check_balance/${fabrikam}`);
    expect(balance.json.total_amount).toEqual({ USD: 4000 });
    // Writes after a restart land on top of the restored state, and survive the next kill too.
    expect((await call(v, 'POST', '/__admin/reset')).status).toBe(200);
    const again = await call(v, 'POST', '/api/customer-credits/', {
      customer: `${v}/api/customers/${DELTA}/`,
      value: '7.00',
    });
    await kill(second);
    const third = await serve(dir);
    expect((await call(third.url, 'GET', `/api/customer-credits/${again.json.uuid}/`)).json.value).toBe('7.00000');
    expect((await call(third.url, 'GET', `/api/customer-credits/${created.json.uuid}/`)).status).toBe(404);
    expect((await call(third.url, 'GET', '/__admin/clock')).json.now).toBe('2026-11-20T00:00:00.000Z');
    await kill(third);
  });

  it('keeps the 8.1 credit ledger: rows written before a kill -9 are back, later rows come after them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'credits-mock-state-'));
    const first = await serve(dir, ['--waldur-version', '8.1']);
    expect((await call(first.url, 'PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { value: '1100' })).status).toBe(
      200,
    );
    expect((await call(first.url, 'DELETE', `/api/project-credits/${EDGE_PROJECT_CREDIT}/`)).status).toBe(204);
    const before = (await call(first.url, 'GET', '/api/credit-transactions/')).json;
    expect(before).toHaveLength(1);
    await kill(first);
    const second = await serve(dir, ['--waldur-version', '8.1']);
    expect((await call(second.url, 'GET', '/api/credit-transactions/')).json).toEqual(before);
    expect((await call(second.url, 'PATCH', `/api/customer-credits/${ALPHA_CREDIT}/`, { value: '1000' })).status).toBe(
      200,
    );
    const after = (await call(second.url, 'GET', '/api/credit-transactions/?o=created')).json;
    expect(after.map((r: { amount: string }) => r.amount)).toEqual(['100.00000', '-100.00000']);
    expect(after[1].created > after[0].created).toBe(true);
    await kill(second);
  });

  it('a torn last journal line (the crash hit mid-write) is dropped with a warning, and the mock starts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'credits-mock-state-'));
    const first = await serve(dir);
    const created = await call(first.url, 'POST', '/api/customer-credits/', {
      customer: `${first.url}/api/customers/${DELTA}/`,
      value: '5',
    });
    await kill(first);
    const journal = readdirSync(dir).find((f) => f.startsWith('journal-'))!;
    appendFileSync(path.join(dir, journal), '{"op":"row","s":"waldur","t":"customer_cre');
    const second = await serve(dir);
    expect(second.output()).toMatch(/warning: --state-dir .*cut short.*dropped/);
    expect((await call(second.url, 'GET', `/api/customer-credits/${created.json.uuid}/`)).json.value).toBe('5.00000');
    await kill(second);
  });

  it('--max-idempotency-keys forgets the oldest stored key first, and says so', async () => {
    const mock = await serve(null, ['--max-idempotency-keys', '2']);
    const credits = `/api/v1/companies/${COMPANY}/credits`;
    const grant = (n: number) => ({
      customer_id: 'northwind',
      type: 'AMOUNT',
      amount: { currency: 'USD', value_in_cents: n },
    });
    for (const n of [1, 2, 3])
      expect((await call(mock.url, 'POST', credits, grant(n), { 'Idempotency-Key': `k${n}` })).status).toBe(201);
    const forgotten = await call(mock.url, 'POST', credits, grant(1), { 'Idempotency-Key': 'k1' });
    expect(forgotten.headers.get('idempotency-used')).toBeNull();
    const kept = await call(mock.url, 'POST', credits, grant(3), { 'Idempotency-Key': 'k3' });
    expect(kept.headers.get('idempotency-used')).toBe('true');
    // Log lines are written out in batches, at most 25 ms late.
    await vi.waitFor(() => expect(mock.output()).toMatch(/the oldest, \\?"k1\\?", was forgotten/));
    await kill(mock);
  });
});
