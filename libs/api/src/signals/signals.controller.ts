import { Body, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiOperation } from '@nestjs/swagger';
import type { Principal } from '@baton/auth';
import { Requires, Unscoped } from '../auth/access.decorator';
import { Caller } from '../auth/caller.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { ErrorDto } from '../http/error.dto';
import { SendSignalDto, SendSignalResponseDto } from './signals.dto';
import { type SendSignalAnswer, SendSignalCommand } from './commands/send-signal.command';

@ApiController('api/v1', 'signals')
export class SignalsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('signals')
  @HttpCode(202)
  @Requires('operate')
  // A signal reaches waits and triggers of every workflow: not for a token scoped to some.
  @Unscoped()
  @ApiOperation({
    operationId: 'sendSignal',
    summary: 'Send a signal',
    description:
      'Publishes a SignalSent on baton.signals and answers at once. The signal router delivers it to every ' +
      'waiting wait_for_signal step whose match its params satisfy, and starts a run of every workflow whose ' +
      'signal trigger it matches. A signal id sent again is delivered once.',
  })
  @ApiAcceptedResponse({ type: SendSignalResponseDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'A bad name, params or signal id, with paths' })
  send(@Body() body: SendSignalDto, @Caller() caller: Principal): Promise<SendSignalAnswer> {
    return this.commands.execute(new SendSignalCommand(body, caller.subject));
  }
}
