import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { SignalSent } from '@baton/domain/signals';
import type { EventLog, Producer } from '@baton/eventlog';

/**
 * Publishes signals on `baton.signals`, keyed by signal name (the signal
 * router's partitioning). Opens its producer with the application (creating
 * any missing core topic, so the API can take signals before an engine runs)
 * and closes it before the platform closes the log.
 */
export class SignalPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private producer: Producer | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly topics: TopicLayout,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.log.ensureTopics(coreTopics(this.topics));
    this.producer = await this.log.producer();
  }

  async onModuleDestroy(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.close();
  }

  async publish(signal: SignalSent): Promise<void> {
    if (!this.producer) throw new Error('SignalPublisher is not open (the API module has not bootstrapped)');
    await this.producer.send([{ topic: Topics.signals, key: signal.name, value: JSON.stringify(signal) }]);
  }
}
