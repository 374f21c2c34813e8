import type { Command } from 'commander';
import type { CommandContext, RunAction } from '../context';
import { printAnswer } from './print-answer';

export function registerKillCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('kill')
    .alias('cancel')
    .summary('kill a run: running steps are cancelled now (alias: cancel)')
    .description(
      'Ask the engine to kill a run: running steps are told to stop now, no new step starts, and the\n' +
        'run ends as cancelled. To let running steps finish, use `baton stop`. The request is\n' +
        'asynchronous; `baton get RUN` shows when the run is cancelled.',
    )
    .argument('<run>', 'run id')
    .option('--reason <text>', 'why, recorded on the run')
    .option('--json', 'print {"runId", "commandId"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton kill 01JX3M5Q8R --reason "wrong params"
  $ baton cancel 01JX3M5Q8R`,
    )
    .action((runId: string, options: { reason?: string; json?: boolean }, command: Command) =>
      run(async () => {
        const answer = await ctx.client(command).killRun(runId, options.reason);
        return printAnswer(
          ctx,
          options,
          answer,
          `kill requested for run ${runId}: running steps are cancelled (command ${answer.commandId})`,
        );
      }),
    );
}
