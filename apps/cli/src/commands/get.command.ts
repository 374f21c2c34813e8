import type { Command } from 'commander';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { renderRunDetail } from '../render/run';
import { printJson } from './options';

export function registerGetCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('get')
    .summary('show a run: status, steps, failure')
    .description(
      'Show one run: its header, a table of its steps (status, attempt, duration, note) and why it failed.',
    )
    .argument('<run>', 'run id')
    .option('--json', 'print the run (with steps and attempts) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton get 01JX3M5Q8R
  $ baton get 01JX3M5Q8R --json | jq '.steps[] | select(.status == "failed")'`,
    )
    .action((runId: string, options: { json?: boolean }, command: Command) =>
      run(async () => {
        const detail = await ctx.client(command).getRun(runId);
        if (options.json) printJson((text) => ctx.stdout.write(text), detail);
        else ctx.stdout.write(renderRunDetail(detail, ctx.style, ctx.now()));
        return EXIT.ok;
      }),
    );
}
