import type { RunDetail } from '@baton/api/responses';
import type { BatonClient } from '../api-client';
import { EXIT, type CommandContext } from '../context';
import { createProgressView } from '../render/progress';
import { printJson } from './options';
import { waitForRun, type WaitOptions } from './wait-for-run';

/**
 * Follows a run live until it ends (`start --wait`, `restart --wait`,
 * `watch`) and returns its outcome as the exit code; with `json`, no live
 * progress, the final run as JSON. Ctrl-C stops the waiting, not the run.
 */
export async function followRun(
  client: BatonClient,
  runId: string,
  ctx: CommandContext,
  options: WaitOptions & { readonly json?: boolean },
): Promise<number> {
  const view = options.json
    ? { update: () => undefined, finish: () => undefined }
    : createProgressView({ out: ctx.stdout, style: ctx.style, now: ctx.now, runId });
  const final = await waitForRun(client, runId, ctx, view, options);
  if (final === null) {
    ctx.stderr.write(`stopped waiting; run ${runId} goes on (baton get ${runId}, baton kill ${runId})\n`);
    return EXIT.interrupted;
  }
  if (options.json) printJson((text) => ctx.stdout.write(text), final);
  return outcomeExitCode(final);
}

export function outcomeExitCode(run: RunDetail): number {
  if (run.status === 'succeeded') return EXIT.ok;
  if (run.status === 'cancelled') return EXIT.cancelled;
  return EXIT.failed;
}
