import type { RunStrategy } from '@baton/domain/workflow/workflow-definition';
import type { WorkflowQueue as WorkflowQueueView } from '@baton/api/responses';
import type { Style } from './style';
import { renderFields, renderTable } from './table';
import { formatAge } from './time';

/** `baton workflow queue`: whether new runs start, what runs, and what waits, first to start first. */
export function renderWorkflowQueue(queue: WorkflowQueueView, style: Style, now: number): string {
  const fields: [string, string][] = [
    ['workflow', queue.workflowId],
    ['strategy', queue.runStrategy === null ? '-' : describeStrategy(queue.runStrategy)],
    ['state', queueState(queue, style)],
    ['breakpoints', queue.breakpoints.length === 0 ? '-' : queue.breakpoints.join(', ')],
    ['running', queue.running.length === 0 ? '-' : queue.running.join(', ')],
  ];
  return `${renderFields(fields)}\n${renderQueued(queue, now)}${renderDropped(queue, now)}`;
}

function renderQueued(queue: WorkflowQueueView, now: number): string {
  if (queue.queued.length === 0) return 'no queued runs\n';
  const table = renderTable(
    ['#', 'RUN', 'REQUEST', 'VERSION', 'QUEUED'],
    queue.queued.map((run, index) => [
      String(index + 1),
      run.runId,
      run.requestId,
      String(run.version),
      formatAge(run.queuedAt, now),
    ]),
  );
  const more = queue.queuedCount - queue.queued.length;
  return `${table}${more > 0 ? `… and ${more} more queued\n` : ''}`;
}

/** The requests the run strategy dropped lately: their run ids were answered, and will never start. */
function renderDropped(queue: WorkflowQueueView, now: number): string {
  if (queue.recentlyDropped.length === 0) return '';
  const table = renderTable(
    ['RUN', 'REQUEST', 'REASON', 'DROPPED'],
    queue.recentlyDropped.map((drop) => [
      drop.runId,
      drop.requestId,
      drop.reason,
      formatAge(drop.droppedAt, now),
    ]),
  );
  return `\nrecently dropped by the run strategy (never started), newest first:\n${table}`;
}

function queueState(queue: WorkflowQueueView, style: Style): string {
  if (queue.paused) return style.bold('paused (new runs queue: baton workflow resume)');
  if (queue.blockedBy !== null) {
    return style.red(
      `blocked by failed run ${queue.blockedBy} (baton workflow unblock, or restart that run)`,
    );
  }
  return 'active';
}

function describeStrategy(strategy: RunStrategy): string {
  if (strategy.kind === 'parallel' && strategy.maxConcurrent !== undefined) {
    return `parallel (at most ${strategy.maxConcurrent} at once)`;
  }
  return strategy.kind;
}
