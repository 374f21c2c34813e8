import { Command } from '@nestjs/cqrs';
import type { SendSignalDto } from '../signals.dto';

export interface SendSignalAnswer {
  readonly signalId: string;
}

/** `POST /signals`. `by`: the caller's principal subject, carried to the deliveries and runs the signal causes. */
export class SendSignalCommand extends Command<SendSignalAnswer> {
  constructor(
    readonly body: SendSignalDto,
    readonly by: string,
  ) {
    super();
  }
}
