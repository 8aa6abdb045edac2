import type { QueryParams } from '../../domain/waldur/query-params.js';
import { WaldurError } from '../../domain/waldur/errors.js';
import { Actor } from '../../domain/waldur/permissions.js';
import type { Clock } from '../../domain/clock.js';
import type { User } from '../../domain/waldur/model.js';
import type { WaldurStore } from '../../domain/waldur/waldur.store.js';

const failed = (detail: string) => new WaldurError('authentication_failed', { detail });

/**
 * Waldur's TokenAuthentication: `Authorization: Token <key>` (keyword in any
 * case), else the `x-auth-token` query parameter. Another scheme in the header
 * counts as no credentials. Returns null for an anonymous request.
 */
export function authenticate(
  header: string | undefined,
  query: QueryParams,
  store: WaldurStore,
  clock: Clock,
): Actor | null {
  if (header !== undefined) {
    const parts = header.split(/\s+/).filter((p) => p !== '');
    if (parts.length > 0 && parts[0]!.toLowerCase() === 'token') {
      if (parts.length === 1) throw failed('Invalid token. No credentials provided.');
      if (parts.length > 2) throw failed('Invalid token. Token string should not contain spaces.');
      return credentials(parts[1]!, store, clock);
    }
  }
  const queryToken = query['x-auth-token'];
  const token = Array.isArray(queryToken) ? queryToken[queryToken.length - 1] : queryToken;
  if (typeof token === 'string' && token !== '') return credentials(token, store, clock);
  return null;
}

function credentials(token: string, store: WaldurStore, clock: Clock): Actor {
  const user = store.users.getBy('token', token);
  if (!user) throw failed('Invalid token.');
  if (!user.is_active) throw failed('User inactive or deleted.');
  if (user.token_expires_at !== null && Date.parse(user.token_expires_at) <= clock.now().getTime()) {
    throw failed('Token has expired.');
  }
  return actorOf(user);
}

/** Users are immutable records: the Actor made for one (its roles indexed) serves every request it makes. */
const actors = new WeakMap<User, Actor>();

function actorOf(user: User): Actor {
  let actor = actors.get(user);
  if (!actor) actors.set(user, (actor = new Actor(user)));
  return actor;
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new WaldurError('not_authenticated', { detail: 'Authentication credentials were not provided.' });
  return actor;
}
