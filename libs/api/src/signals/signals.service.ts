import type { SignalSent } from '@baton/domain/signals';
import type { Clock } from '@baton/platform';
import type { IdGenerator } from '../ids';
import type { SendSignalDto } from './signals.dto';
import type { SignalPublisher } from './signal-publisher';

export interface SendSignalAnswer {
  readonly signalId: string;
}

/**
 * Signals through the API: publish and answer 202. Which waits and triggers
 * the signal reaches is the signal router's business, decided
 * asynchronously; the answer only says the signal is in the log.
 */
export class SignalsService {
  constructor(
    private readonly publisher: Pick<SignalPublisher, 'publish'>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** `by`: the caller's principal subject, carried to the deliveries and runs the signal causes. */
  async send(body: SendSignalDto, by: string): Promise<SendSignalAnswer> {
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
