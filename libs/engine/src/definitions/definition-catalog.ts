import type { BatonLogger } from '@baton/observability';
import type { WorkflowDefinition } from '@baton/domain';
import {
  Topics,
  type TopicLayout,
  type WorkflowCatalogRecord,
  type WorkflowHeadRecord,
} from '@baton/contracts';
import type { EventLog, LogRecord } from '@baton/eventlog';
import type { WorkflowTriggers } from '../triggers/trigger-catalog';

/** Which version of a workflow a request names. */
export type VersionSelector = number | 'active' | 'latest';

/** A pushed version as the catalog holds it. */
export interface CatalogVersion {
  readonly workflowId: string;
  readonly version: number;
  readonly definition: WorkflowDefinition;
}

export interface DefinitionCatalogOptions {
  readonly topics: TopicLayout;
}

/**
 * Every pushed definition and each workflow's active version, in memory,
 * fed by reading all of the compacted `baton.workflow-definitions` (every
 * engine reads every partition itself: no consumer group, no share). The
 * workflow's single writer puts each push and (de)activation there in the
 * transaction of its registry event, so the engine needs no database for them.
 *
 * Read-your-writes: `catchUp()` reads each partition up to the end it has
 * when the call begins, so whoever calls it after a push was answered sees
 * that push. Admission calls it once per batch of run requests; the trigger
 * catalog on each refresh. A partition whose end did not move costs one
 * offsets request and no read.
 *
 * @example
 *   const catalog = new DefinitionCatalog(log, logger, { topics: layout });
 *   await catalog.catchUp();
 *   const version = await catalog.getVersion('nightly-etl', 'active');
 */
export class DefinitionCatalog {
  private readonly versions = new Map<string, Map<number, CatalogVersion>>();
  private readonly heads = new Map<string, WorkflowHeadRecord>();
  /** Next offset to read, per partition; empty until the topic is known. */
  private positions: number[] = [];
  /** Catch-ups run one at a time, each reading to the end its own call saw. */
  private previous: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: EventLog,
    private readonly logger: BatonLogger,
    private readonly options: DefinitionCatalogOptions,
  ) {}

  /** Resolves once the catalog holds everything committed to the topic before the call; rejects when the log cannot be read. */
  catchUp(): Promise<void> {
    const next = this.previous.then(() => this.readToEnd());
    this.previous = next.catch(() => undefined);
    return next;
  }

  /** As of the last `catchUp`. */
  async getVersion(workflowId: string, selector: VersionSelector): Promise<CatalogVersion | null> {
    const head = this.heads.get(workflowId);
    if (head === undefined) return null;
    const number =
      selector === 'active' ? head.activeVersion : selector === 'latest' ? head.latestVersion : selector;
    if (number === null) return null;
    return this.versions.get(workflowId)?.get(number) ?? null;
  }

  /** The triggers of every active version that has any, by workflow id (after a catch-up): what `TriggerCatalog` polls. */
  async activeTriggers(): Promise<WorkflowTriggers[]> {
    await this.catchUp();
    const out: WorkflowTriggers[] = [];
    for (const head of [...this.heads.values()].sort((a, b) => a.workflowId.localeCompare(b.workflowId))) {
      if (head.activeVersion === null) continue;
      const version = this.versions.get(head.workflowId)?.get(head.activeVersion);
      const triggers = version?.definition.triggers;
      if (!triggers || (triggers.cron.length === 0 && triggers.signals.length === 0)) continue;
      out.push({
        workflowId: head.workflowId,
        version: head.activeVersion,
        triggers: { cron: triggers.cron ?? [], signals: triggers.signals ?? [] },
        updatedAt: head.updatedAt,
      });
    }
    return out;
  }

  private async readToEnd(): Promise<void> {
    if (this.positions.length === 0) {
      const topic = { name: Topics.workflowDefinitions, partitions: this.options.topics.requestPartitions };
      await this.log.ensureTopics([{ ...topic, compacted: true }]);
      const partitions = await this.log.partitionCount(Topics.workflowDefinitions);
      this.positions = Array.from({ length: partitions }, () => 0);
    }
    for (let partition = 0; partition < this.positions.length; partition++) {
      const { end } = await this.log.partitionOffsets(Topics.workflowDefinitions, partition);
      let position = this.positions[partition]!;
      if (end <= position) continue;
      for await (const record of this.log.readPartition(Topics.workflowDefinitions, partition, position)) {
        this.apply(record);
        position = record.offset + 1;
      }
      // The read went at least to `end` (its own end is taken when it begins); past it are only
      // control markers and records of transactions that did not commit.
      this.positions[partition] = Math.max(position, end);
    }
  }

  private apply(record: LogRecord): void {
    if (record.value === null) return;
    let value: WorkflowCatalogRecord;
    try {
      value = JSON.parse(record.value) as WorkflowCatalogRecord;
    } catch (error) {
      this.logger.warn('skipping an unreadable definition record', {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        error: (error as Error).message,
      });
      return;
    }
    if (value.kind === 'head') {
      // A workflow's heads share a key, hence a partition: the last one read is the latest.
      this.heads.set(value.workflowId, value);
      return;
    }
    if (value.kind === 'version') {
      const versions = this.versions.get(value.workflowId) ?? new Map<number, CatalogVersion>();
      versions.set(value.version, {
        workflowId: value.workflowId,
        version: value.version,
        definition: value.definition,
      });
      this.versions.set(value.workflowId, versions);
    }
  }
}
