import { Option, type Command } from 'commander';
import { EXIT, UsageError, type CommandContext, type RunAction } from '../context';
import { followLogs } from './follow-logs';
import { positiveInteger, printJson } from './options';
import { resolveRunId } from './run-ids';

interface LogsOptions {
  attempt?: number;
  stream?: 'stdout' | 'stderr';
  json?: boolean;
  follow?: boolean;
}

export function registerLogsCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('logs')
    .summary("print a step's log tails")
    .description(
      "Print the tail of a step attempt's output: its stdout to stdout and its stderr to stderr\n" +
        '(or only one with --stream). The latest attempt unless --attempt is given.',
    )
    .argument('<run>', 'run id, or a unique prefix of one')
    .argument('<step>', 'step id')
    .option('--attempt <n>', 'this attempt instead of the latest', positiveInteger)
    .addOption(new Option('--stream <stream>', 'only this stream').choices(['stdout', 'stderr']))
    .option(
      '-f, --follow',
      'keep printing the output as it grows, attempt after attempt, until the step ends',
    )
    .option('--json', 'print {"attempt", "stdoutTail", "stderrTail", "truncated", "updatedAt"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton logs 287b603f extract
  $ baton logs 287b603f extract --attempt 1 --stream stderr
  $ baton logs -f 287b603f-d7e6-81bf-9b57-a28ce28e6fae transform`,
    )
    .action((typedRunId: string, stepId: string, options: LogsOptions, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const runId = await resolveRunId(client, typedRunId);
        if (options.follow) {
          if (options.json || options.attempt !== undefined) {
            throw new UsageError(
              '--follow follows the latest attempt as text: leave out --json and --attempt',
            );
          }
          return followLogs(client, runId, stepId, ctx, { stream: options.stream });
        }
        const logs = await client.getStepLogs(runId, stepId, options.attempt);
        if (options.json) {
          printJson((text) => ctx.stdout.write(text), logs);
          return EXIT.ok;
        }
        if (options.stream !== 'stderr') ctx.stdout.write(withNewline(logs.stdoutTail));
        if (options.stream !== 'stdout') ctx.stderr.write(withNewline(logs.stderrTail));
        if (logs.truncated) {
          ctx.stderr.write(`(attempt ${logs.attempt}: only the tail of the output is kept)\n`);
        }
        return EXIT.ok;
      }),
    );
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
