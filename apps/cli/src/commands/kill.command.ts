import type { Command } from 'commander';
import type { CommandContext, RunAction } from '../context';
import { printAnswer } from './print-answer';
import { resolveRunId } from './run-ids';

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
    .argument('<run>', 'run id, or a unique prefix of one')
    .option('--reason <text>', 'why, recorded on the run')
    .option('--json', 'print {"runId", "commandId"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton kill 287b603f --reason "wrong params"
  $ baton cancel 287b603f`,
    )
    .action((typedRunId: string, options: { reason?: string; json?: boolean }, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const runId = await resolveRunId(client, typedRunId);
        const answer = await client.killRun(runId, options.reason);
        return printAnswer(
          ctx,
          options,
          answer,
          `kill requested for run ${runId}: running steps are cancelled (command ${answer.commandId})`,
        );
      }),
    );
}
