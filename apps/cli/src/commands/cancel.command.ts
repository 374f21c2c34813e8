import type { Command } from 'commander';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { printJson } from './options';

export function registerCancelCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('cancel')
    .summary('cancel a run')
    .description(
      'Ask the engine to cancel a run: running steps are told to stop and no new step starts.\n' +
        'The request is asynchronous; `baton get RUN` shows when the run is cancelled.',
    )
    .argument('<run>', 'run id')
    .option('--reason <text>', 'why, recorded on the run')
    .option('--json', 'print {"runId", "cancelRequested"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton cancel 01JX3M5Q8R --reason "wrong params"`,
    )
    .action((runId: string, options: { reason?: string; json?: boolean }, command: Command) =>
      run(async () => {
        await ctx.client(command).cancelRun(runId, options.reason);
        if (options.json) printJson((text) => ctx.stdout.write(text), { runId, cancelRequested: true });
        else ctx.stdout.write(`cancel requested for run ${runId}\n`);
        return EXIT.ok;
      }),
    );
}
