import { decide } from './run.decide';
import { replay } from './run.replay';
import { cmd, step, workflow } from './testing/fixtures';
import { given, givenCommands, testDeps } from './testing/given-when-then';

const chain = workflow([step('a'), step('b')], [{ from: 'a', to: 'b' }]);

describe('late, stale and unknown commands', () => {
  it('refuses reports for a run that does not exist, and the refusal still takes a seq', () => {
    const outcome = given().when(cmd.complete('a')).thenRejected('RunNotFound');
    expect(outcome.events[0]).toMatchObject({ seq: 1, commandType: 'CompleteStep' });
  });

  it('refuses a report for an unknown step', () => {
    givenCommands(cmd.start(chain)).when(cmd.started('nope')).thenRejected('UnknownStep');
  });

  it('refuses a report of an attempt that is not the current one', () => {
    givenCommands(cmd.start(chain)).when(cmd.started('a', 2)).thenRejected('StaleAttempt');
  });

  it('refuses a report for a step that is not running (not started yet, or already done)', () => {
    givenCommands(cmd.start(chain)).when(cmd.complete('a')).thenRejected('StepNotRunning');
    givenCommands(cmd.start(chain), cmd.started('a'), cmd.complete('a', 1, 1))
      .when(cmd.complete('a', 1, 2))
      .thenRejected('StepNotRunning');
    givenCommands(cmd.start(chain)).when(cmd.started('b', 0)).thenRejected('StepNotReady');
  });

  it('refuses any report once the run has finished', () => {
    givenCommands(
      cmd.start(chain),
      cmd.started('a'),
      cmd.complete('a', 1, 1),
      cmd.started('b', 1, 2),
      cmd.complete('b', 1, 3),
    )
      .when(cmd.fail('b', 'user', 1, 4))
      .thenRejected('RunNotRunning');
  });

  it('refuses a timer that is not in the index', () => {
    givenCommands(cmd.start(chain))
      .when(cmd.fire('retry/a/9', 'retry', 10))
      .thenRejected('UnknownTimer');
  });

  it('refuses a command addressed to another run', () => {
    const spec = givenCommands(cmd.start(chain));
    const other = { ...cmd.started('a'), runId: 'run-2' };
    spec.when(other).thenRejected('RunIdMismatch');
  });

  it('records a refusal in the history without changing anything else on replay', () => {
    const start = decide(cmd.start(chain), replay([]), testDeps);
    const refused = decide(cmd.started('a', 7), replay(start), testDeps);
    expect(replay([...start, ...refused])).toEqual({ ...replay(start), lastSeq: start.length + 1 });
  });
});
