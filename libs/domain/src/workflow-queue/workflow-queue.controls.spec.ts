import { RECENT_RUNS_KEPT } from './workflow-queue.state';
import { ev, PARALLEL, parallelUpTo, SEQUENTIAL, T0, version, wq } from './testing/fixtures';
import { given } from './testing/given-when-then';

describe('pause and resume', () => {
  const v1 = version(parallelUpTo(2));

  it('queues new runs while paused even with free slots; runs already started go on', () => {
    const spec = given(wq.request(1, v1), wq.pause());
    spec.when(wq.request(2, v1)).then(ev.queued(2, v1));
    given(wq.request(1, v1), wq.pause(), wq.request(2, v1)).when(wq.ended(1)).then(ev.finished(1));
  });

  it('on resume starts as many waiting runs as slots allow, oldest first', () => {
    given(wq.pause(), wq.request(1, v1), wq.request(2, v1), wq.request(3, v1))
      .when(wq.resume())
      .then({ type: 'WorkflowResumed' }, ev.admitted(1, v1, true), ev.admitted(2, v1, true));
  });

  it('refuses to pause a paused workflow and to resume a running one', () => {
    given(wq.pause()).when(wq.pause()).thenRejected('AlreadyPaused');
    given().when(wq.resume()).thenRejected('NotPaused');
    given(wq.pause(), wq.resume()).when(wq.resume()).thenRejected('NotPaused');
  });

  it('pauses a workflow before its first request', () => {
    const outcome = given().when(wq.pause()).then({ type: 'WorkflowPaused' });
    expect(outcome.after).toMatchObject({ paused: true, strategy: null, lastSeq: 1 });
  });
});

describe('workflow breakpoints', () => {
  const v1 = version(SEQUENTIAL);

  it("are merged into each run as it starts, after the request's own, each step once", () => {
    given(wq.breakpoints(['load', 'extract']))
      .when(wq.request(1, v1, 0, ['extract', 'check']))
      .then(ev.strategy(SEQUENTIAL), ev.admitted(1, v1, false, ['extract', 'check', 'load']));
  });

  it('apply to a run that was queued before they were set', () => {
    given(wq.request(1, v1), wq.request(2, v1), wq.breakpoints(['extract']))
      .when(wq.ended(1))
      .then(ev.finished(1), ev.admitted(2, v1, true, ['extract']));
  });

  it('are replaced by the next set, and cleared by an empty one', () => {
    const spec = given(wq.breakpoints(['a', 'b', 'a']));
    expect(spec.state.breakpoints).toEqual(['a', 'b']);
    spec.when(wq.breakpoints([])).then({ type: 'WorkflowBreakpointsSet', stepIds: [] });
    given(wq.breakpoints(['a']), wq.breakpoints([]))
      .when(wq.request(1, v1))
      .then(ev.strategy(SEQUENTIAL), ev.admitted(1, v1));
  });
});

describe('repeated requests (admission delivers at least once)', () => {
  const v1 = version(SEQUENTIAL);

  it('drops a request for a run that is running, waiting, or started and ended', () => {
    const spec = given(wq.request(1, v1), wq.request(2, v1));
    spec.when(wq.request(1, v1)).then(ev.dropped(1, 'duplicate'));
    spec.when(wq.request(2, v1)).then(ev.dropped(2, 'duplicate'));
    given(wq.request(1, v1), wq.ended(1)).when(wq.request(1, v1)).then(ev.dropped(1, 'duplicate'));
  });

  it('drops a repeat of a dropped request, and a repeat never changes the strategy', () => {
    given(wq.request(1, version(PARALLEL, 1)))
      .when(wq.request(1, version(SEQUENTIAL, 2)))
      .then(ev.dropped(1, 'duplicate'));
  });

  it(`remembers the last ${RECENT_RUNS_KEPT} run ids decided on, not more`, () => {
    const v = version(PARALLEL);
    const history = [wq.request(0, v), wq.ended(0)];
    for (let n = 1; n <= RECENT_RUNS_KEPT; n++) history.push(wq.request(n, v), wq.ended(n));
    const spec = given(...history);
    expect(spec.state.recentRunIds).toHaveLength(RECENT_RUNS_KEPT);
    spec.when(wq.request(0, v)).then(ev.admitted(0, v));
    spec.when(wq.request(1, v)).then(ev.dropped(1, 'duplicate'));
  });
});

describe('cancelling a queued run', () => {
  const v1 = version(SEQUENTIAL);

  it('drops it from the queue: it never starts, and the next one takes the free slot', () => {
    const spec = given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v1));
    const outcome = spec.when(wq.cancelQueued(2)).then(ev.dropped(2, 'cancelled'));
    expect(outcome.after.queue.map((entry) => entry.start.runId)).toEqual(['run-3']);
    given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v1), wq.cancelQueued(2))
      .when(wq.ended(1))
      .then(ev.finished(1), ev.admitted(3, v1, true));
  });

  it('forgets the version a cancelled run alone was queued with', () => {
    const v2 = version(SEQUENTIAL, 2);
    const outcome = given(wq.request(1, v1), wq.request(2, v2))
      .when(wq.cancelQueued(2))
      .then(ev.dropped(2, 'cancelled'));
    expect(Object.keys(outcome.after.definitions)).toEqual([]);
  });

  it('refuses a run that started, was dropped, or was never requested', () => {
    given(wq.request(1, v1)).when(wq.cancelQueued(1)).thenRejected('RunNotQueued');
    given(wq.request(1, v1), wq.request(2, v1), wq.cancelQueued(2))
      .when(wq.cancelQueued(2))
      .thenRejected('RunNotQueued');
    given().when(wq.cancelQueued(9)).thenRejected('RunNotQueued');
  });
});

describe('runs ending', () => {
  it('refuses the end of a run the queue holds no slot for', () => {
    given(wq.request(1, version(SEQUENTIAL)))
      .when(wq.ended(7, 'failed'))
      .thenRejected('RunNotRunning');
  });

  it('refuses the end of a run that is only waiting', () => {
    given(wq.request(1, version(SEQUENTIAL)), wq.request(2, version(SEQUENTIAL)))
      .when(wq.ended(2))
      .thenRejected('RunNotRunning');
  });
});

describe('event envelope', () => {
  it('numbers events per workflow with no gaps, rejections included, stamped with the command time', () => {
    const v1 = version(SEQUENTIAL);
    const spec = given(wq.request(1, v1), wq.pause(), wq.resume());
    const outcome = spec.when(wq.request(2, v1, 5_000));
    expect(outcome.events).toEqual([
      expect.objectContaining({
        type: 'RunQueued',
        workflowId: 'etl',
        seq: 5,
        schemaVersion: 1,
        at: T0 + 5_000,
      }),
    ]);
    const rejected = given(wq.request(1, v1)).when(wq.resume(9));
    expect(rejected.events[0]).toMatchObject({ seq: 3, at: T0 + 9 });
  });
});
