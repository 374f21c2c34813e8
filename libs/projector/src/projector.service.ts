import type { BatonLogger } from '@baton/observability';
import { Topics, type TopicLayout } from '@baton/contracts';
import type { Batch, EventLog } from '@baton/eventlog';
import type { MetricsRegistry } from '@baton/observability';
import { DeadLetteringWorker, type Clock } from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { projectRecords, PROJECTED_TOPICS, type ProjectedRecords } from './project-batch';
import { ProjectorMetrics } from './projector.metrics';
import { WorkflowMetrics } from './workflow.metrics';

export interface ProjectorOptions {
  /** When given, the topics the projector reads and writes are created if missing (same layout as the engine's). */
  readonly topics?: TopicLayout;
  /** Default `baton-projector`. */
  readonly groupId?: string;
}

export const PROJECTOR_GROUP_ID = 'baton-projector';

/**
 * The run projector (BRIEF point 7): a member of the consumer group
 * `baton-projector` over `baton.run-events` and `baton.step-logs` that keeps
 * the read model (runs, steps, step_attempts, run_events, step_logs) in step
 * with the log.
 *
 * Per batch (one partition of one topic): decode; project everything
 * decodable in ONE SQL transaction; forward what is not decodable to the
 * dead-letter topic; then commit the consumer offset on the log.
 *
 * Idempotency is per run, in the database: an event is folded into the rows
 * only if its seq is above `runs.last_seq` (read `FOR UPDATE` in the same
 * transaction). So the offset can be committed on the log after the SQL
 * commit: a crash in between re-delivers the batch, whose events are then all
 * at or below `last_seq` and change nothing (dead letters may be repeated:
 * at-least-once). The log's committed offsets stay the one position (visible
 * to Kafka's lag tooling), and rebuilds and re-deliveries are harmless by the
 * same guard.
 *
 * @example
 *   const sut = new RunProjectorService(log, sql, systemClock, registry, batonLogger('Projector'));
 *   await sut.start();
 *   // ...
 *   await sut.stop(); // leaves the group after the batch in flight
 */
export class RunProjectorService {
  private readonly metrics: ProjectorMetrics;
  private readonly workflowMetrics: WorkflowMetrics;
  private readonly worker: DeadLetteringWorker<ProjectedRecords>;

  constructor(
    log: EventLog,
    private readonly sql: SqlClient,
    private readonly clock: Clock,
    registry: MetricsRegistry,
    private readonly logger: BatonLogger,
    options: ProjectorOptions = {},
  ) {
    this.metrics = new ProjectorMetrics(registry);
    this.workflowMetrics = new WorkflowMetrics(registry, sql, clock);
    this.worker = new DeadLetteringWorker(log, logger, {
      name: 'Projector',
      groupId: options.groupId ?? PROJECTOR_GROUP_ID,
      topics: PROJECTED_TOPICS,
      layout: options.topics,
      work: (batch) => projectRecords(this.sql, batch.records, this.clock.now()),
      done: (projected, batch, seconds) => this.record(projected, batch, seconds),
      failed: () => this.metrics.failedBatches.inc(),
    });
  }

  start(): Promise<void> {
    return this.worker.start();
  }

  /** Finishes the batch in flight, leaves the group, closes the producer. Safe to call twice. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  private record(
    { result, deadLetters, lastEventAt }: ProjectedRecords,
    batch: Batch,
    seconds: number,
  ): void {
    const { events } = this.metrics;
    this.metrics.batchSeconds.observe(seconds);
    if (result.applied > 0) events.inc({ outcome: 'applied' }, result.applied);
    if (result.duplicates > 0) events.inc({ outcome: 'duplicate' }, result.duplicates);
    if (result.withoutRun > 0) events.inc({ outcome: 'without_run' }, result.withoutRun);
    if (deadLetters.length > 0) {
      this.metrics.deadLetters.inc(deadLetters.length);
      if (batch.topic === Topics.runEvents) events.inc({ outcome: 'dead_letter' }, deadLetters.length);
    }
    if (result.logs > 0) this.metrics.stepLogs.inc(result.logs);
    this.workflowMetrics.record(result.facts);
    if (lastEventAt !== null) this.metrics.lagSeconds.set(Math.max(0, this.clock.now() - lastEventAt) / 1000);
    for (const gap of result.gaps) {
      this.logger
        .forRun(gap.runId)
        .warn('events are missing from the log', { seq: gap.seq, lastSeq: gap.lastSeq });
    }
  }
}
