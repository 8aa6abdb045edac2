import { afterAll } from 'vitest';
import { call, type Reply } from './http.js';
import { target } from './target.js';

/** A credit as the API renders it (the fields the suite reads). */
export interface CreditBody {
  uuid: string;
  url: string;
  value: string;
  [field: string]: unknown;
}

const created = new Set<string>();

/**
 * Creates through the API and remembers what it made, so that the file's
 * afterAll deletes it again: the suite leaves a real server as it found it.
 */
export async function createCredit(
  kind: 'customer' | 'project',
  body: Record<string, unknown>,
  token?: string,
): Promise<Reply> {
  const res = await call('POST', `/api/${kind}-credits/`, { body, token });
  const made = res.body as CreditBody | undefined;
  if (res.status === 201 && made?.url) created.add(made.url);
  return res;
}

/** Creates and insists on 201, returning the credit. */
export async function mustCreate(kind: 'customer' | 'project', body: Record<string, unknown>): Promise<CreditBody> {
  const res = await createCredit(kind, body);
  if (res.status !== 201) throw new Error(`setup: creating a ${kind} credit failed: ${res.status} ${res.text}`);
  return res.body as CreditBody;
}

export async function remove(url: string): Promise<void> {
  await call('DELETE', url);
  created.delete(url);
}

/** Registers the cleanup for the calling test file: project credits first, then customer credits. */
export function cleanUpAfterAll(): void {
  afterAll(async () => {
    if (target.readOnly) return;
    const urls = [...created].sort(
      (a, b) => Number(b.includes('/project-credits/')) - Number(a.includes('/project-credits/')),
    );
    for (const url of urls) await remove(url);
  });
}

/**
 * The path of an absolute URL the server wrote, relative to the target's base
 * (a target with a path, such as a session's `/__session/<name>`, has it
 * taken off), so that `call` can put it back under the base.
 */
export function pathOf(url: string): string {
  const u = new URL(url);
  const prefix = new URL(target.url).pathname.replace(/\/+$/, '');
  const path = prefix !== '' && u.pathname.startsWith(`${prefix}/`) ? u.pathname.slice(prefix.length) : u.pathname;
  return path + u.search;
}
