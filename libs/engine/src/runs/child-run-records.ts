import {
  iterationDefinition,
  type ChildRunFinished,
  type ChildRunsStarted,
  type JsonObject,
  type Run,
  type RunCommand,
  type RunEvent,
  type RunState,
  type SignalWaitClosed,
  type SignalWaitOpened,
  type StartRun,
  type StepDefinition,
} from '@baton/domain';
import { Topics, type RunRequest } from '@baton/contracts';
import type { OutgoingRecord } from '@baton/eventlog';
import type { RunEnded } from '@baton/domain';

/**
 * The records that tie runs to other runs and to the signal router, written
 * in the same transaction as the event that causes them (so each is written
 * exactly once):
 * - a child run's start for `ChildRunsStarted` (a `StartRun` for a loop
 *   iteration, a run request for a subworkflow, which admission resolves);
 * - `ChildRunFinished` to the parent when a child it waits for ends, or could
 *   not start;
 * - `CancelRun` to running children when their parent step stops waiting
 *   without succeeding;
 * - signal waits opened and closed;
 * - `RunEnded` to the workflow queue when a top-level run ends.
 */
export function linkedRecords(
  event: RunEvent,
  before: RunState,
  after: RunState,
  command: RunCommand,
  now: number,
): OutgoingRecord[] {
  if (after.status === 'absent') return rejectedChildStart(event, command, now);
  switch (event.type) {
    case 'ChildRunsStarted':
      return childStarts(event, after, now);
    case 'StepReady':
      return event.dispatch.kind === 'signal'
        ? [
            signalRecord({
              type: 'SignalWaitOpened',
              name: event.dispatch.signal,
              runId: event.runId,
              stepId: event.stepId,
              attempt: event.attempt,
              match: event.dispatch.match,
            }),
          ]
        : [];
    case 'RunSucceeded':
    case 'RunFailed':
    case 'RunCancelled':
      return runEnded(event, after, now);
    default:
      return 'stepId' in event ? stoppedWaiting(event.stepId, before, after, now) : [];
  }
}

function childStarts(event: ChildRunsStarted, run: Run, now: number): OutgoingRecord[] {
  const step = stepOf(run, event.stepId);
  const depth = (run.parent?.depth ?? 0) + 1;
  return event.children.map((child) => {
    const link = { runId: run.runId, stepId: step.id, attempt: event.attempt, index: child.index, depth };
    if (step.type === 'subworkflow') {
      const request: RunRequest = {
        schemaVersion: 1,
        workflowId: step.workflowId,
        version: step.version,
        requestId: child.runId,
        params: child.params,
        requestedAt: now,
        parent: {
          runId: child.runId,
          link: { ...link, notify: step.wait },
          inheritedParams: step.inheritParams ? run.params : {},
        },
      };
      return { topic: Topics.runRequests, key: step.workflowId, value: JSON.stringify(request) };
    }
    if (step.type !== 'foreach' && step.type !== 'while') throw new Error(`step ${step.id} has no children`);
    const start: StartRun = {
      type: 'StartRun',
      runId: child.runId,
      definition: iterationDefinition(run.definition, step, child.params),
      params: child.params,
      requestId: child.runId,
      scheduledAt: now,
      parent: { ...link, notify: true },
      metadata: { commandId: `start/${child.runId}`, at: now },
    };
    return command(start);
  });
}

/** A child that could not start (bad params, nesting too deep) ends at once for its parent; a duplicate start does not. */
function rejectedChildStart(event: RunEvent, cmd: RunCommand, now: number): OutgoingRecord[] {
  if (event.type !== 'CommandRejected' || cmd.type !== 'StartRun' || !cmd.parent?.notify) return [];
  if (event.code === 'RunAlreadyExists') return [];
  const { runId, stepId, attempt, index } = cmd.parent;
  return [
    finished(
      runId,
      {
        stepId,
        attempt,
        index,
        childRunId: cmd.runId,
        outcome: 'failed',
        outputs: {},
        message: `could not start: ${event.message}`,
      },
      now,
    ),
  ];
}

function runEnded(
  event: RunEvent & { type: 'RunSucceeded' | 'RunFailed' | 'RunCancelled' },
  run: Run,
  now: number,
): OutgoingRecord[] {
  const outcome =
    event.type === 'RunSucceeded' ? 'succeeded' : event.type === 'RunFailed' ? 'failed' : 'cancelled';
  const message =
    event.type === 'RunFailed' ? event.message : event.type === 'RunCancelled' ? event.reason : '';
  if (run.parent === null) {
    const ended: RunEnded = {
      type: 'RunEnded',
      workflowId: run.definition.id,
      runId: run.runId,
      outcome,
      metadata: { commandId: `ended/${run.runId}/${event.seq}`, at: now },
    };
    return [{ topic: Topics.workflowCommands, key: ended.workflowId, value: JSON.stringify(ended) }];
  }
  if (!run.parent.notify) return [];
  const { runId, stepId, attempt, index } = run.parent;
  return [
    finished(
      runId,
      { stepId, attempt, index, childRunId: run.runId, outcome, outputs: outputsOf(run), message },
      now,
    ),
  ];
}

/** A waiting step that ended without succeeding leaves its children and its signal wait behind: end them. */
function stoppedWaiting(stepId: string, before: RunState, after: Run, now: number): OutgoingRecord[] {
  if (before.status === 'absent') return [];
  const was = before.steps[stepId];
  const is = after.steps[stepId];
  if (was?.status !== 'waiting' || is.status === 'waiting' || is.status === 'succeeded') return [];
  const step = stepOf(after, stepId);
  if (step.type === 'wait_for_signal') {
    const name = step.signal;
    return [
      signalRecord({ type: 'SignalWaitClosed', name, runId: after.runId, stepId, attempt: was.attempt }),
    ];
  }
  return Object.values(was.loop?.running ?? {}).map((childRunId) =>
    command({
      type: 'CancelRun',
      runId: childRunId,
      reason: `parent step ${stepId} of run ${after.runId} ended (${is.status})`,
      metadata: { commandId: `cancel-child/${childRunId}`, at: now },
    }),
  );
}

function finished(
  parentRunId: string,
  fields: Omit<ChildRunFinished, 'type' | 'runId' | 'metadata'>,
  now: number,
): OutgoingRecord {
  return command({
    type: 'ChildRunFinished',
    runId: parentRunId,
    ...fields,
    metadata: { commandId: `child-finished/${fields.childRunId}`, at: now },
  });
}

/** What a parent sees of a child: each succeeded step's outputs, by step id. */
function outputsOf(run: Run): JsonObject {
  const outputs: JsonObject = {};
  for (const [stepId, step] of Object.entries(run.steps)) {
    if (step.status === 'succeeded') outputs[stepId] = step.outputs;
  }
  return outputs;
}

function command(cmd: RunCommand): OutgoingRecord {
  return { topic: Topics.runCommands, key: cmd.runId, value: JSON.stringify(cmd) };
}

function signalRecord(record: SignalWaitOpened | SignalWaitClosed): OutgoingRecord {
  return { topic: Topics.signals, key: record.name, value: JSON.stringify(record) };
}

function stepOf(run: Run, stepId: string): StepDefinition {
  const step = run.definition.steps.find((s) => s.id === stepId);
  if (step === undefined) throw new Error(`run ${run.runId} has no step ${stepId}`);
  return step;
}
