import type { LoopProgress, RunEvent, StepDispatch } from '@baton/domain';
import type { SqlClient } from '@baton/sql';
import { attemptKey, RowSet, stepKey } from './row-set';
import { runFactOf, type RunFact } from './run-facts';
import { settleRunEvents, settlingWork } from './run-settling';
import {
  insertRunEvents,
  loadAttempts,
  loadSteps,
  lockRuns,
  upsertAttempts,
  upsertRuns,
  upsertSteps,
  type AttemptKey,
  type PublishedEvent,
  type StepKey,
  type TerminalFields,
} from './read-model-rows';

/** What one batch did. */
export interface RunProjectionResult {
  /** Events folded into runs / steps / step_attempts. */
  readonly applied: number;
  /** Events at or below their run's `last_seq` (a re-delivery): stored in run_events only if missing. */
  readonly duplicates: number;
  /** Events of runs with no row that are not `RunStarted` (rejections for unknown runs): run_events only. */
  readonly withoutRun: number;
  /** Runs whose next applied event did not follow `last_seq` (the log lost events). */
  readonly gaps: readonly { readonly runId: string; readonly lastSeq: number; readonly seq: number }[];
  /** What the applied events state, for the per-workflow metrics (counted after the commit). */
  readonly facts: readonly RunFact[];
}

/**
 * Projects a batch of run events inside the caller's transaction `tx`.
 *
 * Idempotent and order-safe per run: every event goes into `run_events`
 * (`ON CONFLICT DO NOTHING`); only events with `seq > runs.last_seq` (the run
 * row is locked `FOR UPDATE` first) are folded into the rows, and `last_seq`
 * moves with them. So a batch delivered twice, or an older batch delivered
 * again after a newer one, changes nothing.
 *
 * The fold is load-apply-save: the rows the events touch are read in three
 * statements, `applyRunEvent` rewrites them in memory, and the changed rows go
 * back in one multi-row upsert per table. Same rows in, same events in, same
 * rows out: a rebuild from the log writes identical rows (times come from the
 * events, never from a clock).
 *
 * A terminal event's status is shown only once what it implies is readable
 * (children, promised log tails): see run-settling.ts. The caller holds
 * `lockForSettling` on the batch's runs (`projectBatch` does).
 */
export async function projectRunEvents(
  tx: SqlClient,
  published: readonly PublishedEvent[],
): Promise<RunProjectionResult> {
  if (published.length === 0) return { applied: 0, duplicates: 0, withoutRun: 0, gaps: [], facts: [] };
  await insertRunEvents(tx, uniqueBySeq(published));
  const byRun = groupByRun(published.map((p) => p.event));

  const existing = await lockRuns(tx, [...byRun.keys()]);
  const set = new RowSet(existing);
  let duplicates = 0;
  const gaps: { runId: string; lastSeq: number; seq: number }[] = [];
  const toApply: RunEvent[] = [];
  const withoutRun: RunEvent[] = [];
  for (const [runId, events] of byRun) {
    let lastSeq = existing.get(runId)?.lastSeq;
    for (const event of events) {
      if (lastSeq !== undefined && event.seq <= lastSeq) {
        duplicates++;
      } else if (lastSeq === undefined && event.type !== 'RunStarted') {
        withoutRun.push(event);
      } else {
        if (lastSeq !== undefined && event.seq !== lastSeq + 1) gaps.push({ runId, lastSeq, seq: event.seq });
        toApply.push(event);
        lastSeq = event.seq;
      }
    }
  }

  set.addSteps(await loadSteps(tx, stepKeys(toApply)));
  set.addAttempts(await loadAttempts(tx, attemptKeys(toApply, set)));
  const facts: RunFact[] = [];
  for (const event of toApply) {
    applyRunEvent(set, event);
    const fact = runFactOf(set, event);
    if (fact !== null) facts.push(fact);
  }

  await upsertRuns(tx, set.changedRuns());
  await upsertSteps(tx, set.changedSteps());
  await upsertAttempts(tx, set.changedAttempts());
  await settleRunEvents(tx, settlingWork(toApply, withoutRun), set.pendingRuns());
  return { applied: toApply.length, duplicates, withoutRun: withoutRun.length, gaps, facts };
}

/**
 * Folds one event into the rows (the read model's `evolve`). Every event
 * moves the run's `last_seq` and `updated_at`; what else changes, per type:
 */
export function applyRunEvent(set: RowSet, event: RunEvent): void {
  if (event.type === 'RunStarted') {
    set.startRun(event);
    return;
  }
  set.patchRun(event.runId, { lastSeq: event.seq, updatedAt: event.at });
  const at = event.at;
  switch (event.type) {
    case 'StepReady': {
      const status = readyStatus(event.dispatch);
      const step = set.step(event.runId, event.stepId);
      // A sleep or a signal wait has no executor to report a start: it starts when it is ready.
      const startedNow = status === 'sleeping' || event.dispatch.kind === 'signal';
      set.patchStep(event.runId, event.stepId, {
        status,
        attempt: event.attempt,
        params: event.params,
        // The first time the step became ready: the order the API lists steps in.
        readyAt: step?.readyAt ?? at,
        ...(startedNow ? { startedAt: step?.startedAt ?? at } : {}),
        endedAt: null,
        errorKind: null,
        errorMessage: null,
        waitSignal: event.dispatch.kind === 'signal' ? event.dispatch.signal : null,
        // Each attempt of a loop counts its own children, from none.
        progress: event.dispatch.kind === 'children' ? NO_CHILDREN : null,
        updatedAt: at,
      });
      set.putAttempt({
        runId: event.runId,
        stepId: event.stepId,
        attempt: event.attempt,
        runAttempt: set.runAttemptOf(event.runId),
        status,
        executorId: null,
        readyAt: at,
        startedAt: startedNow ? at : null,
        endedAt: null,
        leaseExpiresAt: null,
        errorKind: null,
        message: null,
        updatedAt: at,
      });
      return;
    }
    case 'StepPaused':
      set.patchStep(event.runId, event.stepId, { status: 'paused', updatedAt: at });
      return;
    case 'ChildRunsStarted': {
      // The step (and its attempt) started when its first children did; it stays `waiting`.
      const step = set.step(event.runId, event.stepId);
      set.patchStep(event.runId, event.stepId, {
        progress: event.progress,
        startedAt: step?.startedAt ?? at,
        updatedAt: at,
      });
      const attempt = set.attempt(event.runId, event.stepId, event.attempt);
      if (attempt !== undefined && attempt.startedAt === null) {
        set.patchAttempt(event, { startedAt: at, updatedAt: at });
      }
      return;
    }
    case 'ChildRunEnded':
      // Counters only: the child is a run of its own, with its own row.
      set.patchStep(event.runId, event.stepId, { progress: event.progress, updatedAt: at });
      return;
    case 'StepStarted': {
      const step = set.step(event.runId, event.stepId);
      set.patchStep(event.runId, event.stepId, {
        status: 'running',
        startedAt: step?.startedAt ?? at,
        updatedAt: at,
      });
      set.patchAttempt(event, {
        status: 'running',
        executorId: event.executorId,
        startedAt: at,
        leaseExpiresAt: event.leaseExpiresAt,
        updatedAt: at,
      });
      return;
    }
    case 'StepLeaseExtended':
      set.patchAttempt(event, { leaseExpiresAt: event.leaseExpiresAt, updatedAt: at });
      return;
    case 'StepSucceeded':
      set.patchStep(event.runId, event.stepId, {
        status: 'succeeded',
        attempt: event.attempt,
        outputs: event.outputs,
        endedAt: at,
        updatedAt: at,
      });
      set.patchAttempt(event, { status: 'succeeded', endedAt: at, updatedAt: at });
      return;
    case 'StepFailed':
    case 'StepTimedOut': {
      const kind = event.type === 'StepFailed' ? event.errorKind : 'timeout';
      const message = event.type === 'StepFailed' ? event.message : `attempt ${event.attempt} timed out`;
      set.patchStep(event.runId, event.stepId, {
        status: event.willRetry ? 'retry_waiting' : 'failed',
        attempt: event.attempt,
        endedAt: event.willRetry ? null : at,
        errorKind: kind,
        errorMessage: message,
        updatedAt: at,
      });
      set.patchAttempt(event, {
        status: event.type === 'StepFailed' ? 'failed' : 'timed_out',
        endedAt: at,
        errorKind: kind,
        message,
        updatedAt: at,
      });
      return;
    }
    case 'StepRetryScheduled':
      // The step stays `retry_waiting`; its next attempt row appears with its StepReady.
      set.patchStep(event.runId, event.stepId, { updatedAt: at });
      return;
    case 'StepSkipped': {
      set.patchStep(event.runId, event.stepId, {
        status: 'skipped',
        skipReason: event.reason,
        skipMessage: event.message ?? null,
        endedAt: at,
        updatedAt: at,
      });
      // A user may skip an active step: its open attempt ends there (see attemptKeys).
      const step = set.step(event.runId, event.stepId);
      const open = step === undefined ? undefined : set.attempt(event.runId, event.stepId, step.attempt);
      if (open !== undefined && open.endedAt === null) {
        set.patchAttempt(
          { runId: event.runId, stepId: event.stepId, attempt: open.attempt, at },
          {
            status: 'skipped',
            endedAt: at,
            message: event.message ?? event.reason,
            updatedAt: at,
          },
        );
      }
      return;
    }
    case 'StepCancelled': {
      set.patchStep(event.runId, event.stepId, { status: 'cancelled', endedAt: at, updatedAt: at });
      // A retry-waiting step's attempt already ended (failed); only an open attempt is cancelled.
      const attempt = set.attempt(event.runId, event.stepId, event.attempt);
      if (attempt !== undefined && attempt.endedAt === null) {
        set.patchAttempt(event, { status: 'cancelled', endedAt: at, message: event.reason, updatedAt: at });
      }
      return;
    }
    case 'RunStopping':
      set.patchRun(event.runId, { stopReason: event.reason });
      return;
    case 'RunRestarted':
      set.patchRun(event.runId, {
        status: 'running',
        runAttempt: event.runAttempt,
        params: event.params,
        timeoutAt: event.timeoutAt,
        endedAt: null,
        failureReason: null,
        failureStepId: null,
        failureMessage: null,
        stopReason: null,
        terminalPending: null,
      });
      // Reset steps are pending again; their attempt number and attempt rows stay (the history).
      for (const stepId of event.resetSteps) {
        set.patchStep(event.runId, stepId, { ...PENDING_AGAIN, updatedAt: at });
      }
      return;
    // Terminal events are held back until what they imply is readable (run-settling.ts).
    case 'RunSucceeded':
      set.patchRun(event.runId, { terminalPending: terminal('succeeded', at, null, null, null) });
      return;
    case 'RunFailed':
      set.patchRun(event.runId, {
        terminalPending: terminal('failed', at, event.reason, event.stepId, event.message),
      });
      return;
    case 'RunCancelled':
      set.patchRun(event.runId, {
        terminalPending: terminal('cancelled', at, 'cancelled', null, event.reason),
      });
      return;
    case 'CommandRejected':
      // Visible in run_events; the run itself only advances its seq (as in evolve).
      return;
    default:
      assertNever(event);
  }
}

function terminal(
  status: TerminalFields['status'],
  at: number,
  failureReason: string | null,
  failureStepId: string | null,
  failureMessage: string | null,
): TerminalFields {
  return { status, endedAt: new Date(at).toISOString(), failureReason, failureStepId, failureMessage };
}

/** Where a ready step waits, in the domain's words: a pool (`ready`), a sleep timer, or children or a signal. */
function readyStatus(dispatch: StepDispatch): 'ready' | 'sleeping' | 'waiting' {
  switch (dispatch.kind) {
    case 'pool':
      return 'ready';
    case 'timer':
      return 'sleeping';
    case 'children':
    case 'signal':
      return 'waiting';
    default:
      return assertNever(dispatch);
  }
}

const NO_CHILDREN: LoopProgress = {
  total: null,
  started: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
};

/** A step row as `RunStarted` makes it, but for its attempt number (which keeps counting). */
const PENDING_AGAIN = {
  status: 'pending',
  params: null,
  outputs: null,
  readyAt: null,
  startedAt: null,
  endedAt: null,
  errorKind: null,
  errorMessage: null,
  skipReason: null,
  skipMessage: null,
  waitSignal: null,
  progress: null,
} as const;

/** Events of each run in seq order (a batch is in log order; sorting also survives a hand-made batch). */
function groupByRun(events: readonly RunEvent[]): Map<string, RunEvent[]> {
  const byRun = new Map<string, RunEvent[]>();
  for (const event of events) {
    const list = byRun.get(event.runId) ?? [];
    list.push(event);
    byRun.set(event.runId, list);
  }
  for (const list of byRun.values()) list.sort((a, b) => a.seq - b.seq);
  return byRun;
}

/** A multi-row insert must not name one key twice; the first copy wins (as `DO NOTHING` would). */
function uniqueBySeq(published: readonly PublishedEvent[]): PublishedEvent[] {
  const seen = new Set<string>();
  return published.filter((p) => {
    const key = `${p.event.runId}\u0000${p.event.seq}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The step rows the events touch: their own step, and every step a restart resets. */
function stepKeys(events: readonly RunEvent[]): StepKey[] {
  const keys = new Map<string, StepKey>();
  const add = (runId: string, stepId: string) => keys.set(stepKey(runId, stepId), { runId, stepId });
  for (const event of events) {
    if (event.type === 'RunRestarted') {
      for (const stepId of event.resetSteps) add(event.runId, stepId);
    } else if ('stepId' in event && typeof event.stepId === 'string' && event.type !== 'RunFailed') {
      add(event.runId, event.stepId);
    }
  }
  return [...keys.values()];
}

/**
 * The attempt rows the events touch. A `StepSkipped` names no attempt: it
 * may end the step's current one, known from the step row (`set` holds the
 * loaded steps); an attempt made ready later in the batch is created there.
 */
function attemptKeys(events: readonly RunEvent[], set: RowSet): AttemptKey[] {
  const keys = new Map<string, AttemptKey>();
  const add = (key: AttemptKey) => keys.set(attemptKey(key.runId, key.stepId, key.attempt), key);
  for (const event of events) {
    if (event.type === 'StepSkipped') {
      const step = set.step(event.runId, event.stepId);
      if (step !== undefined && step.attempt > 0) add(step);
    } else if ('attempt' in event && event.type !== 'StepReady' && event.type !== 'StepRetryScheduled') {
      add({ runId: event.runId, stepId: event.stepId, attempt: event.attempt });
    }
  }
  return [...keys.values()];
}

function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
