import type { LoggerService } from '@nestjs/common';
import type { StartRun } from '@baton/domain';
import {
  decodeMessage,
  deadLetterRecord,
  runIdFor,
  RunRequestDto,
  Topics,
  type RunRequest,
} from '@baton/contracts';
import type { Batch, Consumer, EventLog, OutgoingRecord, Producer } from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import type { WorkflowVersion, VersionSelector } from '@baton/readmodel';
import type { EngineMetrics } from './engine.metrics';

/** Where admission finds the version a request names (the workflow registry). */
export interface DefinitionSource {
  getVersion(workflowId: string, selector: VersionSelector): Promise<WorkflowVersion | null>;
}

/**
 * Admits run requests (`baton.run-requests`, keyed by workflow id, written by
 * the API and by other services) as `StartRun` commands for the engine.
 *
 * At-least-once by design: the commands are written, then the input offset is
 * committed. A crash in between writes the same StartRun again, and since the
 * run id is derived from (workflow id, request id), the decider refuses the
 * second start. Invalid requests and unknown workflows go to the dead-letter
 * topic with the reason; the consumer keeps going.
 *
 * The workflow-keyed single writer is also where run strategies will queue
 * requests (a later issue); today every request is admitted at once.
 */
export class RunRequestAdmission {
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly definitions: DefinitionSource,
    private readonly clock: Clock,
    private readonly metrics: EngineMetrics,
    private readonly logger: LoggerService,
    private readonly groupId = 'baton-admission',
  ) {}

  async start(): Promise<void> {
    this.producer = await this.log.producer();
    this.consumer = this.log.consumer({
      groupId: this.groupId,
      topics: [Topics.runRequests],
      eachBatch: (batch) => this.handle(batch),
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.producer?.close();
  }

  private async handle(batch: Batch): Promise<void> {
    const now = this.clock.now();
    const out: OutgoingRecord[] = [];
    for (const record of batch.records) {
      const decoded = decodeMessage(RunRequestDto, record.value);
      if (!decoded.ok) {
        out.push(deadLetterRecord(record, decoded.reason, decoded.problems, now));
        this.metrics.runsAdmitted.inc({ outcome: 'dead_letter' });
        continue;
      }
      const request: RunRequest = decoded.value;
      const version = await this.definitions.getVersion(request.workflowId, request.version ?? 'active');
      if (!version) {
        const which = request.version === undefined ? 'an active version' : `version ${request.version}`;
        out.push(deadLetterRecord(record, `workflow ${request.workflowId} has no ${which}`, [], now));
        this.metrics.runsAdmitted.inc({ outcome: 'dead_letter' });
        continue;
      }
      const runId = runIdFor(request.workflowId, request.requestId);
      const command: StartRun = {
        type: 'StartRun',
        runId,
        definition: version.definition,
        params: request.params ?? {},
        requestId: request.requestId,
        scheduledAt: request.requestedAt ?? now,
        metadata: { commandId: `admit/${runId}`, at: now },
      };
      out.push({ topic: Topics.runCommands, key: runId, value: JSON.stringify(command) });
      this.metrics.runsAdmitted.inc({ outcome: 'admitted' });
    }
    await this.producer!.send(out);
    const last = batch.records[batch.records.length - 1];
    await this.consumer!.commit([
      { topic: batch.topic, partition: batch.partition, offset: last.offset + 1 },
    ]);
    if (out.length > 0) this.logger.debug?.(`admitted ${out.length} run requests`, 'Admission');
  }
}
