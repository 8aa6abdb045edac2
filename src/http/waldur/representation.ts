import {
  allocatedToProjects,
  customerConsumptionLastMonth,
  minimalConsumption,
  projectConsumptionLastMonth,
  projectCreditsOfCustomer,
} from '../../domain/waldur/computed.js';
import { ZERO } from '../../domain/money/decimal.js';
import type { BaseCredit, CustomerCredit, Offering, ProjectCredit } from '../../domain/waldur/model.js';
import { detailPath, type ViewKey } from '../../domain/waldur/urls.js';
import type { WaldurStore } from '../../domain/waldur/waldur.store.js';
import { computed, JsonText, pyFloat, renderDrfJson, type Json } from './drf-json.js';
import { amountText } from '../../domain/waldur/credit-fields.js';
import {
  creditableCostThisMonth,
  isLimitedByOrganizationCredit,
  spendableValue,
} from '../../domain/waldur/project-figures.js';
import { withdrawableBalance } from '../../domain/waldur/withdrawable.js';

/** What rendering needs: absolute URLs are built from the request's scheme and host. */
export interface RenderContext {
  baseUrl: string;
  store: WaldurStore;
  today: string;
  /** The 8.1 profile's representation (profile.ts): its fields, types and stripping. */
  v81?: boolean;
  /** Filled in on first use: see `stamps`. */
  stamps?: { customerCredit: string; projectCredit: string };
}

/**
 * A rendered credit reads, besides the (immutable) credit itself, only the
 * tables named here, the date and the base URL: while these stay the same, so
 * does its JSON, which is therefore kept per credit and reused.
 */
function stamps(r: RenderContext): NonNullable<RenderContext['stamps']> {
  if (r.stamps) return r.stamps;
  const s = r.store;
  const shared = `${r.v81 ? '8.1' : '8.0.5'}|${storeId(s)}|${r.baseUrl}|${r.today}|${s.customers.version}|${s.offerings.version}|${s.projects.version}|${s.projectCredits.version}|${s.invoices.version}`;
  return (r.stamps = { customerCredit: shared, projectCredit: `${shared}|${s.customerCredits.version}` });
}

/**
 * Worlds (sessions) share the frozen start records, and two worlds' tables
 * can stand at the same versions with different contents: the stamp names
 * the store too.
 */
const storeIds = new WeakMap<WaldurStore, number>();
let storeCount = 0;
function storeId(s: WaldurStore): number {
  let id = storeIds.get(s);
  if (id === undefined) storeIds.set(s, (id = ++storeCount));
  return id;
}

type Kept = WeakMap<object, { stamp: string; json: JsonText }>;
const kept = {
  objects: new WeakMap() as Kept,
  urls: new WeakMap() as Kept,
  project: new WeakMap() as Kept,
  projectStripped: new WeakMap() as Kept,
};

function keptJson(map: Kept, stamp: string, record: object, render: () => Json): JsonText {
  const hit = map.get(record);
  if (hit?.stamp === stamp) return hit.json;
  const json = new JsonText(renderDrfJson(render()));
  map.set(record, { stamp, json });
  return json;
}

export const absoluteUrl = (r: RenderContext, view: ViewKey, uuid: string) => `${r.baseUrl}${detailPath(view, uuid)}`;

function nestedOffering(r: RenderContext, view: ViewKey, offering: Offering): Json {
  return { uuid: offering.uuid, url: absoluteUrl(r, view, offering.uuid), type: offering.type, name: offering.name };
}

function offeringsOf(r: RenderContext, uuids: readonly string[]): Offering[] {
  return uuids.map((u) => r.store.offerings.get(u)).filter((o): o is Offering => o !== undefined);
}

/** The BaseCredit terms both serializers write, in their order. */
function creditTerms(r: RenderContext, credit: BaseCredit): Record<string, Json> {
  return {
    end_date: credit.end_date,
    expected_consumption: credit.expected_consumption,
    minimal_consumption: computed(minimalConsumption(credit, r.today)),
    minimal_consumption_logic: credit.minimal_consumption_logic,
    grace_coefficient: credit.grace_coefficient,
    apply_as_minimal_consumption: credit.apply_as_minimal_consumption,
  };
}

/**
 * CustomerCreditSerializer (GET: offerings as objects) or CreateCustomerCreditSerializer
 * (create/update responses: offerings as URLs), in the field order Waldur emits.
 */
export function renderCustomerCredit(r: RenderContext, credit: CustomerCredit, offeringsAs: 'objects' | 'urls'): Json {
  return keptJson(kept[offeringsAs], stamps(r).customerCredit, credit, () =>
    customerCreditJson(r, credit, offeringsAs),
  );
}

function customerCreditJson(r: RenderContext, credit: CustomerCredit, offeringsAs: 'objects' | 'urls'): Json {
  const customer = r.store.customers.get(credit.customer);
  const offerings = offeringsOf(r, credit.offerings);
  return {
    uuid: credit.uuid,
    url: absoluteUrl(r, 'customerCredit', credit.uuid),
    value: credit.value,
    customer: absoluteUrl(r, 'customer', credit.customer),
    customer_name: customer?.name ?? '',
    customer_uuid: credit.customer,
    customer_slug: customer?.slug ?? '',
    offerings:
      offeringsAs === 'objects'
        ? offerings.map((o) => nestedOffering(r, 'providerOffering', o))
        : offerings.map((o) => absoluteUrl(r, 'providerOffering', o.uuid)),
    ...creditTerms(r, credit),
    allocated_to_projects: computed(allocatedToProjects(r.store, credit.customer)),
    consumption_last_month: computed(customerConsumptionLastMonth(r.store, credit, r.today)),
    ...(r.v81 ? { withdrawable_balance: pyFloat(withdrawableBalance(credit)) } : {}),
  };
}

/**
 * ProjectCreditSerializer: the organisation's figures and its credit's offerings come along.
 * 8.1: without them (`whole` false) for callers without owner access (docs/behaviour/waldur-8.1.md §3.4).
 */
export function renderProjectCredit(r: RenderContext, credit: ProjectCredit, whole = true): Json {
  if (r.v81)
    return keptJson(whole ? kept.project : kept.projectStripped, stamps(r).projectCredit, credit, () =>
      projectCredit81Json(r, credit, whole),
    );
  return keptJson(kept.project, stamps(r).projectCredit, credit, () => projectCreditJson(r, credit));
}

/** What both profiles' project-credit bodies start with, and the records they are read from. */
function projectCreditHead(r: RenderContext, credit: ProjectCredit) {
  const project = r.store.projects.get(credit.project);
  const customerUuid = project?.customer ?? '';
  const customer = r.store.customers.get(customerUuid);
  const customerCredit = r.store.customerCredits.getBy('customer', customerUuid);
  const allocated = projectCreditsOfCustomer(r.store, customerUuid).reduce((t, c) => t.plus(c.value), ZERO);
  const head: Record<string, Json> = {
    uuid: credit.uuid,
    url: absoluteUrl(r, 'projectCredit', credit.uuid),
    value: credit.value,
    project: absoluteUrl(r, 'project', credit.project),
    project_name: project?.name ?? '',
    project_uuid: credit.project,
    project_slug: project?.slug ?? '',
    customer_name: customer?.name ?? '',
    customer_slug: customer?.slug ?? '',
    customer_uuid: customerUuid,
  };
  return { head, customerCredit, allocated };
}

function projectCreditJson(r: RenderContext, credit: ProjectCredit): Json {
  const { head, customerCredit, allocated } = projectCreditHead(r, credit);
  return {
    ...head,
    customer_credit: customerCredit?.value ?? null,
    allocated_customer_credit: pyFloat(allocated),
    consumption_last_month: computed(projectConsumptionLastMonth(r.store, credit, customerCredit, r.today)),
    offerings: offeringsOf(r, customerCredit?.offerings ?? []).map((o) => nestedOffering(r, 'publicOffering', o)),
    ...creditTerms(r, credit),
    mark_unused_credit_as_spent_on_project_termination: credit.mark_unused_credit_as_spent_on_project_termination,
  };
}

/** The 8.1 ProjectCreditSerializer, in its field order (docs/behaviour/waldur-8.1.md §3.1); `whole` false leaves out the organisation's figures. */
function projectCredit81Json(r: RenderContext, credit: ProjectCredit, whole: boolean): Json {
  const { head, customerCredit, allocated } = projectCreditHead(r, credit);
  const creditable = creditableCostThisMonth(r.store, credit, customerCredit, r.today);
  const organisation: Record<string, Json> = whole
    ? { customer_credit: customerCredit?.value ?? null, allocated_customer_credit: amountText(allocated) }
    : {};
  return {
    ...head,
    ...organisation,
    consumption_last_month: computed(projectConsumptionLastMonth(r.store, credit, customerCredit, r.today)),
    creditable_cost_this_month: creditable === null ? null : amountText(creditable),
    spendable_value: amountText(spendableValue(credit, customerCredit)),
    is_limited_by_organization_credit: isLimitedByOrganizationCredit(credit, customerCredit),
    ...(whole
      ? {
          offerings: offeringsOf(r, customerCredit?.offerings ?? []).map((o) => nestedOffering(r, 'publicOffering', o)),
        }
      : {}),
    ...creditTerms(r, credit),
    mark_unused_credit_as_spent_on_project_termination: credit.mark_unused_credit_as_spent_on_project_termination,
  };
}
