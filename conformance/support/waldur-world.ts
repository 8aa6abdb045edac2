import { randomBytes } from 'node:crypto';
import { call } from './http.js';
import { target } from './target.js';
import { WALDUR_VERSION } from './waldur-version.js';

/** A related object as the suite uses it: its absolute URL and its uuid (hex, no dashes). */
export interface Ref {
  url: string;
  uuid: string;
  name: string;
}

/**
 * What the suite needs and cannot create through the credits APIs: customers
 * and projects without credits, and users per role. Provisioned through the
 * mock's /__admin/ API when the target has it, else read from the config file.
 */
export interface WaldurWorld {
  /** Three customers without a credit; the owner token owns customers[0]. */
  customers: Ref[];
  /** Projects without a credit: projects[0..2] under customers[0], projects[3] under customers[1]. */
  projects: (Ref & { customer: Ref })[];
  tokens: { staff: string; support?: string; owner?: string; manager?: string; user?: string };
  provisioned: 'admin' | 'config';
}

const hex = (id: string) => (/([0-9a-fA-F-]{32,36})\/?$/.exec(id)?.[1] ?? id).replace(/-/g, '').toLowerCase();
const ref = (kind: 'customers' | 'projects', id: string, name = ''): Ref => ({
  uuid: hex(id),
  url: `${target.url}/api/${kind}/${hex(id)}/`,
  name,
});

let world: Promise<WaldurWorld | null> | undefined;

/**
 * The world the writing checks work in, or null when the target has neither
 * /__admin/ nor a configured world: then only the read-only checks run, and the
 * others are reported as not run, with why.
 */
export function waldurWorld(): Promise<WaldurWorld | null> {
  world ??= (async () => {
    if (await hasAdmin()) return provisionThroughAdmin();
    return target.config.waldur?.customers_without_credit ? fromConfig() : null;
  })();
  return world;
}

export const NO_WORLD =
  'writes data, and the target has no /__admin/ API and no --config world to write to (see README: the config file)';

async function hasAdmin(): Promise<boolean> {
  if (target.config.waldur?.customers_without_credit) return false;
  const res = await call('GET', '/__admin/health', { token: null });
  return res.status === 200 && (res.body as { status?: string } | undefined)?.status === 'ok';
}

async function admin<T>(path: string, body: unknown): Promise<T> {
  const res = await call('POST', `/__admin/${path}`, { token: null, body });
  if (res.status !== 201) throw new Error(`provisioning ${path} failed: ${res.status} ${res.text}`);
  return res.body as T;
}

let aligned: Promise<void> | undefined;

/**
 * The mock's world must speak the version the run checks (GET /__admin/health
 * names it; a mock without the field speaks 8.0.5). A run in a session of its
 * own switches its session (POST /__admin/waldur/settings); one in the default
 * world, which others may use, never changes it and refuses to run instead.
 * Nothing to do against a target without /__admin/.
 */
export function alignVersion(): Promise<void> {
  aligned ??= (async () => {
    if (target.config.waldur?.customers_without_credit) return; // a configured world: a real server
    const health = await call('GET', '/__admin/health', { token: null });
    if (health.status !== 200 || (health.body as { status?: string } | undefined)?.status !== 'ok') return; // no /__admin/
    await switchTo((health.body as { waldur_version?: string }).waldur_version ?? '8.0.5');
  })();
  return aligned;
}

async function switchTo(spoken: string): Promise<void> {
  if (spoken === WALDUR_VERSION) return;
  if (!process.env.CONFORMANCE_SESSION) {
    throw new Error(
      `the target's world speaks Waldur ${spoken}, the profile checks ${WALDUR_VERSION}: start the mock with --waldur-version ${WALDUR_VERSION}, or let the run use a session`,
    );
  }
  const res = await call('POST', '/__admin/waldur/settings', { token: null, body: { version: WALDUR_VERSION } });
  if (res.status !== 200)
    throw new Error(`switching the session to Waldur ${WALDUR_VERSION} failed: ${res.status} ${res.text}`);
}

async function provisionThroughAdmin(): Promise<WaldurWorld> {
  await alignVersion();
  const run = randomBytes(4).toString('hex');
  const customers: Ref[] = [];
  for (const tag of ['a', 'b', 'c']) {
    const c = await admin<{ uuid: string; name: string }>('waldur/customers', {
      name: `Conformance ${tag.toUpperCase()} ${run}`,
      slug: `conformance-${tag}-${run}`,
    });
    customers.push(ref('customers', c.uuid, c.name));
  }
  const projects: WaldurWorld['projects'] = [];
  for (const [i, owner] of [0, 0, 0, 1].entries()) {
    const customer = customers[owner]!;
    const p = await admin<{ uuid: string; name: string }>('waldur/projects', {
      name: `Conformance project ${i} ${run}`,
      customer: customer.uuid,
    });
    projects.push({ ...ref('projects', p.uuid, p.name), customer });
  }
  const user = async (role: string, extra: object) => {
    const token = `conformance-${role}-${run}`;
    await admin('waldur/users', { username: `conformance-${role}-${run}`, token, ...extra });
    return token;
  };
  return {
    customers,
    projects,
    tokens: {
      staff: target.token,
      support: await user('support', { is_support: true }),
      owner: await user('owner', { customer_roles: [{ customer: customers[0]!.uuid, role: 'owner' }] }),
      manager: await user('manager', { project_roles: [{ project: projects[0]!.uuid, role: 'manager' }] }),
      user: await user('user', {}),
    },
    provisioned: 'admin',
  };
}

function fromConfig(): WaldurWorld {
  const c = target.config.waldur;
  if (!c?.customers_without_credit || c.customers_without_credit.length < 3 || !c.projects_without_credit) {
    throw new Error(
      'the target has no /__admin/ API: give --config with waldur.customers_without_credit (3) and waldur.projects_without_credit (see README)',
    );
  }
  const customers = c.customers_without_credit.map((id) => ref('customers', id));
  const projects = c.projects_without_credit.map((p) => ({
    ...ref('projects', p.project),
    customer: customers.find((x) => x.uuid === hex(p.customer)) ?? ref('customers', p.customer),
  }));
  return { customers, projects, tokens: { ...c.tokens, staff: target.token }, provisioned: 'config' };
}
