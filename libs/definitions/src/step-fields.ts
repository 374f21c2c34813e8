import type { StepType } from '@baton/domain';

/** Fields that belong to one step type; the rest of the step's fields are common. */
export const TYPE_FIELDS: Readonly<
  Record<StepType, { readonly required: readonly string[]; readonly optional: readonly string[] }>
> = {
  noop: { required: [], optional: [] },
  sleep: { required: ['duration'], optional: [] },
  shell: { required: ['command'], optional: ['env', 'working_directory'] },
  http: { required: ['url'], optional: ['method', 'headers', 'body', 'success_statuses'] },
  handler: { required: ['handler'], optional: [] },
};

const OWNER = new Map<string, StepType>();
for (const [type, fields] of Object.entries(TYPE_FIELDS) as [StepType, (typeof TYPE_FIELDS)[StepType]][]) {
  for (const field of [...fields.required, ...fields.optional]) OWNER.set(field, type);
}

/** Problems with type-specific fields of one step, as [field, message]. */
export function checkStepFields(type: StepType, present: ReadonlySet<string>): [string, string][] {
  const problems: [string, string][] = [];
  const own = TYPE_FIELDS[type];
  for (const field of present) {
    const owner = OWNER.get(field);
    if (
      owner !== undefined &&
      owner !== type &&
      !own.optional.includes(field) &&
      !own.required.includes(field)
    ) {
      problems.push([field, `'${field}' applies to ${owner} steps only; this step is a ${type} step`]);
    }
  }
  for (const field of own.required) {
    if (!present.has(field)) problems.push([field, `a ${type} step needs '${field}'`]);
  }
  return problems;
}
