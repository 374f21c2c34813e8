import type { Command } from 'commander';
import type { CommandContext, RunAction } from '../context';
import { printAnswer } from './print-answer';

export function registerSkipCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('skip')
    .summary('skip a step of a running run: it counts as succeeded, its successors run')
    .description(
      'Skip a step of a running run, as if it had succeeded with no outputs: an attempt in flight\n' +
        'is cancelled, and the steps after it run. The request is asynchronous.',
    )
    .argument('<run>', 'run id')
    .argument('<step>', 'step id')
    .option('--reason <text>', 'why, recorded on the step')
    .option('--json', 'print {"runId", "commandId"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton skip 01JX3M5Q8R extract --reason "source is down; yesterday's file is fine"`,
    )
    .action((runId: string, stepId: string, options: { reason?: string; json?: boolean }, command: Command) =>
      run(async () => {
        const answer = await ctx.client(command).skipStep(runId, stepId, options.reason);
        return printAnswer(
          ctx,
          options,
          answer,
          `skip requested for step ${stepId} of run ${runId} (command ${answer.commandId})`,
        );
      }),
    );
}
