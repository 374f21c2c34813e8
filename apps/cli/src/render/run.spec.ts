import { NOW, runDetail, stepView } from '../testing/fixtures';
import { formatProgress, renderRunDetail, stepNote } from './run';
import { createStyle } from './style';

const plain = createStyle(false, {});

describe('stepNote', () => {
  it("counts a foreach's children: ended of all, running, failed", () => {
    const each = stepView('each', {
      status: 'waiting',
      progress: { total: 100_000, started: 1_254, running: 20, succeeded: 1_234, failed: 0, cancelled: 0 },
    });
    expect(stepNote(each)).toBe('1234/100000 done, 20 running, 0 failed');
  });

  it('counts a while loop without a total, and shows cancelled children only when there are some', () => {
    expect(
      formatProgress({ total: null, started: 4, running: 1, succeeded: 2, failed: 0, cancelled: 1 }),
    ).toBe('3 done, 1 running, 0 failed, 1 cancelled');
  });

  it('says what a waiting or paused step waits for, and who skipped a step and why', () => {
    expect(stepNote(stepView('approve', { status: 'waiting', signal: 'approved' }))).toBe(
      'waiting for signal approved',
    );
    expect(stepNote(stepView('load', { status: 'paused' }))).toBe(
      'at a breakpoint (baton resume <run> load)',
    );
    expect(
      stepNote(
        stepView('load', { status: 'skipped', skipReason: 'skipped_by_user', skipMessage: 'done by hand' }),
      ),
    ).toBe('skipped_by_user: done by hand');
  });

  it("puts a loop's failure before its counters", () => {
    const failed = stepView('each', {
      status: 'failed',
      errorKind: 'user',
      errorMessage: 'iteration 1: child failed',
      progress: { total: 3, started: 3, running: 0, succeeded: 2, failed: 1, cancelled: 0 },
    });
    expect(stepNote(failed)).toBe('user: iteration 1: child failed');
  });
});

describe('renderRunDetail', () => {
  it('shows the run attempt, the parent, the stop and the breakpoints when the run has them', () => {
    const run = runDetail({
      runId: 'r-1~each~1~7',
      runAttempt: 2,
      parent: { runId: 'r-1', stepId: 'each', attempt: 1, index: 7, depth: 1 },
      stopping: { reason: 'enough for today' },
      breakpoints: ['load', 'publish'],
      steps: [stepView('load', { status: 'paused', attempt: 0, readyAt: null, startedAt: null })],
    });

    const lines = renderRunDetail(run, plain, NOW).split('\n');

    expect(lines.slice(0, 7)).toEqual([
      'run          r-1~each~1~7',
      'workflow     sales.daily v3',
      'status       running',
      'attempt      2 (restarted)',
      'parent       iteration 7 of step each (attempt 1) of run r-1',
      'stopping     enough for today',
      'breakpoints  load, publish',
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/^load +paused +- +- +at a breakpoint/));
  });

  it('leaves them out for a first attempt of a top-level run', () => {
    const text = renderRunDetail(runDetail(), plain, NOW);
    expect(text).not.toMatch(/attempt |parent|stopping|breakpoints/);
  });
});
