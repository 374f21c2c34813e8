import type { RunEvent } from '@baton/domain';
import { Topics } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate, RunQueries } from '@baton/readmodel';
import { decodeBatch, projectBatch } from './project-batch';
import {
  iterationRun,
  iterationsOfRestartedForeachRun,
  pausedAndStoppedRun,
  restartedForeachRun,
  skippedByUserRun,
} from './testing/child-run-histories';
import { dumpRunTables } from './testing/read-model-dump';
import { T0 } from './testing/run-histories';
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

function records(values: readonly object[]): LogRecord[] {
  return values.map((value) => ({
    topic: Topics.runEvents,
    partition: 0,
    offset: offset++,
    key: (value as { runId: string }).runId,
    value: JSON.stringify(value),
    headers: {},
    timestamp: T0 + offset,
  }));
}

/** Decodes and projects events as one batch, the way the projector does. */
async function project(events: readonly RunEvent[]) {
  const decoded = decodeBatch(records(events), T0);
  expect(decoded.deadLetters).toEqual([]);
  return projectBatch(sql, decoded);
}

const upTo = (history: readonly RunEvent[], seq: number) => history.filter((e) => e.seq <= seq);
const after = (history: readonly RunEvent[], seq: number) => history.filter((e) => e.seq > seq);

async function stepOf(runId: string, stepId: string) {
  const run = await queries.getRun(runId);
  return run!.steps.find((s) => s.stepId === stepId)!;
}

const link = (runId: string, index: number) => ({
  runId,
  stepId: 'each',
  attempt: 1,
  index,
  depth: 1,
  notify: true,
});

describe('run projection of loops, child runs and run actions', () => {
  describe('foreach', () => {
    it('shows the step waiting with its children counted, and no row per iteration', async () => {
      const history = restartedForeachRun('f-progress');
      await project(upTo(history, 3)); // RunStarted, StepReady (children), ChildRunsStarted (0, 1)

      expect(await stepOf('f-progress', 'each')).toMatchObject({
        status: 'waiting',
        attempt: 1,
        startedAt: T0,
        progress: { total: 3, started: 2, running: 2, succeeded: 0, failed: 0, cancelled: 0 },
        attempts: [expect.objectContaining({ attempt: 1, status: 'waiting', startedAt: T0, endedAt: null })],
      });

      await project(upTo(after(history, 3), 7)); // ends of 0 and 1, start of 2, end of 2
      expect((await stepOf('f-progress', 'each')).progress).toEqual({
        total: 3,
        started: 3,
        running: 0,
        succeeded: 2,
        failed: 1,
        cancelled: 0,
      });
      const dump = await dumpRunTables(sql, ['f-progress']);
      expect([dump.runs.length, dump.steps.length, dump.step_attempts.length]).toEqual([1, 2, 1]);
    });

    it('lists the iterations as child runs of their own, linked to the parent, and hides them from the runs list', async () => {
      const parent = 'f-parent';
      await project(upTo(restartedForeachRun(parent), 3));
      await project([
        ...iterationRun(`${parent}~each~1~1`, link(parent, 1)),
        ...iterationRun(`${parent}~each~1~0`, link(parent, 0)),
      ]);

      const children = await queries.listChildRuns(parent, { stepId: 'each', limit: 10 });
      expect(children.items.map((c) => [c.runId, c.status, c.parent])).toEqual([
        [
          `${parent}~each~1~0`,
          'succeeded',
          { runId: parent, stepId: 'each', attempt: 1, index: 0, depth: 1 },
        ],
        [
          `${parent}~each~1~1`,
          'succeeded',
          { runId: parent, stepId: 'each', attempt: 1, index: 1, depth: 1 },
        ],
      ]);
      expect(await queries.getRun(`${parent}~each~1~0`)).toMatchObject({
        parent: { runId: parent, stepId: 'each', attempt: 1, index: 0, depth: 1 },
        params: { n: 0 },
        runAttempt: 1,
      });
      const topLevel = await queries.listRuns({ workflowId: 'wf', limit: 500 });
      expect(topLevel.items.map((r) => r.runId)).toContain(parent);
      expect(topLevel.items.some((r) => r.parent !== null)).toBe(false);
      const all = await queries.listRuns({ workflowId: 'wf', includeChildren: true, limit: 500 });
      expect(all.items.map((r) => r.runId)).toEqual(
        expect.arrayContaining([`${parent}~each~1~0`, `${parent}~each~1~1`]),
      );
    });
  });

  describe('restart', () => {
    it('makes a finished run running again as its next attempt, the reset steps pending, their attempts kept', async () => {
      const history = restartedForeachRun('r-restart');
      await project(iterationsOfRestartedForeachRun('r-restart').flat());
      await project(upTo(history, 9));
      expect(await queries.getRun('r-restart')).toMatchObject({
        status: 'failed',
        runAttempt: 1,
        failure: { reason: 'step_failed', stepId: 'each' },
        endedAt: T0 + 300,
      });

      await project(upTo(after(history, 9), 10)); // RunRestarted
      const restarted = await queries.getRun('r-restart');
      expect(restarted).toMatchObject({ status: 'running', runAttempt: 2, failure: null, endedAt: null });
      const each = restarted!.steps.find((s) => s.stepId === 'each')!;
      expect(each).toMatchObject({
        status: 'pending',
        attempt: 1,
        readyAt: null,
        startedAt: null,
        endedAt: null,
        errorKind: null,
        errorMessage: null,
        progress: null,
      });
      expect(each.attempts).toEqual([
        expect.objectContaining({ attempt: 1, status: 'failed', message: 'iteration 1: child failed' }),
      ]);

      await project(after(history, 10));
      const done = await queries.getRun('r-restart');
      expect(done).toMatchObject({ status: 'succeeded', runAttempt: 2, endedAt: T0 + 1_500, failure: null });
      const again = done!.steps.find((s) => s.stepId === 'each')!;
      expect(again).toMatchObject({
        status: 'succeeded',
        attempt: 2,
        readyAt: T0 + 1_000,
        progress: { total: 3, started: 3, running: 0, succeeded: 3, failed: 0, cancelled: 0 },
      });
      // Step attempts keep counting across restarts; each records the run attempt it belongs to.
      expect(again.attempts.map((a) => [a.attempt, a.runAttempt, a.status])).toEqual([
        [1, 1, 'failed'],
        [2, 2, 'succeeded'],
      ]);
    });
  });

  describe('breakpoints and stop', () => {
    it('shows a step paused at its breakpoint, then the stop asked while the resumed step runs', async () => {
      const history = pausedAndStoppedRun('b-stop');
      await project(upTo(history, 5));
      const paused = await queries.getRun('b-stop');
      expect(paused).toMatchObject({ breakpoints: ['b'], stopping: null });
      expect(paused!.steps.find((s) => s.stepId === 'b')).toMatchObject({
        status: 'paused',
        attempt: 0,
        attempts: [],
      });

      await project(upTo(after(history, 5), 8)); // resumed, started, RunStopping
      const stopping = await queries.getRun('b-stop');
      expect(stopping).toMatchObject({ status: 'running', stopping: { reason: 'enough for today' } });
      expect(stopping!.steps.find((s) => s.stepId === 'b')).toMatchObject({ status: 'running', attempt: 1 });

      await project(after(history, 8));
      expect(await queries.getRun('b-stop')).toMatchObject({
        status: 'cancelled',
        stopping: { reason: 'enough for today' },
        failure: { reason: 'cancelled' },
      });
    });
  });

  describe('skipped by a user', () => {
    it('records who or why, and ends the attempt the step had open (waiting for a signal, or running)', async () => {
      const history = skippedByUserRun('u-skip');
      await project(upTo(history, 4));
      expect(await stepOf('u-skip', 'approve')).toMatchObject({
        status: 'waiting',
        signal: 'approved',
        progress: null,
        attempts: [expect.objectContaining({ attempt: 1, status: 'waiting', endedAt: null })],
      });

      await project(after(history, 4));
      const run = await queries.getRun('u-skip');
      expect(run!.status).toBe('succeeded');
      const [approve, load] = ['approve', 'load'].map((id) => run!.steps.find((s) => s.stepId === id)!);
      expect(approve).toMatchObject({
        status: 'skipped',
        skipReason: 'skipped_by_user',
        skipMessage: 'approved by phone',
        endedAt: T0 + 200,
      });
      expect(approve.attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          status: 'skipped',
          endedAt: T0 + 200,
          message: 'approved by phone',
        }),
      ]);
      expect(load.attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          status: 'skipped',
          executorId: 'executor-1',
          startedAt: T0 + 100,
          endedAt: T0 + 300,
          message: 'loaded by hand',
        }),
      ]);
    });
  });

  describe('like every event', () => {
    const histories = (prefix: string): RunEvent[][] => [
      restartedForeachRun(`${prefix}-each`),
      ...iterationsOfRestartedForeachRun(`${prefix}-each`),
      pausedAndStoppedRun(`${prefix}-stop`),
      skippedByUserRun(`${prefix}-skip`),
    ];
    const ids = (prefix: string) => histories(prefix).map((h) => h[0].runId);

    it('writes the same rows whatever the batch boundaries', async () => {
      await project(histories('whole').flat());
      for (const history of histories('single')) {
        for (const event of history) await project([event]);
      }
      const rename = (dump: Record<string, unknown[]>) =>
        JSON.parse(JSON.stringify(dump).replaceAll('single-', 'whole-')) as unknown;
      expect(rename(await dumpRunTables(sql, ids('single')))).toEqual(await dumpRunTables(sql, ids('whole')));
    });

    it('changes nothing when delivered again', async () => {
      const events = histories('twice').flat();
      await project(events);
      const before = await dumpRunTables(sql, ids('twice'));

      expect(await project(events)).toMatchObject({ applied: 0, duplicates: events.length });
      expect(await dumpRunTables(sql, ids('twice'))).toEqual(before);
    });

    it('agrees with the fold of the events, and a tampered counter or link is found', async () => {
      const events = histories('fold').flat();
      await project(events);
      expect(await verifyReadModel(sql, events)).toEqual([]);

      await sql.query(`UPDATE steps SET loop_running = 1 WHERE run_id = 'fold-each' AND step_id = 'each'`);
      await sql.query(
        `UPDATE runs SET parent_index = 5, run_attempt = 1 WHERE run_id IN ('fold-each~each~1~0', 'fold-each')`,
      );
      expect(await verifyReadModel(sql, events)).toEqual([
        { runId: 'fold-each', path: 'run.runAttempt', expected: 2, actual: 1 },
        expect.objectContaining({ runId: 'fold-each', path: 'steps.each.progress' }),
        expect.objectContaining({
          runId: 'fold-each~each~1~0',
          path: 'run.parent',
          actual: expect.objectContaining({ index: 5 }),
        }),
      ]);
    });
  });

  describe('decoding', () => {
    it('sends an event missing what the projection reads to the dead letters', () => {
      const [started, , childrenStarted] = restartedForeachRun('d-bad');
      const restarted = restartedForeachRun('d-bad').find((e) => e.type === 'RunRestarted')!;
      const decoded = decodeBatch(
        records([
          {
            ...childrenStarted,
            progress: { ...(childrenStarted as { progress: object }).progress, running: 'two' },
          },
          { ...restarted, resetSteps: ['each', 3] },
          { ...started, parent: { runId: 'p', stepId: 'each' } },
          { ...started, breakpoints: 'b' },
          { ...started, parent: null },
        ]),
        T0,
      );
      const letters = decoded.deadLetters.map(
        (r) => JSON.parse(r.value!) as { reason: string; problems: unknown },
      );
      expect(letters).toEqual([
        expect.objectContaining({
          reason: 'invalid ChildRunsStarted',
          problems: [{ path: '$.progress.running', message: 'must be int' }],
        }),
        expect.objectContaining({
          reason: 'invalid RunRestarted',
          problems: [{ path: '$.resetSteps', message: 'must be string[]' }],
        }),
        expect.objectContaining({
          reason: 'invalid RunStarted',
          problems: [
            { path: '$.parent.attempt', message: 'must be int' },
            { path: '$.parent.index', message: 'must be int' },
            { path: '$.parent.depth', message: 'must be int' },
          ],
        }),
        expect.objectContaining({
          reason: 'invalid RunStarted',
          problems: [{ path: '$.breakpoints', message: 'must be string[]' }],
        }),
      ]);
      expect(decoded.events).toHaveLength(1); // a top-level run's explicit `parent: null`
    });
  });
});
