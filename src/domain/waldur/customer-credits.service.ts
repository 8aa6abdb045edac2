import { Dec } from '../money/decimal.js';
import { notFound } from './errors.js';
import { nowIso, todayOf, type WaldurContext } from './context.js';
import { CREDIT_DEFAULTS } from './credit-fields.js';
import { validateCustomerCredit } from './customer-credit.serializer.js';
import { creditList, type CreditList, type CreditListDeclaration } from './lists/index.js';
import type { WaldurStore } from './waldur.store.js';
import { buildFilter, type CreditView, type FilterSpec, type QueryParams } from './filters.js';
import type { LazyInput } from './input.js';
import type { CustomerCredit } from './model.js';
import type { Actor } from './permissions.js';
import { consumptionHistory } from './computed.js';
import { CompensationsService } from './compensations.service.js';
import { normalizeUuid } from './uuid.js';
import { customerCreditDeleted, projectCreditDeleted, recordCustomerCredit } from './ledger.js';
import { speaks81 } from './profile.js';

export const CUSTOMER_CREDIT_FILTERS: FilterSpec = {
  uuid: { customer_uuid: 'customerUuid' },
  contains: { customer_name: 'customerName' },
  exact: { customer_slug: 'customerSlug' },
  search: ['customerName', 'customerSlug', 'customerUuid'],
  ordering: {
    customer_name: 'customerName',
    value: 'value',
    end_date: 'end_date',
    expected_consumption: 'expected_consumption',
  },
};

/** The list: customer credits, with their customer's name and slug; a customer's credits are seen by who can see the customer. */
export const CUSTOMER_CREDIT_LIST: CreditListDeclaration<WaldurStore, CustomerCredit> = {
  spec: CUSTOMER_CREDIT_FILTERS,
  follows: 'customerCredits',
  reads: ['customers'],
  facts: (store, credit) => {
    const customer = store.customers.get(credit.customer);
    return { customerUuid: credit.customer, customerName: customer?.name ?? '', customerSlug: customer?.slug ?? '' };
  },
  visible: (_store, viewer, v) => viewer.canSeeCustomer(v.customerUuid),
  seesAll: (viewer) => viewer.seesEverything === true,
};

const NOT_FOUND = 'No CustomerCredit matches the given query.';

/** The customer-credits viewset: visibility, filters, the matrix of §9, and one transaction per write. */
export class CustomerCreditsService {
  private readonly compensations: CompensationsService;
  private readonly credits: CreditList<CustomerCredit>;

  constructor(private readonly ctx: WaldurContext) {
    this.compensations = new CompensationsService(ctx);
    this.credits = creditList(ctx.store, CUSTOMER_CREDIT_LIST);
  }

  private view(credit: CustomerCredit): CreditView<CustomerCredit> {
    return this.credits.view(credit)!; // every customer credit is listed
  }

  /** Makes the list's views, ranks and search indexes now (at start), not on the first requests. */
  warmList(): void {
    this.credits.warm();
  }

  /** The views of the visible credits matching the filters, in list order (lists/). */
  list(actor: Actor, query: QueryParams): readonly CreditView<CustomerCredit>[] {
    return this.credits.list(actor, query);
  }

  /** DRF's get_object: the lookup runs through the same visibility and filters as the list. */
  retrieve(actor: Actor, uuid: string, query: QueryParams = {}): CustomerCredit {
    const matches = buildFilter<CustomerCredit>(CUSTOMER_CREDIT_FILTERS, query);
    const hex = normalizeUuid(uuid);
    if (hex === null) throw notFound();
    const credit = this.ctx.store.customerCredits.get(hex);
    if (!credit || !actor.canSeeCustomer(credit.customer) || !matches(this.view(credit))) throw notFound(NOT_FOUND);
    return credit;
  }

  create(actor: Actor, data: LazyInput): CustomerCredit {
    actor.requireStaff();
    return this.ctx.store.transaction(() => {
      const changes = validateCustomerCredit(this.ctx, data(), { partial: false });
      const credit: CustomerCredit = {
        uuid: this.ctx.ids.uuidHex(),
        created: nowIso(this.ctx),
        seq: this.ctx.store.nextSeq(),
        ...CREDIT_DEFAULTS,
        customer: changes.customer!,
        offerings: [],
        ...changes,
      };
      recordCustomerCredit(this.ctx, undefined, credit);
      return this.ctx.store.customerCredits.put(credit);
    });
  }

  update(actor: Actor, uuid: string, data: LazyInput, partial: boolean, query: QueryParams = {}): CustomerCredit {
    actor.requireStaff();
    return this.ctx.store.transaction(() => {
      const instance = this.retrieve(actor, uuid, query);
      const changes = validateCustomerCredit(this.ctx, data(), { partial, instance });
      const updated = this.ctx.store.customerCredits.put({ ...instance, ...changes });
      recordCustomerCredit(this.ctx, instance, updated);
      return updated;
    });
  }

  destroy(actor: Actor, uuid: string, query: QueryParams = {}): void {
    actor.requireStaff();
    this.ctx.store.transaction(() => {
      const instance = this.retrieve(actor, uuid, query);
      // 8.1: a pre_delete handler deletes every project credit of the customer's projects (docs/behaviour/waldur-8.1.md §2.3).
      if (speaks81(this.ctx.settings)) {
        for (const pc of [...this.ctx.store.projectCredits.getGroup('customer', instance.customer)]) {
          this.ctx.store.projectCredits.remove(pc.uuid);
          projectCreditDeleted(this.ctx, pc.uuid);
        }
      }
      this.ctx.store.customerCredits.remove(instance.uuid);
      customerCreditDeleted(this.ctx, instance.uuid);
    });
  }

  consumptions(actor: Actor, uuid: string, query: QueryParams = {}): { date: string; price: Dec }[] {
    return consumptionHistory(this.ctx.store, this.retrieve(actor, uuid, query));
  }

  /**
   * apply_compensations / clear_compensations: staff only (403 before the lookup).
   * 8.0.5: the body is checked for format and otherwise ignored, as the real
   * server does; 8.1: the actions take no body, and one sent is not read.
   */
  compensationAction(
    actor: Actor,
    uuid: string,
    data: LazyInput,
    action: 'apply' | 'clear',
    query: QueryParams = {},
  ): CustomerCredit {
    actor.requireStaff();
    const credit = this.retrieve(actor, uuid, query);
    const body = speaks81(this.ctx.settings) ? undefined : data();
    if (body !== undefined) validateCustomerCredit(this.ctx, body, { partial: false, formatOnly: true });
    return action === 'apply' ? this.compensations.apply(credit) : this.compensations.clear(credit);
  }

  today(): string {
    return todayOf(this.ctx);
  }
}
