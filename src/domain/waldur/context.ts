import type { WaldurStore } from './waldur.store.js';
import { today, type CalendarDate, type Clock, type IdGenerator } from '../clock.js';
import { parseHyperlink } from './drf-fields.js';
import type { Input } from './input.js';
import { resolveWaldurPath, VIEWS } from './urls.js';
import { normalizeUuid } from './uuid.js';
import type { WaldurSettings } from './profile.js';

/** What every Waldur service needs: the state, the clock and the id source. */
export interface WaldurContext {
  store: WaldurStore;
  clock: Clock;
  ids: IdGenerator;
  /**
   * The path prefix of this state's URLs (a session's `/__session/<name>`;
   * none for the default state). Hyperlinks in requests may carry it: it is
   * taken off before they are resolved, as Django takes off its script prefix.
   */
  linkPrefix?: string;
  /** The path prefix clients reach the API under (--public-url's path), as DRF's script prefix ('/mock/'); default '/'. */
  scriptPrefix?: string;
  /** The world's Waldur version profile (profile.ts); absent: 8.0.5. */
  settings?: WaldurSettings;
}

export function todayOf(ctx: WaldurContext): CalendarDate {
  return today(ctx.clock);
}

export function nowIso(ctx: WaldurContext): string {
  return ctx.clock.now().toISOString();
}

/** Parses a hyperlink to one of the related Waldur objects and returns the object. */
export function linkTo<T>(
  input: Input,
  view: keyof typeof VIEWS,
  find: (uuid: string) => T | undefined,
  prefix = '',
  scriptPrefix?: string,
): T {
  const resolve = (path: string) =>
    resolveWaldurPath(prefix !== '' && path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path);
  return parseHyperlink(
    input,
    VIEWS[view].detail,
    resolve,
    (lookup) => {
      const hex = normalizeUuid(lookup);
      return hex === null ? undefined : find(hex);
    },
    scriptPrefix,
  );
}
