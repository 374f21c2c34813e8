import type { Batch } from '../event-log.port';
import type { FetchTurns } from './fetch-turns';
import type { PartitionLog, PartitionReader } from './partition-log';

export interface FetcherSettings {
  readonly maxBatchRecords: number;
  readonly retryBackoffMs: number;
  readonly maxRetryBackoffMs: number;
  readonly onWarning: (message: string, error?: unknown) => void;
  /** Shared by every fetcher of the log: when to let Node handle I/O. */
  readonly turns: FetchTurns;
}

/**
 * Delivers one partition to one member: one batch at a time, in offset order,
 * waking as soon as records are appended (no polling), and letting Node
 * handle I/O between batches when the log's fetchers have kept it busy for
 * a slice (`FetchTurns`). Its position is a tracked reader of the partition,
 * so retention never trims what it has not delivered yet. With a linger, a
 * batch smaller than the maximum waits until `lingerMs` after the previous one
 * was handed out (see `ConsumerOptions.lingerMs`). The position advances
 * past each handled batch; after a handler throws it goes back to the group's
 * committed offset (or the starting position if nothing was committed) after
 * a doubling back-off.
 */
export class PartitionFetcher {
  private stopped = false;
  private interrupt: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private deliveredAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly log: PartitionLog,
    /** Where to resume after a failure: the committed offset, else the first start position. */
    private readonly resumePosition: () => number,
    private readonly eachBatch: (batch: Batch) => Promise<void>,
    private readonly settings: FetcherSettings,
    private readonly lingerMs = 0,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** Stops delivering; resolves once the batch in flight, if any, is handled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.interrupt?.();
    await this.running;
  }

  private async run(): Promise<void> {
    const { log } = this;
    // `position`: the next offset to deliver; retention keeps it readable while the fetcher runs.
    const reader = { position: this.resumePosition() };
    log.track(reader);
    try {
      await this.deliver(reader);
    } finally {
      log.untrack(reader);
    }
  }

  private async deliver(reader: PartitionReader): Promise<void> {
    const { log, settings } = this;
    let failures = 0;
    while (!this.stopped) {
      const turn = settings.turns.turn();
      if (turn) {
        await this.until(turn);
        continue;
      }
      const records = log.read(reader.position, settings.maxBatchRecords);
      if (records.length === 0) {
        // Nothing at or after `position` (compaction may have emptied a gap): wait for the next append.
        reader.position = Math.max(reader.position, log.endOffset);
        await this.until(log.nextAppend());
        continue;
      }
      const lingering = this.deliveredAt + this.lingerMs - performance.now();
      if (lingering > 0 && records.length < settings.maxBatchRecords) {
        await this.until(new Promise<void>((resolve) => setTimeout(resolve, lingering).unref()));
        continue;
      }
      this.deliveredAt = performance.now();
      try {
        await this.eachBatch({ topic: log.topic, partition: log.partition, records });
        reader.position = records[records.length - 1].offset + 1;
        failures = 0;
      } catch (error) {
        failures += 1;
        const delay = Math.min(settings.maxRetryBackoffMs, settings.retryBackoffMs * 2 ** (failures - 1));
        settings.onWarning(
          `eachBatch failed on ${log.topic}/${log.partition} at offset ${records[0].offset}; re-delivering from the committed offset in ${delay} ms`,
          error,
        );
        await this.until(new Promise<void>((resolve) => setTimeout(resolve, delay).unref()));
        reader.position = this.resumePosition();
      }
    }
  }

  /** Waits for `event` or `stop()`, whichever comes first. */
  private until(event: Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      this.interrupt = resolve;
      void event.then(resolve);
    }).finally(() => (this.interrupt = undefined));
  }
}
