import type { WorkflowCommand } from '@baton/domain/workflow-queue';
import {
  WorkflowNotFoundError,
  WorkflowVersionNotFoundError,
  type PushResult,
  type PushWorkflow,
  type RegistryOutcome,
  type WorkflowRegistry,
} from './workflow-registry';

/** The workflow's writer did not answer in time (no engine running, or the projector behind). */
export class RegistryUnavailableError extends Error {
  constructor(
    readonly commandId: string,
    waitedMs: number,
  ) {
    super(
      `the workflow registry did not answer command ${commandId} within ${waitedMs} ms (is an engine and the workflow queue projector running?); it may still apply it, retry to find out`,
    );
    this.name = 'RegistryUnavailableError';
  }
}

/** The writer refused a command for a reason other than a missing workflow or version. */
export class RegistryRejectedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryRejectedError';
  }
}

export interface RegistryClientOptions {
  /** Sends a command to `baton.workflow-commands` (keyed by workflow id). */
  readonly send: (command: WorkflowCommand) => Promise<void>;
  /** A fresh command id each call. */
  readonly commandId: (action: string) => string;
  readonly now: () => number;
  /** How long to wait for the outcome. Default 15 s. */
  readonly timeoutMs?: number;
  /** How often the projection is asked meanwhile. Default 20 ms. */
  readonly pollMs?: number;
}

/**
 * Pushes, activations and deactivations as commands for the workflow's
 * single writer, each answered once its outcome is in the read model
 * (`workflow_registry_outcomes`), so a caller that gets the answer can read
 * what it did (`GET /workflows/{id}` right after a push shows it).
 *
 * @example
 *   const client = new RegistryClient(registry, { send, commandId: (a) => `api-${a}/${ids.next()}`, now });
 *   const { version, created } = await client.push({ definition, source, pushedBy: 'alice', activate: true });
 */
export class RegistryClient {
  private readonly timeoutMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly registry: Pick<WorkflowRegistry, 'outcome'>,
    private readonly options: RegistryClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.pollMs = options.pollMs ?? 20;
  }

  async push({ definition, source, pushedBy, activate = false }: PushWorkflow): Promise<PushResult> {
    const workflowId = definition.id;
    const outcome = await this.ask('push', (metadata) => ({
      type: 'PushWorkflowVersion',
      workflowId,
      definition,
      source,
      activate,
      metadata: { ...metadata, ...(pushedBy === undefined ? {} : { by: pushedBy }) },
    }));
    if (outcome.type === 'WorkflowDeactivated') throw unexpected(outcome);
    return {
      workflowId,
      version: outcome.version,
      created: outcome.type === 'WorkflowVersionPushed',
      activeVersion: outcome.activeVersion,
    };
  }

  /** Throws WorkflowNotFoundError, WorkflowVersionNotFoundError. */
  async activate(workflowId: string, version: number, by?: string): Promise<void> {
    await this.ask('activate', (metadata) => ({
      type: 'ActivateWorkflowVersion',
      workflowId,
      version,
      metadata: { ...metadata, ...(by === undefined ? {} : { by }) },
    }));
  }

  /** Throws WorkflowNotFoundError. */
  async deactivate(workflowId: string, by?: string): Promise<void> {
    await this.ask('deactivate', (metadata) => ({
      type: 'DeactivateWorkflow',
      workflowId,
      metadata: { ...metadata, ...(by === undefined ? {} : { by }) },
    }));
  }

  /** Sends the command and waits for its outcome; a rejection becomes the matching error. */
  private async ask(
    action: string,
    build: (metadata: { commandId: string; at: number }) => WorkflowCommand,
  ): Promise<Exclude<RegistryOutcome, { type: 'WorkflowCommandRejected' }>> {
    const commandId = this.options.commandId(action);
    const command = build({ commandId, at: this.options.now() });
    await this.options.send(command);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const outcome = await this.registry.outcome(commandId);
      if (outcome !== null) {
        if (outcome.type !== 'WorkflowCommandRejected') return outcome;
        throw rejection(command, outcome.code, outcome.message);
      }
      if (Date.now() >= deadline) throw new RegistryUnavailableError(commandId, this.timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }
}

function rejection(command: WorkflowCommand, code: string, message: string): Error {
  if (code === 'WorkflowNotFound') return new WorkflowNotFoundError(command.workflowId);
  if (code === 'WorkflowVersionNotFound' && command.type === 'ActivateWorkflowVersion') {
    return new WorkflowVersionNotFoundError(command.workflowId, command.version);
  }
  return new RegistryRejectedError(code, message);
}

function unexpected(outcome: RegistryOutcome): Error {
  return new Error(`a push was answered with ${outcome.type}`);
}
