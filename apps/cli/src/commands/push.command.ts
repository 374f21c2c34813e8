import type { Command } from 'commander';
import { BatonApiError } from '../api-client';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { formatFieldErrors } from '../render/errors';
import { readWorkflowFile } from './document';
import { printJson } from './options';

export function registerPushCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('push')
    .summary('upload a workflow file as a new version')
    .description(
      'Send a workflow file to the server. A changed definition becomes the next version;\n' +
        'pushing the same definition again (even reformatted) is a no-op and says "unchanged".',
    )
    .argument('<file>', 'workflow file (.yaml, .yml or .json)')
    .option('--json', 'print {"workflowId", "version", "created"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton push examples/diamond.yaml
  sales.daily v3 (new)
  $ baton push --server http://baton.internal:8080 pipeline.yaml

Exit codes: 0 pushed, 1 the server rejected the document, 3 unreachable or other error.`,
    )
    .action((file: string, options: { json?: boolean }, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const document = await readWorkflowFile(file);
        try {
          const result = await client.pushWorkflow(document.text, document.format);
          if (options.json) printJson((text) => ctx.stdout.write(text), result);
          else {
            const state = result.created ? 'new' : 'unchanged';
            ctx.stdout.write(`${result.workflowId} v${result.version} (${state})\n`);
          }
          return EXIT.ok;
        } catch (error) {
          // An invalid document: the same report as `baton validate`, positions from the server.
          if (!(error instanceof BatonApiError) || error.status !== 400) throw error;
          ctx.stderr.write(`error: ${error.message}\n`);
          ctx.stderr.write(formatFieldErrors(error.errors, file));
          return EXIT.failed;
        }
      }),
    );
}
