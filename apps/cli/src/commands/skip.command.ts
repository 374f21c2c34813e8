import type { Command } from 'commander';
import type { CommandContext, RunAction } from '../context';
import { printAnswer } from './print-answer';
import { resolveRunId } from './run-ids';

export function registerSkipCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('skip')
    .summary('skip a step of a running run: it counts as succeeded, its successors run')
    .description(
      'Skip a step of a running run, as if it had succeeded with no outputs: an attempt in flight\n' +
        'is cancelled, and the steps after it run. The request is asynchronous.',
    )
    .argument('<run>', 'run id, or a unique prefix of one')
    .argument('<step>', 'step id')
    .option('--reason <text>', 'why, recorded on the step')
    .option('--json', 'print {"runId", "commandId"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton skip 287b603f extract --reason "source is down; yesterday's file is fine"`,
    )
    .action(
      (typedRunId: string, stepId: string, options: { reason?: string; json?: boolean }, command: Command) =>
        run(async () => {
          const client = ctx.client(command);
          const runId = await resolveRunId(client, typedRunId);
          const answer = await client.skipStep(runId, stepId, options.reason);
          return printAnswer(
            ctx,
            options,
            answer,
            `skip requested for step ${stepId} of run ${runId} (command ${answer.commandId})`,
          );
        }),
    );
}
