import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { runIdFor, type RunRequest } from '@baton/contracts';
import type { WorkflowDefinition } from '@baton/domain';
import { CLOCK, type Clock } from '@baton/platform';
import { WorkflowRegistry } from '@baton/readmodel';
import { ConflictError, type FieldError, InvalidRequestError, NotFoundError } from '../../http/api.errors';
import { ID_GENERATOR, type IdGenerator } from '../../ids';
import { ParamSealer } from '../param-sealer';
import { checkRunParams } from '../run-params.check';
import { RunPublisher } from '../run-publisher';
import { type StartRunAnswer, StartRunCommand } from './start-run.command';

/**
 * Checks the workflow, version and params against the registry, then
 * publishes a `RunRequest` pinned to the version checked (the active one
 * unless named), so activating another version meanwhile cannot change what
 * was accepted. The engine admits and decides asynchronously; the answer
 * (202) comes at once. The run id is `runIdFor(workflowId, requestId)`: the
 * same request id always answers the same run id, and the engine starts it once.
 */
@CommandHandler(StartRunCommand)
export class StartRunHandler implements ICommandHandler<StartRunCommand> {
  constructor(
    @Inject(WorkflowRegistry) private readonly registry: Pick<WorkflowRegistry, 'get' | 'getVersion'>,
    @Inject(RunPublisher) private readonly publisher: Pick<RunPublisher, 'requestRun'>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(ParamSealer) private readonly secrets: ParamSealer,
  ) {}

  async execute({ workflowId, body, by }: StartRunCommand): Promise<StartRunAnswer> {
    const found = await this.registry.getVersion(workflowId, body.version ?? 'active');
    if (!found) {
      if (!(await this.registry.get(workflowId))) {
        throw new NotFoundError(`workflow "${workflowId}" does not exist; push it first`);
      }
      if (body.version === undefined) {
        throw new ConflictError(
          `workflow "${workflowId}" is deactivated (no active version): activate one ` +
            `(POST /api/v1/workflows/${workflowId}/versions/{version}/activate) or name a version`,
        );
      }
      throw new NotFoundError(`workflow "${workflowId}" has no version ${body.version}`);
    }
    const params = body.params ?? {};
    const errors = [
      ...checkRunParams(found.definition, params),
      ...unknownBreakpoints(found.definition, body.breakpoints ?? []),
    ];
    if (errors.length > 0) {
      throw new InvalidRequestError(
        `the request does not fit workflow ${workflowId} v${found.version}: ${errors[0].message}`,
        errors,
      );
    }
    const requestId = body.requestId ?? this.ids.next();
    const request: RunRequest = {
      schemaVersion: 1,
      workflowId,
      version: found.version,
      requestId,
      params: this.secrets.seal(found.definition, params),
      requestedAt: this.clock.now(),
      ...(body.breakpoints === undefined ? {} : { breakpoints: body.breakpoints }),
      requestedBy: by,
    };
    await this.publisher.requestRun(request);
    return { runId: runIdFor(workflowId, requestId), requestId, workflowId, version: found.version };
  }
}

function unknownBreakpoints(definition: WorkflowDefinition, breakpoints: readonly string[]): FieldError[] {
  const steps = new Set(definition.steps.map((step) => step.id));
  return breakpoints.flatMap((stepId, index) =>
    steps.has(stepId)
      ? []
      : [
          {
            path: `$.breakpoints[${index}]`,
            message: `workflow ${definition.id} v${definition.version} has no step "${stepId}"; its steps are: ${[...steps].join(', ')}`,
          },
        ],
  );
}
