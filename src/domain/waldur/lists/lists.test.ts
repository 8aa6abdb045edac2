import { describe, expect, it } from 'vitest';
import { Table } from '../../../store/table.js';
import { WaldurStore } from '../waldur.store.js';
import { CUSTOMER_CREDIT_LIST } from '../customer-credits.service.js';
import type { FilterSpec } from '../credit-view.js';
import type { CustomerCredit, ProjectCredit } from '../model.js';
import { PROJECT_CREDIT_LIST } from '../project-credits.service.js';
import { creditList, type CreditListDeclaration, type Viewer } from './index.js';

const STAFF: Viewer = { visibilityKey: 'staff', canSeeCustomer: () => true };
const ONE: Viewer = { visibilityKey: 'c1', canSeeCustomer: (c) => c === 'c1' };
const hex = (prefix: string, n: number) => `${prefix}${String(n).padStart(32 - prefix.length, '0')}`;

const base = (n: number, seq: number) => ({
  uuid: hex('cc', n),
  created: '2026-01-01T00:00:00.000Z',
  seq,
  value: `${(n * 37) % 100}.00000`,
  end_date: n % 3 === 0 ? null : '2027-07-01',
  expected_consumption: '0.00000',
  minimal_consumption_logic: 'fixed' as const,
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
});

/** Three customers, each with a project, a customer credit and a project credit. */
function world(): WaldurStore {
  const s = new WaldurStore();
  s.transaction(() => {
    for (let i = 1; i <= 3; i++) {
      s.customers.put({ uuid: `c${i}`, name: `Customer ${4 - i}`, slug: `cust-${i}` });
      s.projects.put({ uuid: `p${i}`, name: `Project ${i}`, slug: `proj-${i}`, customer: `c${i}` });
      s.customerCredits.put({ ...base(i, s.nextSeq()), customer: `c${i}`, offerings: [] } as CustomerCredit);
      s.projectCredits.put({
        ...base(10 + i, s.nextSeq()),
        uuid: hex('pc', i),
        project: `p${i}`,
        mark_unused_credit_as_spent_on_project_termination: false,
      } as ProjectCredit);
    }
  });
  return s;
}

/** The store seen through a proxy that notes every table read through it. */
function tracked(store: WaldurStore): { store: WaldurStore; read: Set<string> } {
  const read = new Set<string>();
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (value instanceof Table && typeof name === 'string') read.add(name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, read };
}

/** Every ordering (both ways), every text filter and a search, from the list's own filter spec. */
function queries(spec: FilterSpec): Record<string, string>[] {
  const orders = Object.keys(spec.ordering).flatMap((k) => [{ o: k }, { o: `-${k},value` }]);
  const texts = [...Object.keys(spec.contains), ...Object.keys(spec.exact)].map((p) => ({
    [p]: 'cust',
    o: Object.keys(spec.ordering)[0]!,
  }));
  return [{}, ...orders, ...texts, { query: 'cust-2' }];
}

/** Lists through `declaration` after writes to every table a list could read; says which tables it read that it did not declare. */
function undeclaredReads<C extends CustomerCredit | ProjectCredit>(
  declaration: CreditListDeclaration<WaldurStore, C>,
): string[] {
  const real = world();
  const { store, read } = tracked(real);
  const list = creditList(store, declaration);
  const listAll = () => {
    for (const viewer of [STAFF, ONE]) for (const q of queries(declaration.spec)) list.list(viewer, q);
  };
  listAll();
  real.transaction(() => {
    real.customers.put({ uuid: 'c2', name: 'Renamed', slug: 'cust-2' });
    real.projects.put({ uuid: 'p3', name: 'Moved', slug: 'proj-3', customer: 'c1' });
    real.customerCredits.remove(hex('cc', 1));
    real.projectCredits.remove(hex('pc', 2));
    real.offerings.put({ uuid: 'o1', name: 'Offering', type: 'x' } as never);
  });
  listAll();
  const declared = new Set<string>([declaration.follows, ...declaration.reads]);
  return [...read].filter((name) => !declared.has(name)).sort();
}

describe('credit lists: the tables they read are the tables they declare', () => {
  it('the customer-credit and project-credit lists read no table they did not declare', () => {
    expect(undeclaredReads(CUSTOMER_CREDIT_LIST)).toEqual([]);
    expect(undeclaredReads(PROJECT_CREDIT_LIST)).toEqual([]);
  });

  it('a list that reads a table it did not declare is caught', () => {
    const missing = { ...PROJECT_CREDIT_LIST, reads: PROJECT_CREDIT_LIST.reads.filter((t) => t !== 'customerCredits') };
    expect(undeclaredReads(missing)).toEqual(['customerCredits']);
    expect(undeclaredReads({ ...CUSTOMER_CREDIT_LIST, reads: [] })).toEqual(['customers']);
  });

  it('a write to a declared table is seen by the next list, though its kept results are not about that table', () => {
    const store = world();
    const list = creditList(store, PROJECT_CREDIT_LIST);
    const uuids = () => list.list(STAFF, { o: 'project_name' }).map((v) => v.credit.uuid);
    expect(uuids()).toEqual([hex('pc', 1), hex('pc', 2), hex('pc', 3)]);
    // The customer credit of c2 goes: its project credits leave the list (the viewset's queryset).
    store.transaction(() => store.customerCredits.remove(hex('cc', 2)));
    expect(uuids()).toEqual([hex('pc', 1), hex('pc', 3)]);
    store.transaction(() => store.projects.put({ uuid: 'p1', name: 'Zeta', slug: 'proj-1', customer: 'c1' }));
    expect(uuids()).toEqual([hex('pc', 3), hex('pc', 1)]);
  });

  it('without the declaration, the same list answers from what it kept (the declaration is what invalidates)', () => {
    const store = world();
    const list = creditList(store, { ...PROJECT_CREDIT_LIST, reads: ['projects', 'customers'] });
    const count = () => list.list(STAFF, {}).length;
    expect(count()).toBe(3);
    store.transaction(() => store.customerCredits.remove(hex('cc', 2)));
    expect(count()).toBe(3); // stale: customerCredits was not declared
  });
});
