import type { WorkflowEvent } from '@baton/domain/workflow-queue';
import {
  RECENT_DROPS_SHOWN,
  WorkflowQueueQueries,
  type DroppedRequestView,
} from '@baton/readmodel/workflow-queue-queries';
import type { SqlClient } from '@baton/sql';
import { RunQueries } from '@baton/readmodel';
import { T0 } from '@baton/domain/workflow-queue/testing/fixtures';
import { projectWorkflowEventRecords } from '../project-workflow-events';
import {
  busyHistory,
  eventRecords,
  firstOnlyBurstHistory,
  firstOnlyHistory,
  lastOnlyHistory,
  pausedHistory,
  stateOf,
  withRunIdPrefix,
} from './queue-histories';

/**
 * The drops the queue view lists after `events`: every `RunRequestDropped`
 * but a duplicate delivery's, newest first, at most `RECENT_DROPS_SHOWN`.
 */
function latestDrops(events: readonly WorkflowEvent[]): DroppedRequestView[] {
  return events
    .flatMap((event) =>
      event.type === 'RunRequestDropped' && event.reason !== 'duplicate'
        ? [
            {
              seq: event.seq,
              runId: event.runId,
              requestId: event.requestId,
              reason: event.reason,
              droppedAt: event.at,
            },
          ]
        : [],
    )
    .reverse()
    .slice(0, RECENT_DROPS_SHOWN);
}

/**
 * The queue projection's specification, run on PGlite (unit) and on a real
 * PostgreSQL (integration): `sql` is a migrated, empty read model; every
 * workflow id used is unique to its test.
 */
export function describeQueueProjection(
  name: string,
  open: () => { sql: () => SqlClient; prefix: string },
): void {
  describe(`workflow queue projection on ${name}`, () => {
    const ctx = open();
    const id = (suffix: string) => `${ctx.prefix}-${suffix}`;
    const queries = () => new WorkflowQueueQueries(ctx.sql());
    const project = (events: readonly WorkflowEvent[]) =>
      projectWorkflowEventRecords(ctx.sql(), eventRecords(events), T0);

    /** The read model must show what the queue's own state holds. */
    async function expectMatchesFold(workflowId: string, events: readonly WorkflowEvent[]): Promise<void> {
      const state = stateOf(events);
      const view = await queries().getQueue(workflowId, { limit: 500 });
      expect(view).toMatchObject({
        workflowId,
        runStrategy: state.strategy,
        paused: state.paused,
        blockedBy: state.blockedBy,
        running: state.running,
        runningCount: state.running.length,
        breakpoints: state.breakpoints,
        queuedCount: state.queue.length,
        lastSeq: state.lastSeq,
        updatedAt: events[events.length - 1].at,
      });
      expect(view.queued.map((run) => [run.runId, run.requestId, run.version, run.queuedAt])).toEqual(
        state.queue.map((q) => [q.start.runId, q.start.requestId, q.version, q.queuedAt]),
      );
      expect(view.recentlyDropped).toEqual(latestDrops(events));
    }

    async function dropRows(workflowId: string): Promise<number> {
      const [{ count }] = await ctx
        .sql()
        .query<{ count: number }>(
          'SELECT count(*)::int AS count FROM workflow_queue_drops WHERE workflow_id = $1',
          [workflowId],
        );
      return count;
    }

    it('folds every event type into the status and the waiting runs, as the queue holds them', async () => {
      const workflowId = id('busy');
      const history = busyHistory(workflowId);
      const types = new Set([...history, ...lastOnlyHistory('x')].map((event) => event.type));
      expect(types.size).toBe(12); // every WorkflowEvent type
      const { result, deadLetters } = await project(history);
      expect(deadLetters).toEqual([]);
      expect(result).toEqual({ applied: history.length, duplicates: 0, gaps: [] });
      await expectMatchesFold(workflowId, history);
      // The history ends blocked by its second failure, with two runs waiting behind the block.
      const view = await queries().getQueue(workflowId, { limit: 10 });
      expect(view).toMatchObject({
        blockedBy: 'run-4',
        runStrategy: { kind: 'strict_sequential' },
        running: [],
      });
      expect(view.queued.map((run) => run.runId)).toEqual(['run-5', 'run-6']);
    });

    it('is idempotent and order-safe: re-deliveries and older batches change nothing', async () => {
      const workflowId = id('again');
      const history = busyHistory(workflowId);
      for (let i = 0; i < history.length; i += 3) await project(history.slice(i, i + 3));
      await expectMatchesFold(workflowId, history);
      expect((await project(history)).result).toMatchObject({ applied: 0, duplicates: history.length });
      expect((await project(history.slice(0, 5))).result).toMatchObject({ applied: 0, duplicates: 5 });
      await expectMatchesFold(workflowId, history);
    });

    it('records each drop once, however often its batch is re-delivered', async () => {
      const workflowId = id('drops-again');
      const history = lastOnlyHistory(workflowId);
      for (let i = 0; i < history.length; i += 2) await project(history.slice(i, i + 2));
      await project(history);
      await project(history.slice(2));
      await expectMatchesFold(workflowId, history);
      expect(await dropRows(workflowId)).toBe(2);
    });

    it('drops superseded runs from the queue and keeps a first_only run until it starts', async () => {
      const last = lastOnlyHistory(id('last'));
      const first = firstOnlyHistory(id('first'));
      await project([...last, ...first]);
      await expectMatchesFold(id('last'), last);
      await expectMatchesFold(id('first'), first);
      expect((await queries().getQueue(id('last'), { limit: 10 })).queued.map((r) => r.runId)).toEqual([
        'run-4',
      ]);
    });

    it('lists the requests first_only and last_only dropped, newest first, with reason and time', async () => {
      const last = lastOnlyHistory(id('dropped-last'));
      const first = firstOnlyHistory(id('dropped-first'));
      await project([...last, ...first]);
      const seqOf = (events: readonly WorkflowEvent[], runId: string) =>
        events.find((e) => e.type === 'RunRequestDropped' && e.runId === runId)!.seq;
      // last_only: run-3 superseded run-2 (at T0+3), run-4 superseded run-3 (at T0+4).
      expect((await queries().getQueue(id('dropped-last'), { limit: 10 })).recentlyDropped).toEqual([
        {
          seq: seqOf(last, 'run-3'),
          runId: 'run-3',
          requestId: 'request-3',
          reason: 'superseded',
          droppedAt: T0 + 4,
        },
        {
          seq: seqOf(last, 'run-2'),
          runId: 'run-2',
          requestId: 'request-2',
          reason: 'superseded',
          droppedAt: T0 + 3,
        },
      ]);
      // first_only: run-1 waited (paused) when run-2 was requested at T0+3.
      expect((await queries().getQueue(id('dropped-first'), { limit: 10 })).recentlyDropped).toEqual([
        {
          seq: seqOf(first, 'run-2'),
          runId: 'run-2',
          requestId: 'request-2',
          reason: 'first_only_busy',
          droppedAt: T0 + 3,
        },
      ]);
    });

    it('does not list a repeated delivery of a decided run as a drop', async () => {
      const workflowId = id('duplicate');
      const history = busyHistory(workflowId);
      expect(history).toContainEqual(
        expect.objectContaining({ type: 'RunRequestDropped', reason: 'duplicate' }),
      );
      await project(history);
      expect((await queries().getQueue(workflowId, { limit: 10 })).recentlyDropped).toEqual([]);
      expect(await dropRows(workflowId)).toBe(0);
    });

    it(`lists only the latest ${RECENT_DROPS_SHOWN} drops, and keeps them all`, async () => {
      const workflowId = id('burst');
      const history = firstOnlyBurstHistory(workflowId, RECENT_DROPS_SHOWN + 5);
      await project(history);
      const view = await queries().getQueue(workflowId, { limit: 10 });
      expect(view.recentlyDropped.map((drop) => drop.runId)).toEqual(
        Array.from({ length: RECENT_DROPS_SHOWN }, (_, i) => `run-${RECENT_DROPS_SHOWN + 6 - i}`),
      );
      await expectMatchesFold(workflowId, history);
      expect(await dropRows(workflowId)).toBe(RECENT_DROPS_SHOWN + 5);
    });

    it('tells why a run never started, until the read model has the run', async () => {
      const workflowId = id('why');
      const prefix = id('why');
      const history = withRunIdPrefix(firstOnlyHistory(workflowId), prefix);
      await project(history);
      const runs = new RunQueries(ctx.sql());
      const drop = history.find((e) => e.type === 'RunRequestDropped')!;
      expect(await runs.getDroppedRequest(`${prefix}-run-2`)).toEqual({
        workflowId,
        seq: drop.seq,
        runId: `${prefix}-run-2`,
        requestId: 'request-2',
        reason: 'first_only_busy',
        droppedAt: T0 + 3,
      });
      // run-1 waited, then started: never dropped. A run id nobody requested is unknown.
      expect(await runs.getDroppedRequest(`${prefix}-run-1`)).toBeNull();
      expect(await runs.getDroppedRequest(`${prefix}-run-9`)).toBeNull();
      // A run the read model has is not dropped, whatever the queue once decided.
      await ctx.sql().query(
        `INSERT INTO runs (run_id, workflow_id, workflow_version, status, request_id, created_at, last_seq, updated_at)
         VALUES ($1, $2, 1, 'running', 'request-2', now(), 1, now())`,
        [`${prefix}-run-2`, workflowId],
      );
      expect(await runs.getDroppedRequest(`${prefix}-run-2`)).toBeNull();
    });

    it('shows a waiting run as queued, with the params it was requested with, until it leaves the queue', async () => {
      const workflowId = id('waiting');
      const prefix = id('waiting');
      await project(withRunIdPrefix(pausedHistory(workflowId), prefix));
      const runs = new RunQueries(ctx.sql());
      expect(await runs.getQueuedRun(`${prefix}-run-1`)).toMatchObject({
        runId: `${prefix}-run-1`,
        workflowId,
        workflowVersion: 1,
        status: 'queued',
        requestId: 'request-1',
        createdAt: T0 + 2,
        params: { n: 1 },
        steps: [],
      });
      expect(await runs.getQueuedRun(`${prefix}-run-9`)).toBeNull();
      // Resumed: run-1 starts (leaves the queue), run-2 waits behind it.
      await project(withRunIdPrefix(pausedHistory(workflowId, true), prefix));
      expect(await runs.getQueuedRun(`${prefix}-run-1`)).toBeNull();
      expect(await runs.getQueuedRun(`${prefix}-run-2`)).toMatchObject({
        status: 'queued',
        params: { n: 2 },
      });
    });

    it('pages the waiting runs in start order', async () => {
      const workflowId = id('paged');
      const history = busyHistory(workflowId).slice(0, 5); // two runs waiting behind a running one
      await project(history);
      const state = stateOf(history);
      const first = await queries().getQueue(workflowId, { limit: 1 });
      expect(first.queued.map((r) => r.runId)).toEqual([state.queue[0].start.runId]);
      expect(first.queuedCount).toBe(state.queue.length);
      expect(first.nextAfterPosition).not.toBeNull();
      const second = await queries().getQueue(workflowId, {
        limit: 10,
        afterPosition: first.nextAfterPosition!,
      });
      expect(second.queued.map((r) => r.runId)).toEqual(state.queue.slice(1).map((q) => q.start.runId));
      expect(second.nextAfterPosition).toBeNull();
    });

    it('shows a workflow without queue events as idle', async () => {
      expect(await queries().getQueue(id('never'), { limit: 10 })).toEqual({
        workflowId: id('never'),
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
        lastSeq: 0,
        updatedAt: null,
      });
    });

    it('dead-letters what does not decode and projects the rest of the batch', async () => {
      const workflowId = id('mixed');
      const history = firstOnlyHistory(workflowId);
      const records = eventRecords(history);
      const bad = [
        { ...records[0], value: '{' },
        { ...records[0], key: 'another-workflow' },
        { ...records[0], value: JSON.stringify({ ...history[0], seq: 0 }) },
      ];
      const { result, deadLetters } = await projectWorkflowEventRecords(ctx.sql(), [...bad, ...records], T0);
      expect(deadLetters.map((letter) => JSON.parse(letter.value!).reason)).toEqual([
        expect.stringMatching(/^value is not JSON/),
        `record key 'another-workflow' is not the event's workflow id '${workflowId}'`,
        'invalid WorkflowPaused',
      ]);
      expect(result.applied).toBe(history.length);
      await expectMatchesFold(workflowId, history);
    });
  });
}
