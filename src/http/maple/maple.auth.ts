import type { MapleBook, MapleStore } from '../../domain/maple/maple.store.js';
import { authError, requestError } from './maple.errors.js';

const COMPANY_ID = /^cmp_[0-9A-Za-z]+$/;

/**
 * Maple's authentication (docs/behaviour/maple.md §1.1, Part 4 item 1): `Authorization:
 * Bearer <token>` (scheme in any case), a token bound to one company. No or
 * an unknown token: 401; a company id without the `cmp_` form: 400; a token
 * of another company (or a company that does not exist): 403.
 */
export function authorize(authorization: string | undefined, companyId: string, store: MapleStore): MapleBook {
  const parts = (authorization ?? '').trim().split(/\s+/);
  if (parts.length !== 2 || parts[0]!.toLowerCase() !== 'bearer') {
    throw authError(401, 'Missing API token: send Authorization: Bearer <API_TOKEN>');
  }
  const tokenCompany = store.companyOfToken(parts[1]!);
  if (tokenCompany === undefined) throw authError(401, 'Invalid API token');
  if (!COMPANY_ID.test(companyId))
    throw requestError(400, `Invalid company id ${companyId}: it should have the prefix 'cmp_'`, 'invalid_company_id');
  const book = tokenCompany === companyId ? store.book(companyId) : undefined;
  if (!book) throw authError(403, `This API token does not give access to company ${companyId}`);
  return book;
}
