import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { EventLog } from '@baton/eventlog';
import { HealthService, ObservabilityModule } from '@baton/observability';
import { PGliteSqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { loadPlatformConfig } from './platform.config';
import { openEventLog, PlatformModule } from './platform.module';
import { EVENT_LOG, SQL_CLIENT } from './tokens';

describe('openEventLog', () => {
  it("sends the embedded log's warnings to the process log (Nest's Logger), not to the console", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-platform-'));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const config = loadPlatformConfig({ BATON_DATA_DIR: dataDir });
      if (config.eventLog.kind !== 'embedded') throw new Error('expected the embedded default');
      const log = await openEventLog(config);
      await log.ensureTopics([{ name: 'events', partitions: 1 }]);
      await (await log.producer()).send([{ topic: 'events', key: 'k', value: 'v' }]);
      await log.close();
      // A torn last frame, as a crash mid-write leaves it: the next open drops it and warns.
      const wal = path.join(config.eventLog.dir, 'events.wal');
      fs.truncateSync(wal, fs.statSync(wal).size - 3);

      await (await openEventLog(config)).close();

      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ msg: expect.stringContaining('torn tail') }),
      );
    } finally {
      warn.mockRestore();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an embedded log that was lost next to a read model with runs, and leaves the directory unlocked', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-platform-'));
    const sql = await PGliteSqlClient.open();
    try {
      await migrate(sql);
      const config = loadPlatformConfig({ BATON_DATA_DIR: dataDir });
      if (config.eventLog.kind !== 'embedded') throw new Error('expected the embedded default');
      await (await openEventLog(config, sql)).close();
      await sql.query(
        `INSERT INTO runs (run_id, workflow_id, workflow_version, status, request_id, created_at, last_seq, updated_at)
         VALUES ('run-1', 'wf', 1, 'succeeded', 'req-1', now(), 3, now())`,
      );
      fs.rmSync(path.join(config.eventLog.dir, 'events.wal'));
      await expect(openEventLog(config, sql)).rejects.toThrow(
        /the read model was built from event log .* \(just created/,
      );
      // A read model from before the check recorded no log id: its runs alone refuse a missing log, every time.
      await sql.query('DROP TABLE baton_event_log_identity');
      await expect(openEventLog(config, sql)).rejects.toThrow(
        /the read model knows 1 runs, but .* was missing/,
      );
      // Refused again (the failed start left no log behind to adopt), and the lock was released each time.
      await expect(openEventLog(config, sql)).rejects.toThrow(/was missing.*BATON_ACCEPT_EVENT_LOG=/);
    } finally {
      await sql.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000); // opens PGlite and migrates: seconds on a busy 2-core machine
});

describe('PlatformModule.forLog', () => {
  it('gives a process the log, the clock and the config without opening a database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-platform-log-'));
    const config = loadPlatformConfig({ BATON_DATA_DIR: dataDir });
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forService('engine'), PlatformModule.forLog(config)],
    }).compile();
    try {
      await moduleRef.init();
      const log = moduleRef.get<EventLog>(EVENT_LOG);
      await log.ensureTopics([{ name: 'events', partitions: 1 }]);

      expect(() => moduleRef.get(SQL_CLIENT)).toThrow();
      const health = await moduleRef.get(HealthService).ready();
      expect(Object.keys(health.checks ?? {})).toEqual(['eventLog']);
      // Only the log's files: no read-model database was created beside it.
      expect(fs.readdirSync(dataDir)).toEqual(['log']);
    } finally {
      await moduleRef.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
