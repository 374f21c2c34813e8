import { WORKFLOW_ID } from '@baton/definitions/dto/patterns';
import { convertStepParams } from './convert-params';
import { COMMON_FIELDS } from './convert-step-fields';
import { child, isObject } from './report';
import type { StepConverter } from './step-context';

/**
 * A subworkflow step: `subworkflow_id` and `subworkflow_version` are params in
 * Maestro and fields in Baton; `sync: false` is `wait: false`; Maestro passes
 * the parent's params down unless `explicit_params`, Baton only with
 * `inherit_params: true`.
 */
export const convertSubworkflowStep: StepConverter = (body, path, ctx, scope) => {
  const { report } = ctx;
  report.leftovers(body, path, [...COMMON_FIELDS, 'sync', 'explicit_params']);
  const params = isObject(body.params) ? body.params : {};
  const at = child(path, 'params');
  const literal = (name: string): unknown => (isObject(params[name]) ? params[name].value : undefined);
  const out: Record<string, unknown> = { type: 'subworkflow' };
  const workflowId = literal('subworkflow_id');
  if (typeof workflowId === 'string' && WORKFLOW_ID.test(workflowId)) out.workflow_id = workflowId;
  else {
    report.unmapped(
      child(at, 'subworkflow_id'),
      'the child workflow must be named by a literal workflow id in Baton; a placeholder id stands in',
    );
    out.workflow_id = 'maestro.import.unknown-subworkflow';
  }
  const version = literal('subworkflow_version');
  if (typeof version === 'number' || (typeof version === 'string' && /^\d+$/.test(version))) {
    out.version = Number(version);
  } else if (version !== undefined && version !== 'active' && version !== 'default') {
    report.changed(
      child(at, 'subworkflow_version'),
      `version ${JSON.stringify(version)}: Baton runs the child's active version`,
    );
  }
  if (body.sync === false) out.wait = false;
  if (body.explicit_params !== true) out.inherit_params = true;
  const childParams = convertStepParams(body.params, at, scope, report, [
    'subworkflow_id',
    'subworkflow_version',
  ]);
  if (Object.keys(childParams).length > 0) out.params = childParams;
  return out;
};
