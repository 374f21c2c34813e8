import { Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import type { Principal } from '@baton/auth';
import { Caller } from '../auth/caller.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { sseFrames, writeSse } from './sse';
import { StatusStreamQueryDto } from './status-events.dto';
import { StatusEventsHub } from './status-events.hub';

@ApiController('api/v1/events', 'events')
export class StatusEventsController {
  constructor(private readonly hub: StatusEventsHub) {}

  @Get('stream')
  @ApiOperation({
    summary: 'Live run and step status changes (server-sent events)',
    description:
      'Each message: `event:` the CloudEvent type (io.baton.run.succeeded, io.baton.step.running, ...), ' +
      '`id:` the CloudEvent id (<runId>/<seq>), `data:` the CloudEvent 1.0 JSON, as on baton.status-events. ' +
      'Only events from the moment of connection; a comment line every 15 s keeps the stream open.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless text/event-stream' })
  stream(
    @Query() query: StatusStreamQueryDto,
    @Caller() caller: Principal,
    @Res() response: ServerResponse,
  ): void {
    const scoped = caller.scopes === null ? {} : { workflowPrefixes: caller.scopes };
    writeSse(response, sseFrames(this.hub.stream({ ...query, ...scoped })));
  }
}
