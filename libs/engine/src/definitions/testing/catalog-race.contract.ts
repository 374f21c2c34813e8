import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  initialWorkflowQueueState,
  type RequestRun,
  type WorkflowCommand,
  type WorkflowQueueState,
} from '@baton/domain/workflow-queue';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { EventLog, LogRecord } from '@baton/eventlog';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { systemClock } from '@baton/platform';
import { EngineMetrics } from '../../engine.metrics';
import { RunRequestAdmission } from '../../run-request-admission';
import { definitionFromYaml } from '../../testing/engine-fixtures';
import { processWorkflowCommands } from '../../workflow-queue/process-workflow-commands';
import { DefinitionCatalog } from '../definition-catalog';

const quiet = SILENT_LOGGER;

/**
 * Read-your-writes between a push and a run request, on a real log: the
 * writer's transaction for a push commits and its event becomes readable
 * (what the API waits for, through the projector, before it answers), and a
 * run request sent right after must be admitted with that version, never the
 * one before it, never a dead letter. Each round pushes
 * and activates a new version, at once asks for "the active version", and
 * waits for that request's admission before the next round.
 */
export function describeCatalogRace(
  adapter: string,
  logOf: () => EventLog,
  layout: TopicLayout,
  options: { rounds: number; timeoutMs: number },
): void {
  describe(`definition catalog and admission on ${adapter}`, () => {
    it('admits a request sent right after a push with the pushed version', async () => {
      const log = logOf();
      await log.ensureTopics(coreTopics(layout));
      const workflowId = `race_${randomUUID().slice(0, 8)}`;
      const writer = await log.transactionalProducer(`baton-race-${workflowId}`);
      const producer = await log.producer();
      const catalog = new DefinitionCatalog(log, quiet, { topics: layout });
      const admission = new RunRequestAdmission(
        log,
        catalog,
        systemClock,
        new EngineMetrics(new Registry()),
        quiet,
        `baton-race-admission-${workflowId}`,
      );
      const eventsFrom = await ends(log, Topics.workflowEvents);
      let state: WorkflowQueueState = initialWorkflowQueueState();
      /** Decides a push as the workflow's writer does and commits its records in one transaction. */
      const push = async (round: number) => {
        const command: WorkflowCommand = {
          type: 'PushWorkflowVersion',
          workflowId,
          definition: definitionFromYaml(
            `id: ${workflowId}\nname: round ${round}\nsteps:\n  - { id: a, type: noop }\n`,
          ),
          source: `round ${round}`,
          activate: true,
          metadata: { commandId: `race/${round}`, at: Date.now() },
        };
        const batch = processWorkflowCommands(
          new Map([[workflowId, state]]),
          [commandRecord(command)],
          Date.now(),
        );
        state = batch.changed.get(workflowId)!;
        await writer.commit({ records: batch.records });
        // What the API waits for before it answers: the event readable (read-committed) by the
        // projector. Only then may a client's run request follow.
        await waitUntil(
          async () =>
            (await recordsSince(log, Topics.workflowEvents, eventsFrom)).some(
              (found) => found.key === workflowId && found.value!.includes(`"race/${round}"`),
            ),
          { timeoutMs: options.timeoutMs, intervalMs: 20, message: `push ${round} readable` },
        );
      };
      const request = (requestId: string) =>
        producer.send([
          {
            topic: Topics.runRequests,
            key: workflowId,
            value: JSON.stringify({ schemaVersion: 1, workflowId, requestId }),
          },
        ]);
      const admitted = new Map<string, number>();
      let from = await ends(log, Topics.workflowCommands);
      /** Waits until admission has written the RequestRun of `requestId`; answers its version. */
      const admittedVersion = async (requestId: string) => {
        await waitUntil(
          async () => {
            const found = await recordsSince(log, Topics.workflowCommands, from);
            for (const next of found) {
              const command = JSON.parse(next.value!) as WorkflowCommand;
              if (command.type === 'RequestRun' && command.workflowId === workflowId) {
                admitted.set((command as RequestRun).start.requestId, command.start.definition.version);
              }
              from = from.map((offset, p) =>
                p === next.partition ? Math.max(offset, next.offset + 1) : offset,
              );
            }
            return admitted.has(requestId);
          },
          { timeoutMs: options.timeoutMs, intervalMs: 100, message: `request ${requestId} admitted` },
        );
        return admitted.get(requestId);
      };
      try {
        await admission.start();
        // Admission is running and its catalog has caught up once: from now on each request
        // meets a catalog that was current before the push the round makes.
        await push(1);
        await request('r1');
        expect(await admittedVersion('r1')).toBe(1);
        for (let round = 2; round <= options.rounds; round++) {
          await push(round);
          await request(`r${round}`);
          expect(await admittedVersion(`r${round}`)).toBe(round);
        }
      } finally {
        await admission.stop();
        await producer.close();
        await writer.close();
      }
    });
  });
}

/** A workflow command as `baton.workflow-commands` delivers it to the writer. */
export function commandRecord(command: WorkflowCommand): LogRecord {
  return {
    topic: Topics.workflowCommands,
    partition: 0,
    offset: 0,
    key: command.workflowId,
    value: JSON.stringify(command),
    headers: {},
    timestamp: 0,
  };
}

async function ends(log: EventLog, topic: string): Promise<number[]> {
  const count = await log.partitionCount(topic);
  return Promise.all(
    Array.from({ length: count }, async (_, p) => (await log.partitionOffsets(topic, p)).end),
  );
}

async function recordsSince(log: EventLog, topic: string, from: readonly number[]): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (let p = 0; p < from.length; p++) {
    if ((await log.partitionOffsets(topic, p)).end <= from[p]!) continue;
    for await (const found of log.readPartition(topic, p, from[p])) out.push(found);
  }
  return out;
}
