import type { ResolvedLink } from './drf-fields.js';

/**
 * The Waldur URL names the credit APIs link to, and how a path resolves to one
 * of them (Django's resolve(): the lookup segment is DRF's `[^/.]+`).
 */
export const VIEWS = {
  customer: { prefix: '/api/customers/', detail: 'customer-detail', list: 'customer-list' },
  project: { prefix: '/api/projects/', detail: 'project-detail', list: 'project-list' },
  providerOffering: {
    prefix: '/api/marketplace-provider-offerings/',
    detail: 'marketplace-provider-offering-detail',
    list: 'marketplace-provider-offering-list',
  },
  publicOffering: {
    prefix: '/api/marketplace-public-offerings/',
    detail: 'marketplace-public-offering-detail',
    list: 'marketplace-public-offering-list',
  },
  customerCredit: { prefix: '/api/customer-credits/', detail: 'customer-credit-detail', list: 'customer-credit-list' },
  projectCredit: { prefix: '/api/project-credits/', detail: 'project-credit-detail', list: 'project-credit-list' },
} as const;

export type ViewKey = keyof typeof VIEWS;

const DETAIL = /^([^/.]+)\/$/;

export function resolveWaldurPath(path: string): ResolvedLink | null {
  for (const view of Object.values(VIEWS)) {
    if (!path.startsWith(view.prefix)) continue;
    const rest = path.slice(view.prefix.length);
    if (rest === '') return { view: view.list, lookup: '' };
    const m = DETAIL.exec(rest);
    if (m) return { view: view.detail, lookup: m[1]! };
  }
  return null;
}

/** The relative path of an object's detail view. */
export function detailPath(view: ViewKey, uuid: string): string {
  return `${VIEWS[view].prefix}${uuid}/`;
}
