import { fitsParamType } from '@baton/domain';
import type {
  Backoff,
  Edge,
  JsonValue,
  ParamDefinition,
  ParamType,
  RetryPolicy,
  RunStrategy,
  StepDefinition,
  WorkflowDefinition,
} from '@baton/domain';
import type { DefinitionError } from './definition-error';
import { toJsonPath } from './definition-error';
import { parseDuration } from './duration';
import { PARAM_TYPES, type ParamDto } from './dto/param.dto';
import type { BackoffDto, RetryPolicyDto } from './dto/retry-policy.dto';
import type { StepDto } from './dto/step.dto';
import { STEP_TYPES } from './dto/step.dto';
import { SHORTHAND, isPlainObject } from './dto/transforms';
import type { RunStrategyDto, WorkflowDto } from './dto/workflow.dto';
import type { DeclaredEdge } from './graph-checks';
import type { ExpressionSite } from './expression-checks';
import { checkStepFields } from './step-fields';
import { toStepValue, toStepValues } from './step-values';

/** A definition before the registry gives it a version. */
export type WorkflowDraft = Omit<WorkflowDefinition, 'version'>;

/**
 * Defaults a user gets without writing them (documented in examples/README.md):
 * user errors are not retried (a failing script usually fails again, and a
 * retry re-runs its side effects: opt in, as in Airflow), platform errors are
 * retried 10 times (they are Baton's fault, as in Maestro), timeouts are not;
 * backoff is exponential from 10s, doubling, capped at 5m.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  userErrorLimit: 0,
  platformErrorLimit: 10,
  timeoutLimit: 0,
  backoff: { kind: 'exponential', initialDelayMs: 10_000, multiplier: 2, maxDelayMs: 300_000 },
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAM_NAME = {
  pattern: IDENTIFIER,
  what: 'param name (letters, digits and _, not starting with a digit)',
};
const ENV_NAME = { pattern: IDENTIFIER, what: 'environment variable name (letters, digits and _)' };
const HEADER_NAME = { pattern: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, what: 'HTTP header name' };

export interface Built {
  readonly draft: WorkflowDraft;
  readonly stepIds: (string | undefined)[];
  readonly edges: DeclaredEdge[];
  readonly sites: ExpressionSite[];
  readonly params: string[];
}

/**
 * Turns the (possibly invalid) DTO into the trusted model, collecting the
 * semantic errors the DTO decorators cannot express. Every field is guarded,
 * so a shape error found by class-validator does not crash this pass; the
 * draft is only used when no error was found anywhere.
 */
export function normalize(dto: WorkflowDto, errors: DefinitionError[]): Built {
  const sites: ExpressionSite[] = [];
  const params = normalizeParams(dto.params, sites, errors);
  const steps = Array.isArray(dto.steps) ? dto.steps : [];
  const edges: DeclaredEdge[] = [];
  const normalized: StepDefinition[] = [];
  steps.forEach((step, i) => {
    if (!isPlainObject(step)) return;
    const result = normalizeStep(step as StepDto, `$.steps[${i}]`, sites, edges, errors);
    if (result !== undefined) normalized.push(result);
  });
  const draft: WorkflowDraft = {
    id: dto.id,
    name: dto.name ?? dto.id,
    description: dto.description ?? '',
    tags: Array.isArray(dto.tags) ? dto.tags : [],
    params,
    ...optionalMs('timeoutMs', dto.timeout),
    runStrategy: runStrategy(dto.run_strategy, errors),
    steps: normalized,
    edges: edges.map(({ from, to, condition }): Edge =>
      condition === undefined ? { from, to } : { from, to, condition },
    ),
  };
  const stepIds = steps.map((step) =>
    isPlainObject(step) && typeof step.id === 'string' ? step.id : undefined,
  );
  return { draft, stepIds, edges, sites, params: params.map((p) => p.name) };
}

function normalizeParams(
  raw: unknown,
  sites: ExpressionSite[],
  errors: DefinitionError[],
): ParamDefinition[] {
  if (!(raw instanceof Map)) return [];
  const out: ParamDefinition[] = [];
  const earlier = new Set<string>();
  for (const [name, value] of raw as Map<string, ParamDto>) {
    const path = toJsonPath(['params', name]);
    if (!PARAM_NAME.pattern.test(name))
      errors.push({ path, message: `'${name}' is not a valid ${PARAM_NAME.what}` });
    if (!isPlainObject(value)) continue;
    const param: { -readonly [K in keyof ParamDefinition]: ParamDefinition[K] } = {
      name,
      type: value.type,
      required: value.required === true,
    };
    if (typeof value.description === 'string') param.description = value.description;
    if (value.default !== undefined) {
      param.default = value.default as JsonValue;
      const problem = typeProblem(value.default, value.type);
      if (problem !== undefined) errors.push({ path: `${path}.default`, message: problem });
      if (value.required === true) {
        errors.push({
          path: `${path}.required`,
          message: 'a required param cannot have a default; drop one of them',
        });
      }
    }
    if (typeof value.expression === 'string') {
      param.expression = value.expression;
      sites.push({
        path: `${path}.expression`,
        source: value.expression,
        scope: 'param',
        visibleParams: new Set(earlier),
      });
      if (value.default !== undefined) {
        errors.push({ path: `${path}.expression`, message: 'give either default or expression, not both' });
      }
    }
    earlier.add(name);
    out.push(param);
  }
  return out;
}

function typeProblem(value: unknown, type: ParamType): string | undefined {
  // An unknown type is reported by the DTO validation; only known types are checked here.
  if (!PARAM_TYPES.includes(type) || fitsParamType(value as JsonValue, type)) return undefined;
  if (type === 'long' && typeof value === 'number')
    return `default ${value} is not an integer; a long param needs a whole number`;
  return `default must be a ${type}, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`;
}

function runStrategy(dto: RunStrategyDto | undefined, errors: DefinitionError[]): RunStrategy {
  if (!isPlainObject(dto) || typeof dto.type !== 'string') return { kind: 'parallel' };
  if (dto.max_concurrent !== undefined && dto.type !== 'parallel') {
    errors.push({
      path: '$.run_strategy.max_concurrent',
      message: 'max_concurrent applies to the parallel strategy only',
    });
  }
  if (dto.type === 'parallel') {
    return typeof dto.max_concurrent === 'number'
      ? { kind: 'parallel', maxConcurrent: dto.max_concurrent }
      : { kind: 'parallel' };
  }
  return { kind: dto.type } as RunStrategy;
}

function normalizeStep(
  step: StepDto,
  path: string,
  sites: ExpressionSite[],
  edges: DeclaredEdge[],
  errors: DefinitionError[],
): StepDefinition | undefined {
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
  const outputs: Record<string, string> = {};
  if (isPlainObject(step.outputs)) {
    for (const [name, source] of Object.entries(step.outputs)) {
      const at = `${path}.outputs${toJsonPath([name]).slice(1)}`;
      if (!IDENTIFIER.test(name))
        errors.push({ path: at, message: `'${name}' is not a valid output name (letters, digits, _)` });
      if (typeof source !== 'string')
        errors.push({ path: at, message: 'an output must be a CEL expression string, e.g. result.rows' });
      else {
        outputs[name] = source;
        sites.push({ path: at, source, scope: 'output' });
      }
    }
  }
  if (!STEP_TYPES.includes(step.type)) return undefined;
  const present = new Set(
    Object.keys(step).filter((key) => (step as unknown as Record<string, unknown>)[key] !== undefined),
  );
  for (const [field, message] of checkStepFields(step.type, present))
    errors.push({ path: `${path}.${field}`, message });

  const common = {
    id,
    ...(step.name === undefined ? {} : { name: step.name }),
    ...(step.description === undefined ? {} : { description: step.description }),
    params: toStepValues(step.params, `${path}.params`, PARAM_NAME, sites, errors),
    retry: retryPolicy(step.retry_policy, `${path}.retry_policy`, errors),
    ...optionalMs('timeoutMs', step.timeout),
    failureMode: step.failure_mode ?? 'fail_immediately',
    outputs,
    pool: step.pool ?? 'default',
  };
  switch (step.type) {
    case 'noop':
      return { ...common, type: 'noop' };
    case 'sleep':
      return { ...common, type: 'sleep', durationMs: ms(step.duration) ?? 0 };
    case 'shell':
      return {
        ...common,
        type: 'shell',
        command: Array.isArray(step.command) ? step.command : [],
        ...(step.working_directory === undefined ? {} : { workingDirectory: step.working_directory }),
        env: toStepValues(step.env, `${path}.env`, ENV_NAME, sites, errors),
      };
    case 'http':
      return {
        ...common,
        type: 'http',
        method: step.method ?? 'GET',
        url: urlValue(step.url, `${path}.url`, sites, errors),
        headers: toStepValues(step.headers, `${path}.headers`, HEADER_NAME, sites, errors),
        ...(step.body === undefined ? {} : { body: toStepValue(step.body, `${path}.body`, sites, errors) }),
        ...(step.success_statuses === undefined ? {} : { successStatuses: step.success_statuses }),
      };
    case 'handler':
      return { ...common, type: 'handler', handler: step.handler ?? '' };
    default: {
      const unexpected: never = step.type;
      throw new Error(`unknown step type ${String(unexpected)}`);
    }
  }
}

function urlValue(raw: unknown, path: string, sites: ExpressionSite[], errors: DefinitionError[]) {
  const value = toStepValue(raw, path, sites, errors);
  if ('literal' in value && raw !== undefined) {
    if (typeof value.literal !== 'string' || !/^https?:\/\/[^\s]+$/.test(value.literal)) {
      errors.push({
        path,
        message: 'url must be an http(s) URL, or an expression: "${...}" or { expression: "..." }',
      });
    }
  }
  return value;
}

function retryPolicy(dto: RetryPolicyDto | undefined, path: string, errors: DefinitionError[]): RetryPolicy {
  if (typeof dto !== 'object' || dto === null) return DEFAULT_RETRY_POLICY;
  const limit = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
  return {
    userErrorLimit: limit(dto.user_error_limit, DEFAULT_RETRY_POLICY.userErrorLimit),
    platformErrorLimit: limit(dto.platform_error_limit, DEFAULT_RETRY_POLICY.platformErrorLimit),
    timeoutLimit: limit(dto.timeout_limit, DEFAULT_RETRY_POLICY.timeoutLimit),
    backoff: backoff(dto.backoff, `${path}.backoff`, errors),
  };
}

function backoff(dto: BackoffDto | undefined, path: string, errors: DefinitionError[]): Backoff {
  if (typeof dto !== 'object' || dto === null) return DEFAULT_RETRY_POLICY.backoff;
  const only = (fields: (keyof BackoffDto)[], type: string) => {
    for (const field of fields) {
      if (dto[field] !== undefined)
        errors.push({ path: `${path}.${field}`, message: `'${field}' does not apply to ${type} backoff` });
    }
  };
  if (dto.type === 'fixed') {
    only(['initial_delay', 'multiplier', 'max_delay'], 'fixed');
    if (dto.delay === undefined)
      errors.push({ path: `${path}.delay`, message: 'fixed backoff needs a delay, e.g. delay: 30s' });
    return { kind: 'fixed', delayMs: ms(dto.delay) ?? 0 };
  }
  only(['delay'], 'exponential');
  if (dto.initial_delay === undefined) {
    errors.push({
      path: `${path}.initial_delay`,
      message: 'exponential backoff needs initial_delay, e.g. initial_delay: 10s',
    });
  }
  const initialDelayMs = ms(dto.initial_delay) ?? 0;
  const maxDelayMs =
    ms(dto.max_delay) ??
    Math.max(initialDelayMs, DEFAULT_RETRY_POLICY.backoff.kind === 'exponential' ? 300_000 : 0);
  if (maxDelayMs < initialDelayMs) {
    errors.push({ path: `${path}.max_delay`, message: 'max_delay must be at least initial_delay' });
  }
  return {
    kind: 'exponential',
    initialDelayMs,
    multiplier: typeof dto.multiplier === 'number' ? dto.multiplier : 2,
    maxDelayMs,
  };
}

function ms(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.ms : undefined;
}

function optionalMs<K extends string>(key: K, value: unknown): { [P in K]?: number } {
  const parsed = ms(value);
  return (parsed === undefined ? {} : { [key]: parsed }) as { [P in K]?: number };
}
