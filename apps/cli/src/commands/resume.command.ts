import type { Command } from 'commander';
import type { CommandContext, RunAction } from '../context';
import { printAnswer } from './print-answer';
import { resolveRunId } from './run-ids';

export function registerResumeCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('resume')
    .summary('let a step paused at a breakpoint start')
    .description(
      'Resume a step held at a breakpoint (set with `baton start --breakpoint STEP` or\n' +
        '`baton workflow breakpoints`): it becomes ready and runs. The request is asynchronous.\n' +
        'To resume a paused workflow, use `baton workflow resume`.',
    )
    .argument('<run>', 'run id, or a unique prefix of one')
    .argument('<step>', 'step id')
    .option('--json', 'print {"runId", "commandId"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton resume 287b603f load`,
    )
    .action((typedRunId: string, stepId: string, options: { json?: boolean }, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const runId = await resolveRunId(client, typedRunId);
        const answer = await client.resumeStep(runId, stepId);
        return printAnswer(
          ctx,
          options,
          answer,
          `resume requested for step ${stepId} of run ${runId} (command ${answer.commandId})`,
        );
      }),
    );
}
