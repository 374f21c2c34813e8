import { initialState } from './run.state';
import { cmd, ev, RUN_ID, step, T0, workflow } from './testing/fixtures';
import { given, givenCommands } from './testing/given-when-then';

const oneStep = workflow([step('a')]);

describe('StartRun', () => {
  it('starts the run and makes every root step ready', () => {
    const definition = workflow([step('a'), step('b', { pool: 'gpu' }), step('c')], [{ from: 'a', to: 'c' }]);
    given()
      .when(cmd.start(definition))
      .then(
        {
          type: 'RunStarted',
          definition,
          params: {},
          requestId: 'request-1',
          scheduledAt: T0,
          timeoutAt: null,
        },
        ev.ready('a'),
        ev.ready('b', 1, {}, 'gpu'),
      );
  });

  it('succeeds at once when the workflow has no steps', () => {
    const definition = workflow([]);
    given().when(cmd.start(definition)).then(
      {
        type: 'RunStarted',
        definition,
        params: {},
        requestId: 'request-1',
        scheduledAt: T0,
        timeoutAt: null,
      },
      { type: 'RunSucceeded' },
    );
  });

  it('records the run deadline and indexes the run timeout timer', () => {
    const definition = workflow([step('a')], [], { timeoutMs: 60_000 });
    const outcome = given().when(cmd.start(definition, {}, 5));
    expect(outcome.events[0]).toMatchObject({ type: 'RunStarted', timeoutAt: T0 + 5 + 60_000 });
    expect(outcome.after).toMatchObject({
      timers: { run_timeout: { id: 'run_timeout', kind: 'run_timeout', fireAt: T0 + 60_005, stepId: null } },
    });
  });

  it('refuses a second StartRun for the same run id (duplicate request)', () => {
    givenCommands(cmd.start(oneStep)).when(cmd.start(oneStep)).thenRejected('RunAlreadyExists');
  });

  it('gives every event the run id, contiguous seqs, the schema version and the command time', () => {
    const outcome = given().when(cmd.start(oneStep, {}, 42));
    expect(outcome.events.map((e) => [e.runId, e.seq, e.schemaVersion, e.at])).toEqual([
      [RUN_ID, 1, 1, T0 + 42],
      [RUN_ID, 2, 1, T0 + 42],
    ]);
  });

  it('starts from an initial state that has no run', () => {
    expect(initialState()).toEqual({ status: 'absent', lastSeq: 0 });
  });
});
