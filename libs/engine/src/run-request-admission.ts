import type { BatonLogger } from '@baton/observability';
import type { ChildRunFinished, StartRun, WorkflowDefinition } from '@baton/domain';
import type { RequestRun } from '@baton/domain/workflow-queue';
import {
  decodeMessage,
  deadLetterRecord,
  maskSecretParams,
  sealSecretParams,
  type SecretSealer,
  runIdFor,
  RunRequestDto,
  Topics,
  type RunRequest,
} from '@baton/contracts';
import type { SubworkflowParent } from '@baton/contracts/run-request';
import type { Batch, Consumer, EventLog, LogRecord, OutgoingRecord, Producer } from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import type { CatalogVersion, VersionSelector } from './definitions/definition-catalog';
import type { EngineMetrics } from './engine.metrics';

/** Where admission finds the version a request names: the engine's `DefinitionCatalog`. */
export interface DefinitionSource {
  /** Brings the source up to everything pushed before the call; admission calls it once per batch. */
  catchUp(): Promise<void>;
  getVersion(workflowId: string, selector: VersionSelector): Promise<CatalogVersion | null>;
}

/** What admission made of one run request: the record to write, and the metric outcome. */
export interface Admission {
  readonly record: OutgoingRecord;
  readonly outcome: 'admitted' | 'child_not_found' | 'dead_letter';
}

/**
 * Admits one run request: finds the version it names and turns it into
 * - for a top-level run: a `RequestRun` on `baton.workflow-commands` (keyed
 *   by workflow id), whose single writer starts, queues or drops it under the
 *   workflow's run strategy;
 * - for a subworkflow's child run (`parent` set): its `StartRun` straight on
 *   `baton.run-commands` (keyed by the child's run id), bypassing the
 *   strategy since the parent was admitted already. Its params are the
 *   parent's inherited params the child declares, overridden by the request's;
 * - when the version does not exist: a dead letter, or for a child the parent
 *   waits for, a failed `ChildRunFinished` to the parent so its step fails
 *   instead of waiting forever.
 */
export async function admitRunRequest(
  record: LogRecord,
  definitions: Pick<DefinitionSource, 'getVersion'>,
  now: number,
  sealer: SecretSealer | null = null,
): Promise<Admission> {
  const decoded = decodeMessage(RunRequestDto, record.value);
  if (!decoded.ok) {
    return {
      record: deadLetterRecord(record, decoded.reason, decoded.problems, now),
      outcome: 'dead_letter',
    };
  }
  const request: RunRequest = decoded.value;
  const version = await definitions.getVersion(request.workflowId, request.version ?? 'active');
  if (!version) {
    const which = request.version === undefined ? 'active version' : `version ${request.version}`;
    const reason = `workflow ${request.workflowId} has no ${which}`;
    if (request.parent?.link.notify) {
      return { record: childNotFound(request.parent, reason, now), outcome: 'child_not_found' };
    }
    return { record: deadLetterRecord(record, reason, [], now), outcome: 'dead_letter' };
  }
  // Secret params are sealed here, before the request goes any further: a
  // service publishing run requests need not hold the key (it may also pass references).
  const params = request.params ?? {};
  const sealed = sealSecretParams(version.definition, params, sealer);
  if (!sealed.ok) {
    const reason = `param '${sealed.param}' of workflow ${request.workflowId} is secret and arrived in clear; this engine holds no secrets key (BATON_SECRETS_KEY) to seal it`;
    const masked = { ...request, params: maskSecretParams(version.definition, params) };
    return {
      record: deadLetterRecord({ ...record, value: JSON.stringify(masked) }, reason, [], now),
      outcome: 'dead_letter',
    };
  }
  if (request.parent) {
    const start = childStart({ ...request, params: sealed.params }, request.parent, version.definition, now);
    return {
      record: { topic: Topics.runCommands, key: start.runId, value: JSON.stringify(start) },
      outcome: 'admitted',
    };
  }
  const runId = runIdFor(request.workflowId, request.requestId);
  const command: RequestRun = {
    type: 'RequestRun',
    workflowId: request.workflowId,
    start: startRun(runId, request, version.definition, sealed.params, now),
    metadata: { commandId: `request/${runId}`, at: now, ...byOf(request) },
  };
  return {
    record: { topic: Topics.workflowCommands, key: request.workflowId, value: JSON.stringify(command) },
    outcome: 'admitted',
  };
}

function startRun(
  runId: string,
  request: RunRequest,
  definition: WorkflowDefinition,
  params: StartRun['params'],
  now: number,
): StartRun {
  return {
    type: 'StartRun',
    runId,
    definition,
    params,
    requestId: request.requestId,
    scheduledAt: request.requestedAt ?? now,
    metadata: { commandId: `admit/${runId}`, at: now, ...byOf(request) },
    ...(request.breakpoints?.length ? { breakpoints: request.breakpoints } : {}),
  };
}

/** The requester, for the audit trail of the run's events; nothing for an anonymous request. */
function byOf(request: RunRequest): { by?: string } {
  return request.requestedBy === undefined ? {} : { by: request.requestedBy };
}

function childStart(
  request: RunRequest,
  parent: SubworkflowParent,
  definition: WorkflowDefinition,
  now: number,
): StartRun {
  const declared = new Set(definition.params.map((param) => param.name));
  const inherited = Object.fromEntries(
    Object.entries(parent.inheritedParams).filter(([name]) => declared.has(name)),
  );
  const params = { ...inherited, ...(request.params ?? {}) };
  return { ...startRun(parent.runId, request, definition, params, now), parent: parent.link };
}

function childNotFound(parent: SubworkflowParent, message: string, now: number): OutgoingRecord {
  const { link } = parent;
  const command: ChildRunFinished = {
    type: 'ChildRunFinished',
    runId: link.runId,
    stepId: link.stepId,
    attempt: link.attempt,
    index: link.index,
    childRunId: parent.runId,
    outcome: 'failed',
    outputs: {},
    message,
    neverStarted: true,
    metadata: { commandId: `admit-failed/${parent.runId}`, at: now },
  };
  return { topic: Topics.runCommands, key: link.runId, value: JSON.stringify(command) };
}

/**
 * Admits run requests (`baton.run-requests`, keyed by workflow id, written by
 * the API, other services, cron and signal triggers, and the engine for
 * subworkflows); see `admitRunRequest` for where each goes.
 *
 * At-least-once by design: the records are written, then the input offset
 * is committed. A crash in between writes the same records again: the
 * workflow queue drops a repeated run id, and the run decider refuses a
 * second start of a run (a child's, or a top-level one the queue forgot).
 * Invalid requests and unknown workflows go to the dead-letter topic with
 * the reason; the consumer keeps going.
 */
export class RunRequestAdmission {
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly definitions: DefinitionSource,
    private readonly clock: Clock,
    private readonly metrics: EngineMetrics,
    private readonly logger: BatonLogger,
    private readonly groupId = 'baton-admission',
    private readonly sealer: SecretSealer | null = null,
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
    // A request sent after a push was answered must meet that push (read-your-writes).
    await this.definitions.catchUp();
    const now = this.clock.now();
    const out: OutgoingRecord[] = [];
    for (const record of batch.records) {
      const admission = await admitRunRequest(record, this.definitions, now, this.sealer);
      out.push(admission.record);
      this.metrics.runsAdmitted.inc({ outcome: admission.outcome });
    }
    await this.producer!.send(out);
    const last = batch.records[batch.records.length - 1];
    await this.consumer!.commit([
      { topic: batch.topic, partition: batch.partition, offset: last.offset + 1 },
    ]);
    this.logger.debug('admitted run requests', { count: out.length, partition: batch.partition });
  }
}
