import { Inject, Injectable } from '@nestjs/common';
import type { StepDefinition, WorkflowDefinition } from '@baton/domain';
import { RunQueries, WorkflowRegistry, type RunDetail, type StepView } from '@baton/readmodel';
import { ConflictError, NotFoundError } from '../../http/api.errors';

export const TERMINAL_RUN_STATUSES: readonly string[] = ['succeeded', 'failed', 'cancelled'];
export const TERMINAL_STEP_STATUSES: readonly string[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

/**
 * What the run actions read before they publish, only to answer a clear 404
 * or 409 when the read model already shows the action cannot apply: the
 * engine's decider is the judge of the rest (a command it refuses is
 * recorded as `CommandRejected` with the command id). Statuses only move
 * forward within a run attempt, so a lagging read model cannot make such a
 * refusal wrong.
 */
@Injectable()
export class RunActionChecks {
  constructor(
    @Inject(RunQueries) private readonly queries: Pick<RunQueries, 'getRun'>,
    @Inject(WorkflowRegistry) private readonly registry: Pick<WorkflowRegistry, 'getVersion'>,
  ) {}

  async knownRun(runId: string): Promise<RunDetail> {
    return known(runId, await this.queries.getRun(runId));
  }

  async runningRun(runId: string, action: string): Promise<RunDetail> {
    const run = await this.knownRun(runId);
    refuseEnded(runId, run, action);
    return run;
  }

  /** The step as the read model shows it (null before it was ever ready); 404 for a step the workflow lacks. */
  async stepOfRunningRun(runId: string, stepId: string, action: string): Promise<StepView | null> {
    const run = await this.runningRun(runId, action);
    const definition = await this.definitionOf(run);
    if (definition && !stepOf(definition, stepId)) {
      throw new NotFoundError(
        `run ${runId} (${describeWorkflow(definition)}) has no step "${stepId}"; its steps are: ${stepIds(definition)}`,
      );
    }
    return run.steps.find((step) => step.stepId === stepId) ?? null;
  }

  /**
   * The run's definition, when the registry has its version; null for runs
   * whose definition was made by the engine (a loop iteration's), whose
   * checks are then left to the decider.
   */
  async definitionOf(run: RunDetail): Promise<WorkflowDefinition | null> {
    const found = await this.registry.getVersion(run.workflowId, run.workflowVersion);
    return found?.definition ?? null;
  }
}

/** The run, or 404 when the read model does not have it. */
export function known(runId: string, run: RunDetail | null): RunDetail {
  if (!run) throw new NotFoundError(`run ${runId} is unknown (or not projected yet: retry in a moment)`);
  return run;
}

/** 409 for a run that already ended: there is nothing left to `action`. */
export function refuseEnded(runId: string, run: RunDetail, action: string): void {
  if (TERMINAL_RUN_STATUSES.includes(run.status)) {
    throw new ConflictError(`run ${runId} already ${run.status}; there is nothing to ${action}`);
  }
}

export function stepOf(definition: WorkflowDefinition, stepId: string): StepDefinition | undefined {
  return definition.steps.find((step) => step.id === stepId);
}

export function stepIds(definition: WorkflowDefinition): string {
  return definition.steps.map((step) => step.id).join(', ');
}

export function describeWorkflow(definition: WorkflowDefinition): string {
  return `workflow ${definition.id} v${definition.version}`;
}
