import {
  checkSubworkflowCalls,
  locateErrors,
  subworkflowCalls,
  type CalledVersion,
  type DocumentFormat,
  type WorkflowDraft,
} from '@baton/definitions';
import type { WorkflowRegistry } from '@baton/readmodel';
import { InvalidRequestError } from '../http/api.errors';

/**
 * Refuses a push whose subworkflow steps pass params their (existing) child
 * does not declare, of the wrong type, or miss one it requires: a 400 naming
 * each step field, with line and column in `source`, instead of a child run
 * refused at run time. A call to the workflow being pushed is checked against
 * the pushed document itself; a child that does not exist yet, or that
 * `visible` hides (outside a scoped caller's prefixes), is not checked, so the
 * errors never reveal a workflow the caller may not read.
 */
export async function checkCalledWorkflows(
  registry: WorkflowRegistry,
  draft: WorkflowDraft,
  source: string,
  format: DocumentFormat,
  visible: (workflowId: string) => boolean,
): Promise<void> {
  const found = new Map<string, CalledVersion | undefined>();
  for (const call of subworkflowCalls(draft)) {
    const key = `${call.workflowId}@${call.version}`;
    if (call.workflowId === draft.id) {
      found.set(key, { version: 0, params: draft.params });
      continue;
    }
    const version = visible(call.workflowId)
      ? await registry.getVersion(call.workflowId, call.version)
      : null;
    found.set(
      key,
      version === null ? undefined : { version: version.version, params: version.definition.params },
    );
  }
  const errors = checkSubworkflowCalls(draft, (call) => found.get(`${call.workflowId}@${call.version}`));
  if (errors.length === 0) return;
  throw new InvalidRequestError(
    `the workflow document has ${errors.length} error${errors.length === 1 ? '' : 's'} in its subworkflow calls`,
    locateErrors(source, errors, format),
  );
}
