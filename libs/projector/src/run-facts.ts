import type { RunEvent } from '@baton/domain';
import type { RowSet } from './row-set';

/**
 * What the per-workflow metrics count, read off one event the projector has
 * just folded into the rows (so each is seen once per read model: a
 * re-delivered event is a duplicate and yields none). Durations in seconds,
 * from the events' own times.
 */
export type RunFact =
  | { readonly kind: 'run_started'; readonly workflowId: string }
  | {
      readonly kind: 'run_finished';
      readonly workflowId: string;
      readonly status: 'succeeded' | 'failed' | 'cancelled';
      /** From `RunStarted` to the end; null for a restarted run (its first start would count the time it sat failed). */
      readonly seconds: number | null;
    }
  | {
      readonly kind: 'step_finished';
      readonly workflowId: string;
      readonly status: 'succeeded' | 'failed' | 'timed_out';
      /** One attempt, from `StepStarted` (or its first child run) to its end. */
      readonly seconds: number;
    };

/** The fact `event` states, given the rows after it was applied; null for events the metrics do not count. */
export function runFactOf(set: RowSet, event: RunEvent): RunFact | null {
  const run = set.run(event.runId);
  if (run === undefined) return null;
  const { workflowId } = run;
  switch (event.type) {
    case 'RunStarted':
      return { kind: 'run_started', workflowId };
    case 'RunSucceeded':
    case 'RunFailed':
    case 'RunCancelled': {
      const status = RUN_END[event.type];
      const seconds =
        run.runAttempt === 1 && run.startedAt !== null ? (event.at - run.startedAt) / 1000 : null;
      return { kind: 'run_finished', workflowId, status, seconds };
    }
    case 'StepSucceeded':
    case 'StepFailed':
    case 'StepTimedOut': {
      const startedAt = set.attempt(event.runId, event.stepId, event.attempt)?.startedAt ?? null;
      if (startedAt === null) return null; // ended before it started (a lease never taken): no duration to tell
      return {
        kind: 'step_finished',
        workflowId,
        status: STEP_END[event.type],
        seconds: (event.at - startedAt) / 1000,
      };
    }
    default:
      return null;
  }
}

const RUN_END = { RunSucceeded: 'succeeded', RunFailed: 'failed', RunCancelled: 'cancelled' } as const;
const STEP_END = { StepSucceeded: 'succeeded', StepFailed: 'failed', StepTimedOut: 'timed_out' } as const;
