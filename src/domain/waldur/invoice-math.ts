import { Dec, ROUND_UP, ZERO, type Dec as D } from '../money/decimal.js';
import type { Invoice, InvoiceItem } from './model.js';

/** Waldur's quantize_price: to the cent, away from zero (ROUND_UP). */
export function itemPrice(item: InvoiceItem): D {
  return new Dec(item.unit_price).times(item.quantity).toDecimalPlaces(2, ROUND_UP);
}

/** VAT of an item: price × tax_percent / 100. */
export function itemTax(item: InvoiceItem, invoice: Invoice): D {
  return itemPrice(item).times(invoice.tax_percent).div(100);
}

/** price + VAT. */
export function itemTotal(item: InvoiceItem, invoice: Invoice): D {
  return itemPrice(item).plus(itemTax(item, invoice));
}

export function sumItems(items: Iterable<InvoiceItem>, f: (i: InvoiceItem) => D): D {
  let total = ZERO;
  for (const i of items) total = total.plus(f(i));
  return total;
}
