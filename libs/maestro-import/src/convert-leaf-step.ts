import { convertStepParams } from './convert-params';
import { convertRetryPolicy } from './convert-retry';
import { COMMON_FIELDS } from './convert-step-fields';
import { convertRuntime } from './convert-step-runtime';
import { child } from './report';
import type { StepConverter } from './step-context';

/** Types whose attempts can fail and be retried; a noop or sleep needs no policy. */
const RETRIED = ['shell', 'http', 'handler'];

/** A typed Maestro step (`{ step: { type: NoOp | Sleep | Http | Kubernetes ... } }`). */
export const convertLeafStep: StepConverter = (body, path, ctx, scope) => {
  const { report } = ctx;
  report.leftovers(body, path, [...COMMON_FIELDS, 'type', 'sub_type', 'retry_policy', 'state_expr']);
  const runtime = convertRuntime(body, path, scope, report);
  const out = { ...runtime.fields };
  const params = convertStepParams(body.params, child(path, 'params'), scope, report, runtime.consumed);
  if (Object.keys(params).length > 0) out.params = params;
  if (RETRIED.includes(String(out.type)) || body.retry_policy !== undefined) {
    out.retry_policy = convertRetryPolicy(body.retry_policy, child(path, 'retry_policy'), report);
  }
  return out;
};
