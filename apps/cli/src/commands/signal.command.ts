import type { Command } from 'commander';
import type { CommandContext, RunAction } from '../context';
import { collectParams } from '../params';
import { printAnswer } from './print-answer';
import { collect } from './options';

interface SignalOptions {
  param?: string[];
  paramsFile?: string;
  id?: string;
  json?: boolean;
}

export function registerSignalCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('signal')
    .summary('send a signal: wakes wait_for_signal steps and starts signal-triggered workflows')
    .description(
      'Send a named signal with params. Steps waiting for it (wait_for_signal, when their match fits the\n' +
        'params) continue, and workflows triggered by it start a run. Sending again with the same --id\n' +
        'delivers it once. A -p value is read as JSON when it parses, else as text.',
    )
    .argument('<name>', 'signal name, e.g. sales.file_landed')
    .option('-p, --param <key=value>', 'a signal param; repeat for more (overrides --params-file)', collect)
    .option('--params-file <file.json>', 'signal params from a JSON object file')
    .option('--id <id>', 'idempotency key: the same id is delivered once (default: a fresh one)')
    .option('--json', 'print {"signalId"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton signal sales.file_landed -p day=2026-01-02 -p region=eu
  $ baton signal sales.file_landed --params-file landed.json --id landed-2026-01-02`,
    )
    .action((name: string, options: SignalOptions, command: Command) =>
      run(async () => {
        const params = await collectParams(options.param ?? [], options.paramsFile);
        const answer = await ctx.client(command).sendSignal({
          name,
          params,
          ...(options.id === undefined ? {} : { signalId: options.id }),
        });
        return printAnswer(ctx, options, answer, `signal ${name} sent (id ${answer.signalId})`);
      }),
    );
}
