import type { Command } from 'commander';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { renderRunsTable, restartedFootnote } from '../render/run';
import { positiveInteger, printJson } from './options';

interface RunsOptions {
  workflow?: string;
  status?: string;
  limit: number;
  cursor?: string;
  json?: boolean;
}

export function registerRunsCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('runs')
    .summary('list runs, newest first')
    .description('List runs, newest first, optionally of one workflow and/or in one status.')
    .option('--workflow <id>', 'only runs of this workflow')
    .option('--status <status>', 'only runs in this status (running, succeeded, failed, cancelled)')
    .option('--limit <n>', 'at most this many runs (server maximum 500)', positiveInteger, 20)
    .option('--cursor <cursor>', 'the next page: the cursor printed under the previous page')
    .option('--json', 'print the page {"items", "nextCursor"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton runs
  $ baton runs --workflow sales.daily --status failed --limit 5
  $ baton runs --json | jq -r '.items[].runId'`,
    )
    .action((options: RunsOptions, command: Command) =>
      run(async () => {
        const page = await ctx.client(command).listRuns({
          workflowId: options.workflow,
          status: options.status,
          limit: options.limit,
          cursor: options.cursor,
        });
        if (options.json) {
          printJson((text) => ctx.stdout.write(text), page);
          return EXIT.ok;
        }
        if (page.items.length === 0) ctx.stdout.write('no runs\n');
        else ctx.stdout.write(renderRunsTable(page.items, ctx.style, ctx.now()));
        ctx.stderr.write(restartedFootnote(page.items));
        if (page.nextCursor !== null) {
          ctx.stderr.write(`more: baton runs --cursor ${page.nextCursor}${sameFilters(options)}\n`);
        }
        return EXIT.ok;
      }),
    );
}

function sameFilters(options: RunsOptions): string {
  let text = '';
  if (options.workflow !== undefined) text += ` --workflow ${options.workflow}`;
  if (options.status !== undefined) text += ` --status ${options.status}`;
  if (options.limit !== 20) text += ` --limit ${options.limit}`;
  return text;
}
