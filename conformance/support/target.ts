import { readFileSync } from 'node:fs';

/**
 * Which server the suite checks, and what it needs to know about it. The runner
 * (`credits-mock conform` or the harness) passes it through the environment, so
 * the suite itself stays plain vitest.
 */
export type Api = 'waldur' | 'maple';

export interface WaldurTargetConfig {
  /** Customer URLs (or uuids) that have no customer credit yet: the suite creates and deletes credits on them. */
  customers_without_credit?: string[];
  /** Project URLs (or uuids) without a project credit, under the customers above, by customer. */
  projects_without_credit?: { project: string; customer: string }[];
  /** Tokens per role. `staff` is the main token (--token). */
  tokens?: Partial<Record<'staff' | 'support' | 'owner' | 'manager' | 'user', string>>;
  /** The customer `tokens.owner` owns (URL or uuid); it must be one of customers_without_credit. */
  owner_customer?: string;
}

export interface TargetConfig {
  /** Deviation profile: which known differences to expect (see deviations.ts). */
  profile?: string;
  waldur?: WaldurTargetConfig;
}

export interface Target {
  url: string;
  api: Api;
  token: string;
  readOnly: boolean;
  profile: string;
  config: TargetConfig;
}

function loadTarget(): Target {
  const url = process.env.CONFORMANCE_TARGET;
  if (!url) throw new Error('CONFORMANCE_TARGET is not set: run the suite with `credits-mock conform --target URL`');
  const configPath = process.env.CONFORMANCE_CONFIG;
  const config = configPath ? (JSON.parse(readFileSync(configPath, 'utf8')) as TargetConfig) : {};
  const api = (process.env.CONFORMANCE_API ?? 'waldur') as Api;
  return {
    url: url.replace(/\/+$/, ''),
    api,
    token: process.env.CONFORMANCE_TOKEN ?? config.waldur?.tokens?.staff ?? '',
    readOnly: process.env.CONFORMANCE_READ_ONLY === '1',
    profile: process.env.CONFORMANCE_PROFILE ?? config.profile ?? 'default',
    config,
  };
}

export const target = loadTarget();
