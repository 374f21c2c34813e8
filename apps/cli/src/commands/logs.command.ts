import { Option, type Command } from 'commander';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { positiveInteger, printJson } from './options';

interface LogsOptions {
  attempt?: number;
  stream?: 'stdout' | 'stderr';
  json?: boolean;
}

export function registerLogsCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('logs')
    .summary("print a step's log tails")
    .description(
      "Print the tail of a step attempt's output: its stdout to stdout and its stderr to stderr\n" +
        '(or only one with --stream). The latest attempt unless --attempt is given.',
    )
    .argument('<run>', 'run id')
    .argument('<step>', 'step id')
    .option('--attempt <n>', 'this attempt instead of the latest', positiveInteger)
    .addOption(new Option('--stream <stream>', 'only this stream').choices(['stdout', 'stderr']))
    .option('--json', 'print {"attempt", "stdoutTail", "stderrTail", "truncated", "updatedAt"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton logs 01JX3M5Q8R extract
  $ baton logs 01JX3M5Q8R extract --attempt 1 --stream stderr`,
    )
    .action((runId: string, stepId: string, options: LogsOptions, command: Command) =>
      run(async () => {
        const logs = await ctx.client(command).getStepLogs(runId, stepId, options.attempt);
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
