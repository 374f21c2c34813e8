import {
  decideWorkflowCommand,
  evolveWorkflowQueue,
  initialWorkflowQueueState,
  type WorkflowCommand,
  type WorkflowEvent,
  type WorkflowQueueState,
} from '@baton/domain/workflow-queue';
import {
  FIRST_ONLY,
  LAST_ONLY,
  parallelUpTo,
  SEQUENTIAL,
  STRICT,
  version,
  wq,
} from '@baton/domain/workflow-queue/testing/fixtures';
import { Topics } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';

/** Decides `commands` for the fixtures' workflow and returns the events, as the queue would have written them. */
export function historyOf(
  workflowId: string,
  commands: readonly WorkflowCommand[],
  /** The seq of the workflow's last event before these (its pushes, say). */
  afterSeq = 0,
): WorkflowEvent[] {
  let state: WorkflowQueueState = { ...initialWorkflowQueueState(), lastSeq: afterSeq };
  const events: WorkflowEvent[] = [];
  for (const command of commands) {
    const decided = decideWorkflowCommand({ ...command, workflowId } as WorkflowCommand, state);
    for (const event of decided) state = evolveWorkflowQueue(state, event);
    events.push(...decided);
  }
  return events;
}

/**
 * Histories that exercise every event type: strategy changes, queueing,
 * starting from the queue, drops of each reason, blocking, pausing,
 * breakpoints and a rejection.
 */
export function busyHistory(workflowId: string): WorkflowEvent[] {
  const v1 = version(SEQUENTIAL, 1);
  const v2 = version(parallelUpTo(2), 2);
  const strict = version(STRICT, 3);
  return historyOf(workflowId, [
    wq.breakpoints(['extract'], 10),
    wq.request(1, v1, 20),
    wq.request(2, v1, 30),
    wq.request(3, v1, 40),
    wq.request(2, v1, 45),
    wq.pause(50),
    wq.request(4, v2, 60),
    wq.ended(1, 'succeeded', 70),
    wq.resume(80),
    wq.resume(85),
    wq.request(5, strict, 90),
    wq.ended(2, 'failed', 100),
    wq.ended(3, 'succeeded', 110),
    wq.unblock(115),
    wq.ended(4, 'failed', 120),
    wq.ended(9, 'failed', 125),
    wq.request(6, strict, 130),
  ]);
}

export function lastOnlyHistory(workflowId: string): WorkflowEvent[] {
  const v = version(LAST_ONLY, 1);
  return historyOf(workflowId, [
    wq.request(1, v, 1),
    wq.request(2, v, 2),
    wq.request(3, v, 3),
    wq.request(4, v, 4),
  ]);
}

export function firstOnlyHistory(workflowId: string): WorkflowEvent[] {
  const v = version(FIRST_ONLY, 1);
  return historyOf(workflowId, [wq.pause(1), wq.request(1, v, 2), wq.request(2, v, 3), wq.resume(4)]);
}

/** sequential, paused: runs 1 and 2 wait in the queue (params `{ n }`); `resumed` lets run 1 start. */
export function pausedHistory(workflowId: string, resumed = false): WorkflowEvent[] {
  const v = version(SEQUENTIAL, 1);
  const commands = [wq.pause(1), wq.request(1, v, 2), wq.request(2, v, 3)];
  return historyOf(workflowId, resumed ? [...commands, wq.resume(4)] : commands);
}

/** first_only: run 1 runs, and the `drops` requests after it are each dropped (`first_only_busy`). */
export function firstOnlyBurstHistory(workflowId: string, drops: number): WorkflowEvent[] {
  const v = version(FIRST_ONLY, 1);
  const requests = Array.from({ length: drops }, (_, i) => wq.request(i + 2, v, 10 * (i + 2)));
  return historyOf(workflowId, [wq.request(1, v, 10), ...requests]);
}

/**
 * `events` with each run id `run-<n>` renamed `<prefix>-run-<n>`: run ids are
 * global, so a spec that looks runs up by id in a shared database needs its own.
 */
export function withRunIdPrefix(events: readonly WorkflowEvent[], prefix: string): WorkflowEvent[] {
  return events.map((event): WorkflowEvent => {
    if (!('runId' in event)) return event;
    const runId = `${prefix}-${event.runId}`;
    return 'start' in event ? { ...event, runId, start: { ...event.start, runId } } : { ...event, runId };
  });
}

export function stateOf(events: readonly WorkflowEvent[]): WorkflowQueueState {
  return events.reduce(evolveWorkflowQueue, initialWorkflowQueueState());
}

let offset = 0;
/** Events as records of `baton.workflow-events`, as the log would deliver them. */
export function eventRecords(events: readonly WorkflowEvent[]): LogRecord[] {
  return events.map((event) => ({
    topic: Topics.workflowEvents,
    partition: 0,
    offset: offset++,
    key: event.workflowId,
    value: JSON.stringify(event),
    headers: {},
    timestamp: event.at,
  }));
}
