import type { Command } from 'commander';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { renderWorkflowsTable } from '../render/workflows';
import { printJson } from './options';

const HELP = `
Examples:
  $ baton workflows
  $ baton workflow list --json | jq -r '.[] | select(.activeVersion == null) | .workflowId'`;

/** `baton workflows`, also reachable as `baton workflow list` (registered by the workflow command). */
export function registerWorkflowsCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  addWorkflowsListing(program.command('workflows'), ctx, run);
}

/** The listing itself, on whichever command it is mounted. */
export function addWorkflowsListing(command: Command, ctx: CommandContext, run: RunAction): Command {
  return command
    .summary('list workflows with their active and latest versions')
    .description(
      'List every pushed workflow by id: its active version (or inactive), latest version, tags, name.',
    )
    .option('--json', 'print the list as JSON')
    .addHelpText('after', HELP)
    .action((options: { json?: boolean }, self: Command) =>
      run(async () => {
        const workflows = await ctx.client(self).listWorkflows();
        if (options.json) printJson((text) => ctx.stdout.write(text), workflows);
        else if (workflows.length === 0) ctx.stdout.write('no workflows (push one: baton push FILE)\n');
        else ctx.stdout.write(renderWorkflowsTable(workflows, ctx.style, ctx.now()));
        return EXIT.ok;
      }),
    );
}
