import { Dec } from '../money/decimal.js';
import { notFound } from './errors.js';
import { nowIso, todayOf, type WaldurContext } from './context.js';
import { CREDIT_DEFAULTS } from './credit-fields.js';
import { validateCustomerCredit } from './customer-credit.serializer.js';
import { listCredits, type CreditList } from './credit-lists.js';
import { buildFilter, KeptViews, type CreditView, type FilterSpec, type QueryParams } from './filters.js';
import { ListCache } from './list-cache.js';
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

const NOT_FOUND = 'No CustomerCredit matches the given query.';

/** The customer-credits viewset: visibility, filters, the matrix of §9, and one transaction per write. */
export class CustomerCreditsService {
  private readonly compensations: CompensationsService;
  private readonly credits: CreditList<CustomerCredit>;
  private readonly views = new KeptViews<CustomerCredit>();

  constructor(private readonly ctx: WaldurContext) {
    this.compensations = new CompensationsService(ctx);
    const store = ctx.store;
    this.credits = {
      cache: new ListCache(() => String(store.customers.version), { table: store.customerCredits, view: (c) => this.view(c), seq: (v) => v.seq }),
      spec: CUSTOMER_CREDIT_FILTERS,
      allViews: () => [...store.customerCredits.all()].map((c) => this.view(c)),
    };
  }

  private view(credit: CustomerCredit): CreditView<CustomerCredit> {
    const customer = this.ctx.store.customers.get(credit.customer);
    return this.views.of(credit, { customerUuid: credit.customer, customerName: customer?.name ?? '', customerSlug: customer?.slug ?? '' });
  }

  /** The views of the visible credits matching the filters, in list order (credit-lists.ts). */
  list(actor: Actor, query: QueryParams): readonly CreditView<CustomerCredit>[] {
    return listCredits(this.credits, query, actor.visibilityKey, (v) => actor.canSeeCustomer(v.customerUuid));
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
      // 8.1: a pre_delete handler deletes every project credit of the customer's projects (reference §2.3).
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
  compensationAction(actor: Actor, uuid: string, data: LazyInput, action: 'apply' | 'clear', query: QueryParams = {}): CustomerCredit {
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
