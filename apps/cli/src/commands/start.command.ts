import type { Command } from 'commander';
import { EXIT, type CommandContext, type RunAction } from '../context';
import { collectParams } from '../params';
import { collect, positiveInteger, printJson } from './options';
import { followRun } from './follow-run';

interface StartOptions {
  param?: string[];
  paramsFile?: string;
  requestId?: string;
  version?: number;
  breakpoint?: string[];
  wait?: boolean;
  json?: boolean;
}

export function registerStartCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  program
    .command('start')
    .summary('start a run of a workflow (optionally wait for it)')
    .description(
      'Start a run of a pushed workflow. With --wait, follow it live until it ends and exit with its outcome.\n' +
        'A -p value is read as JSON when it parses (numbers, booleans, objects, "quoted strings"), else as text.',
    )
    .argument('<workflow>', 'workflow id, e.g. sales.daily')
    .option('-p, --param <key=value>', 'a run parameter; repeat for more (overrides --params-file)', collect)
    .option('--params-file <file.json>', 'run parameters from a JSON object file')
    .option('--request-id <id>', 'idempotency key: starting again with the same id returns the same run')
    .option('--version <n>', 'run this version instead of the active one', positiveInteger)
    .option(
      '--breakpoint <step>',
      'pause the run before this step (baton resume RUN STEP); repeatable',
      collect,
    )
    .option('--wait', 'follow the run live until it ends; the exit code is its outcome')
    .option('--json', 'print {"runId", "requestId"} as JSON (with --wait: the final run, no live progress)')
    .addHelpText(
      'after',
      `
Examples:
  $ baton start sales.daily
  $ baton start sales.daily -p mode=full -p min_rows=500 --wait
  $ baton start sales.daily --params-file params.json -p 'region="eu"' --request-id nightly-2025-06-01
  $ baton start sales.daily --version 2 --wait --json > run.json
  $ baton start sales.daily --breakpoint load --breakpoint publish

Exit codes:
  without --wait: 0 started, 3 could not start (unknown workflow, invalid params, unreachable)
  with --wait:    0 succeeded, 1 failed, 2 cancelled, 3 could not start, 130 interrupted (the run goes on)`,
    )
    .action((workflow: string, options: StartOptions, command: Command) =>
      run(async () => {
        const client = ctx.client(command);
        const params = await collectParams(options.param ?? [], options.paramsFile);
        const started = await client.startRun(workflow, {
          ...(Object.keys(params).length > 0 ? { params } : {}),
          ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
          ...(options.version === undefined ? {} : { version: options.version }),
          ...(options.breakpoint === undefined ? {} : { breakpoints: options.breakpoint }),
        });
        if (!options.wait) {
          if (options.json) printJson((text) => ctx.stdout.write(text), started);
          else
            ctx.stdout.write(`started run ${started.runId} of ${workflow} (request ${started.requestId})\n`);
          return EXIT.ok;
        }
        if (!options.json) ctx.stdout.write(`started run ${started.runId} of ${workflow}\n`);
        return followRun(client, started.runId, ctx, { json: options.json });
      }),
    );
}
