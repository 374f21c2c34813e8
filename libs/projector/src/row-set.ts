import type { RunStarted } from '@baton/domain';
import type { AttemptKey, AttemptRow, RunRow, StepRow } from './read-model-rows';

type Patch<R> = Partial<Omit<R, 'runId' | 'stepId' | 'attempt'>> & { attempt?: number };

/** The rows one batch works on, with what it changed. Rows are replaced, never mutated. */
export class RowSet {
  private readonly runs: Map<string, RunRow>;
  private readonly steps = new Map<string, StepRow>();
  private readonly attempts = new Map<string, AttemptRow>();
  private readonly dirtyRuns = new Set<string>();
  private readonly dirtySteps = new Set<string>();
  private readonly dirtyAttempts = new Set<string>();

  constructor(runs: ReadonlyMap<string, RunRow>) {
    this.runs = new Map(runs);
  }

  addSteps(rows: readonly StepRow[]): void {
    for (const row of rows) this.steps.set(stepKey(row.runId, row.stepId), row);
  }

  addAttempts(rows: readonly AttemptRow[]): void {
    for (const row of rows) this.attempts.set(attemptKey(row.runId, row.stepId, row.attempt), row);
  }

  run(runId: string): RunRow | undefined {
    return this.runs.get(runId);
  }

  step(runId: string, stepId: string): StepRow | undefined {
    return this.steps.get(stepKey(runId, stepId));
  }

  /** The run's current attempt (1, then +1 per restart); null for a run this batch does not have. */
  runAttemptOf(runId: string): number | null {
    return this.runs.get(runId)?.runAttempt ?? null;
  }

  attempt(runId: string, stepId: string, attempt: number): AttemptRow | undefined {
    return this.attempts.get(attemptKey(runId, stepId, attempt));
  }

  /** The run and every step of its definition (`pending`), so the API shows the whole DAG at once. */
  startRun(event: RunStarted): void {
    const { definition } = event;
    this.runs.set(event.runId, {
      runId: event.runId,
      workflowId: definition.id,
      workflowVersion: definition.version,
      status: 'running',
      params: event.params,
      requestId: event.requestId,
      createdAt: event.scheduledAt,
      startedAt: event.at,
      endedAt: null,
      timeoutAt: event.timeoutAt,
      failureReason: null,
      failureStepId: null,
      failureMessage: null,
      runAttempt: 1,
      parentRunId: event.parent?.runId ?? null,
      parentStepId: event.parent?.stepId ?? null,
      parentAttempt: event.parent?.attempt ?? null,
      parentIndex: event.parent?.index ?? null,
      depth: event.parent?.depth ?? 0,
      breakpoints: event.breakpoints ?? [],
      stopReason: null,
      terminalPending: null,
      lastSeq: event.seq,
      updatedAt: event.at,
    });
    this.dirtyRuns.add(event.runId);
    for (const step of definition.steps) {
      const key = stepKey(event.runId, step.id);
      this.steps.set(key, {
        runId: event.runId,
        stepId: step.id,
        status: 'pending',
        attempt: 0,
        params: null,
        outputs: null,
        readyAt: null,
        startedAt: null,
        endedAt: null,
        errorKind: null,
        errorMessage: null,
        skipReason: null,
        skipMessage: null,
        waitSignal: null,
        progress: null,
        updatedAt: event.at,
      });
      this.dirtySteps.add(key);
    }
  }

  patchRun(runId: string, patch: Partial<Omit<RunRow, 'runId'>>): void {
    const row = this.runs.get(runId);
    if (row === undefined) throw new Error(`run ${runId} is not in this batch's rows`);
    this.runs.set(runId, { ...row, ...patch });
    this.dirtyRuns.add(runId);
  }

  /** A step missing from the run's definition is ignored (the domain would have refused the event). */
  patchStep(runId: string, stepId: string, patch: Patch<StepRow>): void {
    const key = stepKey(runId, stepId);
    const row = this.steps.get(key);
    if (row === undefined) return;
    this.steps.set(key, { ...row, ...patch });
    this.dirtySteps.add(key);
  }

  putAttempt(row: AttemptRow): void {
    if (!this.steps.has(stepKey(row.runId, row.stepId))) return;
    const key = attemptKey(row.runId, row.stepId, row.attempt);
    this.attempts.set(key, row);
    this.dirtyAttempts.add(key);
  }

  /** Patches an attempt; one never made ready (it cannot happen in a valid log) is created, so nothing is lost. */
  patchAttempt(target: AttemptKey & { readonly at: number }, patch: Patch<AttemptRow>): void {
    const existing = this.attempt(target.runId, target.stepId, target.attempt);
    this.putAttempt({
      ...(existing ?? {
        runId: target.runId,
        stepId: target.stepId,
        attempt: target.attempt,
        runAttempt: this.runAttemptOf(target.runId),
        status: 'ready',
        executorId: null,
        readyAt: null,
        startedAt: null,
        endedAt: null,
        leaseExpiresAt: null,
        errorKind: null,
        message: null,
        updatedAt: target.at,
      }),
      ...patch,
    });
  }

  /** The runs of this batch whose terminal status is folded but not shown yet. */
  pendingRuns(): string[] {
    return [...this.runs.values()].filter((row) => row.terminalPending !== null).map((row) => row.runId);
  }

  changedRuns(): RunRow[] {
    return [...this.dirtyRuns].map((key) => this.runs.get(key)!);
  }

  changedSteps(): StepRow[] {
    return [...this.dirtySteps].map((key) => this.steps.get(key)!);
  }

  changedAttempts(): AttemptRow[] {
    return [...this.dirtyAttempts].map((key) => this.attempts.get(key)!);
  }
}

export function stepKey(runId: string, stepId: string): string {
  return `${runId}\u0000${stepId}`;
}

export function attemptKey(runId: string, stepId: string, attempt: number): string {
  return `${runId}\u0000${stepId}\u0000${attempt}`;
}
