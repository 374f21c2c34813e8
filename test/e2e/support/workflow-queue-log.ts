import { Topics } from '@baton/contracts';
import type { WorkflowEvent } from '@baton/domain/workflow-queue';
import { KafkaEventLog, partitionForKey } from '@baton/eventlog';
import { sleep } from './processes';

/**
 * The workflow queue's decisions as its single writer recorded them on
 * `baton.workflow-events`. A dropped request (first_only, last_only) leaves
 * no run and no queue entry behind, so this log is the only place that says
 * why it never started; the suites read it next to the API's views.
 *
 * @example
 *   const log = await WorkflowQueueLog.connect(cluster.brokers);
 *   const events = await log.waitFor(workflowId, (e) => e.some(isDropOf(runId)), 30_000);
 *   await log.close();
 */
/** The registry's events share the workflow's stream; the scenarios here are about the queue's decisions. */
const REGISTRY_EVENTS: ReadonlySet<string> = new Set([
  'WorkflowVersionPushed',
  'WorkflowPushUnchanged',
  'WorkflowVersionActivated',
  'WorkflowDeactivated',
]);

export class WorkflowQueueLog {
  private constructor(private readonly log: KafkaEventLog) {}

  static async connect(brokers: readonly string[]): Promise<WorkflowQueueLog> {
    return new WorkflowQueueLog(await KafkaEventLog.connect({ brokers: [...brokers], logLevel: 'error' }));
  }

  /** Every queue event of `workflowId` committed so far, in seq order (one partition holds them all); no registry events. */
  async events(workflowId: string): Promise<WorkflowEvent[]> {
    const partitions = await this.log.partitionCount(Topics.workflowEvents);
    const partition = partitionForKey(workflowId, partitions);
    const events: WorkflowEvent[] = [];
    for await (const record of this.log.readPartition(Topics.workflowEvents, partition)) {
      if (record.key !== workflowId || record.value === null) continue;
      const event = JSON.parse(record.value) as WorkflowEvent;
      if (!REGISTRY_EVENTS.has(event.type)) events.push(event);
    }
    return events;
  }

  /**
   * Reads `workflowId`'s events until `done` holds for them; the timeout
   * error lists the last ones read, run ids replaced by `names`.
   */
  async waitFor(
    workflowId: string,
    done: (events: readonly WorkflowEvent[]) => boolean,
    timeoutMs: number,
    names: ReadonlyMap<string, string> = new Map(),
  ): Promise<WorkflowEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = await this.events(workflowId);
      if (done(events)) return events;
      if (Date.now() > deadline) {
        throw new Error(
          `${workflowId}: the queue's events did not get there in ${timeoutMs} ms; last read: ` +
            events.map((e) => describeWorkflowEvent(e, names)).join(', '),
        );
      }
      await sleep(200);
    }
  }

  async close(): Promise<void> {
    await this.log.close();
  }
}

/**
 * One event as a short line ("RunRequestDropped r2 first_only_busy"), run ids
 * replaced by the scenario's names for them, so a scenario can state the
 * exact sequence of decisions it expects.
 */
export function describeWorkflowEvent(event: WorkflowEvent, names: ReadonlyMap<string, string>): string {
  const parts: string[] = [event.type];
  if ('runId' in event) parts.push(names.get(event.runId) ?? event.runId);
  if (event.type === 'RunAdmitted' && event.fromQueue) parts.push('from queue');
  if ('reason' in event) parts.push(event.reason);
  if ('outcome' in event) parts.push(event.outcome);
  if (event.type === 'WorkflowCommandRejected') parts.push(event.commandType, event.code);
  return parts.join(' ');
}
