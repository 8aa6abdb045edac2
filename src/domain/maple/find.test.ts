import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Outcome } from './errors.js';
import { findCreditLogs, findCredits } from './find.js';
import {
  addInvoice,
  ALICE,
  amountBody,
  API_CALLS,
  BOB,
  DAY,
  failure,
  HOUR,
  isoAfter,
  SUBS,
  T0,
  unitsBody,
  value,
  world,
  type World,
} from './maple-world.fixture.js';
import type { Credit } from './model.js';
import { NumberText } from './money.js';
import { comparePositions, decodeCursor, encodeCursor, paginate, type Page, type Position } from './pagination.js';

/** Creates a credit a second after the previous step. */
function issue(w: World, body: Record<string, unknown>, advance = 1000): Credit {
  w.clock.advance(advance);
  return value(w.service.create(w.book, body));
}
const req = (limit: unknown, extra: Record<string, unknown> = {}, from_key: string | null = null) => ({
  pagination: { limit, from_key },
  sort_key: 'createdAtDesc',
  ...extra,
});
const usd = (cents: number, extra: Record<string, unknown> = {}) => ({
  customer_id: ALICE,
  type: 'AMOUNT',
  amount: { currency: 'USD', value_in_cents: cents },
  ...extra,
});

/** c1 … c5 a second apart: c1 Alice 100 USD, c2 Alice 200 EUR (subscription), c3 Bob 300 USD, c4 Alice 40 calls, c5 Alice 500 USD revoked. */
function five() {
  const w = world();
  const c1 = issue(w, amountBody(100, { name: 'Welcome' }));
  const c2 = issue(w, amountBody(200, { amount: { currency: 'EUR', value_in_cents: 200 }, subscription_id: SUBS }));
  const c3 = issue(w, amountBody(300, { customer_id: BOB }));
  const c4 = issue(w, unitsBody(40));
  const c5 = issue(w, amountBody(500));
  value(w.service.revoke(w.book, c5.id));
  return { w, book: w.book, ids: [c1, c2, c3, c4, c5].map((c) => c.id) as [string, string, string, string, string] };
}
const idsOf = (r: { results: { id: string }[] }) => r.results.map((c) => c.id);

/** Follows from_key from the first page to the end; `between` runs between two pages. */
function walk<T extends { id: string }>(
  find: (body: unknown) => Outcome<Page<T>>,
  limit: number,
  extra: Record<string, unknown> = {},
  between?: (page: number) => void,
): string[][] {
  const pages: string[][] = [];
  let from_key: string | null = null;
  do {
    const page: Page<T> = value(find(req(limit, extra, from_key)));
    expect(page.pagination.limit).toBe(limit);
    pages.push(idsOf(page));
    from_key = page.pagination.from_key;
    if (from_key !== null) {
      expect(page.results).toHaveLength(limit);
      between?.(pages.length);
    }
    if (pages.length > 1000) throw new Error('the walk does not end');
  } while (from_key !== null);
  return pages;
}

/** A credit put straight into the table, to control created_at, id and insertion order. */
function rawCredit(id: string, created_at: string, customer_id = ALICE): Credit {
  return {
    id,
    created_at,
    customer_id,
    name: null,
    type: 'AMOUNT',
    state: 'ACTIVE',
    amount: { currency: 'USD', value_in_cents: 1 },
    units: null,
    issued_amount: { currency: 'USD', value_in_cents: 1 },
    issued_units: null,
    item_id: null,
    subscription_id: null,
    expiration_date: null,
    coupon_id: null,
    metric_record_id: null,
    one_time_billable_id: null,
    proration_date: null,
    import_ref: null,
    import_created_at_ref: null,
    imported_from: null,
  };
}

const ascending = (items: readonly Position[]) => [...items].sort(comparePositions);

describe('find credits: query', () => {
  const { book, ids } = five();
  const [c1, c2, c3, c4, c5] = ids;
  it.each<[string, Record<string, unknown>, string[]]>([
    ['no query', {}, [c5, c4, c3, c2, c1]],
    ['customer_id', { customer_id: ALICE }, [c5, c4, c2, c1]],
    ['customer_id as identifier', { customer_id: 'ext-alice' }, [c5, c4, c2, c1]],
    ['customer_id of a customer without identifier', { customer_id: BOB }, [c3]],
    ['type AMOUNT', { type: 'AMOUNT' }, [c5, c3, c2, c1]],
    ['type UNITS', { type: 'UNITS' }, [c4]],
    ['status REVOKED', { status: 'REVOKED' }, [c5]],
    ['status ACTIVE', { status: 'ACTIVE' }, [c4, c3, c2, c1]],
    ['status CONSUMED (none)', { status: 'CONSUMED' }, []],
    ['statuses', { statuses: ['ACTIVE'] }, [c4, c3, c2, c1]],
    ['statuses, two of them', { statuses: ['REVOKED', 'ACTIVE'] }, [c5, c4, c3, c2, c1]],
    ['statuses empty matches nothing', { statuses: [] }, []],
    ['status and statuses both apply', { status: 'ACTIVE', statuses: ['REVOKED'] }, []],
    ['currency (any case)', { currency: 'usd' }, [c5, c3, c1]],
    ['currency EUR', { currency: 'EUR' }, [c2]],
    ['currency never matches a UNITS credit', { currency: 'USD', type: 'UNITS' }, []],
    ['subscription_id', { subscription_id: SUBS }, [c2]],
    ['subscription_id unknown', { subscription_id: 'subs_nope' }, []],
    ['search in the name (any case)', { search: 'WELC' }, [c1]],
    ['search in the id (any case)', { search: c3.toLowerCase() }, [c3]],
    ['search in customer_id', { search: 'bob' }, [c3]],
    ['several at once', { customer_id: ALICE, currency: 'USD', status: 'ACTIVE' }, [c1]],
    ['customer_id narrows the others', { customer_id: BOB, type: 'UNITS' }, []],
    ['an unknown customer matches nothing', { customer_id: 'cus_nobody' }, []],
    ['null fields read as absent', { customer_id: null, type: null }, [c5, c4, c3, c2, c1]],
  ])('%s', (_name, query, expected) => {
    expect(idsOf(value(findCredits(book, req(100, { query }))))).toEqual(expected);
  });

  it('returns the stored credits themselves, all fields', () => {
    const page = value(findCredits(book, req(1, { query: { type: 'UNITS' } })));
    expect(page.results).toEqual([book.credits.get(c4)]);
    expect(page.results[0]).toMatchObject({ units: '40', issued_units: '40', item_id: API_CALLS, state: 'ACTIVE' });
  });

  it('a customer whose credits changed is still listed in creation order (the customer index keeps their places)', () => {
    const w = world();
    const a = issue(w, amountBody(100));
    const b = issue(w, amountBody(200));
    const c = issue(w, amountBody(300));
    value(w.service.consume(w.book, usd(10, { credit_id: a.id })));
    value(w.service.consume(w.book, usd(10, { credit_id: b.id })));
    expect(w.book.credits.getGroup('customer', ALICE).map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    expect(idsOf(value(findCredits(w.book, req(10, { query: { customer_id: ALICE } }))))).toEqual([c.id, b.id, a.id]);
    expect(
      idsOf(value(findCredits(w.book, req(10, { query: { customer_id: ALICE }, sort_key: 'createdAtAsc' })))),
    ).toEqual([a.id, b.id, c.id]);
  });

  it('reads without writing', () => {
    const { w } = five();
    const before = w.store.export();
    value(findCredits(w.book, req(2, { include_meta: true, query: { customer_id: ALICE } })));
    failure(findCredits(w.book, req(0)));
    expect(w.store.export()).toStrictEqual(before);
  });
});

describe('find credits: cursor pagination', () => {
  it('from_key null or "" asks for the first page, like no from_key', () => {
    const { book } = five();
    const first = value(findCredits(book, req(2)));
    expect(value(findCredits(book, req(2, {}, '')))).toEqual(first);
    expect(value(findCredits(book, { pagination: { limit: 2, from_key: null }, sort_key: 'createdAtDesc' }))).toEqual(
      first,
    );
  });

  it('pages of 2 over 5, newest first, end of list = from_key null', () => {
    const { book, ids } = five();
    const p1 = value(findCredits(book, req(2)));
    expect(idsOf(p1)).toEqual([ids[4], ids[3]]);
    const p2 = value(findCredits(book, req(2, {}, p1.pagination.from_key)));
    expect(idsOf(p2)).toEqual([ids[2], ids[1]]);
    const p3 = value(findCredits(book, req(2, {}, p2.pagination.from_key)));
    expect(idsOf(p3)).toEqual([ids[0]]);
    expect(p3.pagination).toEqual({ from_key: null, limit: 2 });
    expect(value(findCredits(book, req(5))).pagination.from_key).toBeNull();
  });

  it('the from_key names the last item returned, and a page that ends the list exactly has from_key null (no empty page after it)', () => {
    const { book, ids } = five();
    const p1 = value(findCredits(book, req(4)));
    const last = book.credits.get(ids[1])!;
    expect(decodeCursor(p1.pagination.from_key!)).toEqual({ created_at: last.created_at, id: last.id });
    expect(value(findCredits(book, req(5))).pagination).toEqual({ from_key: null, limit: 5 });
    const p2 = value(findCredits(book, req(4, {}, p1.pagination.from_key)));
    expect(p2).toEqual({ results: [book.credits.get(ids[0])], pagination: { from_key: null, limit: 4 } });
  });

  it('nothing matches: an empty page with from_key null', () => {
    expect(value(findCredits(five().book, req(10, { query: { customer_id: 'cus_nobody' } })))).toEqual({
      results: [],
      pagination: { from_key: null, limit: 10 },
    });
  });

  it('createdAtAsc walks the other way', () => {
    const { book, ids } = five();
    const p1 = value(findCredits(book, req(3, { sort_key: 'createdAtAsc' })));
    expect(idsOf(p1)).toEqual(ids.slice(0, 3));
    expect(idsOf(value(findCredits(book, req(3, { sort_key: 'createdAtAsc' }, p1.pagination.from_key))))).toEqual(
      ids.slice(3),
    );
  });

  it.each([1, 2, 3, 4, 7, 25, 26, 100])(
    'walking every page with limit %i returns every match exactly once, in both directions',
    (limit) => {
      const w = world();
      const made: string[] = [];
      for (let i = 0; i < 26; i++)
        made.push(issue(w, i % 3 === 2 ? unitsBody(i + 1) : amountBody(i + 1), i % 4 === 0 ? 0 : 1000).id);
      const desc = walk((b) => findCredits(w.book, b), limit);
      const asc = walk((b) => findCredits(w.book, b), limit, { sort_key: 'createdAtAsc' });
      expect(desc.flat()).toEqual([...made].reverse());
      expect(asc.flat()).toEqual(made);
      expect(desc).toHaveLength(Math.ceil(26 / limit));
      expect(asc).toHaveLength(Math.ceil(26 / limit));
    },
  );

  it('a filtered walk returns every match exactly once, in both directions', () => {
    const w = world();
    const alice: string[] = [];
    for (let i = 0; i < 15; i++) {
      const c = issue(w, amountBody(i + 1, { customer_id: i % 3 === 0 ? BOB : ALICE }));
      if (i % 3 !== 0) alice.push(c.id);
    }
    const query = { customer_id: 'ext-alice', type: 'AMOUNT' };
    expect(walk((b) => findCredits(w.book, b), 3, { query }).flat()).toEqual([...alice].reverse());
    expect(walk((b) => findCredits(w.book, b), 3, { query, sort_key: 'createdAtAsc' }).flat()).toEqual(alice);
  });

  it('is stable under inserts: a credit created between pages neither repeats nor shifts the next page', () => {
    const { w, book, ids } = five();
    const p1 = value(findCredits(book, req(2)));
    issue(w, amountBody(1));
    expect(idsOf(value(findCredits(book, req(2, {}, p1.pagination.from_key))))).toEqual([ids[2], ids[1]]);
  });

  it('newest first with a new credit after every page: exactly the credits that existed when the walk began', () => {
    const { w, book, ids } = five();
    const pages = walk(
      (b) => findCredits(book, b),
      2,
      {},
      () => issue(w, amountBody(1)),
    );
    expect(pages).toEqual([[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]]);
    expect(book.credits.size).toBe(7);
  });

  it('oldest first with a new credit after every page: the old ones in order, then the new ones, none twice', () => {
    const { w, book, ids } = five();
    const inserted: string[] = [];
    const pages = walk(
      (b) => findCredits(book, b),
      2,
      { sort_key: 'createdAtAsc' },
      () => {
        if (inserted.length < 4) inserted.push(issue(w, amountBody(1)).id);
      },
    );
    expect(inserted).toHaveLength(3); // two pages read per credit added: the walk catches up
    expect(pages.flat()).toEqual([...ids, ...inserted]);
  });

  it('a credit that leaves the filter between pages does not move the cursor (the position is kept, not the item)', () => {
    const { w, book, ids } = five();
    const query = { status: 'ACTIVE' };
    const p1 = value(findCredits(book, req(2, { query })));
    expect(idsOf(p1)).toEqual([ids[3], ids[2]]);
    value(w.service.revoke(book, ids[2]));
    value(w.service.consume(book, usd(100, { credit_id: ids[0] })));
    expect(idsOf(value(findCredits(book, req(2, { query }, p1.pagination.from_key))))).toEqual([ids[1]]);
  });

  it('a credit updated between pages keeps its place', () => {
    const { w, book, ids } = five();
    const query = { customer_id: ALICE };
    const p1 = value(findCredits(book, req(2, { query })));
    expect(idsOf(p1)).toEqual([ids[4], ids[3]]);
    value(w.service.consume(book, usd(10, { credit_id: ids[0] })));
    expect(idsOf(value(findCredits(book, req(2, { query }, p1.pagination.from_key))))).toEqual([ids[1], ids[0]]);
  });

  it('credits created while the clock was moved back are sorted by created_at, not by when they were stored', () => {
    const w = world();
    const at = (ms: number) => (w.clock.at = new Date(T0.getTime() + ms));
    at(3000);
    const late = value(w.service.create(w.book, amountBody(1)));
    at(1000);
    const early = value(w.service.create(w.book, amountBody(2)));
    at(2000);
    const middle = value(w.service.create(w.book, amountBody(3)));
    expect([...w.book.credits.all()].map((c) => c.id)).toEqual([late.id, early.id, middle.id]);
    expect(idsOf(value(findCredits(w.book, req(10))))).toEqual([late.id, middle.id, early.id]);
    expect(walk((b) => findCredits(w.book, b), 1).flat()).toEqual([late.id, middle.id, early.id]);
    expect(walk((b) => findCredits(w.book, b), 1, { sort_key: 'createdAtAsc' }).flat()).toEqual([
      early.id,
      middle.id,
      late.id,
    ]);
    expect(walk((b) => findCredits(w.book, b), 2, { query: { customer_id: ALICE } }).flat()).toEqual([
      late.id,
      middle.id,
      early.id,
    ]);
  });

  it('equal created_at is ordered by id, whatever order the records were stored in', () => {
    const { book } = world();
    const same = '2024-01-01T00:00:05.000Z';
    for (const id of ['crd_b', 'crd_d', 'crd_a', 'crd_c']) book.credits.put(rawCredit(id, same));
    book.credits.put(rawCredit('crd_0', '2024-01-01T00:00:06.000Z'));
    expect(walk((b) => findCredits(book, b), 1, { sort_key: 'createdAtAsc' }).flat()).toEqual([
      'crd_a',
      'crd_b',
      'crd_c',
      'crd_d',
      'crd_0',
    ]);
    expect(walk((b) => findCredits(book, b), 2).flat()).toEqual(['crd_0', 'crd_d', 'crd_c', 'crd_b', 'crd_a']);
    expect(walk((b) => findCredits(book, b), 3, { query: { customer_id: ALICE } }).flat()).toEqual([
      'crd_0',
      'crd_d',
      'crd_c',
      'crd_b',
      'crd_a',
    ]);
  });

  it('created_at is compared as an instant, not as text', () => {
    const { book } = world();
    book.credits.put(rawCredit('crd_x', '2024-01-01T00:00:01.000Z'));
    book.credits.put(rawCredit('crd_y', '2024-01-01T00:00:00.500Z'));
    expect(idsOf(value(findCredits(book, req(10, { sort_key: 'createdAtAsc' }))))).toEqual(['crd_y', 'crd_x']);
  });

  it('property: any creation times (the clock going back too), updates and limit, each walk returns every match once, sorted', () => {
    type Step = { dt: number; customer: string; consumeEarlier: number | null };
    const stepArb: fc.Arbitrary<Step> = fc.record({
      dt: fc.oneof(fc.constant(0), fc.integer({ min: -5000, max: 5000 })),
      customer: fc.constantFrom(ALICE, BOB),
      consumeEarlier: fc.option(fc.nat(), { freq: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 30 }),
        fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(100)),
        fc.boolean(),
        (steps, limit, byCustomer) => {
          const w = world();
          const made: Credit[] = [];
          for (const s of steps) {
            w.clock.advance(s.dt);
            made.push(value(w.service.create(w.book, amountBody(1000, { customer_id: s.customer }))));
            if (s.consumeEarlier !== null) {
              const target = made[s.consumeEarlier % made.length]!;
              value(w.service.consume(w.book, usd(1, { customer_id: target.customer_id, credit_id: target.id })));
            }
          }
          const extra = byCustomer ? { query: { customer_id: ALICE } } : {};
          const expected = ascending(made.filter((c) => !byCustomer || c.customer_id === ALICE)).map((c) => c.id);
          expect(walk((b) => findCredits(w.book, b), limit, extra).flat()).toEqual([...expected].reverse());
          expect(walk((b) => findCredits(w.book, b), limit, { ...extra, sort_key: 'createdAtAsc' }).flat()).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: credits created between pages, at any time, never make a walk repeat or skip a credit that existed when it began', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.integer({ min: -20_000, max: 20_000 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('createdAtDesc', 'createdAtAsc'),
        (initial, inserts, limit, sort_key) => {
          const w = world();
          const before: Credit[] = [];
          for (let i = 0; i < initial; i++) before.push(issue(w, amountBody(i + 1)));
          let next = 0;
          const sign = sort_key === 'createdAtAsc' ? 1 : -1;
          const seen = walk(
            (b) => findCredits(w.book, b),
            limit,
            { sort_key },
            () => {
              if (next < inserts.length) issue(w, amountBody(1), inserts[next++]!);
            },
          ).flat();
          expect(new Set(seen).size).toBe(seen.length);
          const positions = seen.map((id) => w.book.credits.get(id)!);
          for (let i = 1; i < positions.length; i++)
            expect(sign * comparePositions(positions[i - 1]!, positions[i]!)).toBeLessThan(0);
          const old = new Set(before.map((c) => c.id));
          const oldSeen = seen.filter((id) => old.has(id));
          const oldInOrder = ascending(before).map((c) => c.id);
          expect(oldSeen).toEqual(sign === 1 ? oldInOrder : oldInOrder.reverse());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('include_meta adds meta.total, the matches regardless of the cursor', () => {
    const { book } = five();
    const p = value(findCredits(book, req(2, { include_meta: true, query: { customer_id: ALICE } })));
    expect(p.meta).toEqual({ total: 4 });
    expect(
      value(findCredits(book, req(2, { include_meta: true, query: { customer_id: ALICE } }, p.pagination.from_key)))
        .meta,
    ).toEqual({ total: 4 });
    expect(value(findCredits(book, req(100, { include_meta: true }))).meta).toEqual({ total: 5 });
    expect(value(findCredits(book, req(2, { include_meta: true, query: { customer_id: 'cus_nobody' } }))).meta).toEqual(
      { total: 0 },
    );
    expect(value(findCredits(book, req(2))).meta).toBeUndefined();
    expect(value(findCredits(book, req(2, { include_meta: false }))).meta).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['limit 0', req(0), 'pagination.limit'],
    ['limit 101', req(101), 'pagination.limit'],
    ['limit 1.5', req(1.5), 'pagination.limit'],
    ['limit "20"', req('20'), 'pagination.limit'],
    ['limit -1', req(-1), 'pagination.limit'],
    ['limit 20.0 written with a point', req(new NumberText('20.0')), 'pagination.limit'],
    ['limit null', req(null), 'pagination.limit'],
    ['no limit', { pagination: {}, sort_key: 'createdAtDesc' }, 'pagination.limit'],
    ['no pagination', { sort_key: 'createdAtDesc' }, 'pagination'],
    ['pagination not an object', { pagination: 20, sort_key: 'createdAtDesc' }, 'pagination'],
    [
      'an unknown pagination field',
      { pagination: { limit: 10, offset: 5 }, sort_key: 'createdAtDesc' },
      'pagination.offset',
    ],
    ['no sort_key', { pagination: { limit: 10 } }, 'sort_key'],
    ['an unknown sort_key', req(10, { sort_key: 'amountDesc' }), 'sort_key'],
    ['include_meta not a boolean', req(10, { include_meta: 'yes' }), 'include_meta'],
    ['a forged from_key', req(10, {}, 'not-a-cursor'), 'pagination.from_key'],
    ['a from_key that is not base64url', req(10, {}, '!!!'), 'pagination.from_key'],
    [
      'a padded from_key',
      req(10, {}, `${encodeCursor({ created_at: '2024-01-01T00:00:00.000Z', id: 'crd_a' })}==`),
      'pagination.from_key',
    ],
    [
      'a from_key that is a number',
      { pagination: { limit: 10, from_key: 42 }, sort_key: 'createdAtDesc' },
      'pagination.from_key',
    ],
    [
      'a from_key without a separator',
      req(10, {}, Buffer.from('2024-01-01T00:00:00.000Z', 'utf8').toString('base64url')),
      'pagination.from_key',
    ],
    [
      'a from_key with a date that is not one',
      req(10, {}, encodeCursor({ created_at: 'yesterday', id: 'crd_a' })),
      'pagination.from_key',
    ],
    [
      'a from_key with an empty id',
      req(10, {}, encodeCursor({ created_at: '2024-01-01T00:00:00.000Z', id: '' })),
      'pagination.from_key',
    ],
    ['an unknown query field', req(10, { query: { colour: 'red' } }), 'query.colour'],
    ['a query that is not an object', req(10, { query: ['ACTIVE'] }), 'query'],
    ['a customer_id that is not a string', req(10, { query: { customer_id: 5 } }), 'query.customer_id'],
    ['a bad type', req(10, { query: { type: 'POINTS' } }), 'query.type'],
    ['a bad status', req(10, { query: { status: 'PAUSED' } }), 'query.status'],
    ['bad statuses', req(10, { query: { statuses: 'ACTIVE' } }), 'query.statuses'],
    ['statuses with an unknown state', req(10, { query: { statuses: ['ACTIVE', 'PAUSED'] } }), 'query.statuses'],
    ['an unknown top-level field', req(10, { page: 2 }), 'page'],
    ['a body that is not an object', [req(10)], 'body'],
  ])('%s is a validation_error', (_name, body, field) => {
    const f = failure(findCredits(five().book, body));
    expect(f.kind).toBe('validation_error');
    expect(f.message).toBe('Request body does not contain all required information');
    expect(f.validation_errors.map((e) => e.field)).toEqual([field]);
  });

  it('the limit message names the range', () => {
    expect(failure(findCredits(five().book, req(101))).validation_errors).toEqual([
      { field: 'pagination.limit', message: 'pagination.limit must be an integer from 1 to 100' },
    ]);
  });

  it('every malformed part of a find body is reported at once', () => {
    const body = {
      pagination: { limit: 0, from_key: '!' },
      sort_key: 'newest',
      include_meta: 1,
      query: { status: 'x', colour: 'red' },
    };
    expect(failure(findCredits(five().book, body)).validation_errors.map((e) => e.field)).toEqual([
      'sort_key',
      'include_meta',
      'pagination.limit',
      'pagination.from_key',
      'query.colour',
      'query.status',
    ]);
  });

  it('limit 1, limit 100 and a limit given as number text are accepted', () => {
    expect(value(findCredits(five().book, req(1))).results).toHaveLength(1);
    expect(value(findCredits(five().book, req(100))).results).toHaveLength(5);
    expect(value(findCredits(five().book, req(new NumberText('3')))).pagination).toMatchObject({ limit: 3 });
  });

  it('a from_key this server made for another list still works as a position', () => {
    const { book, ids } = five();
    const c2 = book.credits.get(ids[1])!;
    const key = encodeCursor({ created_at: c2.created_at, id: c2.id });
    expect(idsOf(value(findCredits(book, req(10, {}, key))))).toEqual([ids[0]]);
    expect(idsOf(value(findCredits(book, req(10, { sort_key: 'createdAtAsc' }, key))))).toEqual(ids.slice(2));
  });
});

describe('cursors and paginate', () => {
  it('a cursor round-trips; any other spelling of the same bytes is refused', () => {
    const p = { created_at: '2024-01-01T00:00:00.000Z', id: 'crd_2MkGNwZqoewXZ38Sc2AzYZh4x50' };
    const key = encodeCursor(p);
    expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(key)).toEqual(p);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const short = encodeCursor({ ...p, id: 'crd_ab' });
    expect(short.length % 4).not.toBe(0);
    const twin = short.slice(0, -1) + alphabet[alphabet.indexOf(short.at(-1)!) ^ 1];
    expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(short, 'base64url'));
    expect(decodeCursor(twin)).toBeNull();
  });

  it('sorts matches given in any order, and counts meta.total over all of them', () => {
    const items = [
      { id: 'b', created_at: '2024-01-01T00:00:02.000Z' },
      { id: 'a', created_at: '2024-01-01T00:00:03.000Z' },
      { id: 'c', created_at: '2024-01-01T00:00:01.000Z' },
      { id: 'a2', created_at: '2024-01-01T00:00:02.000Z' },
    ];
    const page = paginate(items, { limit: 3, after: null, sort_key: 'createdAtAsc', include_meta: true });
    expect(page.results.map((i) => i.id)).toEqual(['c', 'a2', 'b']);
    expect(page.meta).toEqual({ total: 4 });
    expect(
      paginate(items, {
        limit: 3,
        after: decodeCursor(page.pagination.from_key!),
        sort_key: 'createdAtAsc',
        include_meta: true,
      }).results.map((i) => i.id),
    ).toEqual(['a']);
    expect(
      paginate(items, {
        limit: 10,
        after: { id: 'b', created_at: '2024-01-01T00:00:02.000Z' },
        sort_key: 'createdAtDesc',
        include_meta: false,
      }).results.map((i) => i.id),
    ).toEqual(['a2', 'c']);
    expect(items.map((i) => i.id)).toEqual(['b', 'a', 'c', 'a2']);
  });

  it('a position between items, before the first or after the last', () => {
    const items = [1, 2, 3, 4].map((s) => ({ id: `i${s}`, created_at: `2024-01-01T00:00:0${s}.000Z` }));
    const after = (created_at: string, sort_key: 'createdAtAsc' | 'createdAtDesc') =>
      paginate(items, { limit: 10, after: { created_at, id: 'x' }, sort_key, include_meta: false }).results.map(
        (i) => i.id,
      );
    expect(after('2024-01-01T00:00:02.500Z', 'createdAtAsc')).toEqual(['i3', 'i4']);
    expect(after('2024-01-01T00:00:02.500Z', 'createdAtDesc')).toEqual(['i2', 'i1']);
    expect(after('2023-01-01T00:00:00.000Z', 'createdAtAsc')).toEqual(['i1', 'i2', 'i3', 'i4']);
    expect(after('2023-01-01T00:00:00.000Z', 'createdAtDesc')).toEqual([]);
    expect(after('2025-01-01T00:00:00.000Z', 'createdAtAsc')).toEqual([]);
    expect(after('2025-01-01T00:00:00.000Z', 'createdAtDesc')).toEqual(['i4', 'i3', 'i2', 'i1']);
  });
});

describe('find credit logs', () => {
  /**
   * a: Alice 1000 USD "Goodwill", applied to inv_1 (150), then 50 consumed with note "job 42";
   * u: Alice 10 calls, revoked; b: Bob 70 USD "Trial" (issued at 00:00:03), expired at 01:00:02.
   */
  function logs() {
    const w = world();
    addInvoice(w.book, 'inv_1', 150, isoAfter(-DAY));
    const a = issue(w, amountBody(1000, { name: 'Goodwill', apply_to_open_invoices: { enable: true } }));
    const u = issue(w, unitsBody(10));
    value(w.service.consume(w.book, usd(50, { note: 'job 42' })));
    const b = issue(
      w,
      amountBody(70, { customer_id: BOB, name: 'Trial', expiration_date: isoAfter(HOUR, w.clock.now()) }),
    );
    w.clock.advance(2 * HOUR);
    value(w.service.revoke(w.book, u.id));
    return { w, book: w.book, a: a.id, u: u.id, b: b.id };
  }
  type Ids = { a: string; u: string; b: string };
  const actions = (book: World['book'], query: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    value(findCreditLogs(book, req(100, { query, sort_key: 'createdAtAsc', ...extra }))).results.map((l) => [
      l.action_type,
      l.credit_id,
    ]);

  it('the log of this world, oldest first', () => {
    const { book, a, u, b } = logs();
    const entries = value(findCreditLogs(book, req(100, { sort_key: 'createdAtAsc' }))).results;
    expect(
      entries.map((l) => [
        l.action_type,
        l.credit_id,
        l.amount_applied?.value_in_cents ?? l.units_applied,
        l.invoice_id,
        l.note,
        l.created_at,
      ]),
    ).toEqual([
      ['ISSUED', a, 1000, null, null, '2024-01-01T00:00:01.000Z'],
      ['CONSUMED', a, 150, 'inv_1', null, '2024-01-01T00:00:01.000Z'],
      ['ISSUED', u, '10', null, null, '2024-01-01T00:00:02.000Z'],
      ['CONSUMED', a, 50, null, 'job 42', '2024-01-01T00:00:02.000Z'],
      ['ISSUED', b, 70, null, null, '2024-01-01T00:00:03.000Z'],
      ['EXPIRED', b, 70, null, null, '2024-01-01T01:00:02.000Z'],
      ['REVOKED', u, '10', null, null, '2024-01-01T02:00:03.000Z'],
    ]);
    expect(entries).toEqual([...book.logs.all()]);
  });

  it.each<[string, (ids: Ids) => Record<string, unknown>, (ids: Ids) => string[][]]>([
    [
      'no query',
      () => ({}),
      ({ a, u, b }) => [
        ['ISSUED', a],
        ['CONSUMED', a],
        ['ISSUED', u],
        ['CONSUMED', a],
        ['ISSUED', b],
        ['EXPIRED', b],
        ['REVOKED', u],
      ],
    ],
    [
      'action_type ISSUED',
      () => ({ action_type: 'ISSUED' }),
      ({ a, u, b }) => [
        ['ISSUED', a],
        ['ISSUED', u],
        ['ISSUED', b],
      ],
    ],
    [
      'action_type CONSUMED (applications to invoices included)',
      () => ({ action_type: 'CONSUMED' }),
      ({ a }) => [
        ['CONSUMED', a],
        ['CONSUMED', a],
      ],
    ],
    ['action_type EXPIRED', () => ({ action_type: 'EXPIRED' }), ({ b }) => [['EXPIRED', b]]],
    ['action_type REVOKED', () => ({ action_type: 'REVOKED' }), ({ u }) => [['REVOKED', u]]],
    [
      'credit_id',
      ({ u }) => ({ credit_id: u }),
      ({ u }) => [
        ['ISSUED', u],
        ['REVOKED', u],
      ],
    ],
    ['credit_id unknown', () => ({ credit_id: 'crd_nope' }), () => []],
    [
      'customer_id',
      () => ({ customer_id: BOB }),
      ({ b }) => [
        ['ISSUED', b],
        ['EXPIRED', b],
      ],
    ],
    [
      'customer_id as identifier',
      () => ({ customer_id: 'ext-alice' }),
      ({ a, u }) => [
        ['ISSUED', a],
        ['CONSUMED', a],
        ['ISSUED', u],
        ['CONSUMED', a],
        ['REVOKED', u],
      ],
    ],
    ['customer_id unknown', () => ({ customer_id: 'cus_nobody' }), () => []],
    ['invoice_id', () => ({ invoice_id: 'inv_1' }), ({ a }) => [['CONSUMED', a]]],
    ['invoice_id unknown', () => ({ invoice_id: 'inv_2' }), () => []],
    ['note (exact)', () => ({ note: 'job 42' }), ({ a }) => [['CONSUMED', a]]],
    ['note is not a substring match', () => ({ note: 'job' }), () => []],
    [
      'type of the credit',
      () => ({ type: 'UNITS' }),
      ({ u }) => [
        ['ISSUED', u],
        ['REVOKED', u],
      ],
    ],
    [
      "search in the credit's name",
      () => ({ search: 'goodwill' }),
      ({ a }) => [
        ['ISSUED', a],
        ['CONSUMED', a],
        ['CONSUMED', a],
      ],
    ],
    ['search in the invoice id', () => ({ search: 'INV_1' }), ({ a }) => [['CONSUMED', a]]],
    ['search in the note', () => ({ search: 'JOB 4' }), ({ a }) => [['CONSUMED', a]]],
    [
      'search in the credit id',
      ({ b }) => ({ search: b.toLowerCase() }),
      ({ b }) => [
        ['ISSUED', b],
        ['EXPIRED', b],
      ],
    ],
    ['credit_id and invoice_id', ({ a }) => ({ credit_id: a, invoice_id: 'inv_1' }), ({ a }) => [['CONSUMED', a]]],
    ["credit_id and another customer's id", ({ u }) => ({ credit_id: u, customer_id: BOB }), () => []],
    ['invoice_id and another customer', () => ({ invoice_id: 'inv_1', customer_id: BOB }), () => []],
    [
      'customer_id and action_type',
      () => ({ customer_id: ALICE, action_type: 'CONSUMED' }),
      ({ a }) => [
        ['CONSUMED', a],
        ['CONSUMED', a],
      ],
    ],
    ['customer_id and type', () => ({ customer_id: BOB, type: 'UNITS' }), () => []],
  ])('%s', (_name, query, expected) => {
    const { book, ...ids } = logs();
    expect(actions(book, query(ids))).toEqual(expected(ids));
  });

  it('search matches the entry id too', () => {
    const { book } = logs();
    const entry = [...book.logs.all()][4]!;
    expect(value(findCreditLogs(book, req(10, { query: { search: entry.id } }))).results).toEqual([entry]);
  });

  it('the application to an invoice is a CONSUMED entry carrying invoice_id and amount_applied', () => {
    const { book, a } = logs();
    expect(value(findCreditLogs(book, req(10, { query: { invoice_id: 'inv_1' } }))).results).toEqual([
      {
        id: expect.stringMatching(/^log_/),
        action_type: 'CONSUMED',
        amount_applied: { currency: 'USD', value_in_cents: 150 },
        units_applied: null,
        created_at: '2024-01-01T00:00:01.000Z',
        credit_id: a,
        customer_id: ALICE,
        invoice_id: 'inv_1',
        note: null,
      },
    ]);
  });

  it('pages like find credits: newest first by default, include_meta, from_key null at the end', () => {
    const { book } = logs();
    const all = [...book.logs.all()].map((l) => l.id);
    const p1 = value(findCreditLogs(book, req(3, { include_meta: true })));
    expect(idsOf(p1)).toEqual(all.slice(4).reverse());
    expect(p1.meta).toEqual({ total: 7 });
    const p2 = value(findCreditLogs(book, req(3, { include_meta: true }, p1.pagination.from_key)));
    expect(idsOf(p2)).toEqual(all.slice(1, 4).reverse());
    expect(p2.meta).toEqual({ total: 7 });
    const p3 = value(findCreditLogs(book, req(3, {}, p2.pagination.from_key)));
    expect(idsOf(p3)).toEqual([all[0]]);
    expect(p3.pagination.from_key).toBeNull();
  });

  it.each([1, 2, 3, 7, 100])(
    'walking every page with limit %i returns every entry once, both ways (also through an index)',
    (limit) => {
      const { book } = logs();
      const all = [...book.logs.all()].map((l) => l.id);
      const find = (b: unknown) => findCreditLogs(book, b);
      expect(walk(find, limit, { sort_key: 'createdAtAsc' }).flat()).toEqual(all);
      expect(walk(find, limit).flat()).toEqual([...all].reverse());
      const alice = [...book.logs.all()].filter((l) => l.customer_id === ALICE).map((l) => l.id);
      expect(walk(find, limit, { query: { customer_id: ALICE } }).flat()).toEqual([...alice].reverse());
    },
  );

  it('a new entry written between pages does not repeat or shift the next page', () => {
    const { w, book } = logs();
    const all = [...book.logs.all()].map((l) => l.id);
    const pages = walk(
      (b) => findCreditLogs(book, b),
      2,
      {},
      () => value(w.service.create(w.book, amountBody(1))),
    );
    expect(pages.flat()).toEqual([...all].reverse());
  });

  it.each<[string, unknown, string]>([
    ['APPLIED, which is no action any more', req(3, { query: { action_type: 'APPLIED' } }), 'query.action_type'],
    ['an unknown action_type', req(3, { query: { action_type: 'GRANTED' } }), 'query.action_type'],
    ['a credit query field', req(3, { query: { status: 'ACTIVE' } }), 'query.status'],
    ['a bad type', req(3, { query: { type: 'POINTS' } }), 'query.type'],
    ['a note that is not a string', req(3, { query: { note: 42 } }), 'query.note'],
    ['limit 101', req(101), 'pagination.limit'],
    ['a forged from_key', req(3, {}, 'zzz'), 'pagination.from_key'],
  ])('%s is a validation_error', (_name, body, field) => {
    const f = failure(findCreditLogs(logs().book, body));
    expect(f.kind).toBe('validation_error');
    expect(f.validation_errors.map((e) => e.field)).toEqual([field]);
  });
});
