/**
 * The run decider: `decide(command, state, deps?) -> events`, `evolve(state,
 * event) -> state`, `initialState()`, `replay(events)`, plus the timers index
 * helpers (`dueTimers`, `nextDeadline`) the engine schedules `FireTimer` from.
 *
 * Decisions worth knowing when wiring it:
 * - Every event (rejections included) takes the next per-run `seq`; a
 *   `CommandRejected` changes nothing else, so projectors can dedupe on seq.
 * - Heartbeats are not events: one extends the lease (`StepLeaseExtended`)
 *   only when less than half of it is left; otherwise the command is accepted
 *   with no event.
 * - `noop` steps go to an executor pool like any step (the benchmarked path is
 *   the real one); only `sleep` stays in the engine, on a timer.
 * - `finish_running`: the failed step's successors are skipped
 *   (`upstream_failed`), independent branches keep going (new steps included),
 *   and the run fails once nothing is left to run.
 * - Params that cannot be resolved (missing required, wrong type, undeclared,
 *   expression error) refuse the StartRun; no run is started.
 * - A step timeout counts from `StepStarted` (queueing time is not the step's
 *   fault); sleep steps have no step timeout.
 */
export * from './run.commands';
export * from './run.events';
export type { RejectionCode, RunRejection } from './run.errors';
export type {
  EdgeStatus,
  FailureKind,
  NoRun,
  Run,
  RunState,
  RunStatus,
  RunTimer,
  StepState,
  StepStatus,
  LoopState,
} from './run.state';
export { initialState } from './run.state';
export type { ExpressionEvaluator, RunDeciderDeps, RunLimits } from './run.deps';
export { defaultRunDeps, DEFAULT_RUN_LIMITS } from './run.deps';
export { decide, decideRun, rejectCommand, type RefusedCommand } from './run.decide';
export { evolve } from './run.evolve';
export { replay } from './run.replay';
export { dueTimers, nextDeadline } from './run.timers';
export { retryDelayMs } from './run.attempts';
export { childRunId, foreachSize, isChildRunId, iterationValues, parentRunIdOf } from './run.children';
export { iterationDefinition } from './child-definition';
export {
  STEP_RUNS_ON,
  STEP_VALUE_FIELDS,
  runsOnPool,
  valueFieldsOf,
  type PoolStepType,
  type StepOf,
  type ValueField,
  type ValueFields,
} from './step-value-fields';
export { RUN_EVENT_UPCASTERS, upcastRunEvent } from './run.upcasters';
