import { permissionDenied } from './errors.js';
import type { User } from './model.js';

/**
 * Who may see and change what (docs/behaviour/waldur.md §8.2 and §9, the 8.0.5-era column):
 * staff and global support see everything; other users see the credits of the
 * customers where they hold any customer-level role. Project roles give no access.
 */
export class Actor {
  private readonly customerRoles: Map<string, Set<string>>;

  constructor(readonly user: User) {
    this.customerRoles = new Map();
    for (const r of user.customer_roles) {
      const roles = this.customerRoles.get(r.customer) ?? new Set();
      roles.add(r.role);
      this.customerRoles.set(r.customer, roles);
    }
  }

  get isStaff(): boolean {
    return this.user.is_staff;
  }

  get seesEverything(): boolean {
    return this.user.is_staff || this.user.is_support;
  }

  /** Who sees the same credits as this user: everyone who sees everything, or the same customers. */
  get visibilityKey(): string {
    return (this.visibility ??= this.seesEverything ? '*' : [...this.customerRoles.keys()].sort().join(','));
  }

  private visibility: string | undefined;

  canSeeCustomer(customer: string): boolean {
    return this.seesEverything || this.customerRoles.has(customer);
  }

  isOwner(customer: string): boolean {
    return this.customerRoles.get(customer)?.has('owner') ?? false;
  }

  requireStaff(): void {
    if (!this.isStaff) throw permissionDenied();
  }

  /** 8.1: any project role (manager, admin, member) on the project (docs/behaviour/waldur-8.1.md §3.4). */
  hasProjectRole(project: string): boolean {
    return (this.projects ??= new Set(this.user.project_roles.map((r) => r.project))).has(project);
  }

  private projects: Set<string> | undefined;

  /** 8.1: who sees the same project credits: the customer-level key and the projects with a role. */
  get projectVisibilityKey(): string {
    return (this.projectVisibility ??= this.seesEverything
      ? '*'
      : `${this.visibilityKey}|${[...new Set(this.user.project_roles.map((r) => r.project))].sort().join(',')}`);
  }

  private projectVisibility: string | undefined;

  /** 8.1: staff, global support or an owner of the customer see a project credit whole (`_has_owner_access`, docs/behaviour/waldur-8.1.md §3.4). */
  seesProjectCreditWhole(customer: string): boolean {
    return this.seesEverything || this.isOwner(customer);
  }

  /** Staff, or an owner of the customer (project-credit writes). */
  requireStaffOrOwner(customer: string): void {
    if (!this.isStaff && !this.isOwner(customer)) throw permissionDenied();
  }
}
