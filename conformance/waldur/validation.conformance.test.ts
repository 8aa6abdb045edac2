import { afterAll, beforeAll, describe, expect } from 'vitest';
import { check, expectContract, expectStatus } from '../support/check.js';
import { call, type Reply } from '../support/http.js';
import { target } from '../support/target.js';
import { cleanUpAfterAll, createCredit, mustCreate, pathOf, remove, type CreditBody } from '../support/waldur-data.js';
import { waldurWorld, type WaldurWorld } from '../support/waldur-world.js';

/**
 * Validation of customer and project credits (docs/behaviour/waldur.md §5.1, §5.2): every
 * rule gets a request that must be rejected with the right status, the right
 * key and DRF's message, and nothing may be written by a rejected request.
 */
let world: WaldurWorld;
beforeAll(async () => {
  world = (await waldurWorld()) as WaldurWorld; // null without a world: the writing checks then do not run
});
cleanUpAfterAll();

/** The 1st of a month that is past on any server clock. */
const PAST_FIRST = '2000-01-01';
/** A future date that is not the 1st of its month. */
const FUTURE_NOT_FIRST = '2099-06-15';
/** A uuid nothing has. */
const NO_SUCH_UUID = '0000000000004000800000000000dead';

const CUSTOMER_LIST = '/api/customer-credits/';
const PROJECT_LIST = '/api/project-credits/';

/** The list at `path` (count and body), to compare before and after a rejected write. */
async function read(path: string): Promise<{ count: string | undefined; body: unknown }> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await call('GET', `${path}${sep}page_size=300`);
  expectStatus(res, 200);
  return { count: res.headers['x-result-count'], body: res.body };
}

/**
 * Sends a write that must be rejected with `status`, checks the reply against
 * the contract and that the lists in `watch` are unchanged; returns the body.
 */
async function rejected(
  operationId: string,
  watch: string[],
  send: () => Promise<Reply>,
  status = 400,
): Promise<unknown> {
  const before = await Promise.all(watch.map(read));
  const res = await send();
  // A server that wrongly accepted the write: undo it now, so that the next checks start from the same state.
  const made = res.body as Partial<CreditBody> | undefined;
  if (res.status === 201 && typeof made?.url === 'string') await remove(made.url);
  expectStatus(res, status);
  expectContract(operationId, res);
  const after = await Promise.all(watch.map(read));
  expect(after, 'a rejected request changed the stored credits').toEqual(before);
  return res.body;
}

/** Expects `key` among the error keys, with exactly `detail` under it (DRF's list of messages, or a plain string). */
function expectFieldError(body: unknown, key: string, detail: unknown): void {
  expect(
    body !== null && typeof body === 'object' && !Array.isArray(body),
    `expected an error object, got ${JSON.stringify(body)}`,
  ).toBe(true);
  expect(Object.keys(body as object)).toContain(key);
  expect((body as Record<string, unknown>)[key]).toEqual(detail);
}

const customersOf = (uuid: string) => `${CUSTOMER_LIST}?customer_uuid=${uuid}`;
const projectCreditsOf = (uuid: string) => `${PROJECT_LIST}?project_uuid=${uuid}`;
const projectCreditsOfCustomer = (uuid: string) => `${PROJECT_LIST}?customer_uuid=${uuid}`;

/** The organisation credit of customers[0] (value 100), made once and shared by the checks below that need it. */
let org0: Promise<CreditBody> | undefined;
const orgCredit = () => (org0 ??= mustCreate('customer', { customer: world.customers[0]!.url, value: '100' }));

describe('customer credits: create is validated', () => {
  const c = () => world.customers[2]!;
  const watch = () => [customersOf(c().uuid), CUSTOMER_LIST];
  const post = (body: Record<string, unknown>) => () => createCredit('customer', body);
  const create = 'customer_credits_create';

  check(
    create,
    'rejects a missing customer (400 customer: required)',
    async () => {
      const body = await rejected(create, [CUSTOMER_LIST], post({ value: '10' }));
      expectFieldError(body, 'customer', ['This field is required.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a customer hyperlink with no URL match',
    async () => {
      const body = await rejected(
        create,
        [CUSTOMER_LIST],
        post({ customer: `${target.url}/api/customer/${c().uuid}/`, value: '10' }),
      );
      expectFieldError(body, 'customer', ['Invalid hyperlink - No URL match.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a customer hyperlink to another view (incorrect URL match)',
    async () => {
      const body = await rejected(create, [CUSTOMER_LIST], post({ customer: world.projects[0]!.url, value: '10' }));
      expectFieldError(body, 'customer', ['Invalid hyperlink - Incorrect URL match.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a customer hyperlink to an object that does not exist',
    async () => {
      const body = await rejected(
        create,
        [CUSTOMER_LIST],
        post({ customer: `${target.url}/api/customers/${NO_SUCH_UUID}/`, value: '10' }),
      );
      expectFieldError(body, 'customer', ['Invalid hyperlink - Object does not exist.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a customer that is not a string (incorrect type)',
    async () => {
      const body = await rejected(create, [CUSTOMER_LIST], post({ customer: 42, value: '10' }));
      expectFieldError(body, 'customer', ['Incorrect type. Expected URL string, received int.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a customer that already has a credit',
    async () => {
      const existing = await orgCredit();
      const body = await rejected(
        create,
        [customersOf(world.customers[0]!.uuid)],
        post({ customer: world.customers[0]!.url, value: '10' }),
      );
      expectFieldError(body, 'customer', ['customer credit with this customer already exists.']);
      const still = await call('GET', pathOf(existing.url));
      expect(still.body).toMatchObject({ value: '100.00000' });
    },
    { writes: true },
  );

  check(
    create,
    'rejects a negative value',
    async () => {
      const body = await rejected(create, watch(), post({ customer: c().url, value: '-0.00001' }));
      expectFieldError(body, 'value', ['Ensure this value is greater than or equal to 0.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a value with more than 5 decimal places',
    async () => {
      const body = await rejected(create, watch(), post({ customer: c().url, value: '1.123456' }));
      expectFieldError(body, 'value', ['Ensure that there are no more than 5 decimal places.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a value with more than 11 digits before the point',
    async () => {
      const body = await rejected(create, watch(), post({ customer: c().url, value: '123456789012' }));
      expectFieldError(body, 'value', ['Ensure that there are no more than 11 digits before the decimal point.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a value with more than 16 digits in total',
    async () => {
      const body = await rejected(create, watch(), post({ customer: c().url, value: '123456789012.12345' }));
      expectFieldError(body, 'value', ['Ensure that there are no more than 16 digits in total.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a value that is not a number',
    async () => {
      for (const value of ['abc', 'NaN', '']) {
        const body = await rejected(create, watch(), post({ customer: c().url, value }));
        expectFieldError(body, 'value', ['A valid number is required.']);
      }
    },
    { writes: true },
  );

  check(
    create,
    'rejects a negative expected_consumption',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({ customer: c().url, value: '100', expected_consumption: '-1' }),
      );
      expectFieldError(body, 'expected_consumption', ['Ensure this value is greater than or equal to 0.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects expected_consumption with more than 5 decimal places',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({ customer: c().url, value: '100', expected_consumption: '1.123456' }),
      );
      expectFieldError(body, 'expected_consumption', ['Ensure that there are no more than 5 decimal places.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects expected_consumption with more than 11 digits before the point',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({ customer: c().url, value: '100', expected_consumption: '123456789012' }),
      );
      expectFieldError(body, 'expected_consumption', [
        'Ensure that there are no more than 11 digits before the decimal point.',
      ]);
    },
    { writes: true },
  );

  check(
    create,
    'rejects expected_consumption with more than 16 digits in total',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({ customer: c().url, value: '100', expected_consumption: '123456789012.12345' }),
      );
      expectFieldError(body, 'expected_consumption', ['Ensure that there are no more than 16 digits in total.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects expected_consumption that is not a number',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({ customer: c().url, value: '100', expected_consumption: 'ten' }),
      );
      expectFieldError(body, 'expected_consumption', ['A valid number is required.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a grace_coefficient with decimals ("50.0" and 50.5)',
    async () => {
      for (const grace of ['50.0', 50.5]) {
        const body = await rejected(
          create,
          watch(),
          post({ customer: c().url, value: '100', grace_coefficient: grace }),
        );
        expectFieldError(body, 'grace_coefficient', ['Ensure that there are no more than 0 decimal places.']);
      }
    },
    { writes: true },
  );

  check(
    create,
    'rejects a grace_coefficient of 1000 (more than 3 digits)',
    async () => {
      const body = await rejected(create, watch(), post({ customer: c().url, value: '100', grace_coefficient: 1000 }));
      expectFieldError(body, 'grace_coefficient', ['Ensure that there are no more than 3 digits in total.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a minimal_consumption_logic outside the enum',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({ customer: c().url, value: '100', minimal_consumption_logic: 'foo' }),
      );
      expectFieldError(body, 'minimal_consumption_logic', ['"foo" is not a valid choice.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects an end_date in the wrong format',
    async () => {
      for (const end_date of ['01.06.2099', '2099/06/01', '2099-02-30']) {
        const body = await rejected(create, watch(), post({ customer: c().url, value: '100', end_date }));
        expectFieldError(body, 'end_date', ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.']);
      }
    },
    { writes: true },
  );

  check(
    create,
    'rejects an end_date in the past',
    async () => {
      const body = await rejected(create, watch(), post({ customer: c().url, value: '100', end_date: PAST_FIRST }));
      expectFieldError(body, 'end_date', ["The end date must be greater than today's date."]);
    },
    { writes: true },
  );

  check(
    create,
    'rejects an end_date that is not the 1st of a month (a list under end_date)',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({ customer: c().url, value: '100', end_date: FUTURE_NOT_FIRST }),
      );
      expectFieldError(body, 'end_date', ['End date must be the first day of the month.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects expected_consumption equal to or above the value (non_field_errors)',
    async () => {
      for (const expected_consumption of ['100', '100.00001']) {
        const body = await rejected(create, watch(), post({ customer: c().url, value: '100', expected_consumption }));
        expectFieldError(body, 'non_field_errors', ['Expected consumption must be smaller than the credit.']);
      }
    },
    { writes: true },
  );

  check(
    create,
    'rejects linear logic without an end_date (non_field_errors)',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({ customer: c().url, value: '100', minimal_consumption_logic: 'linear' }),
      );
      expectFieldError(body, 'non_field_errors', ['End date is required if minimal consumption logic is linear.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects expected consumption without a value (400 non_field_errors)',
    async () => {
      const body = await rejected(create, watch(), post({ customer: c().url, expected_consumption: '10' }));
      expectFieldError(body, 'non_field_errors', ['Expected consumption must be smaller than the credit.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects offerings that are not a list',
    async () => {
      const body = await rejected(
        create,
        watch(),
        post({
          customer: c().url,
          value: '100',
          offerings: `${target.url}/api/marketplace-provider-offerings/${NO_SUCH_UUID}/`,
        }),
      );
      expectFieldError(body, 'offerings', ['Expected a list of items but got type "str".']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects offerings of the wrong view or unknown (offerings error keyed by index)',
    async () => {
      const offerings = [world.customers[2]!.url, `${target.url}/api/marketplace-provider-offerings/${NO_SUCH_UUID}/`];
      const body = await rejected(create, watch(), post({ customer: c().url, value: '100', offerings }));
      expectFieldError(body, 'offerings', {
        '0': ['Invalid hyperlink - Incorrect URL match.'],
        '1': ['Invalid hyperlink - Object does not exist.'],
      });
    },
    { writes: true },
  );

  check(
    create,
    'rejects a body that is not an object (non_field_errors)',
    async () => {
      const cases: [unknown, string][] = [
        [['customer', c().url], 'Invalid data. Expected a dictionary, but got list.'],
        ['customer', 'Invalid data. Expected a dictionary, but got str.'],
      ];
      for (const [sent, message] of cases) {
        const body = await rejected(create, [CUSTOMER_LIST], () => createCredit('customer', sent as never));
        expectFieldError(body, 'non_field_errors', [message]);
      }
    },
    { writes: true },
  );

  check(
    create,
    'rejects a JSON null body (non_field_errors: No data provided)',
    async () => {
      const body = await rejected(create, [CUSTOMER_LIST], () => createCredit('customer', null as never));
      expectFieldError(body, 'non_field_errors', ['No data provided']);
    },
    { writes: true },
  );
});

describe('customer credits: PUT and PATCH are validated', () => {
  /** A credit of customers[1] (value 100, no end date), made once; deleted after this block so customers[1] is free again. */
  let made: Promise<CreditBody> | undefined;
  const credit = () => (made ??= mustCreate('customer', { customer: world.customers[1]!.url, value: '100' }));
  afterAll(async () => {
    if (made) await remove((await made).url);
  });
  const watch = () => [customersOf(world.customers[1]!.uuid), customersOf(world.customers[0]!.uuid)];
  const put = 'customer_credits_update';
  const patch = 'customer_credits_partial_update';

  check(
    put,
    'rejects a PUT without a customer',
    async () => {
      const a = await credit();
      const body = await rejected(put, watch(), () => call('PUT', pathOf(a.url), { body: { value: '5' } }));
      expectFieldError(body, 'customer', ['This field is required.']);
    },
    { writes: true },
  );

  check(
    put,
    'rejects moving the credit to a customer that already has one',
    async () => {
      const a = await credit();
      await orgCredit();
      const body = await rejected(put, watch(), () =>
        call('PUT', pathOf(a.url), { body: { customer: world.customers[0]!.url, value: '5' } }),
      );
      expectFieldError(body, 'customer', ['customer credit with this customer already exists.']);
    },
    { writes: true },
  );

  check(
    put,
    'rejects a customer hyperlink to an object that does not exist',
    async () => {
      const a = await credit();
      const body = await rejected(put, watch(), () =>
        call('PUT', pathOf(a.url), { body: { customer: `${target.url}/api/customers/${NO_SUCH_UUID}/`, value: '5' } }),
      );
      expectFieldError(body, 'customer', ['Invalid hyperlink - Object does not exist.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects a negative value',
    async () => {
      const a = await credit();
      const body = await rejected(patch, watch(), () => call('PATCH', pathOf(a.url), { body: { value: '-1' } }));
      expectFieldError(body, 'value', ['Ensure this value is greater than or equal to 0.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects a value with more than 5 decimal places',
    async () => {
      const a = await credit();
      const body = await rejected(patch, watch(), () => call('PATCH', pathOf(a.url), { body: { value: '1.123456' } }));
      expectFieldError(body, 'value', ['Ensure that there are no more than 5 decimal places.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects expected_consumption equal to the stored value (non_field_errors)',
    async () => {
      const a = await credit();
      const body = await rejected(patch, watch(), () =>
        call('PATCH', pathOf(a.url), { body: { expected_consumption: '100' } }),
      );
      expectFieldError(body, 'non_field_errors', ['Expected consumption must be smaller than the credit.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects an end_date that is not the 1st of a month',
    async () => {
      const a = await credit();
      const body = await rejected(patch, watch(), () =>
        call('PATCH', pathOf(a.url), { body: { end_date: FUTURE_NOT_FIRST } }),
      );
      expectFieldError(body, 'end_date', ['End date must be the first day of the month.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects an end_date in the past',
    async () => {
      const a = await credit();
      const body = await rejected(patch, watch(), () =>
        call('PATCH', pathOf(a.url), { body: { end_date: PAST_FIRST } }),
      );
      expectFieldError(body, 'end_date', ["The end date must be greater than today's date."]);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects linear logic when the credit has no end_date (non_field_errors)',
    async () => {
      const a = await credit();
      const body = await rejected(patch, watch(), () =>
        call('PATCH', pathOf(a.url), { body: { minimal_consumption_logic: 'linear' } }),
      );
      expectFieldError(body, 'non_field_errors', ['End date is required if minimal consumption logic is linear.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects a grace_coefficient of 1000',
    async () => {
      const a = await credit();
      const body = await rejected(patch, watch(), () =>
        call('PATCH', pathOf(a.url), { body: { grace_coefficient: '1000' } }),
      );
      expectFieldError(body, 'grace_coefficient', ['Ensure that there are no more than 3 digits in total.']);
    },
    { writes: true },
  );
});

describe('project credits: create is validated', () => {
  const p = (i: number) => world.projects[i]!;
  const create = 'project_credits_create';
  const post = (body: Record<string, unknown>, token?: string) => () => createCredit('project', body, token);
  /** The lists a rejected project-credit write must leave alone: the project's and the organisation's. */
  const watch = (i: number) => [
    projectCreditsOf(p(i).uuid),
    projectCreditsOfCustomer(p(i).customer.uuid),
    customersOf(p(i).customer.uuid),
  ];

  check(
    create,
    'rejects a missing project (400 project: required)',
    async () => {
      await orgCredit();
      const body = await rejected(create, [PROJECT_LIST], post({ value: '10' }));
      expectFieldError(body, 'project', ['This field is required.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a project hyperlink with no URL match',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        [PROJECT_LIST],
        post({ project: `${target.url}/api/project/${p(0).uuid}/`, value: '10' }),
      );
      expectFieldError(body, 'project', ['Invalid hyperlink - No URL match.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a project hyperlink to another view (incorrect URL match)',
    async () => {
      await orgCredit();
      const body = await rejected(create, [PROJECT_LIST], post({ project: world.customers[0]!.url, value: '10' }));
      expectFieldError(body, 'project', ['Invalid hyperlink - Incorrect URL match.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a project hyperlink to an object that does not exist',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        [PROJECT_LIST],
        post({ project: `${target.url}/api/projects/${NO_SUCH_UUID}/`, value: '10' }),
      );
      expectFieldError(body, 'project', ['Invalid hyperlink - Object does not exist.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a project that is not a string (incorrect type)',
    async () => {
      await orgCredit();
      const body = await rejected(create, [PROJECT_LIST], post({ project: 7, value: '10' }));
      expectFieldError(body, 'project', ['Incorrect type. Expected URL string, received int.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a negative value',
    async () => {
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '-1' }));
      expectFieldError(body, 'value', ['Ensure this value is greater than or equal to 0.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a value with more than 5 decimal places',
    async () => {
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '1.123456' }));
      expectFieldError(body, 'value', ['Ensure that there are no more than 5 decimal places.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a value with more than 11 digits before the point',
    async () => {
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '123456789012' }));
      expectFieldError(body, 'value', ['Ensure that there are no more than 11 digits before the decimal point.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a value with more than 16 digits in total',
    async () => {
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '123456789012.12345' }));
      expectFieldError(body, 'value', ['Ensure that there are no more than 16 digits in total.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a value that is not a number',
    async () => {
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: 'ten' }));
      expectFieldError(body, 'value', ['A valid number is required.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a negative expected_consumption',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        watch(0),
        post({ project: p(0).url, value: '10', expected_consumption: '-1' }),
      );
      expectFieldError(body, 'expected_consumption', ['Ensure this value is greater than or equal to 0.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects expected_consumption with more than 5 decimal places',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        watch(0),
        post({ project: p(0).url, value: '10', expected_consumption: '1.123456' }),
      );
      expectFieldError(body, 'expected_consumption', ['Ensure that there are no more than 5 decimal places.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects expected_consumption that is not a number',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        watch(0),
        post({ project: p(0).url, value: '10', expected_consumption: 'ten' }),
      );
      expectFieldError(body, 'expected_consumption', ['A valid number is required.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a grace_coefficient with decimals',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        watch(0),
        post({ project: p(0).url, value: '10', grace_coefficient: '50.5' }),
      );
      expectFieldError(body, 'grace_coefficient', ['Ensure that there are no more than 0 decimal places.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a grace_coefficient of 1000 (more than 3 digits)',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        watch(0),
        post({ project: p(0).url, value: '10', grace_coefficient: '1000' }),
      );
      expectFieldError(body, 'grace_coefficient', ['Ensure that there are no more than 3 digits in total.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a minimal_consumption_logic outside the enum',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        watch(0),
        post({ project: p(0).url, value: '10', minimal_consumption_logic: 'foo' }),
      );
      expectFieldError(body, 'minimal_consumption_logic', ['"foo" is not a valid choice.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects an end_date in the wrong format',
    async () => {
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '10', end_date: '2099/06/01' }));
      expectFieldError(body, 'end_date', ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects an end_date that is not the 1st of a month (a plain string under end_date)',
    async () => {
      await orgCredit();
      const body = await rejected(
        create,
        watch(0),
        post({ project: p(0).url, value: '10', end_date: FUTURE_NOT_FIRST }),
      );
      expectFieldError(body, 'end_date', 'End date must be the first day of the month.');
    },
    { writes: true },
  );

  check(
    create,
    'refuses the support token (403)',
    async () => {
      const token = world.tokens.support;
      if (!token) throw new Error('no support token configured');
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '10' }, token), 403);
      expect(body).toEqual({ detail: 'You do not have permission to perform this action.' });
    },
    { writes: true },
  );

  check(
    create,
    "refuses the manager token, even for the manager's own project (403)",
    async () => {
      const token = world.tokens.manager;
      if (!token) throw new Error('no manager token configured');
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '10' }, token), 403);
      expect(body).toEqual({ detail: 'You do not have permission to perform this action.' });
    },
    { writes: true },
  );

  check(
    create,
    'refuses the token of a user without a role (403)',
    async () => {
      const token = world.tokens.user;
      if (!token) throw new Error('no user token configured');
      await orgCredit();
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '10' }, token), 403);
      expect(body).toEqual({ detail: 'You do not have permission to perform this action.' });
    },
    { writes: true },
  );

  check(
    create,
    'rejects a project whose customer has no customer credit (bare array)',
    async () => {
      const free = await call('GET', customersOf(p(3).customer.uuid));
      if (!Array.isArray(free.body) || free.body.length !== 0)
        throw new Error(`setup: customer ${p(3).customer.uuid} should have no credit: ${free.text}`);
      const body = await rejected(create, watch(3), post({ project: p(3).url, value: '10' }));
      expect(body).toEqual(['Customer credit does not exist.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a project credit above the organisation credit (bare array)',
    async () => {
      await orgCredit();
      const others = await call('GET', projectCreditsOfCustomer(p(0).customer.uuid));
      if (!Array.isArray(others.body) || others.body.length !== 0)
        throw new Error(`setup: the organisation should have no project credits yet: ${others.text}`);
      const body = await rejected(create, watch(0), post({ project: p(0).url, value: '100.00001' }));
      expect(body).toEqual(['The sum of project credits cannot exceed the credit for organization.']);
    },
    { writes: true },
  );

  check(
    create,
    'sum of project credits counts the new value (60 + 50 > 100 is rejected, bare array)',
    async () => {
      await orgCredit();
      const first = await mustCreate('project', { project: p(0).url, value: '60' });
      let second: Reply | undefined;
      try {
        const body = await rejected(
          create,
          watch(1),
          async () => (second = await createCredit('project', { project: p(1).url, value: '50' })),
        );
        expect(body).toEqual(['The sum of project credits cannot exceed the credit for organization.']);
      } finally {
        if (second?.status === 201) await remove((second.body as CreditBody).url);
        await remove(first.url);
      }
    },
    { writes: true },
  );

  check(
    create,
    'rejects a project that already has a credit',
    async () => {
      await orgCredit();
      const first = await mustCreate('project', { project: p(0).url, value: '10' });
      try {
        const body = await rejected(create, watch(0), post({ project: p(0).url, value: '10' }));
        expectFieldError(body, 'project', ['project credit with this project already exists.']);
      } finally {
        await remove(first.url);
      }
    },
    { writes: true },
  );

  check(
    create,
    'rejects a body that is not an object (non_field_errors)',
    async () => {
      const body = await rejected(create, [PROJECT_LIST], () =>
        createCredit('project', [world.projects[0]!.url] as never),
      );
      expectFieldError(body, 'non_field_errors', ['Invalid data. Expected a dictionary, but got list.']);
    },
    { writes: true },
  );

  check(
    create,
    'rejects a JSON null body (non_field_errors: No data provided)',
    async () => {
      const body = await rejected(create, [PROJECT_LIST], () => createCredit('project', null as never));
      expectFieldError(body, 'non_field_errors', ['No data provided']);
    },
    { writes: true },
  );
});

describe('project credits: PUT and PATCH are validated', () => {
  /** A project credit of projects[2] (value 10) under the organisation credit of 100, the only one of the organisation. */
  let made: Promise<CreditBody> | undefined;
  const credit = () =>
    (made ??= orgCredit().then(() => mustCreate('project', { project: world.projects[2]!.url, value: '10' })));
  const watch = () => [projectCreditsOfCustomer(world.customers[0]!.uuid), customersOf(world.customers[0]!.uuid)];
  const put = 'project_credits_update';
  const patch = 'project_credits_partial_update';

  check(
    put,
    'rejects a PUT without a project',
    async () => {
      const pc = await credit();
      const body = await rejected(put, watch(), () => call('PUT', pathOf(pc.url), { body: { value: '5' } }));
      expectFieldError(body, 'project', ['This field is required.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects a value above the organisation credit (bare array)',
    async () => {
      const pc = await credit();
      const body = await rejected(patch, watch(), () =>
        call('PATCH', pathOf(pc.url), { body: { value: '100.00001' } }),
      );
      expect(body).toEqual(['The sum of project credits cannot exceed the credit for organization.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects a negative value',
    async () => {
      const pc = await credit();
      const body = await rejected(patch, watch(), () => call('PATCH', pathOf(pc.url), { body: { value: '-1' } }));
      expectFieldError(body, 'value', ['Ensure this value is greater than or equal to 0.']);
    },
    { writes: true },
  );

  check(
    patch,
    'rejects an end_date that is not the 1st of a month (a plain string under end_date)',
    async () => {
      const pc = await credit();
      const body = await rejected(patch, watch(), () =>
        call('PATCH', pathOf(pc.url), { body: { end_date: FUTURE_NOT_FIRST } }),
      );
      expectFieldError(body, 'end_date', 'End date must be the first day of the month.');
    },
    { writes: true },
  );
});
