import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SignalSent } from '@baton/domain/signals';
import { CLOCK, type Clock } from '@baton/platform';
import { ID_GENERATOR, type IdGenerator } from '../../ids';
import { SignalPublisher } from '../signal-publisher';
import { type SendSignalAnswer, SendSignalCommand } from './send-signal.command';

/**
 * Publishes a `SignalSent` and answers 202. Which waits and triggers the
 * signal reaches is the signal router's business, decided asynchronously;
 * the answer only says the signal is in the log.
 */
@CommandHandler(SendSignalCommand)
export class SendSignalHandler implements ICommandHandler<SendSignalCommand> {
  constructor(
    @Inject(SignalPublisher) private readonly publisher: Pick<SignalPublisher, 'publish'>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ body, by }: SendSignalCommand): Promise<SendSignalAnswer> {
    const signal: SignalSent = {
      type: 'SignalSent',
      signalId: body.signalId ?? this.ids.next(),
      name: body.name,
      params: body.params ?? {},
      sentAt: this.clock.now(),
      sentBy: by,
    };
    await this.publisher.publish(signal);
    return { signalId: signal.signalId };
  }
}
