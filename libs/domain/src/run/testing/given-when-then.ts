import type { RunCommand } from '../run.commands';
import { decide } from '../run.decide';
import { defaultRunDeps, type RunDeciderDeps } from '../run.deps';
import type { RejectionCode } from '../run.errors';
import { evolve } from '../run.evolve';
import { RUN_EVENT_SCHEMA_VERSION, type RunEvent, type RunEventDraft } from '../run.events';
import { initialState, type RunState } from '../run.state';

/**
 * Decider specifications: `given(history).when(command).then(events)`.
 * The history is either events or commands (decided in order, each must be
 * accepted); `then` takes the expected events without their envelope and
 * checks the full events, envelope included (runId, seq continuing the
 * history, schemaVersion, the command's `at`).
 */
/** The real CEL evaluator: specifications exercise the expressions as users write them. */
export const testDeps: RunDeciderDeps = defaultRunDeps;

export interface Specification {
  when(command: RunCommand): Outcome;
}

export interface Outcome {
  /** Exactly these events, in this order. */
  then(...expected: RunEventDraft[]): Outcome;
  /** One `CommandRejected` with this code, and the state is untouched apart from the seq. */
  thenRejected(code: RejectionCode): Outcome;
  readonly events: readonly RunEvent[];
  readonly before: RunState;
  readonly after: RunState;
}

export function given(...history: RunEvent[]): Specification {
  return specification(history.reduce(evolve, initialState()), testDeps);
}

/** A history built by deciding commands; fails if any is refused. */
export function givenCommands(...commands: RunCommand[]): Specification {
  return givenCommandsWith(testDeps, ...commands);
}

export function givenCommandsWith(deps: RunDeciderDeps, ...commands: RunCommand[]): Specification {
  let state = initialState();
  for (const command of commands) {
    const events = decide(command, state, deps);
    const refused = events.find((e) => e.type === 'CommandRejected');
    if (refused !== undefined)
      throw new Error(`history command ${command.type} refused: ${JSON.stringify(refused)}`);
    state = events.reduce(evolve, state);
  }
  return specification(state, deps);
}

function specification(state: RunState, deps: RunDeciderDeps): Specification {
  return {
    when(command) {
      const events = decide(command, state, deps);
      const after = events.reduce(evolve, state);
      const outcome: Outcome = {
        events,
        before: state,
        after,
        then(...expected) {
          const full = expected.map((draft, i) => ({
            ...draft,
            runId: command.runId,
            seq: state.lastSeq + 1 + i,
            schemaVersion: RUN_EVENT_SCHEMA_VERSION,
            at: command.metadata.at,
          }));
          expect(events).toEqual(full);
          return outcome;
        },
        thenRejected(code) {
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({ type: 'CommandRejected', code, commandType: command.type });
          expect(after).toEqual({ ...state, lastSeq: state.lastSeq + 1 });
          return outcome;
        },
      };
      return outcome;
    },
  };
}
