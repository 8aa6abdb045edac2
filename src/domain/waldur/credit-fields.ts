import { fixed, type Dec } from '../money/decimal.js';
import { parseBoolean, parseChoice, parseDate, parseDecimal, type DecimalSpec } from './drf-fields.js';
import { MINIMAL_CONSUMPTION_LOGICS, type BaseCredit, type MinimalConsumptionLogic } from './model.js';
import type { FieldDef } from './serializer.js';

/** Decimal(16,5) ≥ 0: `value` and `expected_consumption`. */
export const AMOUNT: DecimalSpec = { maxDigits: 16, places: 5, minValue: 0 };
/** Decimal(3,0), no bounds: `grace_coefficient`. */
export const GRACE: DecimalSpec = { maxDigits: 3, places: 0 };

export const amountText = (d: Dec) => fixed(d, AMOUNT.places);
export const graceText = (d: Dec) => fixed(d, GRACE.places);

/** The BaseCredit fields both serializers share, parsed to their stored form. */
export const baseCreditFields = {
  value: { name: 'value', parse: (i) => amountText(parseDecimal(i, AMOUNT)) },
  expected_consumption: { name: 'expected_consumption', parse: (i) => amountText(parseDecimal(i, AMOUNT)) },
  minimal_consumption_logic: {
    name: 'minimal_consumption_logic',
    parse: (i) => parseChoice<MinimalConsumptionLogic>(i, MINIMAL_CONSUMPTION_LOGICS),
  },
  grace_coefficient: { name: 'grace_coefficient', parse: (i) => graceText(parseDecimal(i, GRACE)) },
  apply_as_minimal_consumption: { name: 'apply_as_minimal_consumption', parse: parseBoolean },
  end_date: { name: 'end_date', nullable: true, parse: parseDate },
} satisfies Record<string, FieldDef>;

/** A new credit's defaults (the model defaults). */
export const CREDIT_DEFAULTS: Omit<BaseCredit, 'uuid' | 'created' | 'seq'> = {
  value: '0.00000',
  end_date: null,
  expected_consumption: '0.00000',
  minimal_consumption_logic: 'fixed',
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
};

export const FIRST_DAY_MESSAGE = 'End date must be the first day of the month.';
export const isFirstOfMonth = (date: string) => date.endsWith('-01');
