import { Inject, Optional } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_ARCHIVE, type EventArchive } from '@baton/archive';
import type { JsonObject } from '@baton/domain';
import { RunQueries, type RunEventRecord } from '@baton/readmodel';
import { ListRunEventsQuery, type RunEventsPage } from './list-run-events.query';
import { runNeverStarted } from './never-started';

const DEFAULT_EVENTS_PAGE = 100;

/**
 * What is stored so far; an unknown run simply has none (its events may not
 * be projected yet), but a run whose request was dropped never will: 410.
 * When the read model has nothing (rebuilt after the log's retention
 * dropped the run), the archive answers instead.
 */
@QueryHandler(ListRunEventsQuery)
export class ListRunEventsHandler implements IQueryHandler<ListRunEventsQuery> {
  constructor(
    @Inject(RunQueries) private readonly queries: Pick<RunQueries, 'getRunEvents' | 'getDroppedRequest'>,
    /** The permanent history; null when the process has none. */
    @Optional()
    @Inject(EVENT_ARCHIVE)
    private readonly archive: Pick<EventArchive, 'readStream'> | null = null,
  ) {}

  async execute({ runId, query }: ListRunEventsQuery): Promise<RunEventsPage> {
    const afterSeq = query.afterSeq ?? 0;
    const limit = query.limit ?? DEFAULT_EVENTS_PAGE;
    const stored = await this.queries.getRunEvents(runId, { afterSeq, limit, type: query.type });
    // The archive answers for runs the read model no longer has (not for a filter that matched nothing).
    const page =
      stored.items.length > 0 || !this.archive || query.type !== undefined
        ? stored
        : await this.archivedEvents(this.archive, runId, afterSeq, limit);
    // A run has events from seq 1: none from the start means the run is not (yet) known.
    if (page.items.length > 0 || afterSeq > 0) return page;
    const dropped = await this.queries.getDroppedRequest(runId);
    if (dropped) throw runNeverStarted(dropped);
    return page;
  }

  private async archivedEvents(
    archive: Pick<EventArchive, 'readStream'>,
    runId: string,
    afterSeq: number,
    limit: number,
  ): Promise<RunEventsPage> {
    const items: RunEventRecord[] = [];
    let more = false;
    for await (const event of archive.readStream(runId, { fromSeq: afterSeq + 1 })) {
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push({
        seq: event.seq,
        type: event.type,
        at: event.at,
        payload: JSON.parse(event.json) as JsonObject,
      });
    }
    return { items, nextAfterSeq: more ? items[items.length - 1].seq : null };
  }
}
