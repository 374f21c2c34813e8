import {
  analyzeExpression,
  evaluateExpression,
  parseDuration,
  type ParamType,
  type StepDefinition,
} from '@baton/domain';
import type { DefinitionError } from './definition-error';
import type { WorkflowDraft } from './normalize';

/**
 * What can be known at push of the expressions that compute a timeout, a
 * sleep's duration or a retry limit (the rest is checked when the step
 * becomes ready): an expression that reads nothing is evaluated now, and one
 * that is exactly `params.name` must name a param of a type that can give
 * such a value (a duration: string, long or double; a limit: long or double).
 * Only the workflow's own steps: in a loop body, `params` also holds loop
 * values whose types are known only at run time.
 */
export function checkComputedSettings(draft: WorkflowDraft): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const types = new Map(draft.params.map((param) => [param.name, param.type]));
  draft.steps.forEach((step, i) => {
    for (const { field, source, kind } of computedFields(step)) {
      const problem = check(source, kind, types);
      if (problem !== undefined) errors.push({ path: `$.steps[${i}].${field}`, message: problem });
    }
  });
  return errors;
}

type Kind = 'duration' | 'limit';

const FITS: Readonly<Record<Kind, readonly ParamType[]>> = {
  duration: ['string', 'long', 'double'],
  limit: ['long', 'double'],
};

function computedFields(step: StepDefinition): { field: string; source: string; kind: Kind }[] {
  const fields: { field: string; source: string; kind: Kind }[] = [];
  if (step.timeoutExpression !== undefined)
    fields.push({ field: 'timeout', source: step.timeoutExpression, kind: 'duration' });
  if (step.type === 'sleep' && step.durationExpression !== undefined)
    fields.push({ field: 'duration', source: step.durationExpression, kind: 'duration' });
  const limits = step.retry.limitExpressions ?? {};
  const names = {
    user: 'user_error_limit',
    platform: 'platform_error_limit',
    timeout: 'timeout_limit',
  } as const;
  for (const kind of ['user', 'platform', 'timeout'] as const) {
    const source = limits[kind];
    if (source !== undefined) fields.push({ field: `retry_policy.${names[kind]}`, source, kind: 'limit' });
  }
  return fields;
}

function check(source: string, kind: Kind, types: ReadonlyMap<string, ParamType>): string | undefined {
  const param = /^\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(source)?.[1];
  if (param !== undefined) {
    const type = types.get(param);
    if (type === undefined || FITS[kind].includes(type)) return undefined;
    return `params.${param} is a ${type} param; a ${kind === 'duration' ? 'duration needs a string, long or double' : 'retry limit needs a long'}`;
  }
  const analysis = analyzeExpression(source);
  if (!analysis.ok || analysis.shape.roots.size > 0) return undefined;
  const value = evaluateExpression(source, {
    params: {},
    steps: {},
    run: { id: '', workflow_id: '', workflow_version: 0, attempt: 1, scheduled_at: '' },
  });
  if (!value.ok) return value.error.message;
  if (kind === 'duration') {
    const parsed = parseDuration(value.value);
    return parsed.ok ? undefined : `the expression gives ${JSON.stringify(value.value)}: ${parsed.message}`;
  }
  const limit = value.value;
  return typeof limit === 'number' && Number.isInteger(limit) && limit >= 0 && limit <= 100
    ? undefined
    : `the expression gives ${JSON.stringify(limit)}; a retry limit is an integer 0-100`;
}
