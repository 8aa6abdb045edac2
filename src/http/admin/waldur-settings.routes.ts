import { Router, type Request, type Response } from 'express';
import { isWaldurVersion, WALDUR_VERSIONS, type WaldurSettings } from '../../domain/waldur/profile.js';
import { problem } from './problem.js';

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
    const change = parseWaldurSettings(req.body ?? {});
    if ('problems' in change) return problem(res, 400, 'invalid data', change.problems);
    const settings = settingsOf(res);
    Object.assign(settings, change);
    return res.json(settingsBody(settings));
  });
  return router;
}

export function settingsBody(s: WaldurSettings): { version: string } {
  return { version: s.version };
}

function parseWaldurSettings(body: unknown): Partial<WaldurSettings> | { problems: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problems: ['(top level): must be an object'] };
  const record = body as Record<string, unknown>;
  const problems = Object.keys(record)
    .filter((k) => k !== 'version')
    .map((k) => `${k}: unknown member (use version)`);
  const out: Partial<WaldurSettings> = {};
  if (record.version !== undefined) {
    if (isWaldurVersion(record.version)) out.version = record.version;
    else problems.push(`version: must be one of ${WALDUR_VERSIONS.map((v) => `"${v}"`).join(', ')}`);
  }
  return problems.length > 0 ? { problems } : out;
}
