/**
 * The workflow queue: the workflow-keyed single writer's decider that
 * enforces run strategies, pause/resume, strict_sequential blocking and
 * workflow breakpoints. `decideWorkflowCommand(command, state) -> events`,
 * `evolveWorkflowQueue(state, event) -> state`, `replayWorkflowQueue(events)`.
 *
 * Decisions worth knowing when wiring it:
 * - Every event (rejections included) takes the next per-workflow `seq`.
 * - Each `RunAdmitted` carries the `StartRun` to write to `baton.run-commands`
 *   (keyed by run id), the workflow's breakpoints merged in; each
 *   `RunStopRequested` (last_only) the `CancelRun` to write there.
 * - A restart of a run does not pass through the queue; its end is reported
 *   (RunEnded) and only matters when it is the run blocking the workflow.
 */
export * from './workflow-queue.commands';
export * from './workflow-queue.events';
export type { WorkflowRejection, WorkflowRejectionCode } from './workflow-queue.errors';
export type { QueuedRun, WorkflowQueueState } from './workflow-queue.state';
export { initialWorkflowQueueState, workflowQueueStateFromSnapshot } from './workflow-queue.state';
export { decideWorkflowCommand, decideWorkflowQueue } from './workflow-queue.decide';
export { evolveWorkflowQueue } from './workflow-queue.evolve';
export { replayWorkflowQueue } from './workflow-queue.replay';
export { WORKFLOW_EVENT_UPCASTERS, upcastWorkflowEvent } from './workflow-queue.upcasters';
