import type { ArchivedEvent } from '@baton/archive';
import type { DroppedRunRequest, RunEventRecord } from '@baton/readmodel';
import { GoneError } from '../../http/api.errors';
import { ListRunEventsQuery } from './list-run-events.query';
import { ListRunEventsHandler } from './list-run-events.handler';

const AT = 1_800_000_000_000;

describe('ListRunEventsHandler', () => {
  function given(read: { stored?: RunEventRecord[]; archived?: number; dropped?: DroppedRunRequest }) {
    const archive = {
      async *readStream(_runId: string, options?: { fromSeq?: number }): AsyncIterable<ArchivedEvent> {
        for (let seq = options?.fromSeq ?? 1; seq <= (read.archived ?? 0); seq++) {
          const json = JSON.stringify({ seq });
          yield {
            runId: 'run-1',
            seq,
            type: 'StepReady',
            schemaVersion: 1,
            at: AT + seq,
            json,
            position: `${seq}`,
          };
        }
      },
    };
    const sut = new ListRunEventsHandler(
      {
        getRunEvents: async () => ({ items: read.stored ?? [], nextAfterSeq: null }),
        getDroppedRequest: async () => read.dropped ?? null,
      },
      read.archived === undefined ? null : archive,
    );
    return (query: ConstructorParameters<typeof ListRunEventsQuery>[1]) =>
      sut.execute(new ListRunEventsQuery('run-1', query));
  }

  it('answers what the read model holds', async () => {
    const stored = [{ seq: 1, type: 'RunStarted', at: AT, payload: {} }];
    expect(await given({ stored, archived: 5 })({})).toEqual({ items: stored, nextAfterSeq: null });
  });

  it('reads the archive, a page at a time, for a run the read model no longer has', async () => {
    const when = given({ archived: 5 });
    const first = await when({ limit: 2 });
    expect(first).toEqual({
      items: [
        { seq: 1, type: 'StepReady', at: AT + 1, payload: { seq: 1 } },
        { seq: 2, type: 'StepReady', at: AT + 2, payload: { seq: 2 } },
      ],
      nextAfterSeq: 2,
    });
    expect(await when({ afterSeq: 4, limit: 2 })).toMatchObject({ items: [{ seq: 5 }], nextAfterSeq: null });
  });

  it('does not ask the archive when a type filter matched nothing', async () => {
    expect(await given({ archived: 5 })({ type: 'RunFailed' })).toEqual({ items: [], nextAfterSeq: null });
  });

  it('answers 410 for a run whose request was dropped, an empty page for one not projected yet', async () => {
    const dropped: DroppedRunRequest = {
      seq: 4,
      runId: 'run-1',
      requestId: 'req-1',
      workflowId: 'etl',
      reason: 'first_only_busy',
      droppedAt: AT,
    };
    await expect(given({ dropped })({})).rejects.toBeInstanceOf(GoneError);
    expect(await given({})({})).toEqual({ items: [], nextAfterSeq: null });
  });
});
