import { target } from './target.js';

/**
 * Which Waldur contract the run checks: the profile `waldur-8.1` checks the
 * newest Waldur (docs/behaviour/waldur-8.1.md) against
 * specs/waldur-credits-8.1.yaml, with the checks of waldur-8.1/ on top;
 * every other profile checks 8.0.5 against specs/waldur-credits.yaml.
 */
export type WaldurVersion = '8.0.5' | '8.1';

export function waldurVersionOf(profile: string): WaldurVersion {
  return profile === 'waldur-8.1' ? '8.1' : '8.0.5';
}

export const WALDUR_VERSION: WaldurVersion = waldurVersionOf(target.profile);

/** Whether the run checks the 8.1 contract. */
export const IS_81 = WALDUR_VERSION === '8.1';

/** The spec file of the version (in specs/). */
export const WALDUR_SPEC = IS_81 ? 'waldur-credits-8.1.yaml' : 'waldur-credits.yaml';
