import { replay, type LoopProgress, type RunEvent, type RunState } from '@baton/domain';
import { Topics } from '@baton/contracts';
import type { EventLog } from '@baton/eventlog';
import { jsonParam, type SqlClient } from '@baton/sql';
import { decodeRunEvent } from './record-codec';

/** One way the read model disagrees with the fold of the events. */
export interface ReadModelDifference {
  readonly runId: string;
  /** What differs, e.g. `run.status`, `steps.load.attempt`, `run_events.seqs`. */
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/**
 * Checks "the read model equals the fold of the event log" for the runs the
 * events belong to: each run's history is folded with the domain's `replay`
 * and compared with its rows: the run (status, last seq, workflow, params,
 * request id, times, run attempt, parent link, breakpoints, stopping), every
 * step (status, attempt, outputs, child-run counters, attempt rows
 * 1..attempt) and the seqs stored in run_events. Returns every difference;
 * an empty list means they agree.
 *
 * @example
 *   const differences = await verifyReadModel(sql, await readRunEvents(log));
 *   expect(differences).toEqual([]);
 */
export async function verifyReadModel(
  sql: SqlClient,
  events: readonly RunEvent[],
): Promise<ReadModelDifference[]> {
  const histories = new Map<string, RunEvent[]>();
  for (const event of events) {
    const list = histories.get(event.runId) ?? [];
    if (!list.some((e) => e.seq === event.seq)) list.push(event);
    histories.set(event.runId, list);
  }
  if (histories.size === 0) return [];
  const runIds = jsonParam([...histories.keys()]);
  const inRuns = 'run_id IN (SELECT jsonb_array_elements_text($1::jsonb))';
  // One snapshot, so a projector writing meanwhile cannot make the tables disagree with each other.
  const { runRows, stepRows, attemptRows, eventRows } = await sql.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return {
      runRows: await tx.query<RunRow>(
        `SELECT run_id, status, last_seq, workflow_id, workflow_version, params, request_id, created_at, started_at,
                run_attempt, parent_run_id, parent_step_id, parent_attempt, parent_index, depth, breakpoints,
                stop_reason
           FROM runs WHERE ${inRuns}`,
        [runIds],
      ),
      stepRows: await tx.query<StepRow>(
        `SELECT run_id, step_id, status, attempt, outputs, loop_total, loop_started, loop_running,
                loop_succeeded, loop_failed, loop_cancelled
           FROM steps WHERE ${inRuns}`,
        [runIds],
      ),
      attemptRows: await tx.query<{ run_id: string; step_id: string; attempt: number }>(
        `SELECT run_id, step_id, attempt FROM step_attempts WHERE ${inRuns} ORDER BY attempt`,
        [runIds],
      ),
      eventRows: await tx.query<{ run_id: string; seq: number }>(
        `SELECT run_id, seq FROM run_events WHERE ${inRuns} ORDER BY seq`,
        [runIds],
      ),
    };
  });

  const differences: ReadModelDifference[] = [];
  for (const [runId, history] of histories) {
    history.sort((a, b) => a.seq - b.seq);
    const diff = (path: string, expected: unknown, actual: unknown) => {
      if (canonical(expected) !== canonical(actual)) differences.push({ runId, path, expected, actual });
    };
    diff(
      'run_events.seqs',
      history.map((e) => e.seq),
      eventRows.filter((r) => r.run_id === runId).map((r) => Number(r.seq)),
    );
    let state: RunState;
    try {
      state = replay(history);
    } catch (error) {
      differences.push({
        runId,
        path: 'history',
        expected: 'a history replay accepts',
        actual: String(error),
      });
      continue;
    }
    const row = runRows.find((r) => r.run_id === runId);
    if (state.status === 'absent') {
      diff('run', null, row ?? null);
      continue;
    }
    if (row === undefined) {
      diff('run', { status: state.status, lastSeq: state.lastSeq }, null);
      continue;
    }
    diff('run.status', state.status, row.status);
    diff('run.lastSeq', state.lastSeq, Number(row.last_seq));
    diff('run.workflowId', state.definition.id, row.workflow_id);
    diff('run.workflowVersion', state.definition.version, row.workflow_version);
    diff('run.params', state.params, row.params);
    diff('run.requestId', state.requestId, row.request_id);
    diff('run.createdAt', state.scheduledAt, row.created_at.getTime());
    diff('run.startedAt', state.startedAt, row.started_at?.getTime() ?? null);
    diff('run.runAttempt', state.runAttempt, row.run_attempt);
    diff(
      'run.parent',
      state.parent === null
        ? null
        : {
            runId: state.parent.runId,
            stepId: state.parent.stepId,
            attempt: state.parent.attempt,
            index: state.parent.index,
            depth: state.parent.depth,
          },
      row.parent_run_id === null
        ? null
        : {
            runId: row.parent_run_id,
            stepId: row.parent_step_id,
            attempt: row.parent_attempt,
            index: row.parent_index,
            depth: row.depth,
          },
    );
    diff('run.breakpoints', state.breakpoints, row.breakpoints);
    diff('run.stopping', state.stopping, row.stop_reason !== null);

    const steps = stepRows.filter((s) => s.run_id === runId);
    for (const [stepId, expected] of Object.entries(state.steps)) {
      const actual = steps.find((s) => s.step_id === stepId);
      if (actual === undefined) {
        diff(`steps.${stepId}`, { status: expected.status, attempt: expected.attempt }, null);
        continue;
      }
      diff(`steps.${stepId}.status`, expected.status, actual.status);
      diff(`steps.${stepId}.attempt`, expected.attempt, actual.attempt);
      diff(`steps.${stepId}.outputs`, expected.outputs, actual.outputs ?? {});
      diff(`steps.${stepId}.progress`, expected.loop?.progress ?? null, progressOf(actual));
      diff(
        `steps.${stepId}.attempts`,
        Array.from({ length: expected.attempt }, (_, i) => i + 1),
        attemptRows.filter((a) => a.run_id === runId && a.step_id === stepId).map((a) => a.attempt),
      );
    }
    for (const extra of steps.filter((s) => !(s.step_id in state.steps))) {
      diff(`steps.${extra.step_id}`, null, { status: extra.status, attempt: extra.attempt });
    }
  }
  return differences;
}

/**
 * Every decodable event of `baton.run-events`, all partitions from offset 0
 * (undecodable records are skipped: they are the dead-letter topic's).
 */
export async function readRunEvents(log: EventLog): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const partitions = await log.partitionCount(Topics.runEvents);
  for (let partition = 0; partition < partitions; partition++) {
    for await (const record of log.readPartition(Topics.runEvents, partition, 0)) {
      const decoded = decodeRunEvent(record);
      if (decoded.ok) events.push(decoded.value);
    }
  }
  return events;
}

interface RunRow {
  run_id: string;
  status: string;
  last_seq: number;
  workflow_id: string;
  workflow_version: number;
  params: unknown;
  request_id: string;
  created_at: Date;
  started_at: Date | null;
  run_attempt: number;
  parent_run_id: string | null;
  parent_step_id: string | null;
  parent_attempt: number | null;
  parent_index: number | null;
  depth: number;
  breakpoints: unknown;
  stop_reason: string | null;
}

interface StepRow {
  run_id: string;
  step_id: string;
  status: string;
  attempt: number;
  outputs: unknown;
  loop_total: number | null;
  loop_started: number | null;
  loop_running: number | null;
  loop_succeeded: number | null;
  loop_failed: number | null;
  loop_cancelled: number | null;
}

function progressOf(row: StepRow): LoopProgress | null {
  if (row.loop_started === null) return null;
  return {
    total: row.loop_total,
    started: row.loop_started,
    running: row.loop_running ?? 0,
    succeeded: row.loop_succeeded ?? 0,
    failed: row.loop_failed ?? 0,
    cancelled: row.loop_cancelled ?? 0,
  };
}

/** JSON with sorted keys: jsonb does not keep key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
