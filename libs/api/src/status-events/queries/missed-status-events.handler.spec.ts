import type { Principal } from '@baton/auth';
import type { RunEventRecord } from '@baton/readmodel';
import { GetRunQuery } from '../../runs/queries/get-run.query';
import { ListRunEventsQuery, type RunEventsPage } from '../../runs/queries/list-run-events.query';
import { runDetail } from '../../runs/testing/run-fixtures';
import { MissedStatusEventsHandler } from './missed-status-events.handler';
import { MissedStatusEventsQuery } from './missed-status-events.query';

/** `count` stored events, seq 1.., each a StepReady of step `s<seq>` (one status event apiece). */
function stored(count: number): RunEventRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = i + 1;
    return {
      seq,
      type: 'StepReady',
      at: seq,
      payload: {
        type: 'StepReady',
        runId: 'run-1',
        seq,
        at: seq,
        stepId: `s${seq}`,
        attempt: 1,
        dispatch: { kind: 'pool' },
      },
    };
  });
}

describe('MissedStatusEventsHandler', () => {
  function given(events: RunEventRecord[], workflowId = 'etl') {
    const pages: ListRunEventsQuery[] = [];
    const sut = new MissedStatusEventsHandler({
      // The bus, answering the two queries the handler asks.
      execute: (async (query: unknown) => {
        if (query instanceof GetRunQuery) return runDetail({ workflowId });
        if (!(query instanceof ListRunEventsQuery)) throw new Error('unexpected query');
        pages.push(query);
        const after = query.query.afterSeq ?? 0;
        const items = events.filter((e) => e.seq > after).slice(0, query.query.limit);
        const page: RunEventsPage = { items, nextAfterSeq: items.at(-1)?.seq ?? null };
        return page;
      }) as never,
    });
    const when = (afterSeq: number, scopes: string[] | null = null) =>
      sut.execute(
        new MissedStatusEventsQuery('run-1', afterSeq, {
          subject: 'alice',
          role: 'viewer',
          scopes,
        } as Principal),
      );
    return { pages, when };
  }

  it("reads the run's events after the seq, a page of 1000 at a time, as status events", async () => {
    const { pages, when } = given(stored(1_500));
    const missed = await when(100);
    expect(missed).toHaveLength(1_400);
    expect(missed[0].id).toBe('run-1/101');
    expect(pages.map((page) => page.query.afterSeq)).toEqual([100, 1_100]);
  });

  it('shows a scoped caller nothing of a workflow outside its scopes, as the live stream would', async () => {
    const { pages, when } = given(stored(3), 'etl');
    expect(await when(0, ['sales.'])).toEqual([]);
    expect(pages).toEqual([]);
    expect(await when(0, ['et'])).toHaveLength(3);
  });
});
