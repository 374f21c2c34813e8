import {
  isSecretReference,
  type JsonValue,
  type ParamDefinition,
  type RunStrategy,
  type Triggers,
  type WorkflowDefinition,
} from '@baton/domain';
import type { DefinitionError } from './definition-error';
import { toJsonPath } from './definition-error';
import { optionalMs } from './duration';
import type { ParamDto } from './dto/param.dto';
import { PARAM_NAME } from './dto/patterns';
import { isPlainObject } from './dto/transforms';
import type { RunStrategyDto, WorkflowDto } from './dto/workflow.dto';
import type { ExpressionSite } from './expression-checks';
import type { DefinitionLimits } from './limits';
import { type Graph, type NormalizeContext, checkParamBytes } from './normalize-context';
import { normalizeGraph } from './normalize-steps';
import { normalizeTriggers } from './normalize-triggers';
import { typeProblem } from './param-type';

/** A definition before the registry gives it a version; its triggers are always there (maybe empty). */
export type WorkflowDraft = Omit<WorkflowDefinition, 'version' | 'triggers'> & {
  readonly triggers: Triggers;
};

export interface Built {
  readonly draft: WorkflowDraft;
  /** The workflow's graph first, then every loop body's. */
  readonly graphs: readonly Graph[];
}

/**
 * Turns the (possibly invalid) DTO into the trusted model, collecting the
 * semantic errors the DTO decorators cannot express. Every field is guarded,
 * so a shape error found by class-validator does not crash this pass; the
 * draft is only used when no error was found anywhere.
 */
export function normalize(dto: WorkflowDto, errors: DefinitionError[], limits: DefinitionLimits): Built {
  const ctx: NormalizeContext = { limits, errors, graphs: [] };
  const paramSites: ExpressionSite[] = [];
  const params = normalizeParams(dto.params, paramSites, ctx);
  const names = { params: params.map((p) => p.name), loopValues: [] };
  const { steps, edges } = normalizeGraph(dto.steps, '$.steps', names, 0, ctx);
  const top = ctx.graphs[0];
  top.sites.push(...paramSites);
  const draft: WorkflowDraft = {
    id: dto.id,
    name: dto.name ?? dto.id,
    description: dto.description ?? '',
    tags: Array.isArray(dto.tags) ? dto.tags : [],
    params,
    ...optionalMs('timeoutMs', dto.timeout),
    runStrategy: runStrategy(dto.run_strategy, errors),
    ...(typeof dto.step_concurrency === 'number' ? { stepConcurrency: dto.step_concurrency } : {}),
    triggers: normalizeTriggers(dto.triggers, params, top.sites, ctx),
    steps,
    edges,
  };
  return { draft, graphs: ctx.graphs };
}

function normalizeParams(raw: unknown, sites: ExpressionSite[], ctx: NormalizeContext): ParamDefinition[] {
  const errors = ctx.errors;
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
      if (problem !== undefined) errors.push({ path: `${path}.default`, message: `default ${problem}` });
      checkParamBytes(param.default, `${path}.default`, ctx);
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
    if (value.secret === true) {
      param.secret = true;
      checkSecretParam(value, path, errors);
    }
    earlier.add(name);
    out.push(param);
  }
  return out;
}

/**
 * A secret is a string that never sits in a definition in clear: no literal
 * default (a reference is fine), and no expression (it would compute the
 * secret from values that are not secret, in the log for anyone to read).
 */
function checkSecretParam(value: ParamDto, path: string, errors: DefinitionError[]): void {
  if (value.type !== 'string') {
    errors.push({ path: `${path}.secret`, message: `a secret param is a string; got type ${value.type}` });
  }
  if (value.expression !== undefined) {
    errors.push({
      path: `${path}.expression`,
      message:
        'a secret param cannot have an expression; give its value in the run request or as a reference',
    });
  }
  if (
    value.default !== undefined &&
    !(typeof value.default === 'string' && isSecretReference(value.default))
  ) {
    errors.push({
      path: `${path}.default`,
      message:
        "a secret param's default must be a reference (env:NAME or file:PATH, resolved on the executor), never the secret itself",
    });
  }
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
