import { DEFAULT_WORKFLOW_CONCURRENCY } from '../workflow/workflow-definition';
import {
  ev,
  FIRST_ONLY,
  LAST_ONLY,
  PARALLEL,
  parallelUpTo,
  SEQUENTIAL,
  SERIAL_LATEST_ONLY,
  STRICT,
  version,
  wq,
} from './testing/fixtures';
import { given } from './testing/given-when-then';

describe('run strategies', () => {
  describe('parallel without max_concurrent: the default bound', () => {
    const v1 = version(PARALLEL);

    it('starts the first request at once, after recording the strategy', () => {
      given().when(wq.request(1, v1)).then(ev.strategy(PARALLEL), ev.admitted(1, v1));
    });

    it(`starts up to DEFAULT_WORKFLOW_CONCURRENCY (${DEFAULT_WORKFLOW_CONCURRENCY}) runs at once, then queues`, () => {
      const first = Array.from({ length: DEFAULT_WORKFLOW_CONCURRENCY }, (_, i) => wq.request(i + 1, v1));
      const spec = given(...first);
      expect(spec.state.running).toHaveLength(DEFAULT_WORKFLOW_CONCURRENCY);
      const next = DEFAULT_WORKFLOW_CONCURRENCY + 1;
      spec.when(wq.request(next, v1)).then(ev.queued(next, v1));
      given(...first, wq.request(next, v1))
        .when(wq.ended(3))
        .then(ev.finished(3), ev.admitted(next, v1, true));
    });

    it('lets a definition raise the bound with max_concurrent', () => {
      const wide = version(parallelUpTo(DEFAULT_WORKFLOW_CONCURRENCY + 5));
      const first = Array.from({ length: DEFAULT_WORKFLOW_CONCURRENCY }, (_, i) => wq.request(i + 1, wide));
      const next = DEFAULT_WORKFLOW_CONCURRENCY + 1;
      given(...first)
        .when(wq.request(next, wide))
        .then(ev.admitted(next, wide));
    });
  });

  describe('parallel with max_concurrent', () => {
    const v1 = version(parallelUpTo(2));

    it('queues a request once the limit is reached', () => {
      const outcome = given(wq.request(1, v1), wq.request(2, v1))
        .when(wq.request(3, v1))
        .then(ev.queued(3, v1));
      expect(outcome.after.running).toEqual(['run-1', 'run-2']);
    });

    it('starts the oldest waiting run when a slot frees, whatever the outcome', () => {
      given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v1), wq.request(4, v1))
        .when(wq.ended(2, 'cancelled'))
        .then(ev.finished(2, 'cancelled'), ev.admitted(3, v1, true));
    });

    it('keeps later requests behind the waiting ones even when a slot is free (FIFO)', () => {
      // Pausing then resuming with two free slots starts the waiting runs in order.
      given(wq.pause(), wq.request(1, v1), wq.request(2, v1), wq.request(3, v1))
        .when(wq.resume())
        .then({ type: 'WorkflowResumed' }, ev.admitted(1, v1, true), ev.admitted(2, v1, true));
    });
  });

  describe('sequential', () => {
    const v1 = version(SEQUENTIAL);

    it('runs one at a time: a second request waits', () => {
      given(wq.request(1, v1)).when(wq.request(2, v1)).then(ev.queued(2, v1));
    });

    it('starts the next run in request order when the running one ends, even failed', () => {
      const spec = given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v1));
      spec.when(wq.ended(1, 'failed')).then(ev.finished(1, 'failed'), ev.admitted(2, v1, true));
      given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v1), wq.ended(1))
        .when(wq.ended(2))
        .then(ev.finished(2), ev.admitted(3, v1, true));
    });

    it('leaves the workflow idle when the last run ends', () => {
      const outcome = given(wq.request(1, v1)).when(wq.ended(1)).then(ev.finished(1));
      expect(outcome.after).toMatchObject({ running: [], queue: [], definitions: {} });
    });
  });

  describe('strict_sequential', () => {
    const v1 = version(STRICT);

    it('blocks the workflow when a run fails: the waiting run does not start', () => {
      const outcome = given(wq.request(1, v1), wq.request(2, v1))
        .when(wq.ended(1, 'failed'))
        .then(ev.finished(1, 'failed'), { type: 'WorkflowBlocked', runId: 'run-1' });
      expect(outcome.after).toMatchObject({ blockedBy: 'run-1', running: [] });
    });

    it('queues new requests while blocked', () => {
      given(wq.request(1, v1), wq.ended(1, 'failed')).when(wq.request(2, v1)).then(ev.queued(2, v1));
    });

    it('does not block on a success or a cancellation', () => {
      given(wq.request(1, v1), wq.request(2, v1))
        .when(wq.ended(1, 'cancelled'))
        .then(ev.finished(1, 'cancelled'), ev.admitted(2, v1, true));
    });

    it('unblocks when the failed run succeeds after a restart, and starts the next', () => {
      given(wq.request(1, v1), wq.request(2, v1), wq.ended(1, 'failed'))
        .when(wq.ended(1, 'succeeded'))
        .then(
          { type: 'WorkflowUnblocked', runId: 'run-1', reason: 'run_succeeded' },
          ev.admitted(2, v1, true),
        );
    });

    it('stays blocked when the restarted run fails or is cancelled again', () => {
      const spec = given(wq.request(1, v1), wq.request(2, v1), wq.ended(1, 'failed'));
      expect(spec.when(wq.ended(1, 'failed')).then().after).toEqual(spec.state);
      expect(spec.when(wq.ended(1, 'cancelled')).then().after).toEqual(spec.state);
    });

    it('unblocks on UnblockWorkflow without touching the failed run', () => {
      given(wq.request(1, v1), wq.request(2, v1), wq.ended(1, 'failed'))
        .when(wq.unblock())
        .then({ type: 'WorkflowUnblocked', runId: 'run-1', reason: 'unblocked' }, ev.admitted(2, v1, true));
    });

    it('refuses UnblockWorkflow when nothing blocks', () => {
      given(wq.request(1, v1)).when(wq.unblock()).thenRejected('NotBlocked');
    });

    it('keeps the first failure as the blocker when another running run fails too', () => {
      // Two runs can be running under strict_sequential only after a change from parallel.
      const v2 = version(STRICT, 2);
      const spec = given(
        wq.request(1, version(PARALLEL)),
        wq.request(2, version(PARALLEL)),
        wq.request(3, v2),
        wq.ended(1, 'failed'),
      );
      expect(spec.state.blockedBy).toBe('run-1');
      spec.when(wq.ended(2, 'failed')).then(ev.finished(2, 'failed'));
    });
  });

  describe('first_only', () => {
    const v1 = version(FIRST_ONLY);

    it('drops a request while a run is running', () => {
      given(wq.request(1, v1)).when(wq.request(2, v1)).then(ev.dropped(2, 'first_only_busy'));
    });

    it('starts a request again once the running run ended', () => {
      given(wq.request(1, v1), wq.request(2, v1), wq.ended(1))
        .when(wq.request(3, v1))
        .then(ev.admitted(3, v1));
    });

    it('while paused, keeps the first request waiting and drops the later ones', () => {
      const spec = given(wq.pause(), wq.request(1, v1));
      expect(spec.state.queue.map((q) => q.start.runId)).toEqual(['run-1']);
      spec.when(wq.request(2, v1)).then(ev.dropped(2, 'first_only_busy'));
      given(wq.pause(), wq.request(1, v1), wq.request(2, v1))
        .when(wq.resume())
        .then({ type: 'WorkflowResumed' }, ev.admitted(1, v1, true));
    });
  });

  describe('serial_latest_only (what last_only did before: the running run finishes)', () => {
    const v1 = version(SERIAL_LATEST_ONLY);

    it('queues a request while a run is running, and stops nothing', () => {
      given(wq.request(1, v1)).when(wq.request(2, v1)).then(ev.queued(2, v1));
    });

    it('keeps only the newest waiting request: the older one is superseded', () => {
      const outcome = given(wq.request(1, v1), wq.request(2, v1))
        .when(wq.request(3, v1))
        .then(ev.dropped(2, 'superseded'), ev.queued(3, v1));
      expect(outcome.after.queue.map((q) => q.start.runId)).toEqual(['run-3']);
    });

    it('starts the newest request when the running run ends', () => {
      given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v1))
        .when(wq.ended(1))
        .then(ev.finished(1), ev.admitted(3, v1, true));
    });
  });

  describe("last_only (Maestro's: a new run stops the running one)", () => {
    const v1 = version(LAST_ONLY);

    it('starts a request at once when nothing runs', () => {
      given().when(wq.request(1, v1)).then(ev.strategy(LAST_ONLY), ev.admitted(1, v1));
    });

    it('stops the running run through a CancelRun and queues the new one behind it', () => {
      const outcome = given(wq.request(1, v1))
        .when(wq.request(2, v1, 5))
        .then(ev.stopRequested(1, 2, 5), ev.queued(2, v1));
      expect(outcome.after).toMatchObject({ running: ['run-1'], stopping: ['run-1'] });
    });

    it('starts the new run once the stopped one has ended cancelled', () => {
      const outcome = given(wq.request(1, v1), wq.request(2, v1))
        .when(wq.ended(1, 'cancelled'))
        .then(ev.finished(1, 'cancelled'), ev.admitted(2, v1, true));
      expect(outcome.after).toMatchObject({ running: ['run-2'], stopping: [] });
    });

    it('also starts it when the run ended another way before the stop reached it', () => {
      given(wq.request(1, v1), wq.request(2, v1))
        .when(wq.ended(1, 'succeeded'))
        .then(ev.finished(1), ev.admitted(2, v1, true));
    });

    it('asks a stopping run to stop only once; a third request supersedes the waiting second', () => {
      given(wq.request(1, v1), wq.request(2, v1))
        .when(wq.request(3, v1))
        .then(ev.dropped(2, 'superseded'), ev.queued(3, v1));
    });

    it('stops the running run even while the workflow is paused; the new one waits for resume', () => {
      given(wq.request(1, v1), wq.pause())
        .when(wq.request(2, v1))
        .then(ev.stopRequested(1, 2), ev.queued(2, v1));
      given(wq.request(1, v1), wq.pause(), wq.request(2, v1))
        .when(wq.ended(1, 'cancelled'))
        .then(ev.finished(1, 'cancelled'));
    });

    it('carries the requester as `by` on the CancelRun (the audit trail of the stop)', () => {
      const request = wq.request(2, v1);
      const byAlice = { ...request, metadata: { ...request.metadata, by: 'token:alice' } };
      const [stop] = given(wq.request(1, v1)).when(byAlice).events;
      expect(stop).toMatchObject({ type: 'RunStopRequested', by: 'token:alice' });
      expect(stop.type === 'RunStopRequested' && stop.cancel.metadata.by).toBe('token:alice');
    });

    it('stops every running run when a version switches a parallel workflow to last_only', () => {
      const v2 = version(LAST_ONLY, 2);
      given(wq.request(1, version(PARALLEL)), wq.request(2, version(PARALLEL)))
        .when(wq.request(3, v2))
        .then(ev.strategy(LAST_ONLY), ev.stopRequested(1, 3), ev.stopRequested(2, 3), ev.queued(3, v2));
    });
  });

  describe('a new version with another strategy', () => {
    it("applies the latest request's strategy; a higher limit starts the waiting runs first", () => {
      const v1 = version(SEQUENTIAL, 1);
      const v2 = version(parallelUpTo(3), 2);
      given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v1))
        .when(wq.request(4, v2))
        .then(
          ev.strategy(parallelUpTo(3)),
          ev.admitted(2, v1, true),
          ev.admitted(3, v1, true),
          ev.queued(4, v2),
        );
    });

    it('lets running runs finish under a lower limit, starting nothing until below it', () => {
      const v1 = version(PARALLEL, 1);
      const v2 = version(SEQUENTIAL, 2);
      const spec = given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v2));
      expect(spec.state.running).toEqual(['run-1', 'run-2']);
      spec.when(wq.ended(1)).then(ev.finished(1));
      given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v2), wq.ended(1))
        .when(wq.ended(2))
        .then(ev.finished(2), ev.admitted(3, v2, true));
    });

    it('records no change when the new version keeps the strategy', () => {
      given(wq.request(1, version(parallelUpTo(2), 1)))
        .when(wq.request(2, version(parallelUpTo(2), 2)))
        .then(ev.admitted(2, version(parallelUpTo(2), 2)));
    });

    it('keeps one definition per version for the waiting runs, and drops it when none waits', () => {
      const v1 = version(SEQUENTIAL, 1);
      const v2 = version(SEQUENTIAL, 2);
      const spec = given(wq.request(1, v1), wq.request(2, v1), wq.request(3, v1), wq.request(4, v2));
      expect(Object.keys(spec.state.definitions).sort()).toEqual(['1', '2']);
      expect(spec.state.queue.every((q) => !('definition' in q.start))).toBe(true);
      const afterTwo = given(
        wq.request(1, v1),
        wq.request(2, v1),
        wq.request(3, v1),
        wq.request(4, v2),
        wq.ended(1),
        wq.ended(2),
      ).state;
      expect(Object.keys(afterTwo.definitions)).toEqual(['2']);
    });
  });
});
