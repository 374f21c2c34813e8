import type { OnModuleDestroy } from '@nestjs/common';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { WorkflowCommand } from '@baton/domain/workflow-queue';
import type { EventLog, Producer } from '@baton/eventlog';

/**
 * Publishes operators' workflow commands (pause, resume, unblock,
 * breakpoints) on `baton.workflow-commands`, keyed by workflow id, for the
 * workflow queue's single writer. Its producer opens with the first command
 * (creating the topic if the engine has not yet) and closes with the module.
 */
export class WorkflowCommandPublisher implements OnModuleDestroy {
  private producer: Promise<Producer> | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly topics: TopicLayout,
  ) {}

  async send(command: WorkflowCommand): Promise<void> {
    const producer = await (this.producer ??= this.open());
    await producer.send([
      { topic: Topics.workflowCommands, key: command.workflowId, value: JSON.stringify(command) },
    ]);
  }

  async onModuleDestroy(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await (await producer?.catch(() => null))?.close();
  }

  private async open(): Promise<Producer> {
    try {
      await this.log.ensureTopics(
        coreTopics(this.topics).filter((topic) => topic.name === Topics.workflowCommands),
      );
      return await this.log.producer();
    } catch (error) {
      // The next command tries again instead of failing forever on a cached rejection.
      this.producer = null;
      throw error;
    }
  }
}
