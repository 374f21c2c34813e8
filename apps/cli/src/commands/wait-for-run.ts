import type { RunDetail } from '@baton/readmodel';
import { BatonUnreachableError, type BatonClient } from '../api-client';
import type { CommandContext } from '../context';
import type { ProgressView } from '../render/progress';
import { TERMINAL_RUN_STATUSES } from '../render/run';

/** How long the server may be unreachable in the middle of a wait (a restart) before we give up. */
export const UNREACHABLE_GRACE_MS = 10_000;

/**
 * Polls the run until it reaches a terminal status, feeding every answer to
 * the view. 404 means "not projected yet" (the start request was only
 * admitted), so it keeps polling. Returns null when interrupted (Ctrl-C).
 */
export async function waitForRun(
  client: BatonClient,
  runId: string,
  ctx: CommandContext,
  view: ProgressView,
): Promise<RunDetail | null> {
  let unreachableSince: number | null = null;
  while (!ctx.signal?.aborted) {
    try {
      const run = await client.findRun(runId);
      unreachableSince = null;
      if (run !== null && TERMINAL_RUN_STATUSES.has(run.status)) {
        view.finish(run);
        return run;
      }
      view.update(run);
    } catch (error) {
      if (!(error instanceof BatonUnreachableError)) throw error;
      unreachableSince ??= ctx.now();
      if (ctx.now() - unreachableSince >= UNREACHABLE_GRACE_MS) throw error;
    }
    await ctx.sleep(ctx.pollIntervalMs, ctx.signal);
  }
  return null;
}
