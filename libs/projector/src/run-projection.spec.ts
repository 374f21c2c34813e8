import type { RunEvent } from '@baton/domain';
import { Topics } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate, RunQueries } from '@baton/readmodel';
import { decodeBatch, projectBatch } from './project-batch';
import { dumpRunTables } from './testing/read-model-dump';
import { cancelledRun, failedRun, rejectedOnly, succeededRun, T0 } from './testing/run-histories';
import { verifyReadModel } from './verify-read-model';

// One in-memory PGlite for the file (initdb costs seconds); every spec uses its own run ids.
jest.setTimeout(60_000);

let sql: SqlClient;
let queries: RunQueries;
let offset = 0;

beforeAll(async () => {
  sql = await PGliteSqlClient.open();
  await migrate(sql);
  queries = new RunQueries(sql);
});

afterAll(async () => {
  await sql.close();
});

/** Log records of `values` (JSON-encoded unless already text), keyed by their run id. */
function records(topic: string, values: readonly (string | object)[]): LogRecord[] {
  return values.map((value) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const key = typeof value === 'string' ? 'k' : (value as { runId: string }).runId;
    return { topic, partition: 0, offset: offset++, key, value: text, headers: {}, timestamp: T0 + offset };
  });
}

/** Decodes and projects events as one batch, the way the projector does. */
async function project(events: readonly RunEvent[]) {
  const decoded = decodeBatch(records(Topics.runEvents, events), T0);
  expect(decoded.deadLetters).toEqual([]);
  return projectBatch(sql, decoded);
}

describe('run projection', () => {
  it('projects a realistic history into the run, its whole DAG, the attempts and run_events', async () => {
    const history = succeededRun('r-ok');
    const result = await project(history);

    expect(result).toMatchObject({ applied: history.length, duplicates: 0, withoutRun: 0, gaps: [] });
    const run = await queries.getRun('r-ok');
    expect(run).toMatchObject({
      runId: 'r-ok',
      workflowId: 'wf',
      workflowVersion: 1,
      status: 'succeeded',
      requestId: 'request-r-ok',
      createdAt: T0,
      startedAt: T0,
      endedAt: T0 + 21_200,
      timeoutAt: T0 + 3_600_000,
      failure: null,
      lastSeq: history.length,
      params: {},
    });
    const steps = Object.fromEntries(run!.steps.map((s) => [s.stepId, s]));
    expect(run!.steps.map((s) => s.stepId)).toEqual(['extract', 'load', 'report', 'cleanup']);
    expect(steps.extract).toMatchObject({
      status: 'succeeded',
      attempt: 2,
      outputs: { rows: 42 },
      readyAt: T0,
      startedAt: T0 + 100,
      endedAt: T0 + 1_400,
      errorKind: null,
    });
    expect(steps.extract.attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 'failed', errorKind: 'user', message: 'user boom' }),
      expect.objectContaining({
        attempt: 2,
        status: 'succeeded',
        startedAt: T0 + 1_300,
        endedAt: T0 + 1_400,
      }),
    ]);
    // The heartbeat at 20 s found less than half of the 30 s lease left and extended it.
    expect(steps.load.attempts).toEqual([
      expect.objectContaining({ status: 'succeeded', executorId: 'executor-1', leaseExpiresAt: T0 + 50_000 }),
    ]);
    expect(steps.report).toMatchObject({ status: 'succeeded', outputs: {} });
    expect(steps.cleanup).toMatchObject({ status: 'skipped', skipReason: 'condition_false', attempts: [] });

    const stored = await queries.getRunEvents('r-ok', { limit: 100 });
    expect(stored.items.map((e) => e.type)).toEqual(history.map((e) => e.type));
    expect(stored.items.map((e) => e.type)).toContain('CommandRejected');
    expect(stored.items[0].payload).toEqual(history[0]);
  });

  it('shows every step pending as soon as the run starts', async () => {
    await project(succeededRun('r-new').slice(0, 2)); // RunStarted, StepReady(extract)
    const run = await queries.getRun('r-new');
    expect(run!.steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['extract', 'ready', 1],
      ['cleanup', 'pending', 0],
      ['load', 'pending', 0],
      ['report', 'pending', 0],
    ]);
  });

  it('records failures and cancellations on the run and on the steps', async () => {
    await project([...failedRun('r-failed'), ...cancelledRun('r-cancelled')]);

    const failed = await queries.getRun('r-failed');
    expect(failed).toMatchObject({ status: 'failed', endedAt: T0 + 1_400 });
    expect(failed!.failure).toEqual({
      reason: 'step_failed',
      stepId: 'extract',
      message: expect.stringContaining('platform'),
    });
    const extract = failed!.steps.find((s) => s.stepId === 'extract')!;
    expect(extract).toMatchObject({
      status: 'failed',
      attempt: 2,
      errorKind: 'platform',
      endedAt: T0 + 1_400,
    });

    const cancelled = await queries.getRun('r-cancelled');
    expect(cancelled).toMatchObject({ status: 'cancelled', endedAt: T0 + 400 });
    expect(cancelled!.failure).toEqual({ reason: 'cancelled', stepId: null, message: 'no longer needed' });
    const load = cancelled!.steps.find((s) => s.stepId === 'load')!;
    expect(load).toMatchObject({ status: 'cancelled', endedAt: T0 + 400 });
    expect(load.attempts).toEqual([
      expect.objectContaining({ status: 'cancelled', message: 'run_cancelled', endedAt: T0 + 400 }),
    ]);
  });

  it('writes the same rows whatever the batch boundaries', async () => {
    const whole = succeededRun('r-whole');
    await project(whole);
    const piecewise = JSON.parse(JSON.stringify(whole).replaceAll('r-whole', 'r-pieces')) as RunEvent[];
    await project(piecewise.slice(0, 1));
    await project(piecewise.slice(1, 4));
    for (let i = 4; i < piecewise.length; i += 5) await project(piecewise.slice(i, i + 5));

    const rename = (dump: Record<string, unknown[]>) =>
      JSON.parse(JSON.stringify(dump).replaceAll('r-pieces', 'r-whole')) as unknown;
    expect(rename(await dumpRunTables(sql, ['r-pieces']))).toEqual(await dumpRunTables(sql, ['r-whole']));
  });

  it('changes nothing when the same batch is delivered twice', async () => {
    const history = succeededRun('r-twice');
    await project(history);
    const before = await dumpRunTables(sql, ['r-twice']);

    const again = await project(history);

    expect(again).toMatchObject({ applied: 0, duplicates: history.length });
    expect(await dumpRunTables(sql, ['r-twice'])).toEqual(before);
  });

  it('changes nothing when an older batch is re-delivered after newer ones', async () => {
    const history = succeededRun('r-old');
    const older = history.slice(0, 6);
    await project(older);
    await project(history.slice(6));
    const before = await dumpRunTables(sql, ['r-old']);

    const replayed = await project(older);

    expect(replayed).toMatchObject({ applied: 0, duplicates: older.length });
    expect(await dumpRunTables(sql, ['r-old'])).toEqual(before);
    expect((await queries.getRun('r-old'))!.status).toBe('succeeded');
  });

  it('keeps a rejection of a run that never started in run_events only', async () => {
    const rejected = rejectedOnly('r-ghost');
    const result = await project(rejected);

    expect(result).toMatchObject({ applied: 0, withoutRun: 1 });
    expect(await queries.getRun('r-ghost')).toBeNull();
    const stored = await queries.getRunEvents('r-ghost', { limit: 10 });
    expect(stored.items).toEqual([expect.objectContaining({ seq: 1, type: 'CommandRejected' })]);
  });

  it('sorts undecodable records out as dead letters with the reason and projects the rest', async () => {
    const history = succeededRun('r-mixed').slice(0, 2);
    const batch = [
      ...records(Topics.runEvents, ['not json {']),
      ...records(Topics.runEvents, [{ ...history[0], type: 'RunExploded' }]),
      ...records(Topics.runEvents, [{ ...history[0], seq: 'one' }]),
      ...records(Topics.runEvents, history),
    ];
    const decoded = decodeBatch(batch, T0 + 5);
    await projectBatch(sql, decoded);

    const letters = decoded.deadLetters.map((r) => JSON.parse(r.value!) as Record<string, unknown>);
    expect(decoded.deadLetters.every((r) => r.topic === Topics.deadLetters)).toBe(true);
    expect(letters).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining('not JSON'),
        value: 'not json {',
        at: T0 + 5,
      }),
      expect.objectContaining({ reason: 'unknown event type "RunExploded"' }),
      expect.objectContaining({
        reason: 'invalid RunStarted',
        problems: [{ path: '$.seq', message: 'must be int' }],
      }),
    ]);
    expect((await queries.getRun('r-mixed'))!.lastSeq).toBe(2);
  });

  it('upserts step log tails, newest record winning', async () => {
    const logs = (stdout: string, truncated = 0) => ({
      schemaVersion: 1,
      runId: 'r-logs',
      stepId: 'extract',
      attempt: 1,
      stdout,
      stderr: 'warn',
      truncatedBytes: { stdout: truncated, stderr: 0 },
    });
    const first = records(Topics.stepLogs, [logs('partial')]);
    const second = records(Topics.stepLogs, [logs('full output', 10)]);
    await projectBatch(sql, decodeBatch(second, T0));
    await projectBatch(sql, decodeBatch(first, T0)); // older, re-delivered late

    expect(await queries.getStepLogs('r-logs', 'extract')).toEqual({
      attempt: 1,
      stdoutTail: 'full output',
      stderrTail: 'warn',
      truncated: true,
      updatedAt: second[0].timestamp,
    });
  });

  describe('verifyReadModel', () => {
    it('finds no difference between a projection and the fold of its events', async () => {
      const histories = [succeededRun('r-v1'), failedRun('r-v2'), cancelledRun('r-v3'), rejectedOnly('r-v4')];
      await project(histories.flat());

      expect(await verifyReadModel(sql, histories.flat())).toEqual([]);
    });

    it('reports a tampered row', async () => {
      const history = succeededRun('r-tampered');
      await project(history);
      await sql.query(`UPDATE steps SET status = 'failed' WHERE run_id = 'r-tampered' AND step_id = 'load'`);
      await sql.query(
        `UPDATE steps SET outputs = '{"rows": 41}' WHERE run_id = 'r-tampered' AND step_id = 'extract'`,
      );
      await sql.query(`DELETE FROM run_events WHERE run_id = 'r-tampered' AND seq = 3`);

      expect(await verifyReadModel(sql, history)).toEqual([
        expect.objectContaining({ path: 'run_events.seqs' }),
        { runId: 'r-tampered', path: 'steps.extract.outputs', expected: { rows: 42 }, actual: { rows: 41 } },
        { runId: 'r-tampered', path: 'steps.load.status', expected: 'succeeded', actual: 'failed' },
      ]);
    });

    it('reports events the projection has not caught up with', async () => {
      const history = succeededRun('r-behind');
      await project(history.slice(0, 5));

      const differences = await verifyReadModel(sql, history);

      expect(differences).toContainEqual({
        runId: 'r-behind',
        path: 'run.status',
        expected: 'succeeded',
        actual: 'running',
      });
    });
  });
});
