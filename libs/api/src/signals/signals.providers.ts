import type { Provider } from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import { CLOCK, EVENT_LOG, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@baton/platform';
import { ID_GENERATOR, type IdGenerator } from '../ids';
import { SignalPublisher } from './signal-publisher';
import { SignalsService } from './signals.service';

/** What `SignalsController` needs, for `ApiModule`'s providers. */
export const SIGNALS_PROVIDERS: Provider[] = [
  {
    provide: SignalPublisher,
    inject: [EVENT_LOG, PLATFORM_CONFIG],
    useFactory: (log: EventLog, config: PlatformConfig) => new SignalPublisher(log, config.topics),
  },
  {
    provide: SignalsService,
    inject: [SignalPublisher, CLOCK, ID_GENERATOR],
    useFactory: (publisher: SignalPublisher, clock: Clock, ids: IdGenerator) =>
      new SignalsService(publisher, clock, ids),
  },
];
