import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { RunEvent } from '@baton/domain';
import { coreTopics, Topics, type DeadLetter } from '@baton/contracts';
import { EmbeddedEventLog, partitionForKey, type LogRecord, type OutgoingRecord } from '@baton/eventlog';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { MetricsRegistry } from '@baton/observability';
import { CLOCK, EVENT_LOG, PLATFORM_CONFIG, SQL_CLIENT } from '@baton/platform';
import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate, RunQueries } from '@baton/readmodel';
import { ProjectorModule } from './projector.module';
import { PROJECTOR_GROUP_ID, RunProjectorService } from './projector.service';
import { rebuildProjection } from './rebuild-projection';
import { dumpRunTables } from './testing/read-model-dump';
import {
  cancelledRun,
  eventRecords,
  failedRun,
  historyOf,
  etlWorkflow,
  rejectedOnly,
  succeededRun,
  T0,
} from './testing/run-histories';
import { readRunEvents, verifyReadModel } from './verify-read-model';
import { cmd } from '@baton/domain/run/testing/fixtures';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

// The real adapters: the embedded log in a temp dir and one in-memory PGlite for the file.
jest.setTimeout(60_000);

const layout = { runPartitions: 3, requestPartitions: 1 };
let nowMs = T0 + 60_000;
const clock = { now: () => nowMs };
const quiet = SILENT_LOGGER;

let dir: string;
let log: EmbeddedEventLog;
let sql: SqlClient;
let queries: RunQueries;
let registry: MetricsRegistry;
let sut: RunProjectorService;

beforeAll(async () => {
  sql = await PGliteSqlClient.open();
  await migrate(sql);
  queries = new RunQueries(sql);
  dir = mkdtempSync(join(tmpdir(), 'baton-projector-'));
  log = await EmbeddedEventLog.open({ dir, onWarning: () => undefined });
});

afterAll(async () => {
  await log.close();
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
});

async function publish(records: readonly OutgoingRecord[]): Promise<void> {
  const producer = await log.producer();
  await producer.send(records);
  await producer.close();
}

async function projected(runId: string, lastSeq: number): Promise<void> {
  await waitUntil(async () => (await queries.getRun(runId))?.lastSeq === lastSeq, {
    message: `run ${runId} projected up to seq ${lastSeq}`,
  });
}

async function readAll(topic: string): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  const partitions = await log.partitionCount(topic);
  for (let p = 0; p < partitions; p++) for await (const r of log.readPartition(topic, p)) records.push(r);
  return records;
}

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await registry.getSingleMetric(name)!.get();
  const match = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
}

/** A run id on the same partition as `s-req-a`. */
const clashingRunId = Array.from({ length: 50 }, (_, i) => `s-req-b${i}`).find(
  (id) => partitionForKey(id, layout.runPartitions) === partitionForKey('s-req-a', layout.runPartitions),
)!;

const last = (events: readonly RunEvent[]) => events[events.length - 1].seq;

describe('RunProjectorService on the embedded log', () => {
  beforeEach(async () => {
    registry = new MetricsRegistry();
    sut = new RunProjectorService(log, sql, clock, registry, quiet, { topics: layout });
    await sut.start();
  });

  afterEach(async () => {
    await sut.stop();
  });

  it('projects run events from the log and commits the group offsets after the SQL commit', async () => {
    const histories = [succeededRun('s-ok'), failedRun('s-failed'), cancelledRun('s-cancelled')];
    await publish(histories.flatMap(eventRecords));

    for (const history of histories) await projected(history[0].runId, last(history));

    expect((await queries.getRun('s-ok'))!.status).toBe('succeeded');
    expect((await queries.getRun('s-failed'))!.status).toBe('failed');
    expect((await queries.getRun('s-cancelled'))!.status).toBe('cancelled');
    await waitUntil(
      async () => {
        for (let p = 0; p < layout.runPartitions; p++) {
          let end = 0;
          for await (const record of log.readPartition(Topics.runEvents, p)) end = record.offset + 1;
          if ((log.committedOffset(PROJECTOR_GROUP_ID, Topics.runEvents, p) ?? 0) !== end) return false;
        }
        return true;
      },
      { message: 'offsets committed up to the end of every partition' },
    );
    // The batch is counted once its commit is durable, which can be just after the offsets read back.
    const events = histories.flat().length;
    await waitUntil(
      async () => (await metric('baton_projector_events_total', { outcome: 'applied' })) === events,
      {
        message: `${events} events counted as applied`,
      },
    );
    expect(await metric('baton_projector_lag_seconds')).toBeGreaterThan(0);
    expect(await registry.metrics()).toMatch(/^baton_projector_batch_duration_seconds_count [1-9]/m);
  });

  it('counts runs and step attempts per workflow once: a re-delivered batch counts nothing again', async () => {
    const ok = succeededRun('w-ok');
    const failed = failedRun('w-failed');
    const workflow = ok[0].type === 'RunStarted' ? ok[0].definition.id : 'none';
    await publish([...eventRecords(ok), ...eventRecords(failed)]);
    await projected('w-ok', last(ok));
    await projected('w-failed', last(failed));
    await publish(eventRecords(ok)); // as a producer retry or a re-delivery would
    await waitUntil(
      async () => (await metric('baton_projector_events_total', { outcome: 'duplicate' })) === ok.length,
      {
        message: 'the repeated events counted as duplicates',
      },
    );

    expect(await metric('baton_workflow_runs_started_total', { workflow })).toBe(2);
    expect(await metric('baton_workflow_runs_finished_total', { workflow, status: 'succeeded' })).toBe(1);
    expect(await metric('baton_workflow_runs_finished_total', { workflow, status: 'failed' })).toBe(1);
    const text = await registry.metrics();
    // The succeeded run took 21.2 s of event time (RunStarted at 0, RunSucceeded at 21,200 ms).
    expect(text).toContain(
      `baton_workflow_run_duration_seconds_sum{workflow="${workflow}",status="succeeded"} 21.2`,
    );
    // Attempts: extract 1 (failed), extract 2, load, report (succeeded) of w-ok; extract 1 and 2 (failed) of w-failed.
    expect(text).toContain(
      `baton_workflow_step_duration_seconds_count{workflow="${workflow}",status="succeeded"} 3`,
    );
    expect(text).toContain(
      `baton_workflow_step_duration_seconds_count{workflow="${workflow}",status="failed"} 3`,
    );
  });

  it('reads running and overdue runs per workflow from the read model at each scrape', async () => {
    const running = historyOf('w-running', [cmd.start(etlWorkflow, {}, 0), cmd.started('extract', 1, 100)]);
    const workflow = etlWorkflow.id;
    await publish(eventRecords(running));
    await projected('w-running', last(running));
    expect(await metric('baton_workflow_runs_running', { workflow })).toBeGreaterThanOrEqual(1);
    expect(await metric('baton_workflow_runs_overdue', { workflow })).toBe(0);
    try {
      nowMs = T0 + 3_600_000 + 61_000; // its timeout (an hour) and the minute of grace have passed
      expect(await metric('baton_workflow_runs_overdue', { workflow })).toBeGreaterThanOrEqual(1);
    } finally {
      nowMs = T0 + 60_000;
    }
  });

  it('dead-letters a malformed record with the reason and projects the next good one', async () => {
    const history = succeededRun('s-after-bad');
    const key = 's-after-bad';
    await publish([
      { topic: Topics.runEvents, key, value: '{ not json' },
      { topic: Topics.runEvents, key, value: JSON.stringify({ ...history[0], type: 'RunTeleported' }) },
      ...eventRecords(history),
    ]);

    await projected(key, last(history));
    await waitUntil(async () => (await readAll(Topics.deadLetters)).length >= 2, {
      message: 'two dead letters',
    });
    const letters = (await readAll(Topics.deadLetters)).map((r) => JSON.parse(r.value!) as DeadLetter);
    expect(letters).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining('not JSON'),
        value: '{ not json',
        source: expect.objectContaining({ topic: Topics.runEvents, key, offset: expect.any(Number) }),
        at: clock.now(),
      }),
      expect.objectContaining({ reason: 'unknown event type "RunTeleported"' }),
    ]);
    await waitUntil(
      async () => (await metric('baton_projector_events_total', { outcome: 'dead_letter' })) === 2,
      {
        message: 'two events counted as dead letters',
      },
    );
  });

  it('upserts step log tails from baton.step-logs', async () => {
    await publish([
      {
        topic: Topics.stepLogs,
        key: 's-ok',
        value: JSON.stringify({
          schemaVersion: 1,
          runId: 's-ok',
          stepId: 'extract',
          attempt: 2,
          stdout: 'extracted 42 rows\n',
          stderr: '',
          truncatedBytes: { stdout: 0, stderr: 0 },
        }),
      },
    ]);

    await waitUntil(async () => (await queries.getStepLogs('s-ok', 'extract')) !== null, {
      message: 'step logs projected',
    });
    expect(await queries.getStepLogs('s-ok', 'extract')).toMatchObject({
      attempt: 2,
      stdoutTail: 'extracted 42 rows\n',
      truncated: false,
    });
  });

  it('keeps a rejection for a run that never started in run_events only', async () => {
    const rejected = rejectedOnly('s-ghost');
    await publish(eventRecords(rejected));

    await waitUntil(async () => (await queries.getRunEvents('s-ghost', { limit: 5 })).items.length === 1, {
      message: 'the rejection stored',
    });
    expect(await queries.getRun('s-ghost')).toBeNull();
  });

  it('dead-letters a record the read model refuses, instead of stalling its partition', async () => {
    const first = succeededRun('s-req-a');
    // Same workflow, same request id, another run: runs_request_unique refuses it. On the same
    // partition, so the rebuild below meets the two in the same order and refuses the same one.
    const clash = (succeededRun(clashingRunId) as RunEvent[]).map((e) =>
      e.type === 'RunStarted' ? { ...e, requestId: 'request-s-req-a' } : e,
    );
    await publish(eventRecords(first));
    await projected('s-req-a', last(first));
    await publish(eventRecords(clash.slice(0, 3)));
    const after = succeededRun('s-req-c');
    await publish(eventRecords(after));

    await projected('s-req-c', last(after));
    await waitUntil(
      async () =>
        (await readAll(Topics.deadLetters)).some((r) =>
          (JSON.parse(r.value!) as DeadLetter).reason.includes('runs_request_unique'),
        ),
      { message: 'the refused RunStarted dead-lettered' },
    );
    expect(await queries.getRun(clashingRunId)).toBeNull();
    expect((await queries.getRunEvents(clashingRunId, { limit: 10 })).items).toHaveLength(3);
  });

  it('matches the fold of the log, and a rebuild from the log writes identical rows', async () => {
    const history = succeededRun('s-last');
    await publish(eventRecords(history));
    await projected('s-last', last(history));
    await sut.stop(); // rebuilds run with the projectors stopped

    // The clashing run's RunStarted was refused on purpose (above); every other run matches its fold.
    const events = (await readRunEvents(log)).filter((e) => e.runId !== clashingRunId);
    expect(await verifyReadModel(sql, events)).toEqual([]);
    const before = await dumpRunTables(sql);
    expect(before.runs.length).toBeGreaterThanOrEqual(5);

    const result = await rebuildProjection(log, sql, { batchSize: 7 });

    expect(await dumpRunTables(sql)).toEqual(before);
    expect(result).toMatchObject({ refused: 3, stepLogs: 1 }); // two malformed, one refused RunStarted
    expect(await verifyReadModel(sql, events)).toEqual([]);
  });
});

describe('rebuildProjection after retention trimmed the log', () => {
  it('refuses before it empties anything, and names the archive', async () => {
    const trimmedDir = mkdtempSync(join(tmpdir(), 'baton-projector-trimmed-'));
    const trimmed = await EmbeddedEventLog.open({
      dir: trimmedDir,
      retainRecords: 1,
      onWarning: () => undefined,
    });
    try {
      await trimmed.ensureTopics(coreTopics(layout));
      const history = succeededRun('s-trimmed');
      const producer = await trimmed.producer();
      await producer.send(eventRecords(history));
      const partition = partitionForKey('s-trimmed', layout.runPartitions);
      const { end } = await trimmed.partitionOffsets(Topics.runEvents, partition);
      const tx = await trimmed.transactionalProducer('test-projector');
      await tx.commit({
        records: [],
        offsets: { groupId: PROJECTOR_GROUP_ID, topic: Topics.runEvents, partition, offset: end },
      });
      expect((await trimmed.partitionOffsets(Topics.runEvents, partition)).start).toBeGreaterThan(0);
      const before = await dumpRunTables(sql);

      await expect(rebuildProjection(trimmed, sql)).rejects.toThrow(
        new RegExp(
          `retention dropped older records \\(${Topics.runEvents}\\[${partition}\\] starts at offset \\d+\\).*npm run rebuild-from-archive`,
        ),
      );
      expect(await dumpRunTables(sql)).toEqual(before);
    } finally {
      await trimmed.close();
      rmSync(trimmedDir, { recursive: true, force: true });
    }
  });
});

describe('ProjectorModule', () => {
  @Global()
  @Module({
    providers: [
      { provide: EVENT_LOG, useFactory: () => log },
      { provide: SQL_CLIENT, useFactory: () => sql },
      { provide: CLOCK, useValue: clock },
      { provide: PLATFORM_CONFIG, useValue: { topics: layout } },
      { provide: MetricsRegistry, useFactory: () => new MetricsRegistry() },
    ],
    exports: [EVENT_LOG, SQL_CLIENT, CLOCK, PLATFORM_CONFIG, MetricsRegistry],
  })
  class TestPlatform {}

  it('starts the projector on bootstrap and leaves the group on shutdown', async () => {
    const app = await Test.createTestingModule({ imports: [TestPlatform, ProjectorModule] })
      .setLogger({ log: () => undefined, error: () => undefined, warn: () => undefined })
      .compile();
    await app.init();
    const running = succeededRun('m-running');
    await publish(eventRecords(running));
    await projected('m-running', last(running));

    await app.close();

    const later = succeededRun('m-after-close');
    await publish(eventRecords(later));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await queries.getRun('m-after-close')).toBeNull();
  });
});
