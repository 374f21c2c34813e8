import { randomUUID } from 'node:crypto';
import {
  decideWorkflowCommand,
  evolveWorkflowQueue,
  initialWorkflowQueueState,
  type WorkflowCommand,
  type WorkflowQueueState,
} from '@baton/domain/workflow-queue';
import { RegistryClient, WorkflowRegistry } from '@baton/readmodel';
import type { SqlClient } from '@baton/sql';
import { projectWorkflowEvents } from '../workflow-queue-projection';

/**
 * A `RegistryClient` whose commands are decided in memory by the workflow
 * queue's decider (one command at a time, as the single writer does) and
 * projected into `sql` at once by the queue projection: the write path of
 * production without the log, for the registry contract.
 */
export function projectedRegistryClient(sql: SqlClient, now: () => number): RegistryClient {
  const states = new Map<string, WorkflowQueueState>();
  let previous: Promise<void> = Promise.resolve();
  const decide = async (command: WorkflowCommand): Promise<void> => {
    const stamped = { ...command, metadata: { ...command.metadata, at: now() } } as WorkflowCommand;
    const before = states.get(command.workflowId) ?? initialWorkflowQueueState();
    const events = decideWorkflowCommand(stamped, before);
    states.set(command.workflowId, events.reduce(evolveWorkflowQueue, before));
    await sql.transaction((tx) => projectWorkflowEvents(tx, events));
  };
  const send = (command: WorkflowCommand): Promise<void> => {
    const next = previous.then(() => decide(command));
    previous = next.catch(() => undefined);
    return next;
  };
  return new RegistryClient(new WorkflowRegistry(sql), {
    send,
    commandId: (action) => `test-${action}/${randomUUID()}`,
    now,
    pollMs: 1,
    timeoutMs: 5_000,
  });
}
