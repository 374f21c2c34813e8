import { Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import type { Principal } from '@baton/auth';
import { Caller } from '../auth/caller.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { sseFrames, writeSse } from './sse';
import { StatusStreamQueryDto } from './status-events.dto';
import { StatusEventsHub } from './status-events.hub';
import { MissedStatusEventsQuery } from './queries/missed-status-events.query';
import { resumedStream, resumeSeq } from './status-replay';

@ApiController('api/v1/events', 'events')
export class StatusEventsController {
  constructor(
    private readonly hub: StatusEventsHub,
    private readonly queries: QueryBus,
  ) {}

  @Get('stream')
  @ApiOperation({
    operationId: 'streamStatusEvents',
    summary: 'Live run and step status changes (server-sent events)',
    description:
      'Each message: `event:` the CloudEvent type (io.baton.run.succeeded, io.baton.step.running, ...), ' +
      '`id:` the CloudEvent id (<runId>/<seq>), `data:` the CloudEvent 1.0 JSON, as on baton.status-events. ' +
      'Events from the moment of connection; a comment line every 15 s keeps the stream open. A stream of ' +
      'one run (runId=...) that sends `Last-Event-ID: <runId>/<seq>` (as a reconnecting client does) first ' +
      'gets the status events after that seq from the stored run events, then the live ones, each once.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last event received, to resume a run stream after a reconnect',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless text/event-stream' })
  stream(
    @Query() query: StatusStreamQueryDto,
    @Caller() caller: Principal,
    @Res() response: ServerResponse,
    @Headers('last-event-id') lastEventId?: string,
  ): void {
    const scoped = caller.scopes === null ? {} : { workflowPrefixes: caller.scopes };
    const live = this.hub.stream({ ...query, ...scoped });
    const afterSeq = resumeSeq(lastEventId, query.runId);
    const events =
      afterSeq === null || query.runId === undefined
        ? live
        : resumedStream(live, afterSeq, () =>
            this.queries.execute(new MissedStatusEventsQuery(query.runId as string, afterSeq, caller)),
          );
    writeSse(response, sseFrames(events));
  }
}
