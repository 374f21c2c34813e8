import type {
  LoopParamValue,
  StepDefinition,
  StepParamValue,
  StepType,
} from '../workflow/workflow-definition';

/** The definition of one step type. */
export type StepOf<T extends StepType> = Extract<StepDefinition, { readonly type: T }>;

/**
 * A type-specific field whose value is written as a literal or a CEL
 * expression and resolved when the step becomes ready. Its resolved value is
 * recorded in `StepReady.settings` under the field's key in `STEP_VALUE_FIELDS`
 * (which is also its YAML name, so error paths read `steps.<id>.<key>`).
 * - `value`: one value (absent: nothing recorded);
 * - `record`: name → value, recorded as an object (`env`, `headers`, `match`);
 * - `loop`: a foreach's loop params, each an array or a range.
 */
export type ValueField<S> =
  | { readonly kind: 'value'; readonly of: (step: S) => StepParamValue | undefined }
  | { readonly kind: 'record'; readonly of: (step: S) => Readonly<Record<string, StepParamValue>> }
  | { readonly kind: 'loop'; readonly of: (step: S) => Readonly<Record<string, LoopParamValue>> };

export type ValueFields<S> = Readonly<Record<string, ValueField<S>>>;

/**
 * Every step type's value fields, in one typed table: `resolveStepInputs`
 * walks it, so a new step type does not compile until it has its entry here
 * (`{}` when it has none). Static fields (a shell's `command`, a handler's
 * name) are not here: they are read from the definition where they are used.
 */
export const STEP_VALUE_FIELDS: { readonly [T in StepType]: ValueFields<StepOf<T>> } = {
  noop: {},
  sleep: {},
  shell: { env: { kind: 'record', of: (step) => step.env } },
  http: {
    url: { kind: 'value', of: (step) => step.url },
    headers: { kind: 'record', of: (step) => step.headers },
    body: { kind: 'value', of: (step) => step.body },
  },
  handler: {},
  foreach: { loop_params: { kind: 'loop', of: (step) => step.loopParams } },
  while: {},
  subworkflow: {},
  wait_for_signal: { match: { kind: 'record', of: (step) => step.match } },
};

/**
 * Where each step type runs: on an executor pool (the engine publishes a task
 * for it, `libs/engine/src/step-task.builder.ts`) or in the engine itself
 * (a timer, child runs, a signal wait: `makeReady` has a case for each).
 * The engine checks at compile time that the pool types are exactly the task
 * protocol's types, so a pool type cannot be added on one side only.
 */
export const STEP_RUNS_ON = {
  noop: 'pool',
  sleep: 'engine',
  shell: 'pool',
  http: 'pool',
  handler: 'pool',
  foreach: 'engine',
  while: 'engine',
  subworkflow: 'engine',
  wait_for_signal: 'engine',
} as const satisfies { readonly [T in StepType]: 'pool' | 'engine' };

/** The step types an executor pool runs. */
export type PoolStepType = { [T in StepType]: (typeof STEP_RUNS_ON)[T] extends 'pool' ? T : never }[StepType];

export function runsOnPool(step: StepDefinition): step is StepOf<PoolStepType> {
  return STEP_RUNS_ON[step.type] === 'pool';
}

/** The value fields of `step`'s type, typed for that step. */
export function valueFieldsOf<S extends StepDefinition>(step: S): ValueFields<S> {
  // The table is keyed by type, so the entry for `step.type` takes exactly this step's shape.
  return STEP_VALUE_FIELDS[step.type] as unknown as ValueFields<S>;
}
