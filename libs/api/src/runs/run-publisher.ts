import { coreTopics, type RunRequest, Topics, type TopicLayout } from '@baton/contracts';
import type { CancelRun, RestartRun, ResumeStep, SkipStep, StopRun } from '@baton/domain';
import type { EventLog, Producer } from '@baton/eventlog';

/** The run commands the API publishes: what an operator asks of a run. */
export type RunActionCommand = RestartRun | StopRun | CancelRun | SkipStep | ResumeStep;

/**
 * The API's only writes: run requests (`baton.run-requests`, keyed by
 * workflow id) and operators' run commands (`baton.run-commands`, keyed by run id).
 * The API never decides anything about a run; the engine, single writer of
 * the run's partition, does. `open` creates any missing core topic first, so
 * an API started before the engine can already accept requests.
 */
export class RunPublisher {
  private producer: Producer | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly topics: TopicLayout,
  ) {}

  async open(): Promise<void> {
    await this.log.ensureTopics(coreTopics(this.topics));
    this.producer = await this.log.producer();
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.close();
  }

  async requestRun(request: RunRequest): Promise<void> {
    await this.send({ topic: Topics.runRequests, key: request.workflowId, value: JSON.stringify(request) });
  }

  /** An operator's command on one run (see the handlers in `runs/commands`), for the engine owning its partition. */
  async sendRunCommand(command: RunActionCommand): Promise<void> {
    await this.send({ topic: Topics.runCommands, key: command.runId, value: JSON.stringify(command) });
  }

  private async send(record: { topic: string; key: string; value: string }): Promise<void> {
    if (!this.producer) throw new Error('RunPublisher is not open (the API module has not bootstrapped)');
    await this.producer.send([record]);
  }
}
