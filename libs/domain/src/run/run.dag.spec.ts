import { cmd, edge, ev, step, workflow } from './testing/fixtures';
import { givenCommands } from './testing/given-when-then';

/** a -> b, a -> c, b -> d, c -> d */
const diamond = (conditions: { b?: string; c?: string } = {}) =>
  workflow(
    [step('a', { outputs: { n: 'result.n' } }), step('b'), step('c'), step('d')],
    [edge('a', 'b', conditions.b), edge('a', 'c', conditions.c), edge('b', 'd'), edge('c', 'd')],
  );

describe('DAG scheduling', () => {
  it('makes a step ready only when its predecessor succeeded (linear chain)', () => {
    const chain = workflow([step('a'), step('b'), step('c')], [edge('a', 'b'), edge('b', 'c')]);
    givenCommands(cmd.start(chain), cmd.started('a'))
      .when(cmd.complete('a', 1, 10))
      .then(ev.succeeded('a'), ev.ready('b'));
  });

  it('fans out a diamond and waits for both branches at the join', () => {
    const spec = givenCommands(cmd.start(diamond()), cmd.started('a'));
    spec
      .when(cmd.complete('a', 1, 1, { n: 1 }))
      .then(ev.succeeded('a', 1, { n: 1 }), ev.ready('b'), ev.ready('c'));

    const afterB = givenCommands(
      cmd.start(diamond()),
      cmd.started('a'),
      cmd.complete('a', 1, 1, { n: 1 }),
      cmd.started('b'),
      cmd.started('c'),
    );
    afterB.when(cmd.complete('b', 1, 2)).then(ev.succeeded('b'));
    givenCommands(
      cmd.start(diamond()),
      cmd.started('a'),
      cmd.complete('a', 1, 1, { n: 1 }),
      cmd.started('b'),
      cmd.started('c'),
      cmd.complete('b', 1, 2),
    )
      .when(cmd.complete('c', 1, 3))
      .then(ev.succeeded('c'), ev.ready('d'));
  });

  it('succeeds the run when the last step succeeds', () => {
    givenCommands(cmd.start(workflow([step('a')])), cmd.started('a'))
      .when(cmd.complete('a'))
      .then(ev.succeeded('a'), { type: 'RunSucceeded' });
  });

  it('takes an edge whose condition holds over the source outputs', () => {
    givenCommands(
      cmd.start(diamond({ b: 'steps.a.outputs.n > 5', c: 'steps.a.outputs.n <= 5' })),
      cmd.started('a'),
    )
      .when(cmd.complete('a', 1, 1, { n: 7 }))
      .then(
        ev.succeeded('a', 1, { n: 7 }, { b: true, c: false }),
        ev.ready('b'),
        ev.skipped('c', 'condition_false'),
      );
  });

  it('runs the join when one branch was not taken, once the taken branch finished', () => {
    const definition = diamond({ b: 'steps.a.outputs.n > 5', c: 'steps.a.outputs.n <= 5' });
    givenCommands(
      cmd.start(definition),
      cmd.started('a'),
      cmd.complete('a', 1, 1, { n: 7 }),
      cmd.started('b'),
    )
      .when(cmd.complete('b', 1, 2))
      .then(ev.succeeded('b'), ev.ready('d'));
  });

  it('skips a step when no incoming edge is taken, and the skip propagates', () => {
    const definition = workflow(
      [step('a'), step('b'), step('c'), step('d')],
      [edge('a', 'b', 'false'), edge('b', 'c'), edge('c', 'd')],
    );
    givenCommands(cmd.start(definition), cmd.started('a'))
      .when(cmd.complete('a'))
      .then(
        ev.succeeded('a', 1, {}, { b: false }),
        ev.skipped('b', 'condition_false'),
        ev.skipped('c', 'branch_not_taken'),
        ev.skipped('d', 'branch_not_taken'),
        { type: 'RunSucceeded' },
      );
  });

  it('skips a join whose every branch was not taken', () => {
    givenCommands(cmd.start(diamond({ b: 'false', c: 'false' })), cmd.started('a'))
      .when(cmd.complete('a', 1, 1, { n: 0 }))
      .then(
        ev.succeeded('a', 1, { n: 0 }, { b: false, c: false }),
        ev.skipped('b', 'condition_false'),
        ev.skipped('c', 'condition_false'),
        ev.skipped('d', 'branch_not_taken'),
        { type: 'RunSucceeded' },
      );
  });

  it('fails the run when an edge condition cannot be evaluated', () => {
    const definition = workflow(
      [step('a'), step('b'), step('c')],
      [edge('a', 'b', 'steps.a.outputs.missing')],
    );
    givenCommands(cmd.start(definition), cmd.started('a'), cmd.started('c'))
      .when(cmd.complete('a'))
      .then(
        ev.succeeded('a'),
        { type: 'StepCancelled', stepId: 'c', attempt: 1, reason: 'run_failed' },
        {
          type: 'RunFailed',
          reason: 'expression_error',
          stepId: 'a',
          message: expect.stringMatching(/^edge a -> b: .*missing/),
        },
      );
  });

  it("schedules dotted step ids (Maestro's job.1) and reads them as steps['job.1']", () => {
    const dotted = workflow(
      [step('job.1', { outputs: { n: 'result.n' } }), step('job.2'), step('job.3')],
      [
        edge('job.1', 'job.2', "steps['job.1'].outputs.n > 5"),
        edge('job.1', 'job.3', "steps['job.1'].outputs.n <= 5"),
      ],
    );
    givenCommands(cmd.start(dotted), cmd.started('job.1'))
      .when(cmd.complete('job.1', 1, 1, { n: 7 }))
      .then(
        ev.succeeded('job.1', 1, { n: 7 }, { 'job.2': true, 'job.3': false }),
        ev.ready('job.2'),
        ev.skipped('job.3', 'condition_false'),
      );
  });
});
