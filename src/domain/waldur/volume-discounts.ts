import { Dec, ZERO, type Dec as D } from '../money/decimal.js';
import { itemPrice } from './invoice-math.js';
import type { InvoiceItem } from './model.js';

/**
 * Volume discounts (docs/behaviour/waldur-8.1.md §7.1, 8.1 profile):
 * billing pairs a main item with negative "discount lines" whose details say
 * `{"is_discount": true, "discount_of_item": "<main item uuid hex>"}`. A
 * discount line is never drawn on itself; its main item is drawn net of it.
 */
export function isDiscountLine(item: InvoiceItem): boolean {
  return item.details?.is_discount === true;
}

/** A line a credit wrote (a compensation): it names the credit, or says so in its details. */
export function isCompensationRecord(item: InvoiceItem): boolean {
  return item.credit !== null || item.details?.is_compensation === true;
}

/** Σ price of the discount lines per main item uuid (lower-case hex, dashes dropped). */
export function discountsByItem(items: readonly InvoiceItem[]): Map<string, D> {
  const byItem = new Map<string, D>();
  for (const line of items) {
    if (!isDiscountLine(line)) continue;
    const of = line.details?.discount_of_item;
    if (typeof of !== 'string') continue;
    const key = of.replace(/-/g, '').toLowerCase();
    byItem.set(key, (byItem.get(key) ?? ZERO).plus(itemPrice(line)));
  }
  return byItem;
}

/** What a credit may pay of an item: max(0, price + Σ its discount lines). */
export function netCost(item: InvoiceItem, discounts: ReadonlyMap<string, D>): D {
  return Dec.max(ZERO, itemPrice(item).plus(discounts.get(item.uuid) ?? ZERO));
}
