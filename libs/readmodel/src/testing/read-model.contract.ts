import { migrate } from '../read-model-schema';
import { InvalidCursorError, RunQueries, type RunSummary } from '../run-queries';
import { jsonParam, type SqlClient } from '@baton/sql';
import { insertRun, uniqueId, type FreshDatabase, type SqlHarness } from './read-model.test-kit';
import { describeSqlClientContract } from './sql-client.contract';

/**
 * The read model's contract: the SqlClient port, migrations and the API's
 * queries (the workflow registry's is run by the projector that writes it,
 * `workflow-queue-projection.spec.ts` in libs/projector), against one adapter. Each adapter's spec
 * calls this with its harness; the same expectations hold for both.
 */
export function describeReadModelContract(adapter: string, harness: SqlHarness): void {
  describe(`read model on ${adapter}`, () => {
    afterAll(() => harness.dispose());

    describeSqlClientContract(harness);

    describe('on a migrated database', () => {
      let db: FreshDatabase;
      let sql: SqlClient;

      beforeAll(async () => {
        db = await harness.openFresh();
        sql = db.sql;
        await migrate(sql);
      });

      afterAll(() => sql.close());

      describeRunQueries(() => sql);
    });
  });
}

function describeRunQueries(sqlOf: () => SqlClient): void {
  describe('RunQueries', () => {
    let sut: RunQueries;
    const base = Date.UTC(2024, 5, 1, 12, 0, 0);

    beforeEach(() => {
      sut = new RunQueries(sqlOf());
    });

    const allPages = async (
      query: { workflowId?: string; status?: string; limit: number },
      between?: () => Promise<void>,
    ) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await sut.listRuns({ ...query, cursor });
        ids.push(...page.items.map((r) => r.runId));
        cursor = page.nextCursor ?? undefined;
        if (between) await between();
      } while (cursor);
      return ids;
    };

    it('lists runs of a workflow newest first, filtered by status', async () => {
      const wf = uniqueId('runs');
      await insertRun(sqlOf(), {
        runId: `${wf}-a`,
        workflowId: wf,
        createdAt: new Date(base),
        status: 'succeeded',
      });
      await insertRun(sqlOf(), {
        runId: `${wf}-b`,
        workflowId: wf,
        createdAt: new Date(base + 1),
        status: 'failed',
      });
      await insertRun(sqlOf(), { runId: `${wf}-c`, workflowId: wf, createdAt: new Date(base + 2) });
      await insertRun(sqlOf(), {
        runId: `${wf}-other`,
        workflowId: `${wf}-x`,
        createdAt: new Date(base + 3),
      });

      const all = await sut.listRuns({ workflowId: wf, limit: 10 });
      expect(all.items.map((r) => r.runId)).toEqual([`${wf}-c`, `${wf}-b`, `${wf}-a`]);
      expect(all.nextCursor).toBeNull();
      expect(all.items[0]).toEqual<RunSummary>({
        runId: `${wf}-c`,
        workflowId: wf,
        workflowVersion: 1,
        status: 'running',
        requestId: `req-${wf}-c`,
        runAttempt: 1,
        parent: null,
        createdAt: base + 2,
        startedAt: null,
        endedAt: null,
        timeoutAt: null,
        failure: null,
        lastSeq: 1,
        updatedAt: expect.any(Number),
      });
      const failed = await sut.listRuns({ workflowId: wf, status: 'failed', limit: 10 });
      expect(failed.items.map((r) => r.runId)).toEqual([`${wf}-b`]);
      const byStatusOnly = await sut.listRuns({ status: 'failed', limit: 500 });
      expect(byStatusOnly.items.map((r) => r.runId)).toContain(`${wf}-b`);
      expect(byStatusOnly.items.every((r) => r.status === 'failed')).toBe(true);
    });

    it('pages with a keyset cursor: every run once, ties on created_at broken by run id, to the microsecond', async () => {
      const wf = uniqueId('pages');
      const expected: string[] = [];
      // 23 runs; groups of three share a created_at (microseconds included).
      for (let i = 0; i < 23; i++) {
        const group = Math.floor(i / 3);
        const runId = `${wf}-${String(i).padStart(2, '0')}`;
        await insertRun(sqlOf(), {
          runId,
          workflowId: wf,
          createdAt: `2024-06-01T00:00:${String(10 + group)}.123456Z`,
        });
        expected.push(runId);
      }
      expected.reverse();
      for (const limit of [1, 4, 7, 23, 50]) {
        expect(await allPages({ workflowId: wf, limit })).toEqual(expected);
      }
    });

    it('keeps pages stable while new runs are projected between them: no duplicates, no gaps', async () => {
      const wf = uniqueId('live');
      for (let i = 0; i < 20; i++) {
        await insertRun(sqlOf(), {
          runId: `${wf}-old-${i}`,
          workflowId: wf,
          createdAt: new Date(base + i * 10),
        });
      }
      const snapshot = (await sut.listRuns({ workflowId: wf, limit: 500 })).items.map((r) => r.runId);
      let added = 0;
      const seen = await allPages({ workflowId: wf, limit: 6 }, async () => {
        // Newer runs arrive (one at the same instant as the newest old run).
        await insertRun(sqlOf(), {
          runId: `${wf}-new-${added++}`,
          workflowId: wf,
          createdAt: new Date(base + 1_000 + added),
        });
        await insertRun(sqlOf(), {
          runId: `${wf}-old-19-twin-${added}`,
          workflowId: wf,
          createdAt: new Date(base + 190),
        });
      });
      const old = seen.filter((id) => id.includes('-old-') && !id.includes('twin'));
      expect(old).toEqual(snapshot);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('rejects a cursor it did not make', async () => {
      for (const cursor of [
        'nope',
        Buffer.from('{"a":1}').toString('base64url'),
        Buffer.from('["x","y"]').toString('base64url'),
      ]) {
        await expect(sut.listRuns({ limit: 5, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
      }
    });

    it('returns a run with its steps and their attempts', async () => {
      const sql = sqlOf();
      const runId = uniqueId('detail');
      await insertRun(sql, { runId, workflowId: 'detail-wf', createdAt: new Date(base) });
      await sql.query(
        `UPDATE runs SET status = 'failed', started_at = $2, ended_at = $3, failure_reason = 'step_failed',
                failure_step_id = 'load', failure_message = 'exit 3', last_seq = 9 WHERE run_id = $1`,
        [runId, new Date(base + 1), new Date(base + 9)],
      );
      await sql.query(
        `INSERT INTO steps (run_id, step_id, status, attempt, params, outputs, ready_at, started_at, ended_at, updated_at)
         VALUES ($1, 'extract', 'succeeded', 1, $2::jsonb, $3::jsonb, $4, $4, $5, now()),
                ($1, 'load', 'failed', 2, '{}'::jsonb, NULL, $5, $5, $6, now()),
                ($1, 'notify', 'skipped', 0, NULL, NULL, NULL, NULL, NULL, now())`,
        [
          runId,
          jsonParam({ DAY: '2024-06-01' }),
          jsonParam({ rows: 12, files: ['a', 'b'] }),
          new Date(base + 2),
          new Date(base + 3),
          new Date(base + 8),
        ],
      );
      await sql.query(
        `INSERT INTO step_attempts (run_id, step_id, attempt, run_attempt, status, executor_id, started_at, ended_at, error_kind, message, updated_at)
         VALUES ($1, 'extract', 1, 1, 'succeeded', 'ex-1', $2, $3, NULL, NULL, now()),
                ($1, 'load', 2, 1, 'failed', 'ex-2', $4, $5, 'user', 'exit 3', now()),
                ($1, 'load', 1, 1, 'failed', 'ex-1', $3, $4, 'platform', 'lease expired', now())`,
        [runId, new Date(base + 2), new Date(base + 3), new Date(base + 5), new Date(base + 8)],
      );
      await sql.query(
        "UPDATE steps SET skip_reason = 'upstream_failed' WHERE run_id = $1 AND step_id = 'notify'",
        [runId],
      );

      const run = await sut.getRun(runId);
      expect(run).toMatchObject({
        runId,
        status: 'failed',
        params: { day: '2024-01-01' },
        startedAt: base + 1,
        endedAt: base + 9,
        failure: { reason: 'step_failed', stepId: 'load', message: 'exit 3' },
        lastSeq: 9,
      });
      expect(run!.steps.map((s) => [s.stepId, s.status, s.attempts.map((a) => a.attempt)])).toEqual([
        ['extract', 'succeeded', [1]],
        ['load', 'failed', [1, 2]],
        ['notify', 'skipped', []],
      ]);
      expect(run!.steps[0]).toMatchObject({
        params: { DAY: '2024-06-01' },
        outputs: { rows: 12, files: ['a', 'b'] },
      });
      expect(run!.steps[1]!.attempts[0]).toEqual({
        attempt: 1,
        runAttempt: 1,
        status: 'failed',
        executorId: 'ex-1',
        readyAt: null,
        startedAt: base + 3,
        endedAt: base + 5,
        leaseExpiresAt: null,
        errorKind: 'platform',
        message: 'lease expired',
      });
      expect(run!.steps[2]!.skipReason).toBe('upstream_failed');
      expect(await sut.getRun(uniqueId('missing'))).toBeNull();
    });

    /** A child run: `insertRun`, then the parent link the projector writes from `RunStarted.parent`. */
    const insertChild = async (
      runId: string,
      parent: { runId: string; stepId: string; attempt: number; index: number; depth?: number },
      extra: { status?: string; createdAt?: Date } = {},
    ) => {
      await insertRun(sqlOf(), {
        runId,
        workflowId: `${parent.runId}-wf.${parent.stepId}`,
        createdAt: extra.createdAt ?? new Date(base + 1_000 + parent.index),
        ...(extra.status === undefined ? {} : { status: extra.status }),
      });
      await sqlOf().query(
        `UPDATE runs SET parent_run_id = $2, parent_step_id = $3, parent_attempt = $4, parent_index = $5, depth = $6
          WHERE run_id = $1`,
        [runId, parent.runId, parent.stepId, parent.attempt, parent.index, parent.depth ?? 1],
      );
    };

    it('lists top-level runs only, unless asked for child runs too', async () => {
      const wf = uniqueId('top');
      await insertRun(sqlOf(), { runId: `${wf}-parent`, workflowId: wf, createdAt: new Date(base) });
      await insertChild(`${wf}-child`, { runId: `${wf}-parent`, stepId: 'each', attempt: 1, index: 0 });
      // A subworkflow's child runs the called workflow: same workflow id as top-level runs of it.
      await sqlOf().query('UPDATE runs SET workflow_id = $2 WHERE run_id = $1', [`${wf}-child`, wf]);

      expect((await sut.listRuns({ workflowId: wf, limit: 10 })).items.map((r) => r.runId)).toEqual([
        `${wf}-parent`,
      ]);
      const withChildren = await sut.listRuns({ workflowId: wf, includeChildren: true, limit: 10 });
      expect(withChildren.items.map((r) => [r.runId, r.parent])).toEqual([
        [`${wf}-child`, { runId: `${wf}-parent`, stepId: 'each', attempt: 1, index: 0, depth: 1 }],
        [`${wf}-parent`, null],
      ]);
      const everything = await allPages({ limit: 500 });
      expect(everything).toContain(`${wf}-parent`);
      expect(everything).not.toContain(`${wf}-child`);
    });

    it('lists the children of a run by step, attempt and index, filtered and paged', async () => {
      const parent = uniqueId('parent');
      await insertRun(sqlOf(), { runId: parent, workflowId: 'loops', createdAt: new Date(base) });
      const expected: string[] = [];
      // Inserted out of order: the list order is (step, attempt, index), not insertion or creation.
      for (const [stepId, attempt, index, status] of [
        ['each', 2, 1, 'running'],
        ['each', 1, 10, 'failed'],
        ['each', 1, 2, 'succeeded'],
        ['sub', 1, 0, 'succeeded'],
        ['each', 2, 0, 'succeeded'],
        ['each', 1, 0, 'succeeded'],
        ['each', 1, 1, 'failed'],
      ] as const) {
        await insertChild(
          `${parent}~${stepId}~${attempt}~${index}`,
          { runId: parent, stepId, attempt, index },
          {
            status,
            createdAt: new Date(base + 5_000 - index),
          },
        );
      }
      expected.push(
        ...['each~1~0', 'each~1~1', 'each~1~2', 'each~1~10', 'each~2~0', 'each~2~1', 'sub~1~0'].map(
          (id) => `${parent}~${id}`,
        ),
      );
      const pages = async (query: { stepId?: string; attempt?: number; status?: string; limit: number }) => {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await sut.listChildRuns(parent, { ...query, cursor });
          ids.push(...page.items.map((r) => r.runId));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return ids;
      };

      for (const limit of [1, 2, 3, 7, 50]) expect(await pages({ limit })).toEqual(expected);
      expect(await pages({ stepId: 'each', attempt: 1, limit: 3 })).toEqual(expected.slice(0, 4));
      expect(await pages({ stepId: 'each', status: 'failed', limit: 1 })).toEqual([expected[1], expected[3]]);
      const [first] = (await sut.listChildRuns(parent, { stepId: 'sub', limit: 5 })).items;
      expect(first).toMatchObject({
        runId: `${parent}~sub~1~0`,
        status: 'succeeded',
        parent: { runId: parent, stepId: 'sub', attempt: 1, index: 0, depth: 1 },
      });
      expect(await sut.listChildRuns(uniqueId('childless'), { limit: 5 })).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('refuses a cursor of the runs list for the children list, and the other way round', async () => {
      const wf = uniqueId('cursors');
      for (let i = 0; i < 3; i++) {
        await insertRun(sqlOf(), { runId: `${wf}-${i}`, workflowId: wf, createdAt: new Date(base + i) });
        await insertChild(`${wf}-0~each~1~${i}`, { runId: `${wf}-0`, stepId: 'each', attempt: 1, index: i });
      }
      const runsCursor = (await sut.listRuns({ workflowId: wf, limit: 1 })).nextCursor!;
      const childCursor = (await sut.listChildRuns(`${wf}-0`, { limit: 1 })).nextCursor!;
      await expect(sut.listChildRuns(`${wf}-0`, { limit: 1, cursor: runsCursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(sut.listRuns({ limit: 1, cursor: childCursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(sut.listChildRuns(`${wf}-0`, { limit: 1, cursor: 'nope' })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    it('returns the run attempt, parent, breakpoints, stop and the loop progress of a run', async () => {
      const sql = sqlOf();
      const parent = uniqueId('loop-parent');
      const runId = `${parent}~each~1~7`;
      await insertRun(sql, { runId: parent, workflowId: 'loops', createdAt: new Date(base) });
      await insertChild(runId, { runId: parent, stepId: 'each', attempt: 1, index: 7, depth: 2 });
      await sql.query(
        `UPDATE runs SET run_attempt = 3, breakpoints = '["load"]'::jsonb, stop_reason = 'enough' WHERE run_id = $1`,
        [runId],
      );
      await sql.query(
        `INSERT INTO steps (run_id, step_id, status, attempt, ready_at, skip_reason, skip_message, wait_signal,
                            loop_total, loop_started, loop_running, loop_succeeded, loop_failed, loop_cancelled,
                            updated_at)
         VALUES ($1, 'each', 'waiting', 2, $2, NULL, NULL, NULL, 100000, 1234, 20, 1200, 10, 4, now()),
                ($1, 'again', 'waiting', 1, $3, NULL, NULL, NULL, NULL, 3, 1, 2, 0, 0, now()),
                ($1, 'approve', 'waiting', 1, $4, NULL, NULL, 'approved', NULL, NULL, NULL, NULL, NULL, NULL, now()),
                ($1, 'load', 'paused', 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, now()),
                ($1, 'notify', 'skipped', 0, NULL, 'skipped_by_user', 'not today', NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, now())`,
        [runId, new Date(base + 1), new Date(base + 2), new Date(base + 3)],
      );

      const run = await sut.getRun(runId);
      expect(run).toMatchObject({
        runId,
        runAttempt: 3,
        parent: { runId: parent, stepId: 'each', attempt: 1, index: 7, depth: 2 },
        breakpoints: ['load'],
        stopping: { reason: 'enough' },
      });
      const steps = Object.fromEntries(run!.steps.map((s) => [s.stepId, s]));
      expect(steps.each).toMatchObject({
        status: 'waiting',
        progress: { total: 100000, started: 1234, running: 20, succeeded: 1200, failed: 10, cancelled: 4 },
        signal: null,
      });
      expect(steps.again!.progress).toEqual({
        total: null,
        started: 3,
        running: 1,
        succeeded: 2,
        failed: 0,
        cancelled: 0,
      });
      expect(steps.approve).toMatchObject({ status: 'waiting', signal: 'approved', progress: null });
      expect(steps.load).toMatchObject({ status: 'paused', progress: null });
      expect(steps.notify).toMatchObject({ skipReason: 'skipped_by_user', skipMessage: 'not today' });

      const top = await sut.getRun(parent);
      expect(top).toMatchObject({ runAttempt: 1, parent: null, breakpoints: [], stopping: null });
    });

    it('returns the events of a run by seq, in pages after a seq', async () => {
      const sql = sqlOf();
      const runId = uniqueId('events');
      for (let seq = 1; seq <= 5; seq++) {
        const event = {
          type: seq === 1 ? 'RunStarted' : 'StepReady',
          runId,
          seq,
          schemaVersion: 1,
          at: base + seq,
          params: { n: seq },
        };
        await sql.query(
          'INSERT INTO run_events (run_id, seq, type, schema_version, at, payload) VALUES ($1, $2, $3, 1, $4, $5::jsonb)',
          [runId, seq, event.type, new Date(event.at), jsonParam(event)],
        );
      }
      const first = await sut.getRunEvents(runId, { limit: 2 });
      expect(first.items.map((e) => e.seq)).toEqual([1, 2]);
      expect(first.items[0]).toEqual({
        seq: 1,
        type: 'RunStarted',
        at: base + 1,
        payload: { type: 'RunStarted', runId, seq: 1, schemaVersion: 1, at: base + 1, params: { n: 1 } },
      });
      expect(first.nextAfterSeq).toBe(2);
      const rest = await sut.getRunEvents(runId, { afterSeq: 2, limit: 10 });
      expect(rest.items.map((e) => e.seq)).toEqual([3, 4, 5]);
      expect(rest.nextAfterSeq).toBeNull();
      expect((await sut.getRunEvents(runId, { afterSeq: 3, limit: 2 })).nextAfterSeq).toBeNull();
      const started = await sut.getRunEvents(runId, { limit: 10, type: 'RunStarted' });
      expect(started.items.map((e) => e.seq)).toEqual([1]);
      expect(await sut.getRunEvents(uniqueId('none'), { limit: 10 })).toEqual({
        items: [],
        nextAfterSeq: null,
      });
    });

    it('returns the log tails of the latest or of a chosen attempt', async () => {
      const sql = sqlOf();
      const runId = uniqueId('logs');
      await sql.query(
        `INSERT INTO step_logs (run_id, step_id, attempt, stdout_tail, stderr_tail, truncated, updated_at)
         VALUES ($1, 'extract', 1, 'out 1', 'err 1', false, $2), ($1, 'extract', 2, 'out 2', '', true, $2)`,
        [runId, new Date(base)],
      );
      expect(await sut.getStepLogs(runId, 'extract')).toEqual({
        attempt: 2,
        stdoutTail: 'out 2',
        stderrTail: '',
        truncated: true,
        updatedAt: base,
      });
      expect(await sut.getStepLogs(runId, 'extract', 1)).toMatchObject({ attempt: 1, stdoutTail: 'out 1' });
      expect(await sut.getStepLogs(runId, 'extract', 3)).toBeNull();
      expect(await sut.getStepLogs(runId, 'other')).toBeNull();
    });
  });
}
