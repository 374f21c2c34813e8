import type { BatonLogger } from '@baton/observability';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { Batch, Consumer, EventLog, OutgoingRecord, Producer } from '@baton/eventlog';

/**
 * The readers' linger (`ConsumerOptions.lingerMs`): under load they take
 * batches at most this often, so a read model or archive row lags by up to
 * this much more, and in one process their SQL runs once per bigger batch.
 * Measured with the embedded fan-out benchmark (docs/benchmarks.md).
 */
const READER_LINGER_MS = 250;

export interface WorkerResult {
  /** Records the work refused, already wrapped as dead letters. */
  readonly deadLetters: readonly OutgoingRecord[];
}

export interface DeadLetteringWorkerOptions<R extends WorkerResult> {
  /** Log context, e.g. 'Projector'. */
  readonly name: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** When given, the topics read and the dead-letter topic are created if missing (the engine's layout). */
  readonly layout?: TopicLayout;
  /** Handles one batch; must be idempotent, since a batch comes back after a crash before the commit. */
  readonly work: (batch: Batch) => Promise<R>;
  /** After the commit: metrics and logs of what the batch did. */
  readonly done: (result: R, batch: Batch, seconds: number) => void;
  /** A batch failed and will be re-delivered from the committed offset. */
  readonly failed: (batch: Batch, error: unknown) => void;
}

/**
 * A consumer-group member for the log's readers that are not the engine
 * (projector, archiver): per batch, `work`, then the refused records to the
 * dead-letter topic, then the offset commit. At-least-once: a crash between
 * the work and the commit re-delivers the batch, which idempotent work makes
 * harmless. A failing batch is re-delivered after the log's back-off, so a
 * bad record never stops the partition for good (it becomes a dead letter).
 */
export class DeadLetteringWorker<R extends WorkerResult> {
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private stopping = false;

  constructor(
    private readonly log: EventLog,
    private readonly logger: BatonLogger,
    private readonly options: DeadLetteringWorkerOptions<R>,
  ) {}

  async start(): Promise<void> {
    if (this.consumer) throw new Error(`the ${this.options.name} was already started`);
    if (this.options.layout) {
      const wanted = new Set<string>([...this.options.topics, Topics.deadLetters]);
      await this.log.ensureTopics(coreTopics(this.options.layout).filter((t) => wanted.has(t.name)));
    }
    this.stopping = false;
    this.producer = await this.log.producer();
    this.consumer = this.log.consumer({
      groupId: this.options.groupId,
      topics: this.options.topics,
      eachBatch: (batch) => this.handle(batch),
      lingerMs: READER_LINGER_MS,
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
    if (!consumer || !producer) throw new Error(`batch delivered to a stopped ${this.options.name}`);
    const started = process.hrtime.bigint();
    let result: R;
    try {
      result = await this.options.work(batch);
      if (result.deadLetters.length > 0) await producer.send(result.deadLetters);
    } catch (error) {
      this.options.failed(batch, error);
      this.logger.error('batch failed; it will be re-delivered', {
        worker: this.options.name,
        topic: batch.topic,
        partition: batch.partition,
        fromOffset: batch.records[0].offset,
        err: error,
      });
      throw error;
    }
    const next = batch.records[batch.records.length - 1].offset + 1;
    try {
      await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: next }]);
    } catch (error) {
      // Harmless (the batch comes back and idempotent work skips it), and expected while stopping.
      if (!this.stopping) throw error;
      this.logger.warn('offset commit while stopping failed', {
        worker: this.options.name,
        error: String(error),
      });
    }
    if (result.deadLetters.length > 0) {
      this.logger.warn('records sent to the dead-letter topic', {
        worker: this.options.name,
        topic: batch.topic,
        partition: batch.partition,
        count: result.deadLetters.length,
        deadLetters: Topics.deadLetters,
      });
    }
    this.options.done(result, batch, Number(process.hrtime.bigint() - started) / 1e9);
  }
}
