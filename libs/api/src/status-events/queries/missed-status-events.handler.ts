import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { StatusCloudEvent } from '@baton/contracts';
import { GetRunQuery } from '../../runs/queries/get-run.query';
import { ListRunEventsQuery, type RunEventsPage } from '../../runs/queries/list-run-events.query';
import { MAX_REPLAYED_EVENTS, statusEventsOf } from '../status-replay';
import { MissedStatusEventsQuery } from './missed-status-events.query';

const REPLAY_PAGE = 1000;

/**
 * Reads the run and its events through the same queries as
 * `GET /runs/{runId}` and `GET /runs/{runId}/events` (so the read model, or
 * the archive, answers), a page at a time, up to `MAX_REPLAYED_EVENTS`.
 */
@QueryHandler(MissedStatusEventsQuery)
export class MissedStatusEventsHandler implements IQueryHandler<MissedStatusEventsQuery> {
  constructor(@Inject(QueryBus) private readonly queries: Pick<QueryBus, 'execute'>) {}

  async execute({ runId, afterSeq, caller }: MissedStatusEventsQuery): Promise<StatusCloudEvent[]> {
    const run = await this.queries.execute(new GetRunQuery(runId));
    // The live stream filters by scope; the replay must not show what it would not.
    if (caller.scopes !== null && !caller.scopes.some((prefix) => run.workflowId.startsWith(prefix)))
      return [];
    const workflow = { id: run.workflowId, version: run.workflowVersion };
    const found: StatusCloudEvent[] = [];
    let after: number | null = afterSeq;
    for (let read = 0; after !== null && read < MAX_REPLAYED_EVENTS; read += REPLAY_PAGE) {
      const page: RunEventsPage = await this.queries.execute(
        new ListRunEventsQuery(runId, { afterSeq: after, limit: REPLAY_PAGE }),
      );
      found.push(...statusEventsOf(page.items, workflow));
      after = page.items.length < REPLAY_PAGE ? null : page.nextAfterSeq;
    }
    return found;
  }
}
