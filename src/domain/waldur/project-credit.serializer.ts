import { parseBoolean } from './drf-fields.js';
import type { Input } from './input.js';
import { linkTo, type WaldurContext } from './context.js';
import { baseCreditFields } from './credit-fields.js';
import type { MinimalConsumptionLogic, Project, ProjectCredit } from './model.js';
import type { Actor } from './permissions.js';
import { fieldFail, runFields, type FieldDef } from './serializer.js';

export interface ProjectCreditChanges {
  value?: string;
  project?: string;
  end_date?: string | null;
  expected_consumption?: string;
  minimal_consumption_logic?: MinimalConsumptionLogic;
  grace_coefficient?: string;
  apply_as_minimal_consumption?: boolean;
  mark_unused_credit_as_spent_on_project_termination?: boolean;
}

/**
 * ProjectCreditSerializer (docs/behaviour/waldur.md §5.2). There is no past-date check, no
 * expected-vs-value check and no linear check here; the end date's first-day
 * rule and the organisation rules are the model's (see the service).
 * validate_project raises 403 for a caller who is neither staff nor an owner
 * of the project's customer, which stops validation at once.
 */
export function validateProjectCredit(
  ctx: WaldurContext,
  actor: Actor,
  data: Input | undefined,
  opts: { partial: boolean; instance?: ProjectCredit },
): ProjectCreditChanges {
  const project: FieldDef = {
    name: 'project',
    required: true,
    relation: true,
    parse: (input) => {
      const found: Project = linkTo(
        input,
        'project',
        (id) => ctx.store.projects.get(id),
        ctx.linkPrefix,
        ctx.scriptPrefix,
      );
      const existing = ctx.store.projectCredits.getBy('project', found.uuid);
      if (existing && existing.uuid !== opts.instance?.uuid)
        fieldFail('project credit with this project already exists.');
      actor.requireStaffOrOwner(found.customer);
      return found.uuid;
    },
  };
  const fields: FieldDef[] = [
    baseCreditFields.value,
    project,
    baseCreditFields.end_date,
    baseCreditFields.expected_consumption,
    baseCreditFields.minimal_consumption_logic,
    baseCreditFields.grace_coefficient,
    baseCreditFields.apply_as_minimal_consumption,
    { name: 'mark_unused_credit_as_spent_on_project_termination', parse: parseBoolean },
  ];
  return Object.fromEntries(runFields(data, fields, opts.partial)) as ProjectCreditChanges;
}
