import type { ParentLink } from './run.commands';
import { DEFAULT_RUN_LIMITS } from './run.deps';
import { cmd, edge, ev, NO_RETRY, progressOf, step, subworkflowStep, workflow } from './testing/fixtures';
import { given, givenCommands, givenCommandsWith, testDeps } from './testing/given-when-then';

const day = { name: 'day', type: 'string' as const, required: false, default: '2024-05-01' };

/** `sub` runs another workflow with `{ day, source }`, then `after` reads its outputs. */
const calling = (wait: boolean, overrides: Parameters<typeof subworkflowStep>[1] = {}) =>
  workflow(
    [
      subworkflowStep('sub', {
        wait,
        params: { day: { expression: 'params.day' }, source: { literal: 'sales' } },
        outputs: { result: 'result' },
        ...overrides,
      }),
      step('after', { params: { child: { expression: 'steps.sub.outputs.result.run_id' } } }),
    ],
    [edge('sub', 'after')],
    { params: [day] },
  );

const subParams = { day: '2024-05-01', source: 'sales' };

describe('subworkflow steps', () => {
  it('start one child run with the step’s resolved params', () => {
    const definition = calling(true);
    givenCommands()
      .when(cmd.start(definition))
      .then(ev.runStarted(definition, { day: '2024-05-01' }), ev.childrenReady('sub', 1, {}, subParams), {
        type: 'ChildRunsStarted',
        stepId: 'sub',
        attempt: 1,
        children: [{ index: 0, runId: 'run-1~sub~1~0', params: subParams }],
        progress: progressOf({ total: 1, started: 1, running: 1 }),
      });
  });

  it('without wait, succeed as soon as the child is requested, with { run_id }', () => {
    const definition = calling(false);
    givenCommands()
      .when(cmd.start(definition))
      .then(
        ev.runStarted(definition, { day: '2024-05-01' }),
        ev.childrenReady('sub', 1, {}, subParams),
        {
          type: 'ChildRunsStarted',
          stepId: 'sub',
          attempt: 1,
          children: [{ index: 0, runId: 'run-1~sub~1~0', params: subParams }],
          progress: progressOf({ total: 1, started: 1 }),
        },
        ev.succeeded('sub', 1, { result: { run_id: 'run-1~sub~1~0' } }),
        ev.ready('after', 1, { child: 'run-1~sub~1~0' }),
      );
  });

  it('with wait, succeed when the child succeeds, with { run_id, status, outputs }', () => {
    const outputs = { load: { rows: 12 } };
    givenCommands(cmd.start(calling(true)))
      .when(cmd.childFinished('sub', 1, 0, 'succeeded', 10, outputs))
      .then(
        ev.childEnded('sub', 1, 0, progressOf({ total: 1, started: 1, succeeded: 1 }), 'succeeded', outputs),
        ev.succeeded('sub', 1, { result: { run_id: 'run-1~sub~1~0', status: 'SUCCEEDED', outputs } }),
        ev.ready('after', 1, { child: 'run-1~sub~1~0' }),
      );
  });

  it('with wait, fail when the child fails or is cancelled', () => {
    givenCommands(cmd.start(calling(true)))
      .when(cmd.childFinished('sub', 1, 0, 'failed', 10, {}, 'step load failed'))
      .then(
        ev.childEnded(
          'sub',
          1,
          0,
          progressOf({ total: 1, started: 1, failed: 1 }),
          'failed',
          {},
          'step load failed',
        ),
        ev.failed('sub', 1, 'child run run-1~sub~1~0: step load failed'),
        ev.runFailed('sub', 'child run run-1~sub~1~0: step load failed'),
      );
    const outcome = givenCommands(cmd.start(calling(true))).when(
      cmd.childFinished('sub', 1, 0, 'cancelled', 10, {}, 'killed'),
    );
    expect(outcome.events.map((e) => e.type)).toEqual(['ChildRunEnded', 'StepFailed', 'RunFailed']);
  });

  it('with wait and a retry policy, start a new child for the next attempt', () => {
    const retrying = calling(true, { retry: { ...NO_RETRY, userErrorLimit: 1 } });
    givenCommands(cmd.start(retrying), cmd.childFinished('sub', 1, 0, 'failed', 10))
      .when(cmd.fire('retry/sub/2', 'retry', 1_010))
      .then(ev.childrenReady('sub', 2, {}, subParams), {
        type: 'ChildRunsStarted',
        stepId: 'sub',
        attempt: 2,
        children: [{ index: 0, runId: 'run-1~sub~2~0', params: subParams }],
        progress: progressOf({ total: 1, started: 1, running: 1 }),
      });
  });

  it('refuses a report of a child the step does not wait for', () => {
    givenCommands(cmd.start(calling(false)))
      .when(cmd.childFinished('sub', 1, 0, 'succeeded', 10))
      .thenRejected('StepNotWaiting');
    givenCommands(cmd.start(calling(true)))
      .when(cmd.childFinished('sub', 1, 1, 'succeeded', 10))
      .thenRejected('UnknownChild');
  });
});

describe('a child run’s start', () => {
  const link = (depth: number): ParentLink => ({
    runId: 'parent-1',
    stepId: 'each',
    attempt: 1,
    index: 3,
    depth,
    notify: true,
  });
  const plain = workflow([step('a')]);

  it('records its parent on RunStarted', () => {
    given()
      .when(cmd.startWith(plain, { parent: link(1) }))
      .then({ ...ev.runStarted(plain), parent: link(1) }, ev.ready('a'));
  });

  it('is refused beyond the nesting limit (a top-level run is depth 0)', () => {
    const deps = { ...testDeps, limits: { ...DEFAULT_RUN_LIMITS, maxNestingDepth: 2 } };
    givenCommandsWith(deps)
      .when(cmd.startWith(plain, { parent: link(3) }))
      .thenRejected('NestingTooDeep');
    expect(givenCommandsWith(deps).when(cmd.startWith(plain, { parent: link(2) })).events[0]).toMatchObject({
      type: 'RunStarted',
      parent: link(2),
    });
    givenCommands()
      .when(cmd.startWith(plain, { parent: link(DEFAULT_RUN_LIMITS.maxNestingDepth + 1) }))
      .thenRejected('NestingTooDeep');
  });
});
