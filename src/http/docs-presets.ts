import type { StartFixtures } from './world.js';
import type { WaldurVersion } from '../domain/waldur/profile.js';

/** One Authorization value the docs page offers for "try it". */
export interface AuthPreset {
  label: string;
  /** What the security scheme takes: the whole header for Waldur's apiKey, the bare token for Maple's bearer. */
  value: string;
  /** The Maple company the token belongs to (prefills `company_id`). */
  company?: string;
}

/** One spec as the docs page lists it. */
export interface DocsSpec {
  name: string;
  title: string;
  yaml: string;
  json: string;
  /** The security scheme the presets fill, null for an API without auth. */
  scheme: string | null;
  presets: AuthPreset[];
  /** For a Waldur spec: the version profile it is the contract of (a world runs one; /__admin/waldur/settings). */
  waldurVersion?: WaldurVersion;
}

export const SPEC_NAMES = ['waldur-credits', 'waldur-credits-8.1', 'maple-credits', 'admin'] as const;
export type SpecName = (typeof SPEC_NAMES)[number];

const TITLES: Record<SpecName, string> = {
  'waldur-credits': 'Waldur credits',
  'waldur-credits-8.1': 'Waldur credits 8.1',
  'maple-credits': 'Maple credits',
  admin: 'Control API (/__admin/)',
};
const WALDUR_VERSIONS_OF: Partial<Record<SpecName, WaldurVersion>> = {
  'waldur-credits': '8.0.5',
  'waldur-credits-8.1': '8.1',
};

/** What a Waldur user may do, in a few words, for the preset's label. */
function waldurRole(user: StartFixtures['waldur']['users'][number]): string {
  if (!user.is_active) return 'inactive';
  if (user.token_expires_at !== null) return `expires ${user.token_expires_at.slice(0, 10)}`;
  if (user.is_staff) return 'staff';
  if (user.is_support) return 'support';
  const roles = [...user.customer_roles.map((r) => r.role), ...user.project_roles.map((r) => `project ${r.role}`)];
  return roles.length > 0 ? roles.join(', ') : 'no role';
}

/**
 * The specs the docs page shows, with the tokens of the fixtures the server
 * started with as presets: a staff token first for Waldur, the first
 * company's token first for Maple. The control API is left out when it is off.
 */
export function docsSpecs(fixtures: StartFixtures, admin: boolean): DocsSpec[] {
  const users = [...fixtures.waldur.users].sort((a, b) => rank(a) - rank(b));
  const presets: Record<SpecName, AuthPreset[]> = {
    'waldur-credits': users.map((u) => ({
      label: `Token ${u.token} (${u.username}: ${waldurRole(u)})`,
      value: `Token ${u.token}`,
    })),
    'waldur-credits-8.1': users.map((u) => ({
      label: `Token ${u.token} (${u.username}: ${waldurRole(u)})`,
      value: `Token ${u.token}`,
    })),
    'maple-credits': fixtures.maple.companies.flatMap((c) =>
      c.tokens.map((t) => ({ label: `Bearer ${t} (${c.name})`, value: t, company: c.id })),
    ),
    admin: [],
  };
  const schemes: Record<SpecName, string | null> = {
    'waldur-credits': 'tokenAuth',
    'waldur-credits-8.1': 'waldurTokenAuth',
    'maple-credits': 'bearerAuth',
    admin: null,
  };
  return SPEC_NAMES.filter((name) => admin || name !== 'admin').map((name) => ({
    name,
    title: TITLES[name],
    yaml: `specs/${name}.yaml`,
    json: `specs/${name}.json`,
    scheme: schemes[name],
    presets: presets[name],
    ...(WALDUR_VERSIONS_OF[name] ? { waldurVersion: WALDUR_VERSIONS_OF[name] } : {}),
  }));
}

/** Active staff first, then active users, then the ones whose token is refused; fixture order otherwise. */
function rank(user: StartFixtures['waldur']['users'][number]): number {
  if (!user.is_active || user.token_expires_at !== null) return 2;
  return user.is_staff ? 0 : 1;
}
