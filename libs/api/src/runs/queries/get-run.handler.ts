import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type RunDetail, RunQueries } from '@baton/readmodel';
import { NotFoundError } from '../../http/api.errors';
import { GetRunQuery } from './get-run.query';
import { missingRun } from './never-started';

/** A run, or one waiting in its workflow's queue (status `queued`); 410 if its request was dropped, else 404. */
@QueryHandler(GetRunQuery)
export class GetRunHandler implements IQueryHandler<GetRunQuery> {
  constructor(
    @Inject(RunQueries)
    private readonly queries: Pick<RunQueries, 'getRun' | 'getQueuedRun' | 'getDroppedRequest'>,
  ) {}

  async execute({ runId }: GetRunQuery): Promise<RunDetail> {
    const run = (await this.queries.getRun(runId)) ?? (await this.queries.getQueuedRun(runId));
    if (!run) {
      throw await missingRun(
        this.queries,
        runId,
        new NotFoundError(`run ${runId} is unknown (or not projected yet: retry in a moment)`),
      );
    }
    return run;
  }
}
