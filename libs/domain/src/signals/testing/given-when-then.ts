import type { SignalRecord } from '../signal.messages';
import { decideSignalRecord, evolveSignalState, type SignalRouterEvent } from '../signal-router';
import { emptySignalNameState, type SignalNameState } from '../signal-router.state';

/**
 * Router specifications for one signal name:
 * `given(records).when(record).then(events)`; the history is decided
 * record by record from an empty state.
 */
export interface Outcome {
  then(...expected: SignalRouterEvent[]): Outcome;
  readonly events: readonly SignalRouterEvent[];
  readonly before: SignalNameState;
  readonly after: SignalNameState;
}

export function given(...history: SignalRecord[]): { when(record: SignalRecord): Outcome } {
  const before = history.reduce(apply, emptySignalNameState);
  return {
    when(record) {
      const events = decideSignalRecord(record, before);
      const outcome: Outcome = {
        events,
        before,
        after: events.reduce(evolveSignalState, before),
        then(...expected) {
          expect(events).toEqual(expected);
          return outcome;
        },
      };
      return outcome;
    },
  };
}

export function apply(state: SignalNameState, record: SignalRecord): SignalNameState {
  return decideSignalRecord(record, state).reduce(evolveSignalState, state);
}
