import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { parseWorkflowDocument } from '@baton/definitions';
import { Topics } from '@baton/contracts';
import type { EventLog, Producer } from '@baton/eventlog';
import { batonLogger } from '@baton/observability';
import { CLOCK, EVENT_LOG, SQL_CLIENT, type Clock } from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { RegistryClient, WorkflowRegistry } from '@baton/readmodel';

export const EXAMPLES_DIR = Symbol('ExamplesDir');

/**
 * Pushes the workflows in `examples/` on start, so a newcomer can run one at
 * once. Each is a `PushWorkflowVersion` for the workflow's writer; pushing an
 * unchanged file again keeps its version, so restarts add nothing; an invalid
 * file is logged with its errors and skipped.
 *
 * In the background, not in the bootstrap: the writer and the projector that
 * answer the pushes start in the same bootstrap, after or alongside this hook.
 */
@Injectable()
export class ExamplesLoader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = batonLogger('Examples');
  private producer: Producer | null = null;
  private stopped = false;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EXAMPLES_DIR) private readonly dir: string | null,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.dir) return;
    void this.load(this.dir).catch((error: Error) => {
      if (!this.stopped) this.logger.warn('examples not pushed', { error: error.message });
    });
  }

  /** Does not wait for a push still waiting for its answer: the command is on the log, the writer decides it anyway. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.producer?.close().catch(() => undefined);
  }

  private async load(dir: string): Promise<void> {
    const files = (await readdir(dir).catch(() => [])).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    if (files.length === 0) return;
    const producer = (this.producer = await this.log.producer());
    const client = new RegistryClient(new WorkflowRegistry(this.sql), {
      send: (command) =>
        producer.send([
          { topic: Topics.workflowCommands, key: command.workflowId, value: JSON.stringify(command) },
        ]),
      commandId: (action) => `examples-${action}/${randomUUID()}`,
      now: () => this.clock.now(),
      timeoutMs: 60_000,
    });
    // All at once: each workflow has its own writer decision; a restart re-pushes unchanged files as no-ops.
    await Promise.all(files.map((file) => this.push(client, dir, file)));
  }

  private async push(client: RegistryClient, dir: string, file: string): Promise<void> {
    if (this.stopped) return;
    const source = await readFile(join(dir, file), 'utf8');
    const result = parseWorkflowDocument(source);
    if (!result.ok) {
      this.logger.warn('example is not a valid workflow', {
        file,
        errors: result.errors.map((e) => `${e.path} ${e.message}`).join('; '),
      });
      return;
    }
    const pushed = await client.push({
      definition: result.definition,
      source,
      pushedBy: 'system:examples',
      // A restart must not undo an operator's activation or deactivation
      // of an example (its cron triggers): only a first version is made active.
      activate: false,
    });
    this.logger.info('example pushed', {
      file,
      workflowId: pushed.workflowId,
      version: pushed.version,
      created: pushed.created,
    });
  }
}
