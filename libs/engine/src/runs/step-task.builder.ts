import {
  runsOnPool,
  type JsonObject,
  type JsonValue,
  type PoolStepType,
  type Run,
  type StepDefinition,
  type StepOf,
  type StepReady,
} from '@baton/domain';
import {
  STEP_TASK_SCHEMA_VERSION,
  type StepTask,
  type StepTaskOf,
  type StepTaskType,
} from '@baton/contracts';

/**
 * Turns a `StepReady` bound for a pool into the task an executor receives
 * (libs/executor/TASK_PROTOCOL.md). Everything is already resolved by the
 * decider (params, env, url, headers, body); here the step's static settings
 * are added and values are coerced to the protocol's string maps.
 */
export function buildStepTask(run: Run, ready: StepReady, pool: string, leaseMs: number): StepTask {
  const step = stepById(run, ready.stepId);
  // A timeout expression's value was recorded in the StepReady; the literal otherwise.
  const timeoutMs =
    typeof ready.settings.timeout_ms === 'number' ? ready.settings.timeout_ms : step.timeoutMs;
  const common = {
    schemaVersion: STEP_TASK_SCHEMA_VERSION as typeof STEP_TASK_SCHEMA_VERSION,
    runId: run.runId,
    workflowId: run.definition.id,
    workflowVersion: run.definition.version,
    stepId: step.id,
    attempt: ready.attempt,
    pool,
    params: ready.params,
    leaseMs,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
  if (!runsOnPool(step)) {
    throw new Error(`${step.type} step ${step.id} is run by the engine and never goes to a pool`);
  }
  return taskOf(step, ready.settings, common);
}

type PoolStep = StepOf<PoolStepType>;

/**
 * The domain's pool step types are exactly the task protocol's: a type added
 * to one side only does not compile (here).
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const POOL_TYPES_ARE_TASK_TYPES: Same<PoolStepType, StepTaskType> = true;
void POOL_TYPES_ARE_TASK_TYPES;
type TaskCommon = Omit<StepTask, 'type' | 'spec'>;

/**
 * What each pool step type passes to the executor (its task `spec`), built
 * from the definition's static fields and the values the decider resolved
 * into `StepReady.settings` (`STEP_VALUE_FIELDS`). Keyed by the task
 * protocol's types, so a new one does not compile without its entry here.
 */
const TASK_SPECS: {
  readonly [T in StepTaskType]: (step: StepOf<T>, settings: JsonObject) => StepTaskOf<T>['spec'];
} = {
  noop: () => ({}),
  shell: (step, settings) => ({
    command: step.command,
    env: stringMap(settings.env),
    ...(step.workingDirectory === undefined ? {} : { workingDirectory: step.workingDirectory }),
  }),
  http: (step, settings) => ({
    method: step.method,
    url: String(settings.url),
    headers: stringMap(settings.headers),
    ...(settings.body === undefined ? {} : { body: settings.body }),
    ...(step.successStatuses === undefined ? {} : { successStatuses: step.successStatuses }),
  }),
  handler: (step) => ({ name: step.handler }),
};

function taskOf<S extends PoolStep>(step: S, settings: JsonObject, common: TaskCommon): StepTask {
  // The entry for `step.type` takes exactly this step (the table is keyed by type).
  const spec = TASK_SPECS[step.type] as (step: S, settings: JsonObject) => StepTask['spec'];
  return { ...common, type: step.type, spec: spec(step, settings) } as StepTask;
}

const stepIndexes = new WeakMap<Run['definition'], Map<string, StepDefinition>>();

/** Steps by id, indexed once per definition object (a run's definition never changes). */
export function stepById(run: Run, stepId: string): StepDefinition {
  let index = stepIndexes.get(run.definition);
  if (!index) {
    index = new Map(run.definition.steps.map((step) => [step.id, step]));
    stepIndexes.set(run.definition, index);
  }
  const step = index.get(stepId);
  if (!step) throw new Error(`run ${run.runId} has no step ${stepId}`);
  return step;
}

function stringMap(value: JsonValue | undefined): Record<string, string> {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}
