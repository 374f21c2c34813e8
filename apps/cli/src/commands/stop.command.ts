import type { Command } from 'commander';
import type { CommandContext, RunAction } from '../context';
import { printAnswer } from './print-answer';
import { resolveRunId } from './run-ids';

export function registerStopCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('stop')
    .summary('stop a run gracefully: running steps finish, nothing new starts')
    .description(
      'Ask the engine to stop a run: no new step starts, the steps running now finish, then the run ends\n' +
        'as cancelled. To cancel the running steps too, use `baton kill`. The request is asynchronous;\n' +
        '`baton get RUN` shows when the run has ended.',
    )
    .argument('<run>', 'run id, or a unique prefix of one')
    .option('--reason <text>', 'why, recorded on the run')
    .option('--json', 'print {"runId", "commandId"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton stop 287b603f --reason "maintenance window"`,
    )
    .action((typedRunId: string, options: { reason?: string; json?: boolean }, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const runId = await resolveRunId(client, typedRunId);
        const answer = await client.stopRun(runId, options.reason);
        return printAnswer(
          ctx,
          options,
          answer,
          `stop requested for run ${runId}: running steps finish, nothing new starts (command ${answer.commandId})`,
        );
      }),
    );
}
