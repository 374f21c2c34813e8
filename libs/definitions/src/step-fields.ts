import type { StepType } from '@baton/domain';

/** Fields that belong to one step type; the rest of the step's fields are common. */
export const TYPE_FIELDS: Readonly<
  Record<StepType, { readonly required: readonly string[]; readonly optional: readonly string[] }>
> = {
  noop: { required: [], optional: [] },
  sleep: { required: ['duration'], optional: [] },
  shell: {
    required: ['command'],
    optional: ['env', 'working_directory', 'non_retryable_exit_codes', 'retryable_exit_codes'],
  },
  http: { required: ['url'], optional: ['method', 'headers', 'body', 'success_statuses'] },
  handler: { required: ['handler'], optional: [] },
  foreach: { required: ['loop_params', 'steps'], optional: ['concurrency', 'ordered'] },
  while: { required: ['condition', 'steps'], optional: ['max_iterations'] },
  subworkflow: { required: ['workflow_id'], optional: ['version', 'wait', 'inherit_params'] },
  wait_for_signal: { required: ['signal'], optional: ['match'] },
};

/** The step types each type-specific field belongs to (`steps` is the body of two). */
const OWNERS = new Map<string, StepType[]>();
for (const [type, fields] of Object.entries(TYPE_FIELDS) as [StepType, (typeof TYPE_FIELDS)[StepType]][]) {
  for (const field of [...fields.required, ...fields.optional])
    OWNERS.set(field, [...(OWNERS.get(field) ?? []), type]);
}

/** Problems with type-specific fields of one step, as [field, message]. */
export function checkStepFields(type: StepType, present: ReadonlySet<string>): [string, string][] {
  const problems: [string, string][] = [];
  const own = TYPE_FIELDS[type];
  for (const field of present) {
    const owners = OWNERS.get(field);
    if (owners !== undefined && !owners.includes(type)) {
      problems.push([
        field,
        `'${field}' applies to ${owners.join(' and ')} steps only; this step is a ${type} step`,
      ]);
    }
  }
  for (const field of own.required) {
    if (!present.has(field)) problems.push([field, `a ${type} step needs '${field}'`]);
  }
  return problems;
}
