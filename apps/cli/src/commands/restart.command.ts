import { type Command, Option } from 'commander';
import type { RestartRunRequest } from '../api-client';
import type { CommandContext, RunAction } from '../context';
import { collectParams } from '../params';
import { printAnswer } from './print-answer';
import { collect } from './options';

interface RestartOptions {
  fromStep?: string;
  fromBeginning?: boolean;
  param?: string[];
  paramsFile?: string;
  json?: boolean;
}

export function registerRestartCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('restart')
    .summary('restart a finished run (incomplete steps, from a step, or from the beginning)')
    .description(
      'Start a new attempt of a finished run, recorded in the same run.\n' +
        'By default only the steps that did not succeed run again; succeeded steps keep their outputs.\n' +
        '--from-step re-runs a step and everything downstream of it; --from-beginning re-runs every step.\n' +
        'A -p value replaces that param for the new attempt (read as JSON when it parses, else as text).',
    )
    .argument('<run>', 'run id')
    .addOption(
      new Option('--from-step <step>', 're-run this step and everything downstream of it').conflicts(
        'fromBeginning',
      ),
    )
    .option('--from-beginning', 're-run every step')
    .option(
      '-p, --param <key=value>',
      'a new param value; repeat for more (overrides --params-file)',
      collect,
    )
    .option('--params-file <file.json>', 'new param values from a JSON object file')
    .option('--json', 'print {"runId", "commandId"} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ baton restart 01JX3M5Q8R
  $ baton restart 01JX3M5Q8R --from-step load -p min_rows=100
  $ baton restart 01JX3M5Q8R --from-beginning

Follow the new attempt with: baton get RUN`,
    )
    .action((runId: string, options: RestartOptions, command: Command) =>
      run(async () => {
        const params = await collectParams(options.param ?? [], options.paramsFile);
        const request: RestartRunRequest = {
          ...restartTarget(options),
          ...(Object.keys(params).length > 0 ? { params } : {}),
        };
        const answer = await ctx.client(command).restartRun(runId, request);
        return printAnswer(
          ctx,
          options,
          answer,
          `restart requested for run ${runId}, ${describeTarget(request)} (command ${answer.commandId})`,
        );
      }),
    );
}

function restartTarget(options: RestartOptions): Pick<RestartRunRequest, 'mode' | 'stepId'> {
  if (options.fromStep !== undefined) return { mode: 'from_step', stepId: options.fromStep };
  return { mode: options.fromBeginning ? 'beginning' : 'incomplete' };
}

function describeTarget(request: RestartRunRequest): string {
  if (request.mode === 'from_step') return `from step ${request.stepId}`;
  return request.mode === 'beginning' ? 'from the beginning' : 'from its incomplete steps';
}
