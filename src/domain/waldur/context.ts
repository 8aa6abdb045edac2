import type { WaldurStore } from '../../store/waldur.store.js';
import { today, type CalendarDate, type Clock, type IdGenerator } from '../clock.js';
import { parseHyperlink } from './drf-fields.js';
import type { Input } from './input.js';
import { resolveWaldurPath, VIEWS } from './urls.js';
import { normalizeUuid } from './uuid.js';

/** What every Waldur service needs: the state, the clock and the id source. */
export interface WaldurContext {
  store: WaldurStore;
  clock: Clock;
  ids: IdGenerator;
  /** The path prefix clients reach the API under, as DRF's script prefix ('/mock/'); default '/'. */
  scriptPrefix?: string;
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
  scriptPrefix?: string,
): T {
  return parseHyperlink(input, VIEWS[view].detail, resolveWaldurPath, (lookup) => {
    const hex = normalizeUuid(lookup);
    return hex === null ? undefined : find(hex);
  }, scriptPrefix);
}
