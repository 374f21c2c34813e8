import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { ChildRunFinished, StartRun } from '@baton/domain';
import type { RequestRun } from '@baton/domain/workflow-queue';
import { runIdFor, Topics, type RunRequest } from '@baton/contracts';
import { EmbeddedEventLog, type EventLog, type LogRecord } from '@baton/eventlog';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import type { CatalogVersion, VersionSelector } from './definitions/definition-catalog';
import { EngineMetrics } from './engine.metrics';
import { admitRunRequest, RunRequestAdmission, type DefinitionSource } from './run-request-admission';
import { definitionFromYaml } from './testing/engine-fixtures';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

const NOW = 1_700_000_000_000;

const report = definitionFromYaml(`
id: report
run_strategy: sequential
params:
  day: { type: string, required: true }
  region: { type: string, default: eu }
steps:
  - { id: build, type: noop }
`);

/** The registry as admission sees it: `report` v1, active. */
const registry: DefinitionSource = {
  catchUp: async () => undefined,
  async getVersion(workflowId: string, selector: VersionSelector): Promise<CatalogVersion | null> {
    if (workflowId !== 'report' || (selector !== 'active' && selector !== 1)) return null;
    return { workflowId, version: 1, definition: report };
  },
};

let offset = 0;
function requestRecord(request: object | string): LogRecord {
  const value = typeof request === 'string' ? request : JSON.stringify(request);
  return {
    topic: Topics.runRequests,
    partition: 0,
    offset: offset++,
    key: 'report',
    value,
    headers: {},
    timestamp: 0,
  };
}

const request = (extra: Partial<RunRequest> = {}): RunRequest => ({
  schemaVersion: 1,
  workflowId: 'report',
  requestId: 'req-1',
  params: { day: '2026-01-02' },
  ...extra,
});

const link = { runId: 'parent-run', stepId: 'sub', attempt: 2, index: 0, depth: 1, notify: true };

describe('admitRunRequest', () => {
  it('sends a top-level request to the workflow queue as a RequestRun keyed by workflow id', async () => {
    const { record, outcome } = await admitRunRequest(
      requestRecord(request({ requestedAt: 42, breakpoints: ['build'] })),
      registry,
      NOW,
    );
    const runId = runIdFor('report', 'req-1');
    expect(outcome).toBe('admitted');
    expect(record).toMatchObject({ topic: Topics.workflowCommands, key: 'report' });
    expect(JSON.parse(record.value!)).toEqual({
      type: 'RequestRun',
      workflowId: 'report',
      start: {
        type: 'StartRun',
        runId,
        definition: report,
        params: { day: '2026-01-02' },
        requestId: 'req-1',
        scheduledAt: 42,
        breakpoints: ['build'],
        metadata: { commandId: `admit/${runId}`, at: NOW },
      },
      metadata: { commandId: `request/${runId}`, at: NOW },
    } satisfies RequestRun);
  });

  it('schedules a request without requestedAt at admission time, and gives no breakpoints field when none', async () => {
    const { record } = await admitRunRequest(requestRecord(request({ breakpoints: [] })), registry, NOW);
    const { start } = JSON.parse(record.value!) as RequestRun;
    expect(start.scheduledAt).toBe(NOW);
    expect(start).not.toHaveProperty('breakpoints');
  });

  it("starts a subworkflow's child directly, with its own run id, the parent link and the inherited params it declares", async () => {
    const { record, outcome } = await admitRunRequest(
      requestRecord(
        request({
          requestId: 'parent-run/sub/0',
          params: { region: 'us' },
          breakpoints: ['build'],
          parent: {
            runId: 'child-run',
            link,
            inheritedParams: { day: '2026-03-04', region: 'eu', undeclared: true },
          },
        }),
      ),
      registry,
      NOW,
    );
    expect(outcome).toBe('admitted');
    expect(record).toMatchObject({ topic: Topics.runCommands, key: 'child-run' });
    expect(JSON.parse(record.value!)).toEqual({
      type: 'StartRun',
      runId: 'child-run',
      definition: report,
      params: { day: '2026-03-04', region: 'us' },
      requestId: 'parent-run/sub/0',
      scheduledAt: NOW,
      parent: link,
      breakpoints: ['build'],
      metadata: { commandId: 'admit/child-run', at: NOW },
    } satisfies StartRun);
  });

  it('fails the parent step of a child whose workflow does not exist, instead of a dead letter', async () => {
    const { record, outcome } = await admitRunRequest(
      requestRecord(
        request({
          workflowId: 'ghost',
          version: 3,
          parent: { runId: 'child-run', link, inheritedParams: {} },
        }),
      ),
      registry,
      NOW,
    );
    expect(outcome).toBe('child_not_found');
    expect(record).toMatchObject({ topic: Topics.runCommands, key: 'parent-run' });
    expect(JSON.parse(record.value!)).toEqual({
      type: 'ChildRunFinished',
      runId: 'parent-run',
      stepId: 'sub',
      attempt: 2,
      index: 0,
      childRunId: 'child-run',
      outcome: 'failed',
      outputs: {},
      message: 'workflow ghost has no version 3',
      neverStarted: true,
      metadata: { commandId: 'admit-failed/child-run', at: NOW },
    } satisfies ChildRunFinished);
  });

  it('dead-letters a missing child workflow nobody waits for, and a missing top-level one', async () => {
    const unnotified = await admitRunRequest(
      requestRecord(
        request({
          workflowId: 'ghost',
          parent: { runId: 'child-run', link: { ...link, notify: false }, inheritedParams: {} },
        }),
      ),
      registry,
      NOW,
    );
    expect(unnotified.outcome).toBe('dead_letter');
    expect(unnotified.record.topic).toBe(Topics.deadLetters);
    expect(JSON.parse(unnotified.record.value!).reason).toBe('workflow ghost has no active version');

    const topLevel = await admitRunRequest(requestRecord(request({ workflowId: 'ghost' })), registry, NOW);
    expect(topLevel.outcome).toBe('dead_letter');
    expect(JSON.parse(topLevel.record.value!)).toMatchObject({
      reason: 'workflow ghost has no active version',
    });
  });

  it('dead-letters an invalid request with the path of each problem', async () => {
    const { record, outcome } = await admitRunRequest(
      requestRecord({
        ...request(),
        breakpoints: 'build',
        parent: { runId: 'c', link: {}, inheritedParams: {} },
      }),
      registry,
      NOW,
    );
    expect(outcome).toBe('dead_letter');
    const paths = (JSON.parse(record.value!).problems as { path: string }[]).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['$.breakpoints', '$.parent.link.runId', '$.parent.link.notify']),
    );
  });
});

describe('RunRequestAdmission on the embedded log', () => {
  let dir: string;
  let log: EventLog;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-admission-'));
    log = await EmbeddedEventLog.open({ dir });
    await log.ensureTopics([
      { name: Topics.runRequests, partitions: 1 },
      { name: Topics.workflowCommands, partitions: 1 },
      { name: Topics.runCommands, partitions: 1 },
      { name: Topics.deadLetters, partitions: 1 },
    ]);
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function all(topic: string): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    for await (const record of log.readPartition(topic, 0)) out.push(record);
    return out;
  }

  it('admits each request once per delivery and commits its offset', async () => {
    const metrics = new EngineMetrics(new Registry());
    const quiet = SILENT_LOGGER;
    const sut = new RunRequestAdmission(log, registry, { now: () => NOW }, metrics, quiet);
    const producer = await log.producer();
    await producer.send([
      { topic: Topics.runRequests, key: 'report', value: JSON.stringify(request()) },
      { topic: Topics.runRequests, key: 'report', value: 'not json' },
    ]);
    await producer.close();
    await sut.start();
    try {
      await waitUntil(async () => (await all(Topics.deadLetters)).length === 1, {
        message: 'the dead letter',
      });
      expect((await all(Topics.workflowCommands)).map((r) => JSON.parse(r.value!).type)).toEqual([
        'RequestRun',
      ]);
      expect(await all(Topics.runCommands)).toEqual([]);
    } finally {
      await sut.stop();
    }
    // A second admission in the same group starts after the committed offset: nothing is admitted twice.
    const again = new RunRequestAdmission(log, registry, { now: () => NOW }, metrics, quiet);
    await again.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await again.stop();
    expect(await all(Topics.workflowCommands)).toHaveLength(1);
    expect((await metrics.runsAdmitted.get()).values.map((v) => [v.labels.outcome, v.value]).sort()).toEqual([
      ['admitted', 1],
      ['dead_letter', 1],
    ]);
  });
});
