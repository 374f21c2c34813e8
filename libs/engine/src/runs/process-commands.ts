import {
  decideRun,
  defaultRunDeps,
  initialState,
  isChildRunId,
  rejectCommand,
  type RunCommand,
  type RunEvent,
  type ReportStepStarted,
  type RunLimits,
  type RunState,
} from '@baton/domain';
import { stepTasksTopic, Topics, type StepCancellation, type StepStartGranted } from '@baton/contracts';
import { partitionForKey, type LogRecord, type OutgoingRecord } from '@baton/eventlog';
import { linkedRecords } from './child-run-records';
import { decodeRunCommand, refusedCommandOf } from './run-command.codec';
import { statusEventRecord } from './status-events';
import { buildStepTask } from './step-task.builder';
import { decideKeyedBatch, stampedAt } from '../writer/keyed-batch';

export interface ProcessContext {
  /** Epoch ms stamped on every command of the batch: time is the engine's, not the sender's. */
  readonly now: number;
  /** The lease executors are asked to hold (and renew) per attempt. */
  readonly leaseMs: number;
  /** CloudEvents `source` of status events. */
  readonly source: string;
  readonly limits: RunLimits;
  /**
   * Partitions of the run-commands topic. A record its key does not route to
   * the partition it arrived on (a producer that does not partition with
   * murmur2, Kafka's Java default) is written again under the same key, so it
   * reaches the engine that owns its run instead of being refused here by one
   * that does not. Unset: no such check (tests of one partition).
   */
  readonly commandPartitions?: number;
}

/** Why a record on the run-commands topic was not decided where it arrived (`baton_engine_rejected_reports_total`). */
export type ReportRefusal = 'wrong_partition' | 'invalid' | 'key_mismatch';

export interface ProcessedBatch {
  /** Everything to write in the batch's transaction, in order. */
  readonly records: OutgoingRecord[];
  /** The new state of every run the batch touched and still holds. */
  readonly changed: Map<string, RunState>;
  /** Child runs that ended in this batch: dropped from memory and from the state topic. */
  readonly forgotten: Set<string>;
  /** Executor pools the batch sends tasks to (their topics must exist before the commit). */
  readonly pools: Set<string>;
  readonly counts: {
    commands: number;
    events: number;
    rejected: number;
    deadLetters: number;
    /** Commands for a child run that had already ended and been forgotten: refused without an event. */
    forgottenRun: number;
    /** Records written again to their own partition (`wrong_partition`), or refused before the decider. */
    refusedReports: Partial<Record<ReportRefusal, number>>;
  };
}

/**
 * Decides a batch of run commands against the partition's states. Pure but
 * for JSON encoding: no I/O, no clock (the time is `ctx.now`). The caller
 * writes `records` and the input offset in one transaction and only then
 * adopts `changed`, so a crash or a fenced commit leaves no trace.
 *
 * Per event it writes: the event (run-events), the status CloudEvent, the
 * step task for a `StepReady` bound for a pool, and a cancellation for an
 * attempt the engine ended while an executor may still run it. Per run
 * touched: one snapshot of its state (run-state, compacted).
 *
 * A child run (a foreach or while iteration, a subworkflow) is forgotten
 * once it ended: its events, the read model and the `ChildRunFinished` sent
 * to its parent in the same transaction hold all that is left to know, so
 * the engine's memory and its state topic grow with a loop's concurrency,
 * not with its iterations. A later command for it (a late executor report, a
 * cancel that crossed the child's end) can only be refused; with no state
 * left to number a `CommandRejected`, it is counted and dropped. Nothing can
 * start it twice: its `StartRun` is written once, in its parent's
 * transaction, and a restarted parent step starts children with new ids.
 */
export function processCommands(
  states: ReadonlyMap<string, RunState>,
  commands: readonly LogRecord[],
  ctx: ProcessContext,
): ProcessedBatch {
  const pools = new Set<string>();
  const refusedReports: Partial<Record<ReportRefusal, number>> = {};
  const counts = {
    commands: commands.length,
    events: 0,
    rejected: 0,
    deadLetters: 0,
    forgottenRun: 0,
    refusedReports,
  };
  const refuse = (why: ReportRefusal) => (refusedReports[why] = (refusedReports[why] ?? 0) + 1);
  const deps = { ...defaultRunDeps, limits: ctx.limits };

  const { records, changed, deadLetters } = decideKeyedBatch<
    RunState,
    RunCommand,
    RunEvent,
    RunCommandFailure
  >(states, commands, {
    now: ctx.now,
    undecided: 'engine could not decide',
    redirect: (record, batch) => {
      if (ctx.commandPartitions === undefined) return false;
      if (partitionForKey(record.key, ctx.commandPartitions) === record.partition) return false;
      batch.out.push({
        topic: Topics.runCommands,
        key: record.key,
        value: record.value,
        headers: record.headers,
      });
      refuse('wrong_partition');
      return true;
    },
    // Time is the engine's, not the sender's: every decoded command carries the batch's.
    decode: (record) => stampedAt(decodeRunCommand(record), ctx.now),
    onInvalid: (record, failure, batch) => {
      refuse(failure.keyMismatch === true ? 'key_mismatch' : 'invalid');
      // A malformed report about a run held here is recorded on that run, so the step it names is not stranded unseen.
      const refused = refusedCommandOf(record, ctx.now);
      const held = refused && batch.held(refused.runId);
      if (refused && held && held.status !== 'absent') {
        const message = [failure.reason, ...failure.problems.map((p) => `${p.path}: ${p.message}`)].join(
          '; ',
        );
        const { events, state } = rejectCommand(held, refused, { code: 'InvalidCommand', message });
        for (const event of events) {
          batch.out.push({ topic: Topics.runEvents, key: event.runId, value: JSON.stringify(event) });
        }
        batch.adopt(refused.runId, state);
        counts.events += events.length;
      }
    },
    keyOf: (command) => command.runId,
    begin: (command, held, batch) => {
      if (held === undefined && command.type !== 'StartRun' && isChildRunId(command.runId)) {
        counts.forgottenRun++;
        // A redelivered task of an ended child run: its executor must not run it.
        if (command.type === 'ReportStepStarted') batch.out.push(cancellationRecord(startRefused(command)));
        return null;
      }
      return held ?? initialState();
    },
    decide: (command, state) => decideRun(command, state, deps),
    write: (command, { events, states: after }, before) => {
      const written: OutgoingRecord[] = [];
      events.forEach((event, i) => {
        written.push(...recordsFor(event, i === 0 ? before : after[i - 1], after[i], command, ctx, pools));
        counts.events++;
        if (event.type === 'CommandRejected') counts.rejected++;
      });
      return written;
    },
  });
  counts.deadLetters = deadLetters;

  const forgotten = new Set<string>();
  for (const [runId, state] of changed) {
    if (state.status !== 'absent' && state.status !== 'running' && state.parent !== null) {
      changed.delete(runId);
      forgotten.add(runId);
    }
  }
  return { records, changed, forgotten, pools, counts };
}

type RunCommandFailure = Extract<ReturnType<typeof decodeRunCommand>, { ok: false }>;

function recordsFor(
  event: RunEvent,
  before: RunState,
  after: RunState,
  command: RunCommand,
  ctx: ProcessContext,
  pools: Set<string>,
): OutgoingRecord[] {
  const records: OutgoingRecord[] = [
    { topic: Topics.runEvents, key: event.runId, value: JSON.stringify(event) },
  ];
  const executorAnswer = startAnswer(event, before, command);
  if (executorAnswer) records.push(executorAnswer);
  // A rejection for a run that does not exist has no workflow to report on.
  if (after.status === 'absent')
    return [...records, ...linkedRecords(event, before, after, command, ctx.now)];
  const status = statusEventRecord(event, after, ctx.source);
  if (status) records.push(status);
  if (event.type === 'StepReady' && event.dispatch.kind === 'pool') {
    const pool = event.dispatch.pool;
    pools.add(pool);
    const task = buildStepTask(after, event, pool, ctx.leaseMs);
    records.push({ topic: stepTasksTopic(pool), key: event.runId, value: JSON.stringify(task) });
  }
  const cancellation = cancellationFor(event, before, command);
  if (cancellation) records.push(cancellationRecord(cancellation));
  records.push(...linkedRecords(event, before, after, command, ctx.now));
  return records;
}

/**
 * An attempt the engine ended on its own (cancel, run failure, timeout, lost
 * lease) may still be running on an executor: tell the executors to kill it.
 * Attempts ended by the executor's own report need no message.
 */
function cancellationFor(event: RunEvent, before: RunState, command: RunCommand): StepCancellation | null {
  const endedByEngine =
    event.type === 'StepCancelled' ||
    event.type === 'StepTimedOut' ||
    event.type === 'StepSkipped' ||
    (event.type === 'StepFailed' && command.type === 'FireTimer');
  if (!endedByEngine || before.status === 'absent') return null;
  const step = before.steps[event.stepId];
  if (!step || (step.status !== 'running' && step.status !== 'ready')) return null;
  const reason =
    event.type === 'StepCancelled'
      ? event.reason
      : event.type === 'StepSkipped'
        ? 'skipped'
        : event.type === 'StepTimedOut'
          ? 'timed_out'
          : 'lease_expired';
  return { schemaVersion: 1, runId: event.runId, stepId: event.stepId, attempt: step.attempt, reason };
}

/**
 * What the executor that sent a `ReportStepStarted` must hear back: a refused
 * start becomes a cancellation of that executor's copy only (a redelivered
 * task, a run that has ended: it must not run, and stops at once if it
 * already does); an accepted start it asked to have confirmed, a grant.
 */
function startAnswer(event: RunEvent, before: RunState, command: RunCommand): OutgoingRecord | null {
  if (command.type !== 'ReportStepStarted') return null;
  if (event.type === 'CommandRejected') {
    // A second start of the attempt by its own lease holder (the same command seen twice) is no
    // refusal of that executor's copy: cancelling it would stop the attempt the engine granted.
    const held = heldBy(before, command);
    if (held === null) return cancellationRecord(startRefused(command));
    return command.confirm === true ? grantRecord(command, held) : null;
  }
  if (event.type !== 'StepStarted' || command.confirm !== true) return null;
  return grantRecord(command, event.leaseExpiresAt);
}

/** The lease deadline when `command`'s executor already holds its attempt, else null. */
function heldBy(state: RunState, command: ReportStepStarted): number | null {
  if (state.status !== 'running') return null;
  const step = state.steps[command.stepId];
  const holds =
    step?.status === 'running' && step.attempt === command.attempt && step.executorId === command.executorId;
  return holds ? (step.leaseExpiresAt ?? 0) : null;
}

function grantRecord(command: ReportStepStarted, leaseExpiresAt: number): OutgoingRecord {
  const { runId, stepId, attempt, executorId } = command;
  const grant: StepStartGranted = { schemaVersion: 1, runId, stepId, attempt, executorId, leaseExpiresAt };
  return { topic: Topics.stepGrants, key: runId, value: JSON.stringify(grant) };
}

function startRefused(command: ReportStepStarted): StepCancellation {
  const { runId, stepId, attempt, executorId } = command;
  return { schemaVersion: 1, runId, stepId, attempt, reason: 'start_refused', executorId };
}

function cancellationRecord(cancellation: StepCancellation): OutgoingRecord {
  return { topic: Topics.stepCancellations, key: cancellation.runId, value: JSON.stringify(cancellation) };
}
