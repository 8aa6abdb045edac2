/**
 * The Waldur version a world speaks (README, "Waldur version profiles").
 * `8.0.5` is the contract of the seeds; `8.1` is the newest Waldur and its
 * newest SDK (docs/behaviour/waldur-8.1.md). The data is the same under
 * both: a profile decides the contract (fields, actions, rules), not the state,
 * so a world's profile may be switched at any time.
 */
export type WaldurVersion = '8.0.5' | '8.1';

export const WALDUR_VERSIONS: readonly WaldurVersion[] = ['8.0.5', '8.1'];

export const DEFAULT_WALDUR_VERSION: WaldurVersion = '8.0.5';

/** A world's Waldur switches; one object per world, read at every request (so a switch takes effect at once). */
export interface WaldurSettings {
  version: WaldurVersion;
}

export function isWaldurVersion(value: unknown): value is WaldurVersion {
  return typeof value === 'string' && (WALDUR_VERSIONS as readonly string[]).includes(value);
}

/** Whether the newest behaviour applies: a context without settings speaks 8.0.5. */
export function speaks81(settings: WaldurSettings | undefined): boolean {
  return settings?.version === '8.1';
}
