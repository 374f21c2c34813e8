import {
  childRunId,
  type ChildRunOutcome,
  type ChildRunFinished,
  type ParentLink,
  type RunEvent,
} from '@baton/domain';
import { cmd, edge, foreachStep, signalStep, step, workflow } from '@baton/domain/run/testing/fixtures';
import { historyOf } from './run-histories';

/**
 * Histories with the run events of loops, child runs, breakpoints, user
 * skips, stops and restarts, made by the domain's own `decide`/`evolve` like
 * `run-histories.ts`.
 */

/** `each` (foreach over 0..2, two at a time) -> `after`. */
export const foreachWorkflow = workflow(
  [foreachStep('each', { n: { range: { from: 0, to: 3, step: 1 } } }, { concurrency: 2 }), step('after')],
  [edge('each', 'after')],
);

/** The engine's report that child `index` of `stepId`'s `attempt` ended, with the run's own child id. */
function childFinished(
  runId: string,
  stepId: string,
  attempt: number,
  index: number,
  outcome: ChildRunOutcome,
  at: number,
): ChildRunFinished {
  return {
    ...cmd.childFinished(stepId, attempt, index, outcome, at),
    childRunId: childRunId(runId, stepId, attempt, index),
  };
}

/**
 * Attempt 1 of the run: iteration 1 of `each` fails, so the step and the run
 * fail once iteration 2 ended too. Restarted (`incomplete`) at 1 s: `each`
 * runs again as attempt 2, all three iterations succeed, `after` runs, and
 * the run succeeds.
 */
export function restartedForeachRun(runId: string): RunEvent[] {
  return historyOf(runId, [
    cmd.start(foreachWorkflow, {}, 0),
    childFinished(runId, 'each', 1, 0, 'succeeded', 100),
    childFinished(runId, 'each', 1, 1, 'failed', 200),
    childFinished(runId, 'each', 1, 2, 'succeeded', 300),
    cmd.restart('incomplete', 1_000),
    childFinished(runId, 'each', 2, 0, 'succeeded', 1_100),
    childFinished(runId, 'each', 2, 1, 'succeeded', 1_200),
    childFinished(runId, 'each', 2, 2, 'succeeded', 1_300),
    cmd.started('after', 1, 1_400),
    cmd.complete('after', 1, 1_500),
  ]);
}

/** An iteration of `parent`'s `each`: a run of its own with the parent link, that succeeds (or fails). */
export function iterationRun(
  runId: string,
  parent: ParentLink,
  outcome: 'succeeded' | 'failed' = 'succeeded',
): RunEvent[] {
  return historyOf(runId, [
    cmd.startWith(workflow([step('work')], [], { params: [{ name: 'n', type: 'long', required: true }] }), {
      parent,
      params: { n: parent.index },
    }),
    cmd.started('work', 1, 10),
    outcome === 'succeeded' ? cmd.complete('work', 1, 20) : cmd.fail('work', 'user', 1, 20),
  ]);
}

/**
 * The six iteration runs `restartedForeachRun(parentRunId)` records as ended
 * (three per attempt; iteration 1 of attempt 1 fails): a parent is shown
 * terminal only once they are.
 */
export function iterationsOfRestartedForeachRun(parentRunId: string): RunEvent[][] {
  return [1, 2].flatMap((attempt) =>
    [0, 1, 2].map((index) =>
      iterationRun(
        childRunId(parentRunId, 'each', attempt, index),
        { runId: parentRunId, stepId: 'each', attempt, index, depth: 1, notify: true },
        attempt === 1 && index === 1 ? 'failed' : 'succeeded',
      ),
    ),
  );
}

/**
 * `a` -> `b`, with a breakpoint on `b`: `b` pauses once `a` succeeded, is
 * resumed, and the run is asked to stop while `b` runs; it ends cancelled
 * once `b` ended.
 */
export function pausedAndStoppedRun(runId: string): RunEvent[] {
  return historyOf(runId, [
    cmd.startWith(workflow([step('a'), step('b')], [edge('a', 'b')]), { breakpoints: ['b'] }),
    cmd.started('a', 1, 100),
    cmd.complete('a', 1, 200),
    cmd.resume('b', 300),
    cmd.started('b', 1, 400),
    cmd.stop('enough for today', 500),
    cmd.complete('b', 1, 600),
  ]);
}

/**
 * `approve` waits for the signal `approved` and `load` runs beside it; a
 * user skips both, `load` while it runs. The run succeeds.
 */
export function skippedByUserRun(runId: string): RunEvent[] {
  return historyOf(runId, [
    cmd.start(workflow([signalStep('approve', 'approved'), step('load')]), {}, 0),
    cmd.started('load', 1, 100),
    cmd.skip('approve', 200, 'approved by phone'),
    cmd.skip('load', 300, 'loaded by hand'),
  ]);
}
