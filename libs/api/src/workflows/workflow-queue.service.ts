import type { WorkflowCommand } from '@baton/domain/workflow-queue';
import type { Clock } from '@baton/platform';
import type { WorkflowRegistry } from '@baton/readmodel';
import type { WorkflowQueueQueries, WorkflowQueueView } from '@baton/readmodel/workflow-queue-queries';
import { InvalidRequestError, NotFoundError } from '../http/api.errors';
import type { IdGenerator } from '../ids';
import type { WorkflowCommandPublisher } from './workflow-command-publisher';
import type { SetBreakpointsDto, WorkflowQueueQueryDto } from './workflow-queue.dto';

export interface WorkflowCommandAnswer {
  readonly workflowId: string;
  /** Echoed on the `WorkflowCommandRejected` event should the queue refuse the command. */
  readonly commandId: string;
}

export interface BreakpointsAnswer extends WorkflowCommandAnswer {
  readonly stepIds: readonly string[];
}

const DEFAULT_QUEUE_PAGE = 100;

type Control = 'PauseWorkflow' | 'ResumeWorkflow' | 'UnblockWorkflow';

/**
 * A workflow's queue through the API: its state from the read model, and
 * operators' commands published for the queue's single writer (202 at once).
 * The writer is the judge: pausing a paused workflow is refused there,
 * recorded as a `WorkflowCommandRejected` with the command id. The read model
 * is not asked first, since pause and resume toggle and a lagging read model
 * could turn a valid command away.
 */
export class WorkflowQueueApiService {
  constructor(
    private readonly registry: Pick<WorkflowRegistry, 'get' | 'getVersion'>,
    private readonly queries: Pick<WorkflowQueueQueries, 'getQueue'>,
    private readonly publisher: Pick<WorkflowCommandPublisher, 'send'>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async queue(workflowId: string, query: WorkflowQueueQueryDto): Promise<WorkflowQueueView> {
    await this.knownWorkflow(workflowId);
    return this.queries.getQueue(workflowId, {
      limit: query.limit ?? DEFAULT_QUEUE_PAGE,
      ...(query.afterPosition === undefined ? {} : { afterPosition: query.afterPosition }),
    });
  }

  /** `by`, here and below: the caller's principal subject, carried into the events (audit trail). */
  pause(workflowId: string, by: string): Promise<WorkflowCommandAnswer> {
    return this.control(workflowId, 'PauseWorkflow', 'pause', by);
  }

  resume(workflowId: string, by: string): Promise<WorkflowCommandAnswer> {
    return this.control(workflowId, 'ResumeWorkflow', 'resume', by);
  }

  unblock(workflowId: string, by: string): Promise<WorkflowCommandAnswer> {
    return this.control(workflowId, 'UnblockWorkflow', 'unblock', by);
  }

  /**
   * Replaces the workflow's breakpoints. Each step must exist in the active
   * version (the latest while the workflow is deactivated), so a typo is a
   * 400 rather than a breakpoint that never hits; a run of another version
   * simply never reaches a step it lacks.
   */
  async setBreakpoints(workflowId: string, body: SetBreakpointsDto, by: string): Promise<BreakpointsAnswer> {
    await this.knownWorkflow(workflowId);
    const version =
      (await this.registry.getVersion(workflowId, 'active')) ??
      (await this.registry.getVersion(workflowId, 'latest'));
    const known = new Set(version?.definition.steps.map((step) => step.id) ?? []);
    const errors = body.stepIds.flatMap((stepId, i) =>
      known.has(stepId)
        ? []
        : [
            {
              path: `$.stepIds[${i}]`,
              message: `workflow ${workflowId} v${version?.version} has no step "${stepId}"`,
            },
          ],
    );
    if (errors.length > 0) {
      throw new InvalidRequestError(`unknown steps: ${errors.map((e) => e.message).join('; ')}`, errors);
    }
    const commandId = this.commandId('breakpoints');
    await this.publisher.send({
      type: 'SetWorkflowBreakpoints',
      workflowId,
      stepIds: body.stepIds,
      metadata: { commandId, at: this.clock.now(), by },
    });
    return { workflowId, commandId, stepIds: body.stepIds };
  }

  private async control(
    workflowId: string,
    type: Control,
    action: string,
    by: string,
  ): Promise<WorkflowCommandAnswer> {
    await this.knownWorkflow(workflowId);
    const commandId = this.commandId(action);
    const command: WorkflowCommand = { type, workflowId, metadata: { commandId, at: this.clock.now(), by } };
    await this.publisher.send(command);
    return { workflowId, commandId };
  }

  private commandId(action: string): string {
    return `api-${action}/${this.ids.next()}`;
  }

  private async knownWorkflow(workflowId: string): Promise<void> {
    if (!(await this.registry.get(workflowId))) {
      throw new NotFoundError(`workflow "${workflowId}" does not exist; push it first`);
    }
  }
}
