import type { ExpressionContext } from '../expressions/expression';
import type { JsonObject, JsonValue } from '../shared/json';
import { parseDuration } from '../shared/duration';
import type { RetryPolicy, StepDefinition } from '../workflow/workflow-definition';
import type { ExpressionEvaluator } from './run.deps';
import type { FailureKind, Run } from './run.state';

/**
 * Settings that Maestro lets a workflow compute from params: a step's
 * timeout, a sleep's duration, its retry limits. Each is a CEL expression
 * evaluated once, when the attempt becomes ready, over the same context as
 * the step's params; the value is recorded in `StepReady.settings`
 * (`timeout_ms`, `duration_ms`, `retry_limits`) and everything later (the
 * sleep timer, the step timeout, the retry decision) reads the recorded
 * value, so a replay never evaluates them again. A value of the wrong kind
 * fails the step with a message naming the field.
 */

type Resolved<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** Retry limits beyond this are refused (the same bound as the literal limits). */
const MAX_RETRY_LIMIT = 100;

export function resolveStepSettings(
  step: StepDefinition,
  context: ExpressionContext,
  expressions: ExpressionEvaluator,
): Resolved<JsonObject> {
  const settings: JsonObject = {};
  const evaluate = (field: string, source: string): Resolved<JsonValue> => {
    const result = expressions.evaluate(source, context);
    return result.ok ? result : { ok: false, message: `steps.${step.id}.${field}: ${result.error.message}` };
  };
  const duration = (field: string, source: string): Resolved<number> => {
    const value = evaluate(field, source);
    if (!value.ok) return value;
    const parsed = parseDuration(value.value);
    return parsed.ok
      ? { ok: true, value: parsed.ms }
      : {
          ok: false,
          message: `steps.${step.id}.${field}: the expression gave ${JSON.stringify(value.value)}: ${parsed.message}`,
        };
  };
  if (step.timeoutExpression !== undefined) {
    const timeout = duration('timeout', step.timeoutExpression);
    if (!timeout.ok) return timeout;
    settings.timeout_ms = timeout.value;
  }
  if (step.type === 'sleep' && step.durationExpression !== undefined) {
    const sleep = duration('duration', step.durationExpression);
    if (!sleep.ok) return sleep;
    settings.duration_ms = sleep.value;
  }
  const limits = step.retry.limitExpressions;
  if (limits !== undefined) {
    const out: JsonObject = {};
    for (const [kind, source] of Object.entries(limits)) {
      if (source === undefined) continue;
      const field = `retry_policy.${LIMIT_FIELDS[kind as FailureKind]}`;
      const value = evaluate(field, source);
      if (!value.ok) return value;
      const limit = value.value;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_RETRY_LIMIT) {
        return {
          ok: false,
          message: `steps.${step.id}.${field}: the expression gave ${JSON.stringify(limit)}; a retry limit is an integer 0-${MAX_RETRY_LIMIT}`,
        };
      }
      out[kind] = limit;
    }
    settings.retry_limits = out;
  }
  return { ok: true, value: settings };
}

const LIMIT_FIELDS: Readonly<Record<FailureKind, string>> = {
  user: 'user_error_limit',
  platform: 'platform_error_limit',
  timeout: 'timeout_limit',
};

/** The timeout of the step's current attempt: the recorded value of its expression, else the literal. */
export function stepTimeoutMs(run: Run, step: StepDefinition): number | undefined {
  return run.steps[step.id]?.timeoutMs ?? step.timeoutMs;
}

/** How many retries of `kind` the step's current attempt allows: the recorded value of its expression, else the literal. */
export function retryLimit(run: Run, step: StepDefinition, kind: FailureKind): number {
  const recorded = run.steps[step.id]?.retryLimits?.[kind];
  return recorded ?? literalLimit(step.retry, kind);
}

function literalLimit(policy: RetryPolicy, kind: FailureKind): number {
  switch (kind) {
    case 'user':
      return policy.userErrorLimit;
    case 'platform':
      return policy.platformErrorLimit;
    case 'timeout':
      return policy.timeoutLimit;
    default: {
      const unexpected: never = kind;
      throw new Error(`unknown failure kind ${String(unexpected)}`);
    }
  }
}
