import type { WorkflowDefinition } from '../workflow/workflow-definition';
import { wasQueued, type RunQueued, type WorkflowEvent } from './workflow-queue.events';
import {
  assertNever,
  RECENT_RUNS_KEPT,
  type QueuedRun,
  type WorkflowQueueState,
} from './workflow-queue.state';

/**
 * The only place a workflow's queue state changes. Pure: returns a new state
 * and never touches the previous one, so the single writer's live state and
 * `replayWorkflowQueue(events)` are the same value. It makes no decisions:
 * which run starts, waits or is dropped is in the event.
 */
export function evolveWorkflowQueue(state: WorkflowQueueState, event: WorkflowEvent): WorkflowQueueState {
  const next: WorkflowQueueState = { ...state, lastSeq: event.seq };
  switch (event.type) {
    case 'WorkflowCommandRejected':
    case 'WorkflowPushUnchanged':
      return next;
    case 'WorkflowVersionPushed':
      return {
        ...next,
        latestVersion: event.version,
        latestDefinition: event.definition,
        activeVersion: event.activeVersion,
        registryUpdatedAt: event.at,
      };
    case 'WorkflowVersionActivated':
      return { ...next, activeVersion: event.version, registryUpdatedAt: event.at };
    case 'WorkflowDeactivated':
      return event.previousVersion === null
        ? next
        : { ...next, activeVersion: null, registryUpdatedAt: event.at };
    case 'WorkflowRunStrategyChanged':
      return { ...next, strategy: event.strategy };
    case 'RunQueued':
      return queued(remember(next, event.runId), event);
    case 'RunAdmitted': {
      const after = event.fromQueue ? withoutQueued(next, event.runId) : remember(next, event.runId);
      return { ...after, running: [...after.running, event.runId] };
    }
    case 'RunRequestDropped':
      return wasQueued(event.reason) ? withoutQueued(next, event.runId) : remember(next, event.runId);
    case 'RunStopRequested':
      return { ...next, stopping: [...next.stopping, event.runId] };
    case 'RunFinished':
      return {
        ...next,
        running: next.running.filter((runId) => runId !== event.runId),
        stopping: next.stopping.filter((runId) => runId !== event.runId),
      };
    case 'WorkflowPaused':
      return { ...next, paused: true };
    case 'WorkflowResumed':
      return { ...next, paused: false };
    case 'WorkflowBlocked':
      return { ...next, blockedBy: event.runId };
    case 'WorkflowUnblocked':
      return { ...next, blockedBy: null };
    case 'WorkflowBreakpointsSet':
      return { ...next, breakpoints: [...event.stepIds] };
    default:
      return assertNever(event);
  }
}

function queued(state: WorkflowQueueState, event: RunQueued): WorkflowQueueState {
  const { definition, ...start } = event.start;
  const entry: QueuedRun = { start, version: definition.version, queuedAt: event.at };
  return {
    ...state,
    queue: [...state.queue, entry],
    definitions: { ...state.definitions, [String(definition.version)]: definition },
  };
}

/** Takes a run out of the queue, and its version's definition once no queued run refers to it. */
function withoutQueued(state: WorkflowQueueState, runId: string): WorkflowQueueState {
  const queue = state.queue.filter((entry) => entry.start.runId !== runId);
  if (queue.length === state.queue.length) {
    throw new Error(`run ${runId} is not queued (seq ${state.lastSeq})`);
  }
  const versions = new Set(queue.map((entry) => String(entry.version)));
  const definitions: Record<string, WorkflowDefinition> = {};
  for (const [version, definition] of Object.entries(state.definitions)) {
    if (versions.has(version)) definitions[version] = definition;
  }
  return { ...state, queue, definitions };
}

/** Adds a run id to the bounded window of decided runs (oldest forgotten first). */
function remember(state: WorkflowQueueState, runId: string): WorkflowQueueState {
  if (state.recentRunIds.includes(runId)) return state;
  const recentRunIds = [...state.recentRunIds, runId];
  return { ...state, recentRunIds: recentRunIds.slice(Math.max(0, recentRunIds.length - RECENT_RUNS_KEPT)) };
}
