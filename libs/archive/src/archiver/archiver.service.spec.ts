import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '@baton/domain';
import { Topics, type DeadLetter } from '@baton/contracts';
import { EmbeddedEventLog, type OutgoingRecord } from '@baton/eventlog';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { MetricsRegistry } from '@baton/observability';
import {
  cancelledRun,
  eventRecords,
  failedRun,
  succeededRun,
  T0,
} from '@baton/projector/testing/run-histories';
import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import type { ArchivedEvent } from '../event-archive.port';
import { migrateArchive } from '../postgres/archive-schema';
import { PostgresEventArchive } from '../postgres/postgres-event-archive';
import { ARCHIVER_GROUP_ID, ArchiverService } from './archiver.service';
import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';

// The real adapters: the embedded log in a temp dir, and the archive and the read model in one
// in-memory PGlite, as in the embedded default.
jest.setTimeout(60_000);

const layout = { runPartitions: 3, requestPartitions: 1 };
const clock = { now: () => T0 + 60_000 };
const quiet = SILENT_LOGGER;

let dir: string;
let log: EmbeddedEventLog;
let sql: SqlClient;
let archive: PostgresEventArchive;
let registry: MetricsRegistry;
let sut: ArchiverService;

beforeAll(async () => {
  sql = await PGliteSqlClient.open();
  await migrate(sql);
  await migrateArchive(sql);
  archive = new PostgresEventArchive(sql);
  dir = mkdtempSync(join(tmpdir(), 'baton-archiver-'));
  log = await EmbeddedEventLog.open({ dir, onWarning: () => undefined });
});

afterAll(async () => {
  await log.close();
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  registry = new MetricsRegistry();
  sut = new ArchiverService(log, archive, clock, registry, quiet, { topics: layout });
  await sut.start();
});

afterEach(() => sut.stop());

async function publish(records: readonly OutgoingRecord[]): Promise<void> {
  const producer = await log.producer();
  await producer.send(records);
  await producer.close();
}

async function stream(runId: string): Promise<ArchivedEvent[]> {
  const events: ArchivedEvent[] = [];
  for await (const event of archive.readStream(runId)) events.push(event);
  return events;
}

async function archived(runId: string, lastSeq: number): Promise<void> {
  await waitUntil(async () => (await stream(runId)).length === lastSeq, {
    message: `run ${runId} archived up to seq ${lastSeq}`,
  });
}

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await registry.getSingleMetric(name)!.get();
  const match = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
}

async function deadLetters(): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  for await (const record of log.readPartition(Topics.deadLetters, 0)) {
    letters.push(JSON.parse(record.value!) as DeadLetter);
  }
  return letters;
}

async function committedToEnd(): Promise<boolean> {
  for (let p = 0; p < layout.runPartitions; p++) {
    let end = 0;
    for await (const record of log.readPartition(Topics.runEvents, p)) end = record.offset + 1;
    if ((log.committedOffset(ARCHIVER_GROUP_ID, Topics.runEvents, p) ?? 0) !== end) return false;
  }
  return true;
}

const last = (events: readonly RunEvent[]) => events[events.length - 1]!.seq;

describe('ArchiverService on the embedded log and PGlite', () => {
  it('appends every run event to its run stream, byte for byte, and commits the offsets after', async () => {
    const histories = [succeededRun('a-ok'), failedRun('a-failed'), cancelledRun('a-cancelled')];
    await publish(histories.flatMap(eventRecords));

    for (const history of histories) await archived(history[0]!.runId, last(history));
    for (const history of histories) {
      const events = await stream(history[0]!.runId);
      expect(events.map((e) => e.json)).toEqual(history.map((e) => JSON.stringify(e)));
    }
    await waitUntil(committedToEnd, { message: 'offsets committed up to the end of every partition' });
    // A batch is counted once its commit is durable, which can be just after the offsets read back.
    await waitUntil(
      async () =>
        (await metric('baton_archiver_events_total', { outcome: 'appended' })) === histories.flat().length,
      {
        message: 'every event counted as appended',
      },
    );
    expect(await registry.metrics()).toMatch(/^baton_archiver_batch_duration_seconds_count [1-9]/m);
  });

  it('archives a re-published (re-delivered) history once', async () => {
    const history = succeededRun('a-again');
    await publish(eventRecords(history.slice(0, 5)));
    await archived('a-again', 5);
    await publish(eventRecords(history)); // 1..5 again, then the rest
    await archived('a-again', last(history));
    await waitUntil(committedToEnd, { message: 'offsets committed' });

    expect((await stream('a-again')).map((e) => e.seq)).toEqual(history.map((e) => e.seq));
    await waitUntil(
      async () => (await metric('baton_archiver_events_total', { outcome: 'duplicate' })) === 5,
      {
        message: 'five duplicates counted',
      },
    );
  });

  it('dead-letters malformed records and events that would leave a gap, and goes on', async () => {
    const history = cancelledRun('a-bad');
    const gapped = succeededRun('a-gap');
    const before = (await deadLetters()).length;
    await publish([
      { topic: Topics.runEvents, key: 'a-bad', value: 'not json' },
      { topic: Topics.runEvents, key: 'a-bad', value: JSON.stringify({ runId: 'a-bad', seq: 0 }) },
      ...eventRecords(gapped.slice(3, 5)), // seq 4 and 5 of a run the archive has never seen
      ...eventRecords(history),
    ]);
    await archived('a-bad', last(history));
    await waitUntil(async () => (await deadLetters()).length === before + 4, {
      message: 'four dead letters',
    });

    const letters = (await deadLetters()).slice(before);
    expect(letters.map((l) => l.reason)).toEqual([
      expect.stringMatching(/^value is not JSON/),
      'invalid run event envelope',
      expect.stringMatching(/archive refused the event: .*events 1\.\.3 are missing/),
      expect.stringMatching(/archive refused the event: .*events 1\.\.3 are missing/),
    ]);
    expect(letters[1]!.problems.map((p) => p.path)).toEqual(['$.seq', '$.type', '$.schemaVersion', '$.at']);
    expect(await stream('a-gap')).toEqual([]);
    await waitUntil(
      async () => (await metric('baton_archiver_events_total', { outcome: 'dead_letter' })) === 4,
      {
        message: 'four dead letters counted',
      },
    );
  });
});
