import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RunQueries, type StepLogs } from '@baton/readmodel';
import { NotFoundError } from '../../http/api.errors';
import { GetStepLogsQuery } from './get-step-logs.query';
import { missingRun } from './never-started';

/** 404 when nothing is stored for the attempt, 410 when the run never started. */
@QueryHandler(GetStepLogsQuery)
export class GetStepLogsHandler implements IQueryHandler<GetStepLogsQuery> {
  constructor(
    @Inject(RunQueries) private readonly queries: Pick<RunQueries, 'getStepLogs' | 'getDroppedRequest'>,
  ) {}

  async execute({ runId, stepId, attempt }: GetStepLogsQuery): Promise<StepLogs> {
    const logs = await this.queries.getStepLogs(runId, stepId, attempt);
    if (logs) return logs;
    const which = attempt === undefined ? '' : ` attempt ${attempt}`;
    throw await missingRun(
      this.queries,
      runId,
      new NotFoundError(`no logs stored for step "${stepId}"${which} of run ${runId}`),
    );
  }
}
