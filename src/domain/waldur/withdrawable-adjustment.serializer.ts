import type { Dec } from '../money/decimal.js';
import { FieldError, parseDecimal, type DecimalSpec } from './drf-fields.js';
import { JsonNumber, type Input } from './input.js';
import { runFields, type FieldDef } from './serializer.js';

/** Decimal(16,5), signed: the adjustment's amount. */
const SIGNED_AMOUNT: DecimalSpec = { maxDigits: 16, places: 5 };

export interface WithdrawableAdjustment {
  amount: Dec;
  /** Stripped of surrounding white space, never blank. */
  comment: string;
}

/**
 * WithdrawableAdjustmentSerializer (docs/behaviour/waldur-8.1.md §4):
 * `amount` a non-zero decimal, `comment` a non-blank string (DRF's CharField
 * rejects blank input before the serializer's own "A comment is required."
 * could run). Both required; errors of both are reported together.
 */
export function validateWithdrawableAdjustment(data: Input | undefined): WithdrawableAdjustment {
  const fields: FieldDef[] = [
    {
      name: 'amount',
      required: true,
      parse: (input) => {
        const amount = parseDecimal(input, SIGNED_AMOUNT);
        if (amount.isZero()) throw new FieldError(['Amount must not be zero.']);
        return amount;
      },
    },
    { name: 'comment', required: true, parse: parseComment },
  ];
  const attrs = runFields(data, fields, false);
  return { amount: attrs.get('amount') as Dec, comment: attrs.get('comment') as string };
}

/** DRF's CharField(trim_whitespace=True, allow_blank=False): str, int or float; stripped; not blank. */
function parseComment(input: Input): string {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof JsonNumber) text = input.pyStr;
  else throw new FieldError(['Not a valid string.']);
  const stripped = text.trim();
  if (stripped === '') throw new FieldError(['This field may not be blank.']);
  return stripped;
}
