import type { INestApplication } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowCommand } from '@baton/domain/workflow-queue';
import { parseWorkflowDocument } from '@baton/definitions';
import { Topics } from '@baton/contracts';
import { decodeWorkflowCommand } from '@baton/engine/workflow-queue/workflow-command.codec';
import { EmbeddedEventLog, type LogRecord } from '@baton/eventlog';
import { MetricsRegistry, ObservabilityModule } from '@baton/observability';
import { historyOf, eventRecords } from '@baton/projector/workflow-queue/testing/queue-histories';
import { projectWorkflowEventRecords } from '@baton/projector/workflow-queue/project-workflow-events';
import { projectedRegistryClient } from '@baton/projector/workflow-queue/testing/projected-registry-client';
import {
  FIRST_ONLY,
  LAST_ONLY,
  SEQUENTIAL,
  T0,
  version,
  wq,
} from '@baton/domain/workflow-queue/testing/fixtures';
import { PGliteSqlClient } from '@baton/sql';
import { migrate, WorkflowRegistry } from '@baton/readmodel';
import { WorkflowQueueQueries } from '@baton/readmodel/workflow-queue-queries';
import { configureApi } from '../configure-api';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { ApiMetricsInterceptor } from '../http/api-metrics.interceptor';
import { ApiMetrics } from '../http/api.metrics';
import { AUTH_OFF_PROVIDERS, DEFAULT_HTTP_SECURITY, FakeClock } from '../testing/api-test-app';
import { WorkflowCommandPublisher } from './workflow-command-publisher';
import { WorkflowQueueController } from './workflow-queue.controller';
import { WorkflowQueueApiService } from './workflow-queue.service';
import { WORKFLOW_QUEUE_HANDLERS } from './workflow.handlers';

// PGlite takes seconds to start: one app for the file.
jest.setTimeout(60_000);

const NIGHTLY = `id: nightly
run_strategy: sequential
steps:
  - { id: extract, type: noop }
  - { id: load, type: noop, depends_on: [extract] }
`;

const HOURLY = `id: hourly
run_strategy: first_only
steps:
  - { id: extract, type: noop }
`;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Each workflow was pushed once in `beforeAll`: the queue's histories follow that event. */
const PUSHED = 1;

describe('workflow queue routes', () => {
  let dir: string;
  let log: EmbeddedEventLog;
  let sql: PGliteSqlClient;
  let app: INestApplication;
  let base: string;
  const clock = new FakeClock(1_700_000_000_000);
  let id = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-queue-api-'));
    log = await EmbeddedEventLog.open({ dir });
    sql = await PGliteSqlClient.open();
    await migrate(sql);
    const registry = new WorkflowRegistry(sql);
    const writer = projectedRegistryClient(sql, () => clock.now());
    for (const source of [NIGHTLY, HOURLY]) {
      const parsed = parseWorkflowDocument(source, 'yaml');
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await writer.push({ definition: parsed.definition, source });
    }
    const publisher = new WorkflowCommandPublisher(log, { runPartitions: 2, requestPartitions: 2 });
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forService('queue-api-test'), CqrsModule.forRoot()],
      controllers: [WorkflowQueueController],
      providers: [
        {
          provide: ApiMetrics,
          inject: [MetricsRegistry],
          useFactory: (r: MetricsRegistry) => new ApiMetrics(r),
        },
        ApiMetricsInterceptor,
        ApiExceptionFilter,
        ...AUTH_OFF_PROVIDERS,
        { provide: WorkflowCommandPublisher, useValue: publisher },
        {
          provide: WorkflowQueueApiService,
          useFactory: () =>
            new WorkflowQueueApiService(registry, new WorkflowQueueQueries(sql), publisher, clock, {
              next: () => `id-${++id}`,
            }),
        },
        ...WORKFLOW_QUEUE_HANDLERS,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false, forceCloseConnections: true });
    configureApi(app, DEFAULT_HTTP_SECURITY);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await log?.close();
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, json?: unknown): Promise<Answer> => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      ...(json === undefined
        ? // A body-less action still says it is JSON (browsers cannot post that cross-site).
          method === 'GET'
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: '{}' }
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  async function published(): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    const partitions = await log.partitionCount(Topics.workflowCommands).catch(() => 0);
    for (let p = 0; p < partitions; p++) {
      for await (const record of log.readPartition(Topics.workflowCommands, p)) out.push(record);
    }
    return out;
  }

  /** The last command published, after checking the queue's own edge validation accepts it. */
  async function lastCommand(): Promise<WorkflowCommand> {
    const records = await published();
    const record = records[records.length - 1];
    const decoded = decodeWorkflowCommand(record);
    if (!decoded.ok)
      throw new Error(`the queue would refuse ${record.value}: ${JSON.stringify(decoded.problems)}`);
    return decoded.value;
  }

  describe('GET /workflows/{id}/queue', () => {
    it('shows an idle queue for a workflow that was only pushed', async () => {
      expect(await call('GET', '/workflows/nightly/queue')).toEqual({
        status: 200,
        body: {
          workflowId: 'nightly',
          runStrategy: null,
          paused: false,
          blockedBy: null,
          running: [],
          runningCount: 0,
          breakpoints: [],
          queued: [],
          queuedCount: 0,
          nextAfterPosition: null,
          recentlyDropped: [],
          // The push is the workflow's first event (WorkflowVersionPushed).
          lastSeq: PUSHED,
          updatedAt: clock.now(),
        },
      });
    });

    it('shows the waiting runs in start order with the workflow status, a page at a time', async () => {
      const v1 = version(SEQUENTIAL);
      const history = historyOf(
        'nightly',
        [wq.request(1, v1, 10), wq.request(2, v1, 20), wq.request(3, v1, 30), wq.pause(40)],
        PUSHED,
      );
      await projectWorkflowEventRecords(sql, eventRecords(history), clock.now());

      const first = await call('GET', '/workflows/nightly/queue?limit=1');
      expect(first).toMatchObject({
        status: 200,
        body: {
          runStrategy: { kind: 'sequential' },
          paused: true,
          running: ['run-1'],
          runningCount: 1,
          queuedCount: 2,
          queued: [{ runId: 'run-2', requestId: 'request-2', version: 1, queuedAt: history[2].at }],
          lastSeq: PUSHED + history.length,
        },
      });
      const next = first.body.nextAfterPosition as number;
      const second = await call('GET', `/workflows/nightly/queue?limit=1&afterPosition=${next}`);
      expect((second.body.queued as { runId: string }[]).map((run) => run.runId)).toEqual(['run-3']);
      expect(second.body.nextAfterPosition).toBeNull();
    });

    it('lists the requests the run strategy dropped, newest first, with reason and time', async () => {
      // Under first_only, run-12 arrives while run-11 runs; under last_only (the latest request's
      // strategy is the workflow's), run-14 supersedes run-13 waiting behind run-11.
      const history = historyOf(
        'hourly',
        [
          wq.request(11, version(FIRST_ONLY, 1), 10),
          wq.request(12, version(FIRST_ONLY, 1), 20),
          wq.request(13, version(LAST_ONLY, 2), 30),
          wq.request(14, version(LAST_ONLY, 2), 40),
        ],
        PUSHED,
      );
      await projectWorkflowEventRecords(sql, eventRecords(history), clock.now());
      const seqOf = (runId: string) =>
        history.find((e) => e.type === 'RunRequestDropped' && e.runId === runId)!.seq;
      const answer = await call('GET', '/workflows/hourly/queue');
      expect(answer).toMatchObject({
        status: 200,
        body: { running: ['run-11'], queued: [{ runId: 'run-14' }] },
      });
      expect(answer.body.recentlyDropped).toEqual([
        {
          seq: seqOf('run-13'),
          runId: 'run-13',
          requestId: 'request-13',
          reason: 'superseded',
          droppedAt: T0 + 40,
        },
        {
          seq: seqOf('run-12'),
          runId: 'run-12',
          requestId: 'request-12',
          reason: 'first_only_busy',
          droppedAt: T0 + 20,
        },
      ]);
    });

    it('answers 404 for an unknown workflow and 400 for a bad page size', async () => {
      expect(await call('GET', '/workflows/ghost/queue')).toMatchObject({ status: 404 });
      const bad = await call('GET', '/workflows/nightly/queue?limit=0');
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(['$.limit']);
    });
  });

  describe.each([
    ['pause', 'PauseWorkflow'],
    ['resume', 'ResumeWorkflow'],
    ['unblock', 'UnblockWorkflow'],
  ])('POST /workflows/{id}/%s', (action, type) => {
    it(`publishes ${type} keyed by workflow id and answers 202 with the command id`, async () => {
      clock.nowMs = 1_700_000_500_000;
      const answer = await call('POST', `/workflows/nightly/${action}`);
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        workflowId: 'nightly',
        commandId: expect.stringMatching(new RegExp(`^api-${action}/id-`)),
      });
      const records = await published();
      expect(records[records.length - 1].key).toBe('nightly');
      expect(await lastCommand()).toEqual({
        type,
        workflowId: 'nightly',
        metadata: { commandId: answer.body.commandId, at: 1_700_000_500_000, by: 'anonymous' },
      });
    });

    it('answers 404 for an unknown workflow and publishes nothing', async () => {
      const before = (await published()).length;
      expect(await call('POST', `/workflows/ghost/${action}`)).toMatchObject({
        status: 404,
        body: { message: expect.stringContaining('ghost') },
      });
      expect(await published()).toHaveLength(before);
    });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = (await (await fetch(`${base}/api/docs-json`)).json()) as {
      paths: Record<string, object>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/workflows/{workflowId}/queue',
        '/api/v1/workflows/{workflowId}/pause',
        '/api/v1/workflows/{workflowId}/resume',
        '/api/v1/workflows/{workflowId}/unblock',
        '/api/v1/workflows/{workflowId}/breakpoints',
      ]),
    );
    const { WorkflowQueueDto, DroppedRequestDto } = document.components.schemas;
    expect(WorkflowQueueDto.properties.recentlyDropped).toMatchObject({ type: 'array' });
    expect(Object.keys(DroppedRequestDto.properties).sort()).toEqual([
      'droppedAt',
      'reason',
      'requestId',
      'runId',
      'seq',
    ]);
  });

  describe('PUT /workflows/{id}/breakpoints', () => {
    it('publishes SetWorkflowBreakpoints with the steps, and [] to clear them', async () => {
      const answer = await call('PUT', '/workflows/nightly/breakpoints', { stepIds: ['load', 'extract'] });
      expect(answer).toEqual({
        status: 202,
        body: {
          workflowId: 'nightly',
          commandId: expect.stringMatching(/^api-breakpoints\//),
          stepIds: ['load', 'extract'],
        },
      });
      expect(await lastCommand()).toMatchObject({
        type: 'SetWorkflowBreakpoints',
        stepIds: ['load', 'extract'],
      });
      expect((await call('PUT', '/workflows/nightly/breakpoints', { stepIds: [] })).status).toBe(202);
      expect(await lastCommand()).toMatchObject({ type: 'SetWorkflowBreakpoints', stepIds: [] });
    });

    it('answers 400 with the path of each step the workflow does not have, and publishes nothing', async () => {
      const before = (await published()).length;
      const answer = await call('PUT', '/workflows/nightly/breakpoints', { stepIds: ['load', 'lod', 'x'] });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        { path: '$.stepIds[1]', message: 'workflow nightly v1 has no step "lod"' },
        { path: '$.stepIds[2]', message: 'workflow nightly v1 has no step "x"' },
      ]);
      expect(await published()).toHaveLength(before);
    });

    it('answers 400 for a body that is not a list of distinct step ids', async () => {
      for (const body of [
        {},
        { stepIds: 'load' },
        { stepIds: ['load', 'load'] },
        { stepIds: [''] },
        { step_ids: ['load'] }, // the old snake_case name
      ]) {
        expect(await call('PUT', '/workflows/nightly/breakpoints', body)).toMatchObject({ status: 400 });
      }
    });

    it('answers 404 for an unknown workflow', async () => {
      expect(await call('PUT', '/workflows/ghost/breakpoints', { stepIds: [] })).toMatchObject({
        status: 404,
      });
    });
  });
});
