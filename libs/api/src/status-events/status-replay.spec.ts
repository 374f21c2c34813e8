import { Subject, type Observable } from 'rxjs';
import type { StatusCloudEvent } from '@baton/contracts';
import type { RunEventRecord } from '@baton/readmodel';
import { resumedStream, resumeSeq, statusEventsOf } from './status-replay';

const statusEvent = (seq: number): StatusCloudEvent =>
  ({
    id: `run-1/${seq}`,
    type: 'io.baton.step.running',
    data: { runId: 'run-1', seq },
  }) as unknown as StatusCloudEvent;

function collect(stream: Observable<StatusCloudEvent>): number[] {
  const seqs: number[] = [];
  stream.subscribe((e) => seqs.push(e.data.seq));
  return seqs;
}

describe('resuming a run stream from Last-Event-ID', () => {
  it('reads the seq from an id of the same run only', () => {
    expect(resumeSeq('run-1/7', 'run-1')).toBe(7);
    expect(resumeSeq('a/b/12', 'a/b')).toBe(12);
    expect(resumeSeq('run-2/7', 'run-1')).toBeNull();
    expect(resumeSeq('run-1/x', 'run-1')).toBeNull();
    expect(resumeSeq(undefined, 'run-1')).toBeNull();
    expect(resumeSeq('run-1/7', undefined)).toBeNull();
  });

  it('given events missed while away and events arriving during the replay, emits each once, in order', async () => {
    const live = new Subject<StatusCloudEvent>();
    let answer!: (events: StatusCloudEvent[]) => void;
    const seqs = collect(resumedStream(live, 4, () => new Promise((resolve) => (answer = resolve))));
    // Live events while the store is read: held back, the overlap with the store dropped.
    live.next(statusEvent(7));
    live.next(statusEvent(8));
    expect(seqs).toEqual([]);
    answer([statusEvent(6), statusEvent(5), statusEvent(7)]);
    await Promise.resolve();
    live.next(statusEvent(8));
    live.next(statusEvent(9));
    expect(seqs).toEqual([5, 6, 7, 8, 9]);
  });

  it('falls back to the live events when the replay fails', async () => {
    const live = new Subject<StatusCloudEvent>();
    const seqs = collect(resumedStream(live, 2, () => Promise.reject(new Error('db down'))));
    live.next(statusEvent(3));
    await new Promise((resolve) => setImmediate(resolve));
    live.next(statusEvent(4));
    expect(seqs).toEqual([3, 4]);
  });

  it('turns stored run events into the same CloudEvents the engine publishes, skipping the silent ones', () => {
    const records = [
      { seq: 1, type: 'RunStarted', at: 1000, payload: { type: 'RunStarted', runId: 'r', seq: 1, at: 1000 } },
      {
        seq: 2,
        type: 'StepLeaseExtended',
        at: 1001,
        payload: { type: 'StepLeaseExtended', runId: 'r', seq: 2, at: 1001 },
      },
      {
        seq: 3,
        type: 'StepStarted',
        at: 1002,
        payload: { type: 'StepStarted', runId: 'r', seq: 3, at: 1002, stepId: 'a', attempt: 1 },
      },
    ] as unknown as RunEventRecord[];
    const events = statusEventsOf(records, { id: 'wf', version: 2 });
    expect(events.map((e) => [e.id, e.type, e.data.workflowId, e.data.workflowVersion])).toEqual([
      ['r/1', 'io.baton.run.running', 'wf', 2],
      ['r/3', 'io.baton.step.running', 'wf', 2],
    ]);
  });
});
