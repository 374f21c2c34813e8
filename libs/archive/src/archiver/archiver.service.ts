import type { LoggerService } from '@nestjs/common';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { Batch, Consumer, EventLog, Producer } from '@baton/eventlog';
import type { MetricsRegistry } from '@baton/observability';
import type { Clock } from '@baton/platform';
import type { EventArchive } from '../event-archive.port';
import { archiveRecords, type ArchivedRecords } from './archive-records';
import { ArchiverMetrics } from './archiver.metrics';

export interface ArchiverOptions {
  /** When given, the topics the archiver reads and writes are created if missing (the engine's layout). */
  readonly topics?: TopicLayout;
  /** Default `baton-archiver`. */
  readonly groupId?: string;
}

export const ARCHIVER_GROUP_ID = 'baton-archiver';

/**
 * The archiver (BRIEF point 8): a member of the consumer group
 * `baton-archiver` over `baton.run-events` that appends every event to its
 * run's stream in the event archive, so a run's history outlives Kafka's
 * retention.
 *
 * Per batch (one partition): decode; append every run's events in as few
 * archive calls as possible (`archiveRecords`); send what could not be
 * archived to the dead-letter topic; then commit the log offset. A crash
 * between the append and the commit re-delivers the batch, whose events the
 * archive then finds already there (appends are idempotent by `(runId, seq)`):
 * at-least-once delivery, exactly-once archive.
 *
 * Only run events are archived: workflow definitions and pushes live in the
 * registry table, not on a topic, so there are no workflow events yet.
 *
 * @example
 *   const sut = new ArchiverService(log, archive, systemClock, registry, new Logger('Archiver'));
 *   await sut.start();
 *   // ...
 *   await sut.stop(); // leaves the group after the batch in flight
 */
export class ArchiverService {
  private readonly metrics: ArchiverMetrics;
  private readonly groupId: string;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private stopping = false;

  constructor(
    private readonly log: EventLog,
    private readonly archive: EventArchive,
    private readonly clock: Clock,
    registry: MetricsRegistry,
    private readonly logger: LoggerService,
    private readonly options: ArchiverOptions = {},
  ) {
    this.metrics = new ArchiverMetrics(registry);
    this.groupId = options.groupId ?? ARCHIVER_GROUP_ID;
  }

  async start(): Promise<void> {
    if (this.consumer) throw new Error('the archiver was already started');
    if (this.options.topics) {
      const wanted = new Set<string>([Topics.runEvents, Topics.deadLetters]);
      await this.log.ensureTopics(coreTopics(this.options.topics).filter((t) => wanted.has(t.name)));
    }
    this.stopping = false;
    this.producer = await this.log.producer();
    this.consumer = this.log.consumer({
      groupId: this.groupId,
      topics: [Topics.runEvents],
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
    if (!consumer || !producer) throw new Error('batch delivered to a stopped archiver');
    const endTimer = this.metrics.batchSeconds.startTimer();
    let archived: ArchivedRecords;
    try {
      archived = await archiveRecords(this.archive, batch.records, this.clock.now());
      if (archived.deadLetters.length > 0) await producer.send(archived.deadLetters);
    } catch (error) {
      this.metrics.failedBatches.inc();
      this.logger.error(
        `archiving ${batch.topic}[${batch.partition}] from offset ${batch.records[0].offset} failed; it will be re-delivered: ${String(error)}`,
        (error as Error).stack,
        'Archiver',
      );
      throw error;
    }
    const next = batch.records[batch.records.length - 1].offset + 1;
    try {
      await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: next }]);
    } catch (error) {
      // Harmless (the batch comes back and is a no-op in the archive), and expected while stopping.
      if (!this.stopping) throw error;
      this.logger.warn(`offset commit while stopping failed: ${String(error)}`, 'Archiver');
    }
    endTimer();
    const { events } = this.metrics;
    if (archived.appended > 0) events.inc({ outcome: 'appended' }, archived.appended);
    if (archived.duplicates > 0) events.inc({ outcome: 'duplicate' }, archived.duplicates);
    if (archived.deadLetters.length > 0) {
      events.inc({ outcome: 'dead_letter' }, archived.deadLetters.length);
      this.logger.warn(
        `${archived.deadLetters.length} record(s) of ${batch.topic}[${batch.partition}] sent to ${Topics.deadLetters}`,
        'Archiver',
      );
    }
  }
}
