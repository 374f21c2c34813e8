import type { BatonLogger } from '@baton/observability';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { EventLog } from '@baton/eventlog';
import type { MetricsRegistry } from '@baton/observability';
import { DeadLetteringWorker, type Clock } from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { WorkflowRegistry } from '@baton/readmodel';
import { registrySeedCommands } from './seed-registry';
import { projectWorkflowEventRecords, type ProjectedWorkflowEvents } from './project-workflow-events';
import { WorkflowQueueProjectorMetrics } from './workflow-queue-projector.metrics';

export interface WorkflowQueueProjectorOptions {
  /** When given, the topics read and the dead-letter topic are created if missing (the engine's layout). */
  readonly topics?: TopicLayout;
  /** Default `baton-workflow-queue-projector`. */
  readonly groupId?: string;
}

export const WORKFLOW_QUEUE_PROJECTOR_GROUP_ID = 'baton-workflow-queue-projector';

/**
 * Keeps `workflow_queue_status`, `workflow_queue_runs` and
 * `workflow_queue_drops` in step with `baton.workflow-events`: a
 * consumer-group member that, per batch, projects the events in one SQL
 * transaction, forwards undecodable records to the dead-letter topic, then
 * commits its offset. Idempotent per workflow by seq
 * (see `projectWorkflowEvents`), so a batch re-delivered after a crash
 * changes nothing.
 *
 * @example
 *   const sut = new WorkflowQueueProjectorService(log, sql, systemClock, registry, batonLogger('QueueProjector'));
 *   await sut.start();
 */
export class WorkflowQueueProjectorService {
  private readonly metrics: WorkflowQueueProjectorMetrics;
  private readonly worker: DeadLetteringWorker<ProjectedWorkflowEvents>;

  constructor(
    private readonly log: EventLog,
    private readonly sql: SqlClient,
    private readonly clock: Clock,
    registry: MetricsRegistry,
    private readonly logger: BatonLogger,
    private readonly options: WorkflowQueueProjectorOptions = {},
  ) {
    this.metrics = new WorkflowQueueProjectorMetrics(registry, sql);
    this.worker = new DeadLetteringWorker(log, logger, {
      name: 'WorkflowQueueProjector',
      groupId: options.groupId ?? WORKFLOW_QUEUE_PROJECTOR_GROUP_ID,
      topics: [Topics.workflowEvents],
      layout: options.topics,
      work: (batch) => projectWorkflowEventRecords(this.sql, batch.records, this.clock.now()),
      done: (projected, _batch, seconds) => this.record(projected, seconds),
      failed: () => this.metrics.failedBatches.inc(),
    });
  }

  async start(): Promise<void> {
    await this.worker.start();
    await this.seed();
  }

  /**
   * Publishes the registry rows an older release wrote directly as commands
   * (see `registrySeedCommands`); nothing once every workflow came from the
   * log. A failure is logged and tried again at the next start.
   */
  private async seed(): Promise<void> {
    try {
      const commands = await registrySeedCommands(new WorkflowRegistry(this.sql), this.clock.now());
      if (commands.length === 0) return;
      if (this.options.topics) {
        const layout = this.options.topics;
        await this.log.ensureTopics(
          coreTopics(layout).filter((topic) => topic.name === Topics.workflowCommands),
        );
      }
      const producer = await this.log.producer();
      try {
        await producer.send(
          commands.map((command) => ({
            topic: Topics.workflowCommands,
            key: command.workflowId,
            value: JSON.stringify(command),
          })),
        );
      } finally {
        await producer.close();
      }
      this.logger.info('seeded the registry on the log from the read model', { commands: commands.length });
    } catch (error) {
      this.logger.warn('cannot seed the registry from the read model', { error: (error as Error).message });
    }
  }

  /** Finishes the batch in flight, leaves the group, closes the producer. Safe to call twice. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  private record({ result, deadLetters }: ProjectedWorkflowEvents, seconds: number): void {
    const { events } = this.metrics;
    this.metrics.batchSeconds.observe(seconds);
    if (result.applied > 0) events.inc({ outcome: 'applied' }, result.applied);
    if (result.duplicates > 0) events.inc({ outcome: 'duplicate' }, result.duplicates);
    if (deadLetters.length > 0) events.inc({ outcome: 'dead_letter' }, deadLetters.length);
    for (const gap of result.gaps) {
      this.logger
        .child({ workflowId: gap.workflowId })
        .warn('events are missing from the log', { seq: gap.seq, lastSeq: gap.lastSeq });
    }
  }
}
