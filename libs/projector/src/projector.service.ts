import type { LoggerService } from '@nestjs/common';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { Batch, Consumer, EventLog, Producer } from '@baton/eventlog';
import type { MetricsRegistry } from '@baton/observability';
import type { Clock } from '@baton/platform';
import type { SqlClient } from '@baton/readmodel';
import { projectRecords, PROJECTED_TOPICS, type BatchResult, type ProjectedRecords } from './project-batch';
import { ProjectorMetrics } from './projector.metrics';

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
 *   const sut = new RunProjectorService(log, sql, systemClock, registry, new Logger('Projector'));
 *   await sut.start();
 *   // ...
 *   await sut.stop(); // leaves the group after the batch in flight
 */
export class RunProjectorService {
  private readonly metrics: ProjectorMetrics;
  private readonly groupId: string;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private stopping = false;

  constructor(
    private readonly log: EventLog,
    private readonly sql: SqlClient,
    private readonly clock: Clock,
    registry: MetricsRegistry,
    private readonly logger: LoggerService,
    private readonly options: ProjectorOptions = {},
  ) {
    this.metrics = new ProjectorMetrics(registry);
    this.groupId = options.groupId ?? PROJECTOR_GROUP_ID;
  }

  async start(): Promise<void> {
    if (this.consumer) throw new Error('the projector was already started');
    if (this.options.topics) {
      const wanted = new Set<string>([...PROJECTED_TOPICS, Topics.deadLetters]);
      await this.log.ensureTopics(coreTopics(this.options.topics).filter((t) => wanted.has(t.name)));
    }
    this.stopping = false;
    this.producer = await this.log.producer();
    this.consumer = this.log.consumer({
      groupId: this.groupId,
      topics: PROJECTED_TOPICS,
      eachBatch: (batch) => this.handle(batch),
    });
    await this.consumer.start();
  }

  /** Finishes the batch in flight, leaves the group, closes the producer. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.stop();
    await this.producer?.close();
    this.consumer = null;
    this.producer = null;
  }

  private async handle(batch: Batch): Promise<void> {
    const consumer = this.consumer;
    const producer = this.producer;
    if (!consumer || !producer) throw new Error('batch delivered to a stopped projector');
    const endTimer = this.metrics.batchSeconds.startTimer();
    let projected: ProjectedRecords;
    try {
      projected = await projectRecords(this.sql, batch.records, this.clock.now());
      if (projected.deadLetters.length > 0) await producer.send(projected.deadLetters);
    } catch (error) {
      this.metrics.failedBatches.inc();
      this.logger.error(
        `projecting ${batch.topic}[${batch.partition}] from offset ${batch.records[0].offset} failed; it will be re-delivered: ${String(error)}`,
        (error as Error).stack,
        'Projector',
      );
      throw error;
    }
    const next = batch.records[batch.records.length - 1].offset + 1;
    try {
      await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: next }]);
    } catch (error) {
      // Harmless (the batch comes back and the seq guard skips it), and expected while stopping.
      if (!this.stopping) throw error;
      this.logger.warn(`offset commit while stopping failed: ${String(error)}`, 'Projector');
    }
    endTimer();
    this.record(projected.result, projected.deadLetters.length, projected.lastEventAt, batch);
  }

  private record(result: BatchResult, deadLetters: number, lastEventAt: number | null, batch: Batch): void {
    const { events } = this.metrics;
    if (result.applied > 0) events.inc({ outcome: 'applied' }, result.applied);
    if (result.duplicates > 0) events.inc({ outcome: 'duplicate' }, result.duplicates);
    if (result.withoutRun > 0) events.inc({ outcome: 'without_run' }, result.withoutRun);
    if (deadLetters > 0) {
      this.metrics.deadLetters.inc(deadLetters);
      if (batch.topic === Topics.runEvents) events.inc({ outcome: 'dead_letter' }, deadLetters);
      this.logger.warn(
        `${deadLetters} record(s) of ${batch.topic}[${batch.partition}] sent to ${Topics.deadLetters}`,
        'Projector',
      );
    }
    if (result.logs > 0) this.metrics.stepLogs.inc(result.logs);
    if (lastEventAt !== null) this.metrics.lagSeconds.set(Math.max(0, this.clock.now() - lastEventAt) / 1000);
    for (const gap of result.gaps) {
      this.logger.warn(
        `run ${gap.runId}: event seq ${gap.seq} follows last_seq ${gap.lastSeq}; events are missing from the log`,
        'Projector',
      );
    }
  }
}
