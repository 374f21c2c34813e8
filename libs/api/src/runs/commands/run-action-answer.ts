import type { RunActionCommand, RunPublisher } from '../run-publisher';

/** What every run action answers (202). */
export interface RunActionAnswer {
  readonly runId: string;
  /** Echoed on the `CommandRejected` event should the engine refuse the command. */
  readonly commandId: string;
}

/** Publishes an operator's command on the run's partition and answers at once; the engine decides it. */
export async function sendRunAction(
  publisher: Pick<RunPublisher, 'sendRunCommand'>,
  command: RunActionCommand,
): Promise<RunActionAnswer> {
  await publisher.sendRunCommand(command);
  return { runId: command.runId, commandId: command.metadata.commandId };
}
