import type { SignalNameRecord as SignalRecord } from '../signal.messages';
import { decideSignalRecord, evolveSignalState, type SignalRouterEvent } from '../signal-router';
import {
  DEFAULT_SIGNAL_RETENTION,
  emptySignalNameState,
  type SignalNameState,
  type SignalRouterContext,
} from '../signal-router.state';
import { T0 } from './signal-fixtures';

/** Every record of a spec is decided at T0 with the default retention unless it says otherwise. */
export const AT_T0: SignalRouterContext = { now: T0, retention: DEFAULT_SIGNAL_RETENTION };

/**
 * Router specifications for one signal name:
 * `given(records).when(record).then(events)`; the history is decided
 * record by record from an empty state, each at `ctx` (T0 and the default
 * retention unless given).
 */
export interface Outcome {
  then(...expected: SignalRouterEvent[]): Outcome;
  readonly events: readonly SignalRouterEvent[];
  readonly before: SignalNameState;
  readonly after: SignalNameState;
}

export function given(...history: SignalRecord[]): {
  when(record: SignalRecord, ctx?: SignalRouterContext): Outcome;
} {
  const before = history.reduce((state, record) => apply(state, record), emptySignalNameState);
  return {
    when(record, ctx = AT_T0) {
      const events = decideSignalRecord(record, before, ctx);
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

export function apply(state: SignalNameState, record: SignalRecord, ctx = AT_T0): SignalNameState {
  return decideSignalRecord(record, state, ctx).reduce(evolveSignalState, state);
}
