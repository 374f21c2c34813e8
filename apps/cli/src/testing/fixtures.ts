import type { RunDetail, StepView } from '@baton/api/responses';

/** A fixed instant the tests' clock reads as "now". */
export const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

/** A run as `GET /api/v1/runs/{id}` returns it (RunQueries.getRun), every field present. */
export function runDetail(overrides: Partial<RunDetail> = {}): RunDetail {
  return {
    runId: 'run-1',
    workflowId: 'sales.daily',
    workflowVersion: 3,
    status: 'running',
    requestId: 'req-1',
    runAttempt: 1,
    parent: null,
    createdAt: NOW - 10_000,
    startedAt: NOW - 9_000,
    endedAt: null,
    timeoutAt: null,
    failure: null,
    lastSeq: 4,
    updatedAt: NOW - 1_000,
    params: {},
    breakpoints: [],
    stopping: null,
    steps: [],
    ...overrides,
  };
}

export function stepView(stepId: string, overrides: Partial<StepView> = {}): StepView {
  const status = overrides.status ?? 'pending';
  const started = status !== 'pending' && status !== 'ready' && status !== 'skipped';
  const ended = ['succeeded', 'failed', 'cancelled'].includes(status);
  const base: StepView = {
    stepId,
    status,
    attempt: status === 'pending' || status === 'skipped' ? 0 : 1,
    params: null,
    outputs: null,
    readyAt: status === 'pending' || status === 'skipped' ? null : NOW - 8_000,
    startedAt: started ? NOW - 8_000 : null,
    endedAt: ended ? NOW - 6_800 : null,
    errorKind: null,
    errorMessage: null,
    skipReason: null,
    skipMessage: null,
    signal: null,
    progress: null,
    attempts: [],
  };
  const step = { ...base, ...overrides };
  return {
    ...step,
    attempts:
      overrides.attempts ??
      (step.attempt === 0
        ? []
        : [
            {
              attempt: step.attempt,
              runAttempt: 1,
              status: step.status,
              executorId: started ? 'executor-1' : null,
              readyAt: step.readyAt,
              startedAt: step.startedAt,
              endedAt: step.endedAt,
              leaseExpiresAt: step.status === 'running' ? NOW + 30_000 : null,
              errorKind: step.errorKind,
              message: step.errorMessage,
            },
          ]),
  };
}
