import type { BatonLogger } from '@baton/observability';
import { workflowQueueStateFromSnapshot, type WorkflowQueueState } from '@baton/domain/workflow-queue';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { EventLog } from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import { KeyedStateProcessor, type WriterHealthSource } from '../writer/keyed-state-processor';
import { processWorkflowCommands, type WorkflowQueueBatch } from './process-workflow-commands';
import type { WorkflowQueueMetrics } from './workflow-queue.metrics';

export interface WorkflowQueueOptions {
  readonly topics: TopicLayout;
  /** Consumer group of baton.workflow-commands; one per Baton installation. */
  readonly groupId?: string;
}

export const WORKFLOW_QUEUE_GROUP_ID = 'baton-workflow-queue';

/**
 * The workflow queue (BRIEF point 6): the single writer of each workflow's
 * run strategy state. A member of one consumer group over
 * `baton.workflow-commands` (keyed by workflow id); for each partition it
 * owns it restores the queues from the compacted `baton.workflow-state`, and
 * writes each batch's workflow events, the StartRun of every run it lets
 * start, the queues' snapshots and the input offset in one transaction (see
 * `KeyedStateProcessor`). A run it starts reaches the engine only through
 * that transaction, so a crash can neither lose nor repeat a start.
 *
 * @example
 *   const sut = new WorkflowQueueService(log, systemClock, metrics, logger, { topics: layout });
 *   await sut.start();
 *   // ...
 *   await sut.stop();
 */
export class WorkflowQueueService {
  private readonly processor: KeyedStateProcessor<WorkflowQueueState, WorkflowQueueBatch>;
  /** Waiting runs per owned workflow, behind the gauge. */
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly log: EventLog,
    clock: Clock,
    private readonly metrics: WorkflowQueueMetrics,
    logger: BatonLogger,
    private readonly options: WorkflowQueueOptions,
  ) {
    this.processor = new KeyedStateProcessor(log, clock, logger, {
      name: 'WorkflowQueue',
      keysAre: 'workflows',
      groupId: options.groupId ?? WORKFLOW_QUEUE_GROUP_ID,
      inputTopic: Topics.workflowCommands,
      stateTopic: Topics.workflowState,
      // Snapshots are written by this service only, from states evolve made
      // (by an older release, maybe: fields added since start empty).
      decodeState: (json) => workflowQueueStateFromSnapshot(JSON.parse(json) as Partial<WorkflowQueueState>),
      process: processWorkflowCommands,
      onAdopted: (workflowId, state) => this.track(workflowId, state.queue.length),
      onCommitted: (batch) => this.record(batch),
      onReleased: (workflowIds) => {
        for (const workflowId of workflowIds) this.track(workflowId, 0);
      },
    });
  }

  /** The single writer's partitions, for readiness and metrics (`WriterHealth`). */
  get writer(): WriterHealthSource {
    return this.processor;
  }

  async start(): Promise<void> {
    await this.log.ensureTopics(coreTopics(this.options.topics));
    await this.processor.start();
  }

  stop(): Promise<void> {
    return this.processor.stop();
  }

  private track(workflowId: string, waiting: number): void {
    const before = this.waiting.get(workflowId) ?? 0;
    if (waiting === 0) this.waiting.delete(workflowId);
    else this.waiting.set(workflowId, waiting);
    this.metrics.waitingRuns.inc(waiting - before);
  }

  private record({ counts }: WorkflowQueueBatch): void {
    const { commands, runs } = this.metrics;
    // A rejected command has exactly one event, and a dead letter none.
    commands.inc({ outcome: 'accepted' }, counts.commands - counts.rejected - counts.deadLetters);
    if (counts.rejected > 0) commands.inc({ outcome: 'rejected' }, counts.rejected);
    if (counts.deadLetters > 0) commands.inc({ outcome: 'dead_letter' }, counts.deadLetters);
    if (counts.admitted > 0) runs.inc({ decision: 'admitted' }, counts.admitted);
    if (counts.queued > 0) runs.inc({ decision: 'queued' }, counts.queued);
    if (counts.dropped > 0) runs.inc({ decision: 'dropped' }, counts.dropped);
    if (counts.stopped > 0) runs.inc({ decision: 'stopped' }, counts.stopped);
  }
}
