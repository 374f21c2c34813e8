import type { Command } from 'commander';
import type { WorkflowControl } from '../api-client';
import { EXIT, UsageError, type CommandContext, type RunAction } from '../context';
import { renderWorkflowQueue } from '../render/queue';
import { printAnswer } from './print-answer';
import { positiveInteger, printJson } from './options';
import { addWorkflowsListing } from './workflows.command';

const CONTROLS: readonly { name: WorkflowControl; summary: string; done: (workflowId: string) => string }[] =
  [
    {
      name: 'pause',
      summary: 'pause a workflow: new runs queue, none starts, until resumed',
      done: (id) => `workflow ${id} paused: new runs queue until \`baton workflow resume ${id}\``,
    },
    {
      name: 'resume',
      summary: 'resume a paused workflow: queued runs start as its run strategy allows',
      done: (id) => `workflow ${id} resumed: queued runs start as its run strategy allows`,
    },
    {
      name: 'unblock',
      summary: 'strict_sequential: let queued runs start after a failed run, without restarting it',
      done: (id) => `workflow ${id} unblocked: queued runs start again (the failed run stays failed)`,
    },
  ];

export function registerWorkflowCommand(program: Command, ctx: CommandContext, run: RunAction): void {
  const workflow = program
    .command('workflow')
    .summary(
      'list or control workflows: list, pause, resume, unblock, breakpoints, queue, activate, deactivate',
    )
    .description('Control a workflow and its queue of runs.')
    .addHelpText(
      'after',
      `
Examples:
  $ baton workflow list
  $ baton workflow pause sales.daily
  $ baton workflow queue sales.daily
  $ baton workflow resume sales.daily
  $ baton workflow breakpoints sales.daily load publish
  $ baton workflow deactivate sales.daily
  $ baton workflow activate sales.daily 3`,
    );

  addWorkflowsListing(workflow.command('list'), ctx, run);

  for (const control of CONTROLS) {
    workflow
      .command(control.name)
      .summary(control.summary)
      .argument('<workflow>', 'workflow id')
      .option('--json', "print the server's answer as JSON")
      .action((workflowId: string, options: { json?: boolean }, command: Command) =>
        run(async () => {
          const answer = await ctx.client(command).controlWorkflow(workflowId, control.name);
          return printAnswer(
            ctx,
            options,
            answer,
            `${control.done(workflowId)} (command ${answer.commandId})`,
          );
        }),
      );
  }

  workflow
    .command('breakpoints')
    .summary('set the steps every new run of a workflow pauses before (replaces the previous set)')
    .description(
      'Set the steps every run started from now on pauses before, until `baton resume RUN STEP`.\n' +
        'The list replaces the previous one; --clear removes them all. Runs already started keep theirs.',
    )
    .argument('<workflow>', 'workflow id')
    .argument('[steps...]', 'step ids')
    .option('--clear', 'remove every breakpoint')
    .option('--json', "print the server's answer as JSON")
    .action(
      (workflowId: string, steps: string[], options: { clear?: boolean; json?: boolean }, command: Command) =>
        run(async () => {
          if (steps.length === 0 && !options.clear) {
            throw new UsageError(
              'name the steps to pause before, or pass --clear to remove every breakpoint',
            );
          }
          if (steps.length > 0 && options.clear) {
            throw new UsageError('--clear removes every breakpoint: name no steps with it');
          }
          const answer = await ctx.client(command).setWorkflowBreakpoints(workflowId, steps);
          const line =
            steps.length === 0
              ? `new runs of ${workflowId} have no breakpoints`
              : `new runs of ${workflowId} pause before ${steps.join(', ')}; continue each with baton resume RUN STEP`;
          return printAnswer(ctx, options, answer, `${line} (command ${answer.commandId})`);
        }),
    );

  workflow
    .command('queue')
    .summary('show whether a workflow is paused or blocked, its running and its queued runs')
    .argument('<workflow>', 'workflow id')
    .option(
      '--limit <n>',
      'show at most this many queued runs (server default 100, maximum 500)',
      positiveInteger,
    )
    .option('--json', 'print the queue as JSON')
    .action((workflowId: string, options: { limit?: number; json?: boolean }, command: Command) =>
      run(async () => {
        const queue = await ctx.client(command).getWorkflowQueue(workflowId, options.limit);
        if (options.json) printJson((text) => ctx.stdout.write(text), queue);
        else ctx.stdout.write(renderWorkflowQueue(queue, ctx.style, ctx.now()));
        return EXIT.ok;
      }),
    );

  workflow
    .command('activate')
    .summary('make a version the one new runs use')
    .argument('<workflow>', 'workflow id')
    .argument('<version>', 'version number', positiveInteger)
    .option('--json', 'print the workflow summary as JSON')
    .action((workflowId: string, version: number, options: { json?: boolean }, command: Command) =>
      run(async () => {
        const summary = await ctx.client(command).activateVersion(workflowId, version);
        return printAnswer(ctx, options, summary, `workflow ${workflowId}: version ${version} is active`);
      }),
    );

  workflow
    .command('deactivate')
    .summary('leave no version active: new runs must name a version until one is activated')
    .argument('<workflow>', 'workflow id')
    .option('--json', 'print the workflow summary as JSON')
    .action((workflowId: string, options: { json?: boolean }, command: Command) =>
      run(async () => {
        const summary = await ctx.client(command).deactivateWorkflow(workflowId);
        return printAnswer(
          ctx,
          options,
          summary,
          `workflow ${workflowId} deactivated: runs must name a --version until one is activated ` +
            `(baton workflow activate ${workflowId} ${summary.latestVersion})`,
        );
      }),
    );
}
