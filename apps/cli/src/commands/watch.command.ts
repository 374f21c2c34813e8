import type { Command } from 'commander';
import type { CommandContext, RunAction } from '../context';
import { followRun } from './follow-run';
import { resolveRunId } from './run-ids';

export function registerWatchCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('watch')
    .summary('follow a run live until it ends (like start --wait, for a run already started)')
    .description(
      'Follow an existing run live, step by step, until it ends; the exit code is its outcome.\n' +
        'A run that has already ended prints its final state at once.',
    )
    .argument('<run>', 'run id, or a unique prefix of one')
    .option('--json', 'no live progress: print the final run as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton watch 287b603f-d7e6-81bf-9b57-a28ce28e6fae
  $ baton watch 287b603f && echo done

Exit codes: 0 succeeded, 1 failed, 2 cancelled, 3 unknown run or unreachable, 130 interrupted (the run goes on)`,
    )
    .action((typedRunId: string, options: { json?: boolean }, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const runId = await resolveRunId(client, typedRunId);
        // Unlike a run just started, a run named by the user must exist: a 404 is an error, not "not yet".
        await client.getRun(runId);
        return followRun(client, runId, ctx, { json: options.json });
      }),
    );
}
