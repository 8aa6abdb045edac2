import PROFILE_NAMES from './profiles.json' with { type: 'json' };

/**
 * Known, documented differences between a real server and its contract, per
 * target profile. A check listed here still runs: if the server shows the
 * deviation, the check is reported as a deviation with its reason (not a
 * failure, not a skip); if it does not, it is reported as passing.
 */
export interface Deviation {
  id: string;
  /** Matches the check's title: "<operationId> › <check>". */
  title: RegExp;
  reason: string;
  /**
   * When given, the deviation is what a failure of the check shows only if the
   * failure's message matches: any other failure of the check is a failure.
   */
  shows?: RegExp;
  /**
   * When given, the contract problems of a project-credit body that match it
   * are the deviation (see expectContractUnlessDeviating); the rest of the
   * body is still checked.
   */
  tolerates?: RegExp;
}

const WALDUR_8_0_5: Deviation[] = [
  {
    id: 'compensation-actions-500',
    title: /^customer_credits_(apply|clear)_compensations › /,
    reason:
      'Waldur 8.0.5 reads no body and its action returns None, which DRF turns into a 500 (docs/behaviour/waldur.md §6.5, §12.5); the contract says 200 with the credit.',
  },
  {
    id: 'project-customer-credit-number',
    title: /^project_credits_\w+ › .*(matches the contract|schema)/,
    reason:
      'customer_credit is sent as a JSON number although the contract says a decimal string (docs/behaviour/waldur.md §12.1).',
  },
  {
    id: 'project-sum-precedence',
    title: /› .*sum of project credits counts the new value/,
    reason:
      'ProjectCredit.save() computes `others or 0 + value`, so the new value is ignored when other project credits exist (docs/behaviour/waldur.md §2.3).',
  },
  {
    id: 'expected-without-value-500',
    title: /› .*expected consumption without a value/,
    reason:
      'A POST with expected_consumption and no value compares Decimal with None: a 500 (docs/behaviour/waldur.md §5.1).',
  },
  {
    id: 'oversized-body',
    title: /› .*body over 1 MiB/,
    reason:
      "Django refuses oversized bodies itself (RequestDataTooBig → 400), or a proxy answers 413 without DRF's JSON body.",
  },
  {
    id: 'offerings-error-shape',
    title: /› .*offerings error keyed by index/,
    reason: "DRF's ManyRelatedField may report the first bad hyperlink as a flat list rather than keyed by index.",
  },
];

/**
 * The newest Waldur (8.1): the 8.0.5 deviations its code still has (docs/behaviour/waldur-8.1.md:
 * everything it does not mention is unchanged),
 * narrowed so that a check fails when it fails for another reason.
 */
const WALDUR_8_1: Deviation[] = [
  {
    id: 'compensation-actions-500',
    title: /^customer_credits_(apply|clear)_compensations › /,
    reason:
      'Waldur 8.1 still returns None from both actions, which DRF turns into a 500 and a rollback (docs/behaviour/waldur-8.1.md §8, §12.3); the contract says 200 with no body.',
    shows: /expected 200, got 500/,
  },
  {
    id: 'project-customer-credit-number',
    title: /^project_credits_\w+ › .*(matches the contract|schema)/,
    reason:
      'customer_credit and allocated_customer_credit are sent as JSON numbers although the 8.1 contract says strings (docs/behaviour/waldur-8.1.md §3.1).',
    shows: /\/(customer_credit|allocated_customer_credit) must be string/,
    tolerates: /^body(\/\d+)?\/(customer_credit|allocated_customer_credit) must be string/,
  },
  ...WALDUR_8_0_5.filter((d) => d.id !== 'compensation-actions-500' && d.id !== 'project-customer-credit-number'),
];

/**
 * Maple as its public documentation also reads (docs/behaviour/maple.md §1.5, §1.7, §1.10):
 * where the text allows a second reading, a real server that takes it is a
 * deviation, not a failure. The mock takes the first reading, so `default`
 * and `mock` expect none of these.
 */
const MAPLE_PUBLIC_DOCS: Deviation[] = [
  {
    id: 'same-key-different-request-replays',
    title: /^(createCredit|consumeCredits) › .*same key with a different (body|path)/,
    reason:
      'Maple\'s idempotency guide also says a used key makes the server "ignore the request and return the response from the previous request" (docs/behaviour/maple.md §1.7): a replay instead of 409.',
  },
  {
    id: 'limit-up-to-200',
    title: /^(findCredits|findCreditLogs) › pagination\.limit outside 1–100/,
    reason:
      'A third-party summary of find-credits gives "Max: 200" where the pagination guide says 100 (docs/behaviour/maple.md §1.5).',
  },
];

/** Every profile, by name. Its names are those of profiles.json, which `credits-mock conform` reads to refuse an unknown --profile before it runs anything. */
export const PROFILES: Record<keyof typeof PROFILE_NAMES, Deviation[]> = {
  default: [],
  mock: [],
  'waldur-8.0.5': WALDUR_8_0_5,
  'waldur-8.1': WALDUR_8_1,
  'maple-public-docs': MAPLE_PUBLIC_DOCS,
};

export function deviationFor(profile: string, title: string): Deviation | undefined {
  const list = (PROFILES as Record<string, Deviation[] | undefined>)[profile];
  if (!list) throw new Error(`unknown deviation profile "${profile}" (known: ${Object.keys(PROFILES).join(', ')})`);
  return list.find((d) => d.title.test(title));
}
