import { Dec, ZERO } from '../money/decimal.js';
import { notFound, validationError } from './errors.js';
import { nowIso, type WaldurContext } from './context.js';
import { CREDIT_DEFAULTS, FIRST_DAY_MESSAGE, isFirstOfMonth } from './credit-fields.js';
import { creditList, type CreditList, type CreditListDeclaration, type Viewer } from './lists/index.js';
import type { WaldurStore } from './waldur.store.js';
import { buildFilter, type CreditView, type FilterSpec, type QueryParams } from './filters.js';
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

/**
 * The list: project credits of existing projects, with their project's and
 * customer's names; seen by who can see the customer, and only while the
 * customer has a customer credit (the viewset's queryset excludes the others).
 */
export const PROJECT_CREDIT_LIST: CreditListDeclaration<WaldurStore, ProjectCredit> = {
  spec: PROJECT_CREDIT_FILTERS,
  follows: 'projectCredits',
  reads: ['projects', 'customers', 'customerCredits'],
  facts: (store, credit) => {
    const project = store.projects.get(credit.project);
    if (!project) return null;
    const customer = store.customers.get(project.customer);
    return {
      customerUuid: project.customer,
      customerName: customer?.name ?? '',
      customerSlug: customer?.slug ?? '',
      projectUuid: project.uuid,
      projectName: project.name,
    };
  },
  visible: (store, viewer, v) =>
    (viewer.canSeeCustomer(v.customerUuid) ||
      (v.projectUuid !== undefined && viewer.canSeeProject?.(v.projectUuid) === true)) &&
    store.customerCredits.getBy('customer', v.customerUuid) !== undefined,
};

const NOT_FOUND = 'No ProjectCredit matches the given query.';

/**
 * The project-credits viewset. Project credits whose customer has no customer
 * credit are hidden (the viewset's queryset excludes them).
 */
export class ProjectCreditsService {
  private readonly credits: CreditList<ProjectCredit>;

  constructor(private readonly ctx: WaldurContext) {
    this.credits = creditList(ctx.store, PROJECT_CREDIT_LIST);
  }

  /** Who reads the list: in 8.1 any project role also sees its project's credit (docs/behaviour/waldur-8.1.md §3.4). */
  private viewer(actor: Actor): Viewer {
    if (!speaks81(this.ctx.settings)) return actor;
    return {
      visibilityKey: actor.projectVisibilityKey,
      canSeeCustomer: (customer) => actor.canSeeCustomer(customer),
      canSeeProject: (project) => actor.hasProjectRole(project),
    };
  }

  /** Makes the list's views, ranks and search indexes now (at start), not on the first requests. */
  warmList(): void {
    this.credits.warm();
  }

  /** The views of the visible credits matching the filters, in list order (lists/). */
  list(actor: Actor, query: QueryParams): readonly CreditView<ProjectCredit>[] {
    return this.credits.list(this.viewer(actor), query);
  }

  retrieve(actor: Actor, uuid: string, query: QueryParams = {}): ProjectCredit {
    const matches = buildFilter<ProjectCredit>(PROJECT_CREDIT_FILTERS, query);
    const hex = normalizeUuid(uuid);
    if (hex === null) throw notFound();
    const credit = this.ctx.store.projectCredits.get(hex);
    const v = credit ? this.credits.view(credit) : null;
    if (!credit || !this.credits.visible(this.viewer(actor), v) || !matches(v)) throw notFound(NOT_FOUND);
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
