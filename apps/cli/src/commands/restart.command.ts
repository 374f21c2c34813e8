import { type Command, Option } from 'commander';
import type { BatonClient, RestartRunRequest } from '../api-client';
import type { CommandContext, RunAction } from '../context';
import { collectParams } from '../params';
import { printAnswer } from './print-answer';
import { collect } from './options';
import { followRun } from './follow-run';
import { resolveRunId } from './run-ids';

interface RestartOptions {
  fromStep?: string;
  fromBeginning?: boolean;
  param?: string[];
  paramsFile?: string;
  json?: boolean;
  wait?: boolean;
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
    .argument('<run>', 'run id, or a unique prefix of one')
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
    .option('--wait', 'follow the new attempt live until it ends; the exit code is its outcome')
    .option('--json', 'print {"runId", "commandId"} as JSON (with --wait: the final run, no live progress)')
    .addHelpText(
      'after',
      `
Examples:
  $ baton restart 287b603f
  $ baton restart 287b603f --from-step load -p min_rows=100
  $ baton restart 287b603f --from-beginning --wait

Without --wait, follow the new attempt with: baton watch RUN
Exit codes with --wait: 0 succeeded, 1 failed, 2 cancelled, 3 refused or unreachable, 130 interrupted`,
    )
    .action((typedRunId: string, options: RestartOptions, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const runId = await resolveRunId(client, typedRunId);
        const params = await collectParams(options.param ?? [], options.paramsFile);
        const request: RestartRunRequest = {
          ...restartTarget(options),
          ...(Object.keys(params).length > 0 ? { params } : {}),
        };
        // The attempt before, to tell the new attempt's end from the old one's.
        const before = options.wait ? await client.getRun(runId) : undefined;
        const answer = await client.restartRun(runId, request);
        if (before !== undefined) {
          if (!options.json) ctx.stdout.write(`restarting run ${runId}, ${describeTarget(request)}\n`);
          return followRun(client, runId, ctx, {
            json: options.json,
            accept: (now) => now.runAttempt > before.runAttempt,
            refused: () => refusalOf(client, runId, before.lastSeq, answer.commandId),
          });
        }
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

/** The engine's refusal of our command (a `CommandRejected` event echoing its id), or null while none. */
async function refusalOf(
  client: BatonClient,
  runId: string,
  afterSeq: number,
  commandId: string,
): Promise<string | null> {
  for (let after: number | null = afterSeq; after !== null;) {
    const page = await client.listRunEvents(runId, after);
    const rejected = page.items.find(
      (event) =>
        event.type === 'CommandRejected' && (event.payload as { commandId?: string }).commandId === commandId,
    );
    if (rejected) {
      const { code, message } = rejected.payload as { code?: string; message?: string };
      return `the engine refused the restart of run ${runId}: ${code ?? 'rejected'}: ${message ?? ''}`.trim();
    }
    after = page.items.length === 0 ? null : page.nextAfterSeq;
  }
  return null;
}
