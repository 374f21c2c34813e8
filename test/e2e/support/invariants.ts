import { readFileSync } from 'node:fs';
import type { RunEvent } from '@baton/domain';
import type { EventLog } from '@baton/eventlog';
import { readRunEvents, verifyReadModel, type ReadModelDifference } from '@baton/projector';
import type { SqlClient } from '@baton/sql';

/** What the suites check once every run finished and the writers stopped. */
export interface LogAudit {
  /** Events of the suite's runs, read from the log. */
  readonly events: RunEvent[];
  /** Runs of the suite without a RunStarted in the log. */
  readonly missingRuns: string[];
  /** `run/step` with more than one StepSucceeded in the log. */
  readonly doubleSuccessesInLog: string[];
  /** `run/step` with more than one attempt row `succeeded` in the read model. */
  readonly doubleSuccessesInReadModel: string[];
  /** The read model vs the fold of the log (`verifyReadModel`), for the suite's runs only. */
  readonly differences: ReadModelDifference[];
  /** Attempts the log recorded, and how many were retried as platform errors / timeouts. */
  readonly figures: { events: number; attempts: number; platformFailures: number; rejections: number };
}

/**
 * Reads the log, keeps the events of `runIds` (the broker is shared: topics
 * hold other suites' runs too), and checks: every run is in the log, no step
 * succeeded twice (log and read model), read model == fold of the log.
 */
export async function auditLog(log: EventLog, sql: SqlClient, runIds: readonly string[]): Promise<LogAudit> {
  const wanted = new Set(runIds);
  const events = (await readRunEvents(log)).filter((e) => wanted.has(e.runId));
  const started = new Set(events.filter((e) => e.type === 'RunStarted').map((e) => e.runId));
  const successes = new Map<string, number>();
  let attempts = 0;
  let platformFailures = 0;
  let rejections = 0;
  for (const event of events) {
    if (event.type === 'StepSucceeded') {
      const key = `${event.runId}/${event.stepId}`;
      successes.set(key, (successes.get(key) ?? 0) + 1);
    }
    if (event.type === 'StepStarted') attempts++;
    if (event.type === 'StepFailed' && event.errorKind === 'platform') platformFailures++;
    if (event.type === 'CommandRejected') rejections++;
  }
  const attemptRows = await sql.query<{ run_id: string; step_id: string; n: number }>(
    `SELECT run_id, step_id, count(*)::int AS n FROM step_attempts
      WHERE status = 'succeeded' AND run_id IN (SELECT jsonb_array_elements_text($1::jsonb))
      GROUP BY run_id, step_id HAVING count(*) > 1`,
    [JSON.stringify(runIds)],
  );
  return {
    events,
    missingRuns: runIds.filter((id) => !started.has(id)),
    doubleSuccessesInLog: [...successes].filter(([, n]) => n > 1).map(([key]) => key),
    doubleSuccessesInReadModel: attemptRows.map((r) => `${r.run_id}/${r.step_id}`),
    differences: await verifyReadModel(sql, events),
    figures: { events: events.length, attempts, platformFailures, rejections },
  };
}

/** Asserts an audit is clean, with readable failure output (first differences only). */
export function expectCleanAudit(audit: LogAudit): void {
  expect({
    missingRuns: audit.missingRuns,
    doubleSuccessesInLog: audit.doubleSuccessesInLog,
    doubleSuccessesInReadModel: audit.doubleSuccessesInReadModel,
    differences: audit.differences.slice(0, 10),
    differenceCount: audit.differences.length,
  }).toEqual({
    missingRuns: [],
    doubleSuccessesInLog: [],
    doubleSuccessesInReadModel: [],
    differences: [],
    differenceCount: 0,
  });
}

/**
 * Whether a process id is alive (signal 0). A zombie counts as dead: an
 * orphan killed in a container whose init does not reap stays a zombie.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: trust the signal
  }
}
