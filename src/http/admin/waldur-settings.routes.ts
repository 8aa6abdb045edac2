import { Router, type Request, type Response } from 'express';
import type { WaldurSettings } from '../../domain/waldur/profile.js';

/**
 * GET and POST /__admin/waldur/settings: the Waldur version profile of the
 * world the request addresses (the default one, or `/__session/<name>/`'s).
 * A switch takes effect with the next request and keeps the data as it is:
 * the profile changes the contract, not the state. Reset does not change it.
 */
export function createWaldurSettingsRouter(settingsOf: (res: Response) => WaldurSettings): Router {
  const router = Router();
  router.get('/', (_req, res) => res.json(settingsBody(settingsOf(res))));
  router.post('/', (req: Request, res) => {
    // The body was checked against WaldurSettings of specs/admin.yaml before it got here.
    const change = (req.body ?? {}) as Partial<WaldurSettings>;
    const settings = settingsOf(res);
    if (change.version !== undefined) settings.version = change.version;
    return res.json(settingsBody(settings));
  });
  return router;
}

export function settingsBody(s: WaldurSettings): { version: string } {
  return { version: s.version };
}
