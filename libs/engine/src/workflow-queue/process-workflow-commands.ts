import {
  decideWorkflowQueue,
  initialWorkflowQueueState,
  type WorkflowCommand,
  type WorkflowEvent,
  type WorkflowQueueState,
} from '@baton/domain/workflow-queue';
import { Topics } from '@baton/contracts';
import { catalogRecordsFor } from './workflow-catalog.records';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import { decideKeyedBatch, stampedAt } from '../writer/keyed-batch';
import { decodeWorkflowCommand } from './workflow-command.codec';

export interface WorkflowQueueCounts {
  commands: number;
  events: number;
  rejected: number;
  deadLetters: number;
  /** Runs started (a StartRun written), queued, dropped (duplicates included), and stopped (last_only: a CancelRun written). */
  admitted: number;
  queued: number;
  dropped: number;
  stopped: number;
}

export interface WorkflowQueueBatch {
  /** Everything to write in the batch's transaction but the state snapshots (the shell adds those). */
  readonly records: OutgoingRecord[];
  /** The new state of every workflow the batch touched. */
  readonly changed: Map<string, WorkflowQueueState>;
  readonly counts: WorkflowQueueCounts;
}

/**
 * Decides a batch of workflow commands against the partition's queues. Pure
 * but for JSON encoding: no I/O, no clock (`now` is stamped on every
 * command: time is the queue's, not the sender's). Written by the caller in
 * one transaction with the snapshots of `changed` and the input offset:
 * - each event on `baton.workflow-events`, keyed by workflow id;
 * - for the registry events, the pushed definition and the workflow's new
 *   head (active version) on the compacted `baton.workflow-definitions`;
 * - for each `RunAdmitted`, its `StartRun` on `baton.run-commands`, keyed by
 *   run id, for the engine; for each `RunStopRequested` (last_only), its
 *   `CancelRun` there, the path an operator's kill takes;
 * - a dead letter for each record that does not decode, or that the decider
 *   could not decide (a bug must not stop the partition).
 */
export function processWorkflowCommands(
  states: ReadonlyMap<string, WorkflowQueueState>,
  commands: readonly LogRecord[],
  now: number,
): WorkflowQueueBatch {
  const counts: WorkflowQueueCounts = {
    commands: commands.length,
    events: 0,
    rejected: 0,
    deadLetters: 0,
    admitted: 0,
    queued: 0,
    dropped: 0,
    stopped: 0,
  };
  const { records, changed, deadLetters } = decideKeyedBatch(states, commands, {
    now,
    undecided: 'the workflow queue could not decide',
    // Time is the queue's, not the sender's: every decoded command carries the batch's.
    decode: (record) => stampedAt(decodeWorkflowCommand(record), now),
    keyOf: (command: WorkflowCommand) => command.workflowId,
    begin: (_command, held) => held ?? initialWorkflowQueueState(),
    decide: (command, state) => decideWorkflowQueue(command, state),
    write: (_command, { events, state }) => [
      ...events.flatMap((event) => {
        count(counts, event);
        return recordsFor(event);
      }),
      // The registry's events also update the definitions topic the engines read, in the same transaction.
      ...catalogRecordsFor(events, state),
    ],
  });
  counts.deadLetters = deadLetters;
  return { records, changed, counts };
}

function recordsFor(event: WorkflowEvent): OutgoingRecord[] {
  const records: OutgoingRecord[] = [
    { topic: Topics.workflowEvents, key: event.workflowId, value: JSON.stringify(event) },
  ];
  if (event.type === 'RunAdmitted') {
    records.push({ topic: Topics.runCommands, key: event.runId, value: JSON.stringify(event.start) });
  } else if (event.type === 'RunStopRequested') {
    records.push({ topic: Topics.runCommands, key: event.runId, value: JSON.stringify(event.cancel) });
  }
  return records;
}

function count(counts: WorkflowQueueCounts, event: WorkflowEvent): void {
  counts.events++;
  if (event.type === 'WorkflowCommandRejected') counts.rejected++;
  else if (event.type === 'RunAdmitted') counts.admitted++;
  else if (event.type === 'RunQueued') counts.queued++;
  else if (event.type === 'RunRequestDropped') counts.dropped++;
  else if (event.type === 'RunStopRequested') counts.stopped++;
}
