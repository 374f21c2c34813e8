import type { StartRun } from '../run/run.commands';
import {
  DEFAULT_WORKFLOW_CONCURRENCY,
  type RunStrategy,
  type WorkflowDefinition,
} from '../workflow/workflow-definition';

/** A request waiting for its turn: its `StartRun` without the definition, which `definitions` holds once per version. */
export interface QueuedRun {
  readonly start: Omit<StartRun, 'definition'>;
  readonly version: number;
  /** Epoch ms it was queued (`RunQueued.at`). */
  readonly queuedAt: number;
}

/**
 * One workflow's queue, as its single writer holds it (and snapshots it to
 * the compacted `baton.workflow-state`). Plain JSON; only
 * `evolveWorkflowQueue` makes a new one.
 *
 * Invariants (kept by the decider, checked by the property tests):
 * - a run id is in at most one of `running` and `queue`, at most once;
 * - `stopping` is a subset of `running` (last_only asked them to stop);
 * - `queue` is in request order (FIFO); nothing in it could start now, i.e.
 *   the workflow is paused or blocked, or every slot is taken;
 * - `definitions` has exactly the versions `queue` refers to.
 */
export interface WorkflowQueueState {
  /** The seq of the workflow's last event; 0 before the first. */
  readonly lastSeq: number;
  /** The strategy of the latest request's version; null before the first request. */
  readonly strategy: RunStrategy | null;
  readonly paused: boolean;
  /** strict_sequential: the failed run that blocks the workflow, or null. */
  readonly blockedBy: string | null;
  /** Runs the queue started that have not ended, oldest first. */
  readonly running: readonly string[];
  /**
   * last_only: the running runs a newer request asked to stop (a CancelRun
   * was written for each); they keep their slot until they have ended, so
   * the newer run starts only then. Absent in snapshots written before it
   * existed (read as empty, see `workflowQueueStateFromSnapshot`).
   */
  readonly stopping: readonly string[];
  readonly queue: readonly QueuedRun[];
  /** Definitions of the queued runs by version (kept once, not per queued run). */
  readonly definitions: Readonly<Record<string, WorkflowDefinition>>;
  /** Merged into each run's breakpoints when it starts. */
  readonly breakpoints: readonly string[];
  /**
   * The last `RECENT_RUNS_KEPT` run ids the queue decided on (started, queued
   * or dropped), oldest first: admission delivers a request at least once,
   * and a repeat must not take a second slot.
   */
  readonly recentRunIds: readonly string[];
  /**
   * The registry: versions are 1..latestVersion with no gaps (0: none pushed,
   * the workflow does not exist); `activeVersion` is one of them or null
   * (deactivated). Absent in snapshots written before the registry moved to
   * the log (read as none pushed).
   */
  readonly latestVersion: number;
  readonly activeVersion: number | null;
  /** The latest version's definition, which an unchanged re-push is compared with. */
  readonly latestDefinition: WorkflowDefinition | null;
  /** Epoch ms of the last push or (de)activation that changed something: no cron trigger of the active version fired before it. */
  readonly registryUpdatedAt: number;
}

/**
 * How many decided run ids the queue remembers to drop repeated requests.
 * Admission repeats a request only after a crash between its write and its
 * offset commit, so a repeat follows its original within one batch of
 * requests; a thousand is far more than a batch.
 */
export const RECENT_RUNS_KEPT = 1_000;

export function initialWorkflowQueueState(): WorkflowQueueState {
  return {
    lastSeq: 0,
    strategy: null,
    paused: false,
    blockedBy: null,
    running: [],
    stopping: [],
    queue: [],
    definitions: {},
    breakpoints: [],
    recentRunIds: [],
    latestVersion: 0,
    activeVersion: null,
    latestDefinition: null,
    registryUpdatedAt: 0,
  };
}

/**
 * How many runs may run at once under `strategy`. A workflow with no request
 * yet has the definitions' default strategy (parallel, no `max_concurrent`).
 */
export function concurrencyLimit(strategy: RunStrategy | null): number {
  if (strategy === null) return DEFAULT_WORKFLOW_CONCURRENCY;
  switch (strategy.kind) {
    case 'parallel':
      return strategy.maxConcurrent ?? DEFAULT_WORKFLOW_CONCURRENCY;
    case 'sequential':
    case 'strict_sequential':
    case 'first_only':
    case 'last_only':
    case 'serial_latest_only':
      return 1;
    default:
      return assertNever(strategy);
  }
}

/** True when a run may start now: not paused, not blocked, and a slot is free. */
export function hasFreeSlot(state: WorkflowQueueState): boolean {
  return !state.paused && state.blockedBy === null && state.running.length < concurrencyLimit(state.strategy);
}

/** The queued run's full `StartRun`, its definition taken from `definitions`. */
export function queuedStart(state: WorkflowQueueState, queued: QueuedRun): StartRun {
  const definition = state.definitions[String(queued.version)];
  if (definition === undefined) {
    throw new Error(
      `queued run ${queued.start.runId} refers to version ${queued.version}, which the queue does not hold`,
    );
  }
  return { ...queued.start, definition };
}

/** Whether the queue has decided on `runId` already (it runs, waits, or was started or dropped recently). */
export function knowsRun(state: WorkflowQueueState, runId: string): boolean {
  return (
    state.recentRunIds.includes(runId) ||
    state.running.includes(runId) ||
    state.queue.some((queued) => queued.start.runId === runId)
  );
}

/**
 * A snapshot as stored, completed with the fields added since it may have
 * been written (they start empty), so an upgrade restores old snapshots.
 */
export function workflowQueueStateFromSnapshot(snapshot: Partial<WorkflowQueueState>): WorkflowQueueState {
  return { ...initialWorkflowQueueState(), ...snapshot };
}

export function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
