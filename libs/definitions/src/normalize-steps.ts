import type { Edge, LoopBody, ShellStep, StepDefinition } from '@baton/domain';
import { appendPath } from './definition-error';
import { optionalMs } from './duration';
import { ENV_NAME, HEADER_NAME, IDENTIFIER, PARAM_NAME, SIGNAL_PARAM_NAME } from './dto/patterns';
import { type StepDto, STEP_TYPES } from './dto/step.dto';
import { SHORTHAND, isPlainObject } from './dto/transforms';
import type { ExpressionSite } from './expression-checks';
import { LOOP_INDEX, LOOP_PREVIOUS, normalizeLoopParams } from './loop-params';
import { type Graph, type NormalizeContext, checkParamValuesBytes } from './normalize-context';
import { retryPolicy } from './retry-policy';
import { checkStepFields } from './step-fields';
import { looksLikeExpression, toStepValue, toStepValues } from './step-values';

/** Defaults of the loop steps (documented in examples/README.md). */
export const DEFAULT_FOREACH_CONCURRENCY = 20;
export const DEFAULT_WHILE_MAX_ITERATIONS = 100;

/**
 * Normalizes one list of steps (the workflow's, or a loop body's) into steps
 * and edges, and registers it in `ctx.graphs` for the graph and expression
 * checks. Loop bodies recurse through here; `checkDocumentLimits` already
 * bounded how deep a document can nest.
 */
export function normalizeGraph(
  raw: unknown,
  path: string,
  names: Graph['names'],
  depth: number,
  ctx: NormalizeContext,
): LoopBody {
  const graph: Graph = { path, depth, stepIds: [], edges: [], sites: [], names };
  ctx.graphs.push(graph);
  const steps: StepDefinition[] = [];
  (Array.isArray(raw) ? raw : []).forEach((step: unknown, i) => {
    graph.stepIds.push(isPlainObject(step) && typeof step.id === 'string' ? step.id : undefined);
    if (!isPlainObject(step)) return;
    const normalized = normalizeStep(step as unknown as StepDto, `${path}[${i}]`, graph, ctx);
    if (normalized !== undefined) steps.push(normalized);
  });
  const edges = graph.edges.map(({ from, to, condition }): Edge =>
    condition === undefined ? { from, to } : { from, to, condition },
  );
  return { steps, edges };
}

function normalizeStep(
  step: StepDto,
  path: string,
  graph: Graph,
  ctx: NormalizeContext,
): StepDefinition | undefined {
  const { sites, edges } = graph;
  const errors = ctx.errors;
  const id = typeof step.id === 'string' ? step.id : '';
  // A step without a usable id already has an error; its edges would only add noise.
  if (id !== '' && Array.isArray(step.depends_on)) {
    step.depends_on.forEach((from, j) => {
      if (typeof from === 'string')
        edges.push({ from, to: id, path: `${path}.depends_on[${j}]`, refers: 'from' });
    });
  }
  if (id !== '' && Array.isArray(step.next)) {
    step.next.forEach((next, j) => {
      if (!isPlainObject(next) || typeof next.step !== 'string') return;
      const condition = typeof next.if === 'string' ? next.if : undefined;
      if (condition !== undefined)
        sites.push({ path: `${path}.next[${j}].if`, source: condition, scope: 'condition' });
      edges.push({
        from: id,
        to: next.step,
        ...(condition === undefined ? {} : { condition }),
        path: SHORTHAND in next ? `${path}.next[${j}]` : `${path}.next[${j}].step`,
        refers: 'to',
      });
    });
  }
  const outputs = normalizeOutputs(step.outputs, `${path}.outputs`, sites, ctx);
  if (!STEP_TYPES.includes(step.type)) return undefined;
  const present = new Set(
    Object.keys(step).filter((key) => (step as unknown as Record<string, unknown>)[key] !== undefined),
  );
  for (const [field, message] of checkStepFields(step.type, present))
    errors.push({ path: `${path}.${field}`, message });

  const params = toStepValues(step.params, `${path}.params`, PARAM_NAME, sites, errors);
  checkParamValuesBytes(params, `${path}.params`, ctx);
  const common = {
    id,
    ...(step.name === undefined ? {} : { name: step.name }),
    ...(step.description === undefined ? {} : { description: step.description }),
    params,
    retry: retryPolicy(step.retry_policy, `${path}.retry_policy`, errors, sites),
    ...durationOrExpression(step.timeout, `${path}.timeout`, 'timeoutMs', 'timeoutExpression', sites, ctx),
    failureMode: step.failure_mode ?? 'fail_immediately',
    outputs,
    pool: step.pool ?? 'default',
  };
  switch (step.type) {
    case 'noop':
      return { ...common, type: 'noop' };
    case 'sleep': {
      const duration = durationOrExpression(
        step.duration,
        `${path}.duration`,
        'durationMs',
        'durationExpression',
        sites,
        ctx,
      );
      return { ...common, type: 'sleep', durationMs: 0, ...duration };
    }
    case 'shell':
      return {
        ...common,
        type: 'shell',
        command: Array.isArray(step.command) ? step.command : [],
        ...(step.working_directory === undefined ? {} : { workingDirectory: step.working_directory }),
        env: toStepValues(step.env, `${path}.env`, ENV_NAME, sites, errors),
        ...retryableExitCodes(step, path, errors),
      };
    case 'http':
      return {
        ...common,
        type: 'http',
        method: step.method ?? 'GET',
        url: urlValue(step.url, `${path}.url`, sites, ctx),
        headers: toStepValues(step.headers, `${path}.headers`, HEADER_NAME, sites, errors),
        ...(step.body === undefined ? {} : { body: toStepValue(step.body, `${path}.body`, sites, errors) }),
        ...(step.success_statuses === undefined ? {} : { successStatuses: step.success_statuses }),
      };
    case 'handler':
      return { ...common, type: 'handler', handler: step.handler ?? '' };
    case 'foreach': {
      const loopParams = normalizeLoopParams(step.loop_params, `${path}.loop_params`, graph, ctx);
      return {
        ...common,
        type: 'foreach',
        loopParams,
        ...foreachPacing(step, path, ctx),
        body: loopBody(
          step,
          path,
          [...Object.keys(params), ...Object.keys(loopParams), LOOP_INDEX],
          graph,
          ctx,
        ),
      };
    }
    case 'while': {
      if (typeof step.condition === 'string') {
        sites.push({
          path: `${path}.condition`,
          source: step.condition,
          scope: 'condition',
          extraParams: new Set([...Object.keys(params), LOOP_INDEX, LOOP_PREVIOUS]),
        });
      }
      const maxIterations = step.max_iterations ?? DEFAULT_WHILE_MAX_ITERATIONS;
      if (maxIterations > ctx.limits.maxWhileIterations) {
        errors.push({
          path: `${path}.max_iterations`,
          message: `max_iterations ${maxIterations} is over the limit of ${ctx.limits.maxWhileIterations}`,
        });
      }
      return {
        ...common,
        type: 'while',
        condition: step.condition ?? '',
        maxIterations,
        body: loopBody(step, path, [...Object.keys(params), LOOP_INDEX, LOOP_PREVIOUS], graph, ctx),
      };
    }
    case 'subworkflow':
      return {
        ...common,
        type: 'subworkflow',
        workflowId: step.workflow_id ?? '',
        version: step.version ?? 'active',
        wait: step.wait ?? true,
        inheritParams: step.inherit_params ?? false,
      };
    case 'wait_for_signal': {
      const match = toStepValues(step.match, `${path}.match`, SIGNAL_PARAM_NAME, sites, errors);
      checkParamValuesBytes(match, `${path}.match`, ctx);
      return { ...common, type: 'wait_for_signal', signal: step.signal ?? '', match };
    }
    default: {
      const unexpected: never = step.type;
      throw new Error(`unknown step type ${String(unexpected)}`);
    }
  }
}

/**
 * A duration written as a literal (`{ [ms]: 30000 }`) or as an expression
 * (`{ [expression]: "params.wait" }`, evaluated when the step becomes ready).
 * Either gives at most one of the two keys.
 */
function durationOrExpression<M extends string, E extends string>(
  raw: unknown,
  path: string,
  msKey: M,
  expressionKey: E,
  sites: ExpressionSite[],
  ctx: NormalizeContext,
): { [K in M]?: number } & { [K in E]?: string } {
  if (!looksLikeExpression(raw))
    return optionalMs(msKey, raw) as { [K in M]?: number } & { [K in E]?: string };
  const value = toStepValue(raw, path, sites, ctx.errors);
  return ('expression' in value ? { [expressionKey]: value.expression } : {}) as { [K in M]?: number } & {
    [K in E]?: string;
  };
}

/** `non_retryable_exit_codes` or `retryable_exit_codes`: one of them, since together they would contradict. */
function retryableExitCodes(
  step: StepDto,
  path: string,
  errors: NormalizeContext['errors'],
): { retryableExitCodes?: ShellStep['retryableExitCodes'] } {
  const except = step.non_retryable_exit_codes;
  const only = step.retryable_exit_codes;
  if (Array.isArray(except) && Array.isArray(only)) {
    errors.push({
      path: `${path}.retryable_exit_codes`,
      message: 'give non_retryable_exit_codes or retryable_exit_codes, not both',
    });
  }
  if (Array.isArray(except)) return { retryableExitCodes: { except } };
  if (Array.isArray(only)) return { retryableExitCodes: { only } };
  return {};
}

function normalizeOutputs(
  raw: unknown,
  path: string,
  sites: ExpressionSite[],
  ctx: NormalizeContext,
): Record<string, string> {
  const outputs: Record<string, string> = {};
  if (!isPlainObject(raw)) return outputs;
  for (const [name, source] of Object.entries(raw)) {
    const at = appendPath(path, name);
    if (!IDENTIFIER.test(name))
      ctx.errors.push({ path: at, message: `'${name}' is not a valid output name (letters, digits, _)` });
    if (typeof source !== 'string')
      ctx.errors.push({ path: at, message: 'an output must be a CEL expression string, e.g. result.rows' });
    else {
      outputs[name] = source;
      sites.push({ path: at, source, scope: 'output' });
    }
  }
  return outputs;
}

/**
 * `ordered` means one iteration at a time, so it forces concurrency 1; an
 * explicit concurrency above 1 with it is contradictory and refused rather
 * than silently overridden.
 */
function foreachPacing(
  step: StepDto,
  path: string,
  ctx: NormalizeContext,
): { readonly concurrency: number; readonly ordered: boolean } {
  const ordered = step.ordered === true;
  const given = typeof step.concurrency === 'number' ? step.concurrency : undefined;
  if (given !== undefined && given > ctx.limits.maxLoopConcurrency) {
    ctx.errors.push({
      path: `${path}.concurrency`,
      message: `concurrency ${given} is over the limit of ${ctx.limits.maxLoopConcurrency}`,
    });
  }
  if (ordered && given !== undefined && given > 1) {
    ctx.errors.push({
      path: `${path}.concurrency`,
      message: 'an ordered foreach runs one iteration at a time; drop concurrency or set ordered: false',
    });
  }
  return { concurrency: ordered ? 1 : (given ?? DEFAULT_FOREACH_CONCURRENCY), ordered };
}

/**
 * A loop's body: its own graph, whose steps read the enclosing graph's params
 * plus `values` (the loop step's own params, then the loop params and
 * `loop_index`, or a while's `loop_index` and `loop_previous`), exactly the
 * params its child runs declare.
 */
function loopBody(
  step: StepDto,
  path: string,
  values: readonly string[],
  graph: Graph,
  ctx: NormalizeContext,
): LoopBody {
  const depth = graph.depth + 1;
  const at = `${path}.steps`;
  // Reported once, at the outermost body past the limit.
  if (depth === ctx.limits.maxNestingDepth + 1) {
    ctx.errors.push({
      path: at,
      message: `loop bodies nest ${depth} levels deep here; the limit is ${ctx.limits.maxNestingDepth}`,
    });
  }
  if (Array.isArray(step.steps) && step.steps.length === 0) {
    ctx.errors.push({ path: at, message: 'a loop body needs at least one step' });
  }
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
  const names = {
    params: union(graph.names.params, values),
    loopValues: union(graph.names.loopValues, values),
  };
  return normalizeGraph(step.steps, at, names, depth, ctx);
}

function urlValue(raw: unknown, path: string, sites: ExpressionSite[], ctx: NormalizeContext) {
  const value = toStepValue(raw, path, sites, ctx.errors);
  if ('literal' in value && raw !== undefined) {
    if (typeof value.literal !== 'string' || !/^https?:\/\/[^\s]+$/.test(value.literal)) {
      ctx.errors.push({
        path,
        message: 'url must be an http(s) URL, or an expression: "${...}" or { expression: "..." }',
      });
    }
  }
  return value;
}
