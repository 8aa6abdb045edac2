import { sameMonth } from '../clock.js';
import { Dec } from '../money/decimal.js';
import { parseHyperlinkList } from './drf-fields.js';
import { validationError } from './errors.js';
import type { Input } from './input.js';
import { linkTo, todayOf, type WaldurContext } from './context.js';
import { baseCreditFields, FIRST_DAY_MESSAGE, isFirstOfMonth } from './credit-fields.js';
import type { Customer, CustomerCredit, MinimalConsumptionLogic } from './model.js';
import { fieldFail, runFields, type FieldDef } from './serializer.js';

/** The writable fields of a customer credit after validation; absent ones are left as they are. */
export interface CustomerCreditChanges {
  value?: string;
  customer?: string;
  offerings?: string[];
  end_date?: string | null;
  expected_consumption?: string;
  minimal_consumption_logic?: MinimalConsumptionLogic;
  grace_coefficient?: string;
  apply_as_minimal_consumption?: boolean;
}

interface Options {
  partial: boolean;
  instance?: CustomerCredit;
  /** The apply/clear compensation body: format checks only, nothing is unique. */
  formatOnly?: boolean;
}

/** CreateCustomerCreditSerializer (docs/behaviour/waldur.md §5.1): POST, PUT and PATCH. */
export function validateCustomerCredit(
  ctx: WaldurContext,
  data: Input | undefined,
  opts: Options,
): CustomerCreditChanges {
  const today = todayOf(ctx);
  const customer: FieldDef = {
    name: 'customer',
    required: true,
    relation: true,
    parse: (input) => {
      const found: Customer = linkTo(
        input,
        'customer',
        (id) => ctx.store.customers.get(id),
        ctx.linkPrefix,
        ctx.scriptPrefix,
      );
      const existing = ctx.store.customerCredits.getBy('customer', found.uuid);
      if (!opts.formatOnly && existing && existing.uuid !== opts.instance?.uuid) {
        fieldFail('customer credit with this customer already exists.');
      }
      return found.uuid;
    },
  };
  const offerings: FieldDef = {
    name: 'offerings',
    parse: (input) =>
      parseHyperlinkList(
        input,
        (item) =>
          linkTo(item, 'providerOffering', (id) => ctx.store.offerings.get(id), ctx.linkPrefix, ctx.scriptPrefix).uuid,
      ),
  };
  const endDate: FieldDef = {
    name: 'end_date',
    nullable: true,
    parse: (input) => {
      const date = baseCreditFields.end_date.parse(input);
      if (date < today) fieldFail("The end date must be greater than today's date.");
      if (!isFirstOfMonth(date)) fieldFail(FIRST_DAY_MESSAGE);
      return date;
    },
  };
  const fields: FieldDef[] = [
    baseCreditFields.value,
    customer,
    ...(opts.formatOnly ? [] : [offerings]),
    endDate,
    baseCreditFields.expected_consumption,
    baseCreditFields.minimal_consumption_logic,
    baseCreditFields.grace_coefficient,
    baseCreditFields.apply_as_minimal_consumption,
  ];
  const attrs = Object.fromEntries(runFields(data, fields, opts.partial)) as CustomerCreditChanges;
  if (!opts.formatOnly) validateObject(attrs, opts.instance, today);
  return attrs;
}

/** The serializer's validate(): rules across fields, reported as non_field_errors. */
function validateObject(attrs: CustomerCreditChanges, instance: CustomerCredit | undefined, today: string): void {
  const expected = attrs.expected_consumption ?? instance?.expected_consumption;
  const value = attrs.value ?? instance?.value ?? '0';
  if (expected !== undefined && new Dec(expected).gt(0) && new Dec(expected).gte(value)) {
    throw validationError({ non_field_errors: ['Expected consumption must be smaller than the credit.'] });
  }
  const logic = attrs.minimal_consumption_logic ?? instance?.minimal_consumption_logic;
  const endDate = attrs.end_date !== undefined ? attrs.end_date : (instance?.end_date ?? null);
  if (logic === 'linear') {
    if (endDate === null) {
      throw validationError({ non_field_errors: ['End date is required if minimal consumption logic is linear.'] });
    }
    if (sameMonth(endDate, today)) {
      throw validationError({ non_field_errors: ['End date must be greater if minimal consumption logic is linear.'] });
    }
  }
}
