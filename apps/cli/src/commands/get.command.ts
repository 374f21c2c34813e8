import type { Command } from 'commander';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { renderRunDetail } from '../render/run';
import { printJson } from './options';
import { resolveRunId } from './run-ids';

export function registerGetCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('get')
    .summary('show a run: status, steps, failure')
    .description(
      'Show one run: its header, a table of its steps (status, attempt, duration, note) and why it failed.',
    )
    .argument('<run>', 'run id, or a unique prefix of one')
    .option('--json', 'print the run (with steps and attempts) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton get 287b603f
  $ baton get 287b603f --json | jq '.steps[] | select(.status == "failed")'`,
    )
    .action((typedRunId: string, options: { json?: boolean }, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const runId = await resolveRunId(client, typedRunId);
        const detail = await client.getRun(runId);
        if (options.json) printJson((text) => ctx.stdout.write(text), detail);
        else ctx.stdout.write(renderRunDetail(detail, ctx.style, ctx.now()));
        return EXIT.ok;
      }),
    );
}
