import type { Command } from 'commander';
import type { PushResult } from '@baton/api/responses';
import { BatonApiError } from '../api-client';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { formatFieldErrors } from '../render/errors';
import { readWorkflowFile } from './document';
import { printJson } from './options';

export function registerPushCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('push')
    .summary('upload a workflow file as a new version, and make it the active one')
    .description(
      'Send a workflow file to the server. A changed definition becomes the next version;\n' +
        'pushing the same definition again (even reformatted) is a no-op and says "unchanged".\n' +
        'The pushed version becomes the one new runs use (as in Maestro), unless --no-activate;\n' +
        'the line printed always says which version is active.',
    )
    .argument('<file>', 'workflow file (.yaml, .yml or .json)')
    .option('--no-activate', 'keep the active version as it is (a first version is active anyway)')
    .option('--json', 'print {"workflowId", "version", "created", "activeVersion"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton push examples/diamond.yaml
  sales.daily v3 (new); active: v3
  $ baton push --no-activate examples/diamond.yaml
  sales.daily v4 (new); active: v3 (kept by --no-activate; baton workflow activate sales.daily 4)
  $ baton push --server http://baton.internal:8080 pipeline.yaml

Exit codes: 0 pushed, 1 the server rejected the document, 3 unreachable or other error.`,
    )
    .action((file: string, options: { json?: boolean; activate: boolean }, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const document = await readWorkflowFile(file);
        try {
          const result = await client.pushWorkflow(document.text, document.format, {
            activate: options.activate,
          });
          if (options.json) printJson((text) => ctx.stdout.write(text), result);
          else ctx.stdout.write(`${describePush(result)}\n`);
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

/**
 * One line: the version pushed, and which version is active after it, with
 * the command that switches when it is not the pushed one. A server older
 * than activation on push answers no `activeVersion`: that is said, not guessed.
 */
export function describePush(result: PushResult): string {
  const { workflowId, version } = result;
  const pushed = `${workflowId} v${version} (${result.created ? 'new' : 'unchanged'})`;
  const activeVersion = (result as Partial<PushResult>).activeVersion;
  const activate = `baton workflow activate ${workflowId} ${version}`;
  if (activeVersion === undefined) return `${pushed}; active: unknown (the server did not say)`;
  if (activeVersion === version) return `${pushed}; active: v${version}`;
  if (activeVersion === null) return `${pushed}; active: none, the workflow is deactivated (${activate})`;
  return `${pushed}; active: v${activeVersion} (kept by --no-activate; ${activate})`;
}
