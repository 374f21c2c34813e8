import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseWorkflowDocument } from '@baton/definitions';
import { batonLogger } from '@baton/observability';
import { SQL_CLIENT } from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { WorkflowRegistry } from '@baton/readmodel';

export const EXAMPLES_DIR = Symbol('ExamplesDir');

/**
 * Pushes the workflows in `examples/` on start, so a newcomer can run one at
 * once. Pushing an unchanged file again keeps its version, so restarts add
 * nothing; an invalid file is logged with its errors and skipped.
 */
@Injectable()
export class ExamplesLoader implements OnApplicationBootstrap {
  private readonly logger = batonLogger('Examples');

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EXAMPLES_DIR) private readonly dir: string | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.dir) return;
    const files = (await readdir(this.dir).catch(() => [])).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    const registry = new WorkflowRegistry(this.sql);
    for (const file of files) {
      const source = await readFile(join(this.dir, file), 'utf8');
      const result = parseWorkflowDocument(source);
      if (!result.ok) {
        this.logger.warn('example is not a valid workflow', {
          file,
          errors: result.errors.map((e) => `${e.path} ${e.message}`).join('; '),
        });
        continue;
      }
      const pushed = await registry.push({
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
}
