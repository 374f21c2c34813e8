import type { ExpressionContext } from '../expressions/expression';
import { fitsParamType } from '../workflow/param-types';
import { secretParamValue } from '../workflow/secret-values';
import type { JsonObject, JsonValue } from '../shared/json';
import type {
  LoopParamValue,
  ParamDefinition,
  StepDefinition,
  StepParamValue,
  WorkflowDefinition,
} from '../workflow/workflow-definition';
import type { ExpressionEvaluator } from './run.deps';
import type { BranchResults } from './run.events';
import type { Run, StepState } from './run.state';
import { resolveStepSettings } from './run.step-settings';
import { valueFieldsOf, type ValueField } from './step-value-fields';

/**
 * Everything the decider evaluates, in one place. Each function returns
 * either values or the first error as a message fit for a user; none throws.
 */
export type Resolved<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

interface RunMeta {
  readonly runId: string;
  readonly definition: WorkflowDefinition;
  readonly scheduledAt: number;
  /** Absent before the run exists (its params are resolved at attempt 1). */
  readonly runAttempt?: number;
}

function runContext(meta: RunMeta): ExpressionContext['run'] {
  return {
    id: meta.runId,
    workflow_id: meta.definition.id,
    workflow_version: meta.definition.version,
    attempt: meta.runAttempt ?? 1,
    scheduled_at: new Date(meta.scheduledAt).toISOString(),
  };
}

/**
 * The run's params: given value, else `expression` over the earlier params,
 * else `default`; a required param with none of these, an undeclared param or
 * a value of the wrong type refuses the whole run.
 */
export function resolveRunParams(
  meta: RunMeta,
  given: JsonObject,
  expressions: ExpressionEvaluator,
): Resolved<JsonObject> {
  const declared = new Set(meta.definition.params.map((p) => p.name));
  const unknown = Object.keys(given).filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    return { ok: false, message: `params.${unknown[0]}: not declared by workflow ${meta.definition.id}` };
  }
  // Missing required params are reported first, all at once: an expression
  // over one of them would otherwise fail with a less helpful message.
  const missing = meta.definition.params
    .filter(
      (p) => p.required && !isGiven(given, p.name) && p.expression === undefined && p.default === undefined,
    )
    .map((p) => p.name);
  if (missing.length > 0) {
    return {
      ok: false,
      message: `missing required params: ${missing.join(', ')}; give them in the run request`,
    };
  }
  const params: JsonObject = {};
  for (const param of meta.definition.params) {
    const value = paramValue(param, given, params, meta, expressions);
    if (!value.ok) return value;
    if (value.value === undefined) continue;
    if (!fitsParamType(value.value, param.type)) {
      return {
        ok: false,
        message: `params.${param.name}: expected ${param.type}, got ${describe(value.value)}`,
      };
    }
    if (param.secret) {
      // Never the value in the message: it may be the clear secret someone forgot to seal.
      const secret = secretParamValue(value.value);
      if (secret === undefined) {
        return {
          ok: false,
          message: `params.${param.name} is secret: give it through the API or run-request admission (which seal it) or as a reference env:NAME / file:PATH`,
        };
      }
      params[param.name] = secret;
      continue;
    }
    params[param.name] = value.value;
  }
  return { ok: true, value: params };
}

function paramValue(
  param: ParamDefinition,
  given: JsonObject,
  earlier: JsonObject,
  meta: RunMeta,
  expressions: ExpressionEvaluator,
): Resolved<JsonValue | undefined> {
  if (isGiven(given, param.name)) return { ok: true, value: given[param.name] };
  if (param.expression !== undefined) {
    const context: ExpressionContext = { params: { ...earlier }, steps: {}, run: runContext(meta) };
    const result = expressions.evaluate(param.expression, context);
    return result.ok
      ? { ok: true, value: result.value }
      : { ok: false, message: `params.${param.name}: ${result.error.message}` };
  }
  return { ok: true, value: param.default };
}

function isGiven(given: JsonObject, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(given, name);
}

export function describe(value: JsonValue): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

const STATUS_NAMES: Readonly<Record<StepState['status'], string>> = {
  pending: 'PENDING',
  paused: 'PAUSED',
  ready: 'READY',
  running: 'RUNNING',
  sleeping: 'RUNNING',
  waiting: 'RUNNING',
  retry_waiting: 'RETRYING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  skipped: 'SKIPPED',
  cancelled: 'CANCELLED',
};

/** What expressions see of a started run; `override` shows a step's outcome before its event is applied. */
export function stepContext(
  run: Run,
  extra: Pick<ExpressionContext, 'step' | 'result'> = {},
  override?: { readonly stepId: string; readonly status: StepState['status']; readonly outputs: JsonObject },
): ExpressionContext {
  // `params`: what the step's latest attempt was given (`{}` before it was ready), as Maestro lets steps read.
  const steps: Record<string, { status: string; outputs: JsonObject; params: JsonObject }> = {};
  for (const [id, step] of Object.entries(run.steps)) {
    steps[id] = { status: STATUS_NAMES[step.status], outputs: step.outputs, params: step.params ?? {} };
  }
  if (override) {
    const params = run.steps[override.stepId]?.params ?? {};
    steps[override.stepId] = { status: STATUS_NAMES[override.status], outputs: override.outputs, params };
  }
  return { params: run.params, steps, run: runContext(run), ...extra };
}

export interface StepInputs {
  readonly params: JsonObject;
  readonly settings: JsonObject;
}

/** A step's params and its type's value fields (`STEP_VALUE_FIELDS`), evaluated when it becomes ready. */
export function resolveStepInputs(
  run: Run,
  step: StepDefinition,
  attempt: number,
  expressions: ExpressionEvaluator,
): Resolved<StepInputs> {
  const context = stepContext(run, { step: { id: step.id, attempt } });
  const resolve = new ValueResolver(context, expressions);
  const params = resolve.record(`steps.${step.id}.params`, step.params);
  if (!params.ok) return params;
  const computed = resolveStepSettings(step, context, expressions);
  if (!computed.ok) return computed;
  const settings: JsonObject = { ...computed.value };
  for (const [name, field] of Object.entries(valueFieldsOf(step))) {
    const resolved = resolve.field(`steps.${step.id}.${name}`, field, step);
    if (!resolved.ok) return resolved;
    if (resolved.value !== undefined) settings[name] = resolved.value;
  }
  return { ok: true, value: { params: params.value, settings } };
}

/** Evaluates value fields over one step's context; errors carry the field's path. */
class ValueResolver {
  constructor(
    private readonly context: ExpressionContext,
    private readonly expressions: ExpressionEvaluator,
  ) {}

  field<S>(path: string, field: ValueField<S>, step: S): Resolved<JsonValue | undefined> {
    switch (field.kind) {
      case 'value': {
        const v = field.of(step);
        return v === undefined ? { ok: true, value: undefined } : this.value(path, v);
      }
      case 'record':
        return this.record(path, field.of(step));
      case 'loop':
        return this.loop(path, field.of(step));
      default: {
        const never: never = field;
        return { ok: false, message: `${path}: unknown field kind ${JSON.stringify(never)}` };
      }
    }
  }

  value(path: string, v: StepParamValue): Resolved<JsonValue> {
    if ('literal' in v) return { ok: true, value: v.literal };
    const result = this.expressions.evaluate(v.expression, this.context);
    return result.ok ? result : { ok: false, message: `${path}: ${result.error.message}` };
  }

  record(path: string, values: Readonly<Record<string, StepParamValue>>): Resolved<JsonObject> {
    const out: JsonObject = {};
    for (const [name, v] of Object.entries(values)) {
      const resolved = this.value(`${path}.${name}`, v);
      if (!resolved.ok) return resolved;
      out[name] = resolved.value;
    }
    return { ok: true, value: out };
  }

  /** Loop params: a range is kept as it is (never expanded); anything else must give an array. */
  loop(path: string, values: Readonly<Record<string, LoopParamValue>>): Resolved<JsonObject> {
    const out: JsonObject = {};
    for (const [name, v] of Object.entries(values)) {
      if ('range' in v) {
        out[name] = { range: { ...v.range } };
        continue;
      }
      const resolved = this.value(`${path}.${name}`, v);
      if (!resolved.ok) return resolved;
      if (!Array.isArray(resolved.value)) {
        return { ok: false, message: `${path}.${name}: expected an array, got ${describe(resolved.value)}` };
      }
      out[name] = resolved.value;
    }
    return { ok: true, value: out };
  }
}

/** The step's named outputs, evaluated over what the executor reported. */
export function evaluateOutputs(
  run: Run,
  step: StepDefinition,
  attempt: number,
  result: JsonValue,
  expressions: ExpressionEvaluator,
): Resolved<JsonObject> {
  const context = stepContext(run, { step: { id: step.id, attempt }, result });
  const outputs: JsonObject = {};
  for (const [name, source] of Object.entries(step.outputs)) {
    const evaluated = expressions.evaluate(source, context);
    if (!evaluated.ok)
      return { ok: false, message: `steps.${step.id}.outputs.${name}: ${evaluated.error.message}` };
    outputs[name] = evaluated.value;
  }
  return { ok: true, value: outputs };
}

/**
 * Conditions of the finished step's conditional outgoing edges, evaluated as
 * if the step's outcome were already recorded (it is recorded in the same
 * event that carries these results).
 */
export function evaluateBranches(
  run: Run,
  stepId: string,
  outcome: { readonly status: StepState['status']; readonly outputs: JsonObject },
  expressions: ExpressionEvaluator,
): Resolved<BranchResults> {
  const context = stepContext(run, {}, { stepId, ...outcome });
  const branches: Record<string, boolean> = {};
  for (const index of run.graph.outgoing[stepId]) {
    const edge = run.definition.edges[index];
    if (edge.condition === undefined) continue;
    const result = expressions.evaluateCondition(edge.condition, context);
    if (!result.ok) {
      return { ok: false, message: `edge ${edge.from} -> ${edge.to}: ${result.error.message}` };
    }
    branches[edge.to] = result.value;
  }
  return { ok: true, value: branches };
}
