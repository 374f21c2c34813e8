import type { JsonObject, JsonValue } from '../shared/json';

/**
 * A validated, normalized workflow version: what the engine runs. It is built
 * only by `@baton/definitions` from a YAML/JSON document that passed
 * validation, so everything here is trusted (ids are unique, edges point at
 * existing steps, the graph is acyclic, expressions parse, durations are in
 * milliseconds).
 *
 * The shape is plain JSON so a run can carry the exact version it started
 * with, and replay never depends on what the workflow looks like today.
 */
export interface WorkflowDefinition {
  readonly id: string;
  /** 1, 2, 3... assigned on push; immutable once assigned. */
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly params: readonly ParamDefinition[];
  /** Whole-run timeout; absent means no limit. */
  readonly timeoutMs?: number;
  readonly runStrategy: RunStrategy;
  /**
   * At most this many steps of one run active at once (sent to a pool,
   * running, sleeping, waiting for children or a signal, waiting to retry,
   * or paused at a breakpoint); steps ready beyond it stay pending until a
   * slot frees, in definition order. Absent: no limit. Maestro's
   * `step_concurrency`, counted per run (see docs/operations.md).
   */
  readonly stepConcurrency?: number;
  /** What starts runs besides explicit requests; absent in versions pushed before triggers existed. */
  readonly triggers?: Triggers;
  /** In document order; `steps[i].id` is unique. */
  readonly steps: readonly StepDefinition[];
  /** Directed acyclic: `from` must finish before `to` may start. */
  readonly edges: readonly Edge[];
}

export type ParamType = 'string' | 'long' | 'double' | 'boolean' | 'map' | 'array';

/**
 * A declared parameter. Its value for a run is, in priority order: the value
 * the run request gives, `expression` evaluated over the earlier params, then
 * `default`. A `required` param with none of these rejects the run.
 */
export interface ParamDefinition {
  readonly name: string;
  readonly type: ParamType;
  readonly description?: string;
  readonly required: boolean;
  readonly default?: JsonValue;
  /** A CEL expression, see `@baton/domain` expressions. */
  readonly expression?: string;
  /**
   * A secret string: its value is sealed at the edge or is a reference
   * (`env:NAME`, `file:PATH`) resolved by the executor; see `secret-values.ts`.
   * Never has an expression; its default, if any, is a reference.
   */
  readonly secret?: boolean;
}

/**
 * How the runs of one workflow share it (Maestro's run strategy rules, by
 * the same names; `libs/domain/src/workflow-queue` enforces them):
 * - `parallel`: up to `maxConcurrent` runs at once (default
 *   `DEFAULT_WORKFLOW_CONCURRENCY`), the rest wait in request order;
 * - `sequential`: one at a time, in request order;
 * - `strict_sequential`: sequential, and a failed run blocks the rest;
 * - `first_only`: a request while a run runs or waits is dropped;
 * - `last_only`: a request while a run runs stops that run (it ends
 *   cancelled, its steps cancelled) and runs once it has ended;
 * - `serial_latest_only`: one at a time; a request while a run runs waits,
 *   taking the place of any older waiting request (the running run finishes).
 */
export type RunStrategy =
  | { readonly kind: 'parallel'; readonly maxConcurrent?: number }
  | { readonly kind: 'sequential' }
  | { readonly kind: 'strict_sequential' }
  | { readonly kind: 'first_only' }
  | { readonly kind: 'last_only' }
  | { readonly kind: 'serial_latest_only' };

export type RunStrategyKind = RunStrategy['kind'];

/** Every strategy kind, from a table the compiler checks against the union (a new kind must be listed). */
export const RUN_STRATEGY_KINDS = Object.keys({
  parallel: true,
  sequential: true,
  strict_sequential: true,
  first_only: true,
  last_only: true,
  serial_latest_only: true,
} satisfies Record<RunStrategyKind, true>) as readonly RunStrategyKind[];

/**
 * Runs of a `parallel` workflow that may run at once when its definition
 * sets no `max_concurrent`: Maestro's default workflow concurrency (its
 * `Defaults.DEFAULT_PARALLELISM`). A definition raises it with
 * `run_strategy: { type: parallel, max_concurrent: N }`.
 */
export const DEFAULT_WORKFLOW_CONCURRENCY = 20;

/**
 * Cron triggers start a run at each tick of `schedule` (5- or 6-field cron) in
 * `timezone` (IANA; default UTC). The run's request id is derived from the
 * tick, so a tick starts one run however many schedulers see it.
 */
export interface CronTrigger {
  readonly schedule: string;
  readonly timezone: string;
  /** Literal params of the runs it starts. */
  readonly params: JsonObject;
}

/**
 * A signal trigger starts a run when a signal named `signal` arrives whose
 * params equal every value in `match`. The run's params are `params`
 * evaluated as CEL over `signal` (`signal.name`, `signal.params`, `signal.id`).
 */
export interface SignalTrigger {
  readonly signal: string;
  readonly match: JsonObject;
  readonly params: Readonly<Record<string, StepParamValue>>;
}

/** One signal of a `SignalSetTrigger`: its name and the params it must carry. */
export interface SignalSetMember {
  readonly signal: string;
  readonly match: JsonObject;
}

/**
 * A trigger on several signals (Maestro's signal dependencies): it starts a
 * run once a signal is present for every alias of `all` (each of its name,
 * its params equal to its `match`), the signals agreeing on every param named
 * in `join` and `condition` (CEL over `signals.<alias>.id|name|params`) true.
 * Each such set starts one run, and its signals are used up: they start no
 * other run of this trigger. The run's params are CEL over `signals` too.
 */
export interface SignalSetTrigger {
  readonly all: Readonly<Record<string, SignalSetMember>>;
  readonly join: readonly string[];
  readonly condition?: string;
  readonly params: Readonly<Record<string, StepParamValue>>;
}

export type AnySignalTrigger = SignalTrigger | SignalSetTrigger;

export function isSignalSetTrigger(trigger: AnySignalTrigger): trigger is SignalSetTrigger {
  return 'all' in trigger;
}

export interface Triggers {
  readonly cron: readonly CronTrigger[];
  readonly signals: readonly AnySignalTrigger[];
}

/**
 * A dependency edge. `to` becomes ready once every *taken* incoming edge's
 * source has finished. An edge is taken when its source succeeded (or failed
 * under `failureMode: 'ignore'`) and `condition` (CEL) is true; an edge that
 * is not taken makes `to` skip unless another taken edge leads to it.
 */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly condition?: string;
}

/** What a step failure does to the run. */
export type FailureMode =
  /** Fail the run at once; running steps are cancelled. Default. */
  | 'fail_immediately'
  /** Start nothing new downstream of the failure, let running branches finish, then fail the run. */
  | 'finish_running'
  /** Treat the failure as done; successors run as if it had succeeded (with no outputs). */
  | 'ignore';

export type Backoff =
  | { readonly kind: 'fixed'; readonly delayMs: number }
  | {
      readonly kind: 'exponential';
      readonly initialDelayMs: number;
      readonly multiplier: number;
      readonly maxDelayMs: number;
    };

/**
 * Retries per failure kind. A *user* error is the step's own fault (non-zero
 * exit, HTTP 4xx/5xx, handler threw); a *platform* error is Baton's or the
 * machine's (executor lost, lease expired); a *timeout* is the step's timeout.
 * Each kind has its own budget; the attempt number counts all of them.
 *
 * `backoff` applies to every kind, its exponent counting attempts (the
 * attempt after attempt n waits `initial * multiplier^(n-1)`). A kind with a
 * backoff of its own in `backoffs` (Maestro's per-kind backoff) waits by that
 * one instead, its exponent counting only that kind's retries so far.
 * Versions pushed before `backoffs` existed have none.
 */
export interface RetryPolicy {
  readonly userErrorLimit: number;
  readonly platformErrorLimit: number;
  readonly timeoutLimit: number;
  readonly backoff: Backoff;
  readonly backoffs?: { readonly user?: Backoff; readonly platform?: Backoff; readonly timeout?: Backoff };
  /**
   * Limits given as CEL expressions (over params and the steps before, as a
   * step param is), each replacing its kind's number. Evaluated when each
   * attempt becomes ready and recorded in its `StepReady` (`settings.retry_limits`),
   * so replay never re-evaluates; a result that is not an integer 0-100 fails the step.
   */
  readonly limitExpressions?: {
    readonly user?: string;
    readonly platform?: string;
    readonly timeout?: string;
  };
}

/** A param value as written in the definition: a literal, or `{ expression: '...' }` evaluated when the step becomes ready. */
export type StepParamValue = { readonly literal: JsonValue } | { readonly expression: string };

interface StepCommon {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly params: Readonly<Record<string, StepParamValue>>;
  readonly retry: RetryPolicy;
  /** Per-attempt timeout; absent means no limit. */
  readonly timeoutMs?: number;
  /**
   * The timeout as a CEL expression giving a duration (`'90s'`, `'PT1H'`) or
   * seconds; replaces `timeoutMs`. Evaluated when each attempt becomes ready
   * and recorded in its `StepReady` (`settings.timeout_ms`).
   */
  readonly timeoutExpression?: string;
  readonly failureMode: FailureMode;
  /** Named CEL expressions evaluated over the step's result once it succeeds. */
  readonly outputs: Readonly<Record<string, string>>;
  /** The executor pool whose step-ready topic receives this step ('default' unless set). */
  readonly pool: string;
}

export interface NoopStep extends StepCommon {
  readonly type: 'noop';
}

/** Waits on an engine timer; takes no executor slot. */
export interface SleepStep extends StepCommon {
  readonly type: 'sleep';
  /** 0 when `durationExpression` gives the duration. */
  readonly durationMs: number;
  /** A CEL expression giving a duration or seconds, evaluated when the step becomes ready (the wake-up time is in `StepReady`). */
  readonly durationExpression?: string;
}

/**
 * Runs `command` (argv, no shell) with the resolved params as environment
 * variables. Nothing is ever spliced into a shell string; a user who wants a
 * shell writes `command: [sh, -c, 'echo "$NAME"']` and reads params from env.
 */
export interface ShellStep extends StepCommon {
  readonly type: 'shell';
  readonly command: readonly string[];
  readonly workingDirectory?: string;
  /** Extra environment, same value forms as params. */
  readonly env: Readonly<Record<string, StepParamValue>>;
  /**
   * Which exit codes may be retried as user errors (within `userErrorLimit`):
   * every code but `except`, or only the codes of `only`. Absent: every code.
   * A failure with no exit code (killed by a signal, cannot start) is retryable.
   */
  readonly retryableExitCodes?: { readonly except: readonly number[] } | { readonly only: readonly number[] };
}

export interface HttpStep extends StepCommon {
  readonly type: 'http';
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly url: StepParamValue;
  readonly headers: Readonly<Record<string, StepParamValue>>;
  readonly body?: StepParamValue;
  /** Status codes that count as success; default 200-299. */
  readonly successStatuses?: readonly number[];
}

/** Calls a TypeScript function registered with the executor pool under `handler`. */
export interface HandlerStep extends StepCommon {
  readonly type: 'handler';
  readonly handler: string;
}

/**
 * The steps one iteration of a loop runs: a small workflow of its own, run as
 * a child run. Its steps see the parent's params plus the iteration's values
 * (see `ForeachStep` and `WhileStep`) as `params`.
 */
export interface LoopBody {
  readonly steps: readonly StepDefinition[];
  readonly edges: readonly Edge[];
}

/**
 * The values a loop param iterates over: an array (literal or CEL), or the
 * integers `from, from + step, ...` below `to`, which needs no array at all
 * (a range of 100,000 costs nothing in events or state).
 */
export type LoopParamValue = StepParamValue | { readonly range: IntegerRange };

export interface IntegerRange {
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
  /** Positive; default 1. */
  readonly step: number;
}

/**
 * Runs `body` once per element of the Cartesian product of `loopParams`
 * (each evaluates to an array; the last one varies fastest), at most
 * `concurrency` iterations at a time, each as a child run. An iteration sees
 * each loop param's element under the loop param's name and its 0-based
 * position as `params.loop_index`. With `ordered`, iteration i+1 starts only
 * after iteration i finished (concurrency is then 1). The step succeeds when
 * every iteration succeeded; its result is `{ iterations, succeeded, failed }`.
 */
export interface ForeachStep extends StepCommon {
  readonly type: 'foreach';
  readonly loopParams: Readonly<Record<string, LoopParamValue>>;
  readonly concurrency: number;
  readonly ordered: boolean;
  readonly body: LoopBody;
}

/**
 * Runs `body` again and again, one iteration at a time, while `condition`
 * (CEL, evaluated before each iteration) holds, at most `maxIterations` times.
 * The condition and the body see `params.loop_index` and `params.loop_previous`:
 * the previous iteration's outputs (`{}` before the first). The step's result
 * is `{ iterations, last }` where `last` is the last iteration's outputs.
 */
export interface WhileStep extends StepCommon {
  readonly type: 'while';
  readonly condition: string;
  readonly maxIterations: number;
  readonly body: LoopBody;
}

/**
 * Runs another workflow as a child run: `version` of `workflowId` (a number
 * or 'active', resolved when the step starts). Params: the step's `params`,
 * plus the parent run's params the child declares when `inheritParams`. With
 * `wait` the step ends as the child ends and its result is
 * `{ run_id, status, outputs }` (outputs: the child's step outputs by step
 * id); otherwise it succeeds as soon as the child is requested with
 * `{ run_id }`.
 */
export interface SubworkflowStep extends StepCommon {
  readonly type: 'subworkflow';
  readonly workflowId: string;
  readonly version: number | 'active';
  readonly wait: boolean;
  readonly inheritParams: boolean;
}

/**
 * Waits (no executor slot) until a signal named `signal` arrives whose params
 * equal every value of `match` (evaluated when the step becomes ready). The
 * step's result is `{ signal_id, params }` of the signal.
 */
export interface WaitForSignalStep extends StepCommon {
  readonly type: 'wait_for_signal';
  readonly signal: string;
  readonly match: Readonly<Record<string, StepParamValue>>;
}

/** Every step kind. */
export type StepDefinition =
  | NoopStep
  | SleepStep
  | ShellStep
  | HttpStep
  | HandlerStep
  | ForeachStep
  | WhileStep
  | SubworkflowStep
  | WaitForSignalStep;
export type StepType = StepDefinition['type'];
