import {
  wasQueued,
  type WorkflowCommandRejected,
  type WorkflowEvent,
  type WorkflowRegistryEvent,
} from '@baton/domain/workflow-queue';
import { applyRegistryEvents, isRegistryRejection } from './workflow-registry-rows';
import type { SqlClient } from '@baton/sql';
import {
  deleteQueuedRuns,
  insertDroppedRequests,
  insertQueuedRuns,
  lockStatuses,
  upsertStatuses,
  type DroppedRequestRow,
  type QueuedRunKey,
  type QueuedRunRow,
  type QueueStatusRow,
} from './workflow-queue-rows';

/** What one batch did. */
export interface QueueProjectionResult {
  /** Events folded into the rows. */
  readonly applied: number;
  /** Events at or below their workflow's `last_seq` (a re-delivery): skipped. */
  readonly duplicates: number;
  /** Workflows whose next applied event did not follow `last_seq` (the log lost events). */
  readonly gaps: readonly { readonly workflowId: string; readonly lastSeq: number; readonly seq: number }[];
}

/**
 * The rows a batch changes, folded in memory: statuses by workflow, the
 * waiting runs added and removed, and the requests dropped. A run queued and
 * started within the same batch never reaches the table.
 */
export class QueueRowChanges {
  readonly statuses = new Map<string, QueueStatusRow>();
  private readonly inserted = new Map<string, QueuedRunRow>();
  private readonly deleted = new Map<string, QueuedRunKey>();
  private readonly drops: DroppedRequestRow[] = [];
  /** Registry events and registry commands' rejections, in order: written one by one after the queue rows. */
  readonly registry: (WorkflowRegistryEvent | WorkflowCommandRejected)[] = [];

  constructor(private readonly existing: ReadonlyMap<string, QueueStatusRow>) {}

  status(workflowId: string): QueueStatusRow {
    return this.statuses.get(workflowId) ?? this.existing.get(workflowId) ?? idle(workflowId);
  }

  patch(workflowId: string, patch: Partial<QueueStatusRow>): void {
    this.statuses.set(workflowId, { ...this.status(workflowId), ...patch });
  }

  enqueue(row: QueuedRunRow): void {
    const key = keyOf(row);
    this.deleted.delete(key);
    this.inserted.set(key, row);
  }

  dequeue(workflowId: string, runId: string): void {
    const key = keyOf({ workflowId, runId });
    if (!this.inserted.delete(key)) this.deleted.set(key, { workflowId, runId });
  }

  drop(row: DroppedRequestRow): void {
    this.drops.push(row);
  }

  get insertedRuns(): QueuedRunRow[] {
    return [...this.inserted.values()];
  }

  get deletedRuns(): QueuedRunKey[] {
    return [...this.deleted.values()];
  }

  get droppedRequests(): readonly DroppedRequestRow[] {
    return this.drops;
  }
}

function idle(workflowId: string): QueueStatusRow {
  return {
    workflowId,
    runStrategy: null,
    paused: false,
    blockedBy: null,
    running: [],
    breakpoints: [],
    lastSeq: 0,
    updatedAt: 0,
  };
}

const keyOf = (key: QueuedRunKey) => `${key.workflowId}\u0000${key.runId}`;

/**
 * Folds one event into the rows (the read model's evolve). Every event moves
 * the workflow's `last_seq` and `updated_at`; times come from the events,
 * never a clock, so a rebuild writes the same rows.
 */
export function applyWorkflowEvent(changes: QueueRowChanges, event: WorkflowEvent): void {
  const { workflowId } = event;
  const status = changes.status(workflowId);
  changes.patch(workflowId, { lastSeq: event.seq, updatedAt: event.at });
  switch (event.type) {
    case 'WorkflowRunStrategyChanged':
      return changes.patch(workflowId, { runStrategy: event.strategy });
    case 'RunQueued':
      return changes.enqueue({
        workflowId,
        runId: event.runId,
        requestId: event.requestId,
        position: event.seq,
        version: event.start.definition.version,
        queuedAt: event.at,
        params: event.start.params,
      });
    case 'RunAdmitted':
      if (event.fromQueue) changes.dequeue(workflowId, event.runId);
      return changes.patch(workflowId, { running: [...status.running, event.runId] });
    case 'RunRequestDropped':
      // A duplicate is a repeated delivery of a run already decided: that decision stands, nothing is dropped.
      if (event.reason === 'duplicate') return;
      if (wasQueued(event.reason)) changes.dequeue(workflowId, event.runId);
      changes.drop({
        workflowId,
        seq: event.seq,
        runId: event.runId,
        requestId: event.requestId,
        reason: event.reason,
        droppedAt: event.at,
      });
      return;
    case 'RunFinished':
      return changes.patch(workflowId, { running: status.running.filter((runId) => runId !== event.runId) });
    case 'WorkflowPaused':
      return changes.patch(workflowId, { paused: true });
    case 'WorkflowResumed':
      return changes.patch(workflowId, { paused: false });
    case 'WorkflowBlocked':
      return changes.patch(workflowId, { blockedBy: event.runId });
    case 'WorkflowUnblocked':
      return changes.patch(workflowId, { blockedBy: null });
    case 'WorkflowBreakpointsSet':
      return changes.patch(workflowId, { breakpoints: event.stepIds });
    case 'WorkflowCommandRejected':
      if (isRegistryRejection(event)) changes.registry.push(event);
      return;
    case 'WorkflowVersionPushed':
    case 'WorkflowPushUnchanged':
    case 'WorkflowVersionActivated':
    case 'WorkflowDeactivated':
      changes.registry.push(event);
      return;
    case 'RunStopRequested':
      // The stopped run stays running (with its slot) until it has ended: RunFinished.
      return;
    default:
      return assertNever(event);
  }
}

/**
 * Projects a batch of workflow events inside the caller's transaction `tx`.
 * Idempotent and order-safe per workflow: the status rows are locked first,
 * and only events with `seq > last_seq` are folded, so a batch delivered
 * twice, or an older batch delivered again after a newer one, changes nothing.
 */
export async function projectWorkflowEvents(
  tx: SqlClient,
  events: readonly WorkflowEvent[],
): Promise<QueueProjectionResult> {
  if (events.length === 0) return { applied: 0, duplicates: 0, gaps: [] };
  const existing = await lockStatuses(tx, [...new Set(events.map((e) => e.workflowId))]);
  const changes = new QueueRowChanges(existing);
  let applied = 0;
  let duplicates = 0;
  const gaps: { workflowId: string; lastSeq: number; seq: number }[] = [];
  for (const event of events) {
    const lastSeq = changes.status(event.workflowId).lastSeq;
    if (event.seq <= lastSeq) {
      duplicates++;
      continue;
    }
    if (event.seq !== lastSeq + 1) gaps.push({ workflowId: event.workflowId, lastSeq, seq: event.seq });
    applyWorkflowEvent(changes, event);
    applied++;
  }
  await upsertStatuses(tx, [...changes.statuses.values()]);
  await deleteQueuedRuns(tx, changes.deletedRuns);
  await insertQueuedRuns(tx, changes.insertedRuns);
  await insertDroppedRequests(tx, changes.droppedRequests);
  await applyRegistryEvents(tx, changes.registry);
  return { applied, duplicates, gaps };
}

function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
