import {
  fitsParamType,
  type ParamDefinition,
  type StepDefinition,
  type SubworkflowStep,
} from '@baton/domain';
import { appendPath, type DefinitionError } from './definition-error';
import type { WorkflowDraft } from './normalize';

/**
 * Push-time checks of subworkflow calls against the workflows they call.
 * Validation of a document alone cannot know the child, so this pass runs
 * where the registry is (the API's push), on a definition that already
 * validated: a step whose child exists must pass only params the child
 * declares (undeclared params are **not** passed through: the child run
 * would be refused at run time, as a run request naming an undeclared param
 * is), with literal values of the declared type, and must cover the child's
 * required params. A child that does not exist yet is not checked (it may be
 * pushed next); expression values are typed when the child run starts.
 */

/** A workflow a subworkflow step calls: its id and the version it names. */
export interface SubworkflowCall {
  readonly workflowId: string;
  readonly version: number | 'active';
}

/** What the check needs of a called version, found by the caller (undefined: it does not exist). */
export interface CalledVersion {
  readonly version: number;
  readonly params: readonly ParamDefinition[];
}

export type CalledVersionLookup = (call: SubworkflowCall) => CalledVersion | undefined;

/** Every distinct (workflow, version) the definition's subworkflow steps call, loop bodies included. */
export function subworkflowCalls(definition: WorkflowDraft): SubworkflowCall[] {
  const calls = new Map<string, SubworkflowCall>();
  visit(definition.steps, '$.steps', (step) => {
    calls.set(`${step.workflowId}@${step.version}`, { workflowId: step.workflowId, version: step.version });
  });
  return [...calls.values()];
}

/** The problems of each call whose child `lookup` finds, with the JSON path of the step field. */
export function checkSubworkflowCalls(
  definition: WorkflowDraft,
  lookup: CalledVersionLookup,
): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const parentParams = new Set(definition.params.map((param) => param.name));
  visit(definition.steps, '$.steps', (step, path) => {
    const child = lookup({ workflowId: step.workflowId, version: step.version });
    if (child === undefined) return;
    const which = `workflow ${step.workflowId} (version ${child.version}${step.version === 'active' ? ', the active one' : ''})`;
    const declared = new Map(child.params.map((param) => [param.name, param]));
    const names = child.params.map((param) => param.name).join(', ') || 'none';
    for (const [name, value] of Object.entries(step.params)) {
      const param = declared.get(name);
      const at = appendPath(`${path}.params`, name);
      if (param === undefined) {
        errors.push({
          path: at,
          message:
            `${which} does not declare param '${name}' (it declares: ${names}); ` +
            'undeclared params are not passed through: declare it in the child workflow or drop it here',
        });
      } else if ('literal' in value && !fitsParamType(value.literal, param.type)) {
        errors.push({ path: at, message: `${which} declares param '${name}' as ${param.type}` });
      }
    }
    for (const param of child.params) {
      const given = param.name in step.params || (step.inheritParams && parentParams.has(param.name));
      const hasValue = param.default !== undefined || param.expression !== undefined;
      if (param.required && !hasValue && !given) {
        errors.push({
          path: `${path}.params`,
          message:
            `${which} requires param '${param.name}'; pass it here` +
            (step.inheritParams ? '' : ' (or set inherit_params: true and declare it in this workflow)'),
        });
      }
    }
  });
  return errors;
}

function visit(
  steps: readonly StepDefinition[],
  path: string,
  each: (step: SubworkflowStep, path: string) => void,
): void {
  // A validated definition keeps the document's step order, so index i is the document's steps[i].
  steps.forEach((step, i) => {
    const at = `${path}[${i}]`;
    if (step.type === 'subworkflow') each(step, at);
    if (step.type === 'foreach' || step.type === 'while') visit(step.body.steps, `${at}.steps`, each);
  });
}
