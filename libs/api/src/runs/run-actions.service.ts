import type { CommandMetadata, RestartMode, StepDefinition, WorkflowDefinition } from '@baton/domain';
import type { Clock } from '@baton/platform';
import type { RunDetail, RunQueries, StepView, WorkflowRegistry } from '@baton/readmodel';
import { ConflictError, InvalidRequestError, NotFoundError } from '../http/api.errors';
import type { IdGenerator } from '../ids';
import type { RunActionCommand, RunPublisher } from './run-publisher';
import type { RestartRunDto, RunActionReasonDto } from './run-actions.dto';
import type { WorkflowCommandPublisher } from '../workflows/workflow-command-publisher';
import { ParamSealer } from './param-sealer';
import { checkRunParams } from './run-params.check';

export interface RunActionAnswer {
  readonly runId: string;
  /** Echoed on the `CommandRejected` event should the engine refuse the command. */
  readonly commandId: string;
}

const TERMINAL_RUN_STATUSES: readonly string[] = ['succeeded', 'failed', 'cancelled'];
const TERMINAL_STEP_STATUSES: readonly string[] = ['succeeded', 'failed', 'skipped', 'cancelled'];
/** Where a step that has reached its breakpoint, or not yet, shows in the read model (or it has no row yet). */
const BEFORE_BREAKPOINT_STATUSES: readonly string[] = ['pending', 'paused'];

/**
 * What an operator asks of a run: restart, stop, kill, skip a step, resume a
 * step held at a breakpoint. Each publishes one command on the run's
 * partition and answers at once; the engine's decider is the judge (a
 * command it refuses is recorded as `CommandRejected` with the command id).
 * The checks here read the read model only to answer a clear 404 or 409 when
 * it already shows the action cannot apply: statuses only move forward within
 * a run attempt, so a lagging read model cannot make such a refusal wrong.
 */
export class RunActionsService {
  constructor(
    private readonly queries: Pick<RunQueries, 'getRun' | 'getQueuedRun'>,
    private readonly registry: Pick<WorkflowRegistry, 'getVersion'>,
    private readonly publisher: Pick<RunPublisher, 'sendRunCommand'>,
    private readonly workflowCommands: Pick<WorkflowCommandPublisher, 'send'>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly secrets: ParamSealer = new ParamSealer(null),
  ) {}

  /**
   * A new attempt of a finished run. When the run's workflow version is in
   * the registry, the step to restart from and the new params are checked
   * against it (400 with paths into the body).
   */
  async restart(runId: string, body: RestartRunDto, by: string): Promise<RunActionAnswer> {
    const { mode, stepId } = restartTarget(body);
    const run = await this.knownRun(runId);
    if (!TERMINAL_RUN_STATUSES.includes(run.status)) {
      throw new ConflictError(
        `run ${runId} is still ${run.status}: only a finished run restarts (stop or kill it first)`,
      );
    }
    if (run.parent !== null) {
      // The engine forgets a child run once it ended; its parent's step starts new children.
      throw new ConflictError(
        `run ${runId} is a child run of step ${run.parent.stepId} of run ${run.parent.runId}: ` +
          `restart run ${run.parent.runId} from step ${run.parent.stepId} instead`,
      );
    }
    const definition = await this.definitionOf(run);
    // `params: null` is absent (an optional field, as the OpenAPI says `nullable`).
    let params = body.params ?? undefined;
    if (definition) {
      if (stepId !== undefined && !stepOf(definition, stepId)) {
        const message = `${describeWorkflow(definition)} has no step "${stepId}"; its steps are: ${stepIds(definition)}`;
        throw new InvalidRequestError(message, [{ path: '$.stepId', message }]);
      }
      const errors = checkRunParams(definition, { ...run.params, ...params });
      if (errors.length > 0) {
        throw new InvalidRequestError(
          `params do not fit ${describeWorkflow(definition)}: ${errors[0].message}`,
          errors,
        );
      }
      if (params !== undefined) params = this.secrets.seal(definition, params);
    }
    return this.send({
      type: 'RestartRun',
      runId,
      mode,
      ...(stepId === undefined ? {} : { stepId }),
      ...(params === undefined ? {} : { params }),
      metadata: this.metadata('restart', by),
    });
  }

  /** Graceful: nothing new starts, active steps finish, then the run ends as cancelled. */
  async stop(runId: string, body: RunActionReasonDto, by: string): Promise<RunActionAnswer> {
    await this.runningRun(runId, 'stop');
    return this.send({
      type: 'StopRun',
      runId,
      reason: body.reason ?? 'stopped through the API',
      metadata: this.metadata('stop', by),
    });
  }

  /**
   * Now: active steps are cancelled and the run ends as cancelled. A run still
   * waiting in its workflow's queue is withdrawn there (it never starts).
   */
  async kill(runId: string, body: RunActionReasonDto, by: string): Promise<RunActionAnswer> {
    const reason = body.reason ?? 'killed through the API';
    const run = await this.queries.getRun(runId);
    const queued = run ? null : await this.queries.getQueuedRun(runId);
    if (queued) {
      const metadata = this.metadata('kill', by);
      await this.workflowCommands.send({
        type: 'CancelQueuedRun',
        workflowId: queued.workflowId,
        runId,
        reason,
        metadata,
      });
      return { runId, commandId: metadata.commandId };
    }
    refuseEnded(runId, known(runId, run), 'kill');
    return this.send({ type: 'CancelRun', runId, reason, metadata: this.metadata('kill', by) });
  }

  /** The step counts as succeeded with no outputs; an attempt in flight is cancelled. */
  async skip(runId: string, stepId: string, body: RunActionReasonDto, by: string): Promise<RunActionAnswer> {
    const step = await this.stepOfRunningRun(runId, stepId, 'skip');
    if (step && TERMINAL_STEP_STATUSES.includes(step.status)) {
      throw new ConflictError(
        `step ${stepId} of run ${runId} already ${step.status}; there is nothing to skip`,
      );
    }
    return this.send({
      type: 'SkipStep',
      runId,
      stepId,
      reason: body.reason ?? 'skipped through the API',
      metadata: this.metadata('skip', by),
    });
  }

  /** Lets a step held at a breakpoint start. */
  async resume(runId: string, stepId: string, by: string): Promise<RunActionAnswer> {
    const step = await this.stepOfRunningRun(runId, stepId, 'resume');
    if (step && !BEFORE_BREAKPOINT_STATUSES.includes(step.status)) {
      throw new ConflictError(
        `step ${stepId} of run ${runId} is ${step.status}, past any breakpoint; there is nothing to resume`,
      );
    }
    return this.send({ type: 'ResumeStep', runId, stepId, metadata: this.metadata('resume', by) });
  }

  private async knownRun(runId: string): Promise<RunDetail> {
    return known(runId, await this.queries.getRun(runId));
  }

  private async runningRun(runId: string, action: string): Promise<RunDetail> {
    const run = await this.knownRun(runId);
    refuseEnded(runId, run, action);
    return run;
  }

  /** The step as the read model shows it (null before it was ever ready); 404 for a step the workflow lacks. */
  private async stepOfRunningRun(runId: string, stepId: string, action: string): Promise<StepView | null> {
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
  private async definitionOf(run: RunDetail): Promise<WorkflowDefinition | null> {
    const found = await this.registry.getVersion(run.workflowId, run.workflowVersion);
    return found?.definition ?? null;
  }

  /** `by`: the caller's principal subject, which the command's events carry (the audit trail). */
  private metadata(action: string, by: string): CommandMetadata {
    return { commandId: `api-${action}/${this.ids.next()}`, at: this.clock.now(), by };
  }

  private async send(command: RunActionCommand): Promise<RunActionAnswer> {
    await this.publisher.sendRunCommand(command);
    return { runId: command.runId, commandId: command.metadata.commandId };
  }
}

/** The run, or 404 when the read model does not have it. */
function known(runId: string, run: RunDetail | null): RunDetail {
  if (!run) throw new NotFoundError(`run ${runId} is unknown (or not projected yet: retry in a moment)`);
  return run;
}

/** 409 for a run that already ended: there is nothing left to `action`. */
function refuseEnded(runId: string, run: RunDetail, action: string): void {
  if (TERMINAL_RUN_STATUSES.includes(run.status)) {
    throw new ConflictError(`run ${runId} already ${run.status}; there is nothing to ${action}`);
  }
}

/** The mode defaults to from_step when a step is named, else to incomplete; a step goes with from_step only. */
function restartTarget(body: RestartRunDto): { mode: RestartMode; stepId?: string } {
  const mode = body.mode ?? (body.stepId === undefined ? 'incomplete' : 'from_step');
  if (mode === 'from_step') {
    if (body.stepId !== undefined) return { mode, stepId: body.stepId };
    const message = 'mode from_step needs stepId: the step to restart from';
    throw new InvalidRequestError(message, [{ path: '$.stepId', message }]);
  }
  if (body.stepId !== undefined) {
    const message = `stepId goes with mode from_step only; mode ${mode} restarts ${
      mode === 'beginning' ? 'every step' : 'every step that did not succeed'
    }`;
    throw new InvalidRequestError(message, [{ path: '$.stepId', message }]);
  }
  return { mode };
}

function stepOf(definition: WorkflowDefinition, stepId: string): StepDefinition | undefined {
  return definition.steps.find((step) => step.id === stepId);
}

function stepIds(definition: WorkflowDefinition): string {
  return definition.steps.map((step) => step.id).join(', ');
}

function describeWorkflow(definition: WorkflowDefinition): string {
  return `workflow ${definition.id} v${definition.version}`;
}
