import { decide, evolve, initialState, type RunCommand, type RunEvent } from '@baton/domain';
import { cmd, edge, step, T0, workflow } from '@baton/domain/run/testing/fixtures';
import { Topics } from '@baton/contracts';
import type { OutgoingRecord } from '@baton/eventlog';

/**
 * Realistic run histories for the projector's specs and benchmark, made the
 * way the engine makes them: by the domain's own `decide`/`evolve` on a small
 * workflow (so they are exactly what the log would hold, rejections included).
 */

/** Decides `commands` in order for `runId`; refused commands yield their `CommandRejected`. */
export function historyOf(runId: string, commands: readonly RunCommand[]): RunEvent[] {
  let state = initialState();
  const events: RunEvent[] = [];
  for (const command of commands) {
    // Each run its own request id: one (workflow, request id) is one run (runs_request_unique).
    const own =
      command.type === 'StartRun'
        ? { ...command, runId, requestId: `request-${runId}` }
        : { ...command, runId };
    const decided = decide(own, state);
    state = decided.reduce(evolve, state);
    events.push(...decided);
  }
  return events;
}

/**
 * extract -> load -> (report if rows > 5 | cleanup otherwise):
 * extract fails once (user error) and succeeds on its retry; load heartbeats
 * late enough to extend its lease; a stale report is rejected; `cleanup` is
 * skipped; the run succeeds.
 */
export const etlWorkflow = workflow(
  [
    step('extract', {
      outputs: { rows: 'result.count' },
      retry: {
        userErrorLimit: 1,
        platformErrorLimit: 0,
        timeoutLimit: 0,
        backoff: { kind: 'fixed', delayMs: 1_000 },
      },
    }),
    step('load'),
    step('report'),
    step('cleanup'),
  ],
  [
    edge('extract', 'load'),
    edge('load', 'report', 'steps.extract.outputs.rows > 5'),
    edge('load', 'cleanup', 'steps.extract.outputs.rows <= 5'),
  ],
  { timeoutMs: 3_600_000 },
);

export function succeededRun(runId: string): RunEvent[] {
  return historyOf(runId, [
    cmd.start(etlWorkflow, {}, 0),
    cmd.started('extract', 1, 100),
    cmd.fail('extract', 'user', 1, 200),
    cmd.fire('retry/extract/2', 'retry', 1_200),
    cmd.started('extract', 2, 1_300),
    cmd.complete('extract', 2, 1_400, { count: 42 }),
    cmd.complete('extract', 1, 1_450, { count: 1 }), // stale attempt: CommandRejected
    cmd.started('load', 1, 1_500),
    cmd.heartbeat('load', 1, 20_000), // less than half the lease left: StepLeaseExtended
    cmd.complete('load', 1, 21_000, null),
    cmd.started('report', 1, 21_100),
    cmd.complete('report', 1, 21_200, { sent: true }),
  ]);
}

/** extract fails with no retry left after one user error: the run fails, the rest stays pending. */
export function failedRun(runId: string): RunEvent[] {
  return historyOf(runId, [
    cmd.start(etlWorkflow, {}, 0),
    cmd.started('extract', 1, 100),
    cmd.fail('extract', 'user', 1, 200),
    cmd.fire('retry/extract/2', 'retry', 1_200),
    cmd.started('extract', 2, 1_300),
    cmd.fail('extract', 'platform', 2, 1_400),
  ]);
}

/** Cancelled while load runs. */
export function cancelledRun(runId: string): RunEvent[] {
  return historyOf(runId, [
    cmd.start(etlWorkflow, {}, 0),
    cmd.started('extract', 1, 100),
    cmd.complete('extract', 1, 200, { count: 3 }),
    cmd.started('load', 1, 300),
    cmd.cancel('no longer needed', 400),
  ]);
}

/** A command for a run that never started: one `CommandRejected`, and no run. */
export function rejectedOnly(runId: string): RunEvent[] {
  return historyOf(runId, [cmd.cancel('what run?', 0)]);
}

/** Events as the engine publishes them on `baton.run-events`. */
export function eventRecords(events: readonly RunEvent[]): OutgoingRecord[] {
  return events.map((event) => ({ topic: Topics.runEvents, key: event.runId, value: JSON.stringify(event) }));
}

export { T0 };
