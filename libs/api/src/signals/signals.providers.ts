import type { Provider } from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import { EVENT_LOG, PLATFORM_CONFIG, type PlatformConfig } from '@baton/platform';
import { SendSignalHandler } from './commands/send-signal.handler';
import { SignalPublisher } from './signal-publisher';

/** What `SignalsController` needs, for `ApiModule`'s providers (next to `CqrsModule`). */
export const SIGNALS_PROVIDERS: Provider[] = [
  {
    provide: SignalPublisher,
    inject: [EVENT_LOG, PLATFORM_CONFIG],
    useFactory: (log: EventLog, config: PlatformConfig) => new SignalPublisher(log, config.topics),
  },
  SendSignalHandler,
];
