import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { checkLogIdentity, LogMismatchError } from './log-identity';

const LOG_A = '11111111-1111-4111-8111-111111111111';
const LOG_B = '22222222-2222-4222-8222-222222222222';
const DIR = '/data/.baton/log';

describe('checkLogIdentity: a read model that knows runs the log does not refuses the start', () => {
  let sql: SqlClient;

  // Opening PGlite and migrating takes seconds on a busy 2-core machine.
  beforeAll(async () => {
    sql = await PGliteSqlClient.open();
    await migrate(sql);
  }, 30_000);

  afterAll(async () => {
    await sql.close();
  });

  beforeEach(async () => {
    await sql.query('DROP TABLE IF EXISTS baton_event_log_identity');
    await sql.query('DELETE FROM runs');
  });

  async function addRun(runId: string): Promise<void> {
    await sql.query(
      `INSERT INTO runs (run_id, workflow_id, workflow_version, status, request_id, created_at, last_seq, updated_at)
       VALUES ($1, 'wf', 1, 'succeeded', $1, now(), 3, now())`,
      [runId],
    );
  }

  it('records the log on the first start, and passes it on the next', async () => {
    await addRun('run-1');
    await expect(
      checkLogIdentity(sql, { logId: LOG_A, createdOnOpen: false, dir: DIR }),
    ).resolves.toBeUndefined();
    await expect(
      checkLogIdentity(sql, { logId: LOG_A, createdOnOpen: false, dir: DIR }),
    ).resolves.toBeUndefined();
  });

  it('a fresh log next to an empty read model is a first start', async () => {
    await expect(
      checkLogIdentity(sql, { logId: LOG_A, createdOnOpen: true, dir: DIR }),
    ).resolves.toBeUndefined();
  });

  it('refuses another log than the one the read model was built from, naming both and the ways out', async () => {
    await checkLogIdentity(sql, { logId: LOG_A, createdOnOpen: false, dir: DIR });
    const refused = checkLogIdentity(sql, { logId: LOG_B, createdOnOpen: true, dir: DIR });
    await expect(refused).rejects.toBeInstanceOf(LogMismatchError);
    await expect(refused).rejects.toThrow(
      `the read model was built from event log ${LOG_A}, but ${DIR}/events.wal is event log ${LOG_B} (just created: the file was missing). ` +
        `Restore ${DIR} from a backup; or, to go on with this log and leave the runs it does not know behind ` +
        `(their requestIds may start new runs), start once with BATON_ACCEPT_EVENT_LOG=${LOG_B}`,
    );
  });

  it('refuses a missing log next to a read model with runs (one that never recorded a log id)', async () => {
    await addRun('run-1');
    await addRun('run-2');
    await expect(checkLogIdentity(sql, { logId: LOG_B, createdOnOpen: true, dir: DIR })).rejects.toThrow(
      /the read model knows 2 runs, but \/data\/.baton\/log\/events.wal was missing/,
    );
  });

  it('goes on with the log BATON_ACCEPT_EVENT_LOG names, says so, and passes it from then on', async () => {
    await checkLogIdentity(sql, { logId: LOG_A, createdOnOpen: false, dir: DIR });
    await expect(
      checkLogIdentity(sql, { logId: LOG_B, createdOnOpen: true, dir: DIR }, LOG_A),
    ).rejects.toThrow(LogMismatchError);
    await expect(
      checkLogIdentity(sql, { logId: LOG_B, createdOnOpen: true, dir: DIR }, LOG_B),
    ).resolves.toMatch(`built from event log ${LOG_A}, goes on with event log ${LOG_B}`);
    await expect(
      checkLogIdentity(sql, { logId: LOG_B, createdOnOpen: false, dir: DIR }),
    ).resolves.toBeUndefined();
  });
});
