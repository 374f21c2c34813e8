import type { RunDetail } from '@baton/api/responses';
import { BatonUnreachableError, type BatonClient } from '../api-client';
import type { CommandContext } from '../context';
import type { ProgressView } from '../render/progress';
import { TERMINAL_RUN_STATUSES } from '../render/run';
import { poolWarnings } from './pool-warning';

/** How long the server may be unreachable in the middle of a wait (a restart) before we give up. */
export const UNREACHABLE_GRACE_MS = 10_000;

export interface WaitOptions {
  /**
   * Whether an answer is the run we wait for; others count as "not there
   * yet". `restart --wait` takes only the new attempt: until the engine has
   * decided the restart, the run still shows the old attempt's end.
   */
  readonly accept?: (run: RunDetail) => boolean;
  /** Asked while `accept` refuses: why the run will never be accepted (the engine refused the command), or null. */
  readonly refused?: () => Promise<string | null>;
}

/** The engine refused the command we wait on: waiting longer would wait forever. */
export class CommandRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandRefusedError';
  }
}

/**
 * Polls the run until it reaches a terminal status, feeding every answer to
 * the view. 404 means "not projected yet" (the start request was only
 * admitted), so it keeps polling. Warns on stderr about steps no executor
 * takes (`poolWarnings`). Returns null when interrupted (Ctrl-C).
 */
export async function waitForRun(
  client: BatonClient,
  runId: string,
  ctx: CommandContext,
  view: ProgressView,
  options: WaitOptions = {},
): Promise<RunDetail | null> {
  let unreachableSince: number | null = null;
  const warn = poolWarnings(client, ctx.stderr, ctx.now);
  while (!ctx.signal?.aborted) {
    try {
      const found = await client.findRun(runId);
      const run = found !== null && (options.accept?.(found) ?? true) ? found : null;
      unreachableSince = null;
      const refusal = run === null ? await options.refused?.() : null;
      if (refusal) throw new CommandRefusedError(refusal);
      if (run !== null && TERMINAL_RUN_STATUSES.has(run.status)) {
        view.finish(run);
        return run;
      }
      view.update(run);
      if (run !== null) await warn(run);
    } catch (error) {
      if (!(error instanceof BatonUnreachableError)) throw error;
      unreachableSince ??= ctx.now();
      if (ctx.now() - unreachableSince >= UNREACHABLE_GRACE_MS) throw error;
    }
    await ctx.sleep(ctx.pollIntervalMs, ctx.signal);
  }
  return null;
}
