import { Dec, ZERO } from '../money/decimal.js';
import { notFound, validationError } from './errors.js';
import { nowIso, type WaldurContext } from './context.js';
import { CREDIT_DEFAULTS, FIRST_DAY_MESSAGE, isFirstOfMonth } from './credit-fields.js';
import { listCredits, type CreditList } from './credit-lists.js';
import { buildFilter, KeptViews, type CreditView, type FilterSpec, type QueryParams } from './filters.js';
import { ListCache } from './list-cache.js';
import type { LazyInput } from './input.js';
import type { ProjectCredit } from './model.js';
import type { Actor } from './permissions.js';
import { validateProjectCredit } from './project-credit.serializer.js';
import { normalizeUuid } from './uuid.js';
import { projectCreditDeleted, recordProjectCredit } from './ledger.js';
import { speaks81 } from './profile.js';

export const PROJECT_CREDIT_FILTERS: FilterSpec = {
  uuid: { project_uuid: 'projectUuid', customer_uuid: 'customerUuid' },
  contains: { project_name: 'projectName', customer_name: 'customerName' },
  exact: { customer_slug: 'customerSlug' },
  search: ['projectName', 'projectUuid', 'customerName', 'customerSlug', 'customerUuid'],
  ordering: {
    project_name: 'projectName',
    value: 'value',
    end_date: 'end_date',
    expected_consumption: 'expected_consumption',
  },
};

const NOT_FOUND = 'No ProjectCredit matches the given query.';

/**
 * The project-credits viewset. Project credits whose customer has no customer
 * credit are hidden (the viewset's queryset excludes them).
 */
export class ProjectCreditsService {
  private readonly credits: CreditList<ProjectCredit>;
  private readonly views = new KeptViews<ProjectCredit>();

  constructor(private readonly ctx: WaldurContext) {
    const s = ctx.store;
    this.credits = {
      cache: new ListCache(
        () => `${s.projects.version}:${s.customers.version}:${s.customerCredits.version}`,
        { table: s.projectCredits, view: (c) => this.view(c), seq: (v) => v.seq },
      ),
      spec: PROJECT_CREDIT_FILTERS,
      allViews: () => this.allViews(),
    };
  }

  private view(credit: ProjectCredit): CreditView<ProjectCredit> | null {
    const project = this.ctx.store.projects.get(credit.project);
    if (!project) return null;
    const customer = this.ctx.store.customers.get(project.customer);
    return this.views.of(credit, {
      customerUuid: project.customer,
      customerName: customer?.name ?? '',
      customerSlug: customer?.slug ?? '',
      projectUuid: project.uuid,
      projectName: project.name,
    });
  }

  /** Customer roles see their customers' credits; 8.1: any project role sees its project's too (reference §3.4). */
  private visible(actor: Actor, v: CreditView<ProjectCredit> | null): v is CreditView<ProjectCredit> {
    return (
      v !== null &&
      (actor.canSeeCustomer(v.customerUuid) || (speaks81(this.ctx.settings) && actor.hasProjectRole(v.projectUuid!))) &&
      this.ctx.store.customerCredits.getBy('customer', v.customerUuid) !== undefined
    );
  }

  /** The views of the visible credits matching the filters, in list order (credit-lists.ts). */
  list(actor: Actor, query: QueryParams): readonly CreditView<ProjectCredit>[] {
    const key = speaks81(this.ctx.settings) ? actor.projectVisibilityKey : actor.visibilityKey;
    return listCredits(this.credits, query, key, (v) => this.visible(actor, v));
  }

  private allViews(): CreditView<ProjectCredit>[] {
    const views: CreditView<ProjectCredit>[] = [];
    for (const credit of this.ctx.store.projectCredits.all()) {
      const v = this.view(credit);
      if (v) views.push(v);
    }
    return views;
  }

  retrieve(actor: Actor, uuid: string, query: QueryParams = {}): ProjectCredit {
    const matches = buildFilter<ProjectCredit>(PROJECT_CREDIT_FILTERS, query);
    const hex = normalizeUuid(uuid);
    if (hex === null) throw notFound();
    const credit = this.ctx.store.projectCredits.get(hex);
    const v = credit ? this.view(credit) : null;
    if (!credit || !this.visible(actor, v) || !matches(v)) throw notFound(NOT_FOUND);
    return credit;
  }

  create(actor: Actor, data: LazyInput): ProjectCredit {
    return this.ctx.store.transaction(() => {
      const changes = validateProjectCredit(this.ctx, actor, data(), { partial: false });
      const credit: ProjectCredit = {
        uuid: this.ctx.ids.uuidHex(),
        created: nowIso(this.ctx),
        seq: this.ctx.store.nextSeq(),
        ...CREDIT_DEFAULTS,
        project: changes.project!,
        mark_unused_credit_as_spent_on_project_termination: false,
        ...changes,
      };
      const saved = this.save(credit, changes.end_date !== undefined);
      recordProjectCredit(this.ctx, undefined, saved);
      return saved;
    });
  }

  update(actor: Actor, uuid: string, data: LazyInput, partial: boolean, query: QueryParams = {}): ProjectCredit {
    return this.ctx.store.transaction(() => {
      const instance = this.retrieve(actor, uuid, query);
      actor.requireStaffOrOwner(this.customerOf(instance));
      const changes = validateProjectCredit(this.ctx, actor, data(), { partial, instance });
      const saved = this.save({ ...instance, ...changes }, changes.end_date !== undefined);
      recordProjectCredit(this.ctx, instance, saved);
      return saved;
    });
  }

  destroy(actor: Actor, uuid: string, query: QueryParams = {}): void {
    this.ctx.store.transaction(() => {
      const instance = this.retrieve(actor, uuid, query);
      actor.requireStaffOrOwner(this.customerOf(instance));
      this.ctx.store.projectCredits.remove(instance.uuid);
      projectCreditDeleted(this.ctx, instance.uuid);
    });
  }

  customerOf(credit: ProjectCredit): string {
    return this.ctx.store.projects.get(credit.project)!.customer;
  }

  /**
   * ProjectCredit.save(): the organisation must have a credit, and the project
   * credits together may not exceed it. The rule is applied as intended: the new
   * value counts (the real code's operator precedence drops it; see the README).
   * Then BaseCredit.save(): an end date being written must be a first of month.
   */
  private save(credit: ProjectCredit, endDateWritten: boolean): ProjectCredit {
    const customer = this.customerOf(credit);
    const customerCredit = this.ctx.store.customerCredits.getBy('customer', customer);
    if (!customerCredit) throw validationError(['Customer credit does not exist.']);
    const others = this.ctx.store.projectCredits
      .getGroup('customer', customer)
      .filter((c) => c.uuid !== credit.uuid)
      .reduce((total, c) => total.plus(c.value), ZERO);
    if (others.plus(credit.value).gt(new Dec(customerCredit.value))) {
      throw validationError(['The sum of project credits cannot exceed the credit for organization.']);
    }
    if (endDateWritten && credit.end_date !== null && !isFirstOfMonth(credit.end_date)) {
      throw validationError({ end_date: FIRST_DAY_MESSAGE });
    }
    return this.ctx.store.projectCredits.put(credit);
  }
}
