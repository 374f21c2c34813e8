import { archiveRecords, migrateArchive, PostgresEventArchive } from '@baton/archive';
import type { LogRecord } from '@baton/eventlog';
import { projectRecords } from '@baton/projector';
import { dumpRunTables } from '@baton/projector/testing/read-model-dump';
import {
  eventRecords,
  failedRun,
  rejectedOnly,
  succeededRun,
  T0,
} from '@baton/projector/testing/run-histories';
import { migrate } from '@baton/readmodel';
import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { rebuildFromArchive } from './archive-rebuild';

// The archive and the read model in one in-memory PGlite, as in the embedded default.
jest.setTimeout(60_000);

let sql: SqlClient;
let archive: PostgresEventArchive;

beforeAll(async () => {
  sql = await PGliteSqlClient.open();
  await migrate(sql);
  await migrateArchive(sql);
  archive = new PostgresEventArchive(sql);
});

afterAll(() => sql.close());

describe('rebuildFromArchive', () => {
  it('rebuilds the run tables from the archive exactly as the projector builds them from the log', async () => {
    const histories = [succeededRun('r-ok'), failedRun('r-failed'), rejectedOnly('r-rejected')];
    // One partition of baton.run-events, as the archiver and the projector read it.
    const records: LogRecord[] = histories.flatMap(eventRecords).map((record, offset) => ({
      ...record,
      partition: 0,
      offset,
      headers: record.headers ?? {},
      timestamp: T0,
    }));
    expect((await archiveRecords(archive, records, T0)).deadLetters).toEqual([]);
    await projectRecords(sql, records, T0);
    const fromLog = await dumpRunTables(sql);
    expect(fromLog.runs!.length).toBe(histories.length - 1); // r-rejected never started: events, no run

    const result = await rebuildFromArchive(archive, sql, { batchSize: 7 });
    expect(result).toEqual({ events: records.length, applied: records.length - 1, refused: 0 }); // r-rejected's one event
    expect(await dumpRunTables(sql)).toEqual(fromLog);
  });
});
