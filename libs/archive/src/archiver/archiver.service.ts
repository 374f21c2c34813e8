import type { BatonLogger } from '@baton/observability';
import { Topics, type TopicLayout } from '@baton/contracts';
import type { EventLog } from '@baton/eventlog';
import type { MetricsRegistry } from '@baton/observability';
import { DeadLetteringWorker, type Clock } from '@baton/platform';
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
 *   const sut = new ArchiverService(log, archive, systemClock, registry, batonLogger('Archiver'));
 *   await sut.start();
 *   // ...
 *   await sut.stop(); // leaves the group after the batch in flight
 */
export class ArchiverService {
  private readonly metrics: ArchiverMetrics;
  private readonly worker: DeadLetteringWorker<ArchivedRecords>;

  constructor(
    log: EventLog,
    private readonly archive: EventArchive,
    private readonly clock: Clock,
    registry: MetricsRegistry,
    logger: BatonLogger,
    options: ArchiverOptions = {},
  ) {
    this.metrics = new ArchiverMetrics(registry);
    this.worker = new DeadLetteringWorker(log, logger, {
      name: 'Archiver',
      groupId: options.groupId ?? ARCHIVER_GROUP_ID,
      topics: [Topics.runEvents],
      layout: options.topics,
      work: (batch) => archiveRecords(this.archive, batch.records, this.clock.now()),
      done: (archived, _batch, seconds) => this.record(archived, seconds),
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

  private record(archived: ArchivedRecords, seconds: number): void {
    const { events } = this.metrics;
    this.metrics.batchSeconds.observe(seconds);
    if (archived.appended > 0) events.inc({ outcome: 'appended' }, archived.appended);
    if (archived.duplicates > 0) events.inc({ outcome: 'duplicate' }, archived.duplicates);
    if (archived.deadLetters.length > 0) events.inc({ outcome: 'dead_letter' }, archived.deadLetters.length);
  }
}
