import type { JsonValue, Run, StepDefinition, StepReady } from '@baton/domain';
import { STEP_TASK_SCHEMA_VERSION, type StepTask } from '@baton/contracts';

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
  switch (step.type) {
    case 'noop':
      return { ...common, type: 'noop', spec: {} };
    case 'shell':
      return {
        ...common,
        type: 'shell',
        spec: {
          command: step.command,
          env: stringMap(ready.settings.env),
          ...(step.workingDirectory === undefined ? {} : { workingDirectory: step.workingDirectory }),
        },
      };
    case 'http':
      return {
        ...common,
        type: 'http',
        spec: {
          method: step.method,
          url: String(ready.settings.url),
          headers: stringMap(ready.settings.headers),
          ...(ready.settings.body === undefined ? {} : { body: ready.settings.body }),
          ...(step.successStatuses === undefined ? {} : { successStatuses: step.successStatuses }),
        },
      };
    case 'handler':
      return { ...common, type: 'handler', spec: { name: step.handler } };
    case 'sleep':
    case 'foreach':
    case 'while':
    case 'subworkflow':
    case 'wait_for_signal':
      throw new Error(`${step.type} step ${step.id} is run by the engine and never goes to a pool`);
    default: {
      const never: never = step;
      throw new Error(`unknown step type ${(never as StepDefinition).type}`);
    }
  }
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
