import type { StepLogs } from '@baton/api/responses';
import { BatonApiError, type BatonClient } from '../api-client';
import { EXIT, type CommandContext } from '../context';
import { TERMINAL_RUN_STATUSES } from '../render/run';

/** A step is done with its output once it is in one of these (a retry starts a new attempt, followed too). */
const FINAL_STEP_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled', 'skipped']);
/**
 * Reads after the step's end that must add nothing before we stop. Logs
 * travel on their own topic (`baton.step-logs`), so the projector may record
 * the step's end before its last output: a read right after the end can miss
 * the last lines.
 */
const QUIET_READS_AFTER_END = 2;

export interface FollowLogsOptions {
  readonly stream?: 'stdout' | 'stderr';
}

/**
 * `baton logs -f`: prints a step's output as it grows, attempt after
 * attempt, until the step (or its run) ends. The API keeps only a tail, so
 * each poll prints what the new tail adds after what was printed; output
 * that slid out of the tail between two polls is marked, never repeated.
 */
export async function followLogs(
  client: BatonClient,
  runId: string,
  stepId: string,
  ctx: CommandContext,
  options: FollowLogsOptions,
): Promise<number> {
  const printed = { attempt: 0, stdout: '', stderr: '' };
  let quietReads = 0;
  while (!ctx.signal?.aborted) {
    const run = await client.getRun(runId);
    const step = run.steps.find((s) => s.stepId === stepId);
    if (step === undefined) throw new BatonApiError(404, `run ${runId} has no step ${stepId}`, []);
    const ended = FINAL_STEP_STATUSES.has(step.status) || TERMINAL_RUN_STATUSES.has(run.status);
    const logs = step.attempt === 0 ? null : await findLogs(client, runId, stepId);
    const before = `${printed.attempt}\u0000${printed.stdout}\u0000${printed.stderr}`;
    if (logs !== null) {
      if (logs.attempt !== printed.attempt) {
        if (printed.attempt !== 0) ctx.stderr.write(`--- attempt ${logs.attempt} ---\n`);
        Object.assign(printed, { attempt: logs.attempt, stdout: '', stderr: '' });
      }
      if (options.stream !== 'stderr') printed.stdout = printNew(printed.stdout, logs.stdoutTail, ctx.stdout);
      if (options.stream !== 'stdout') printed.stderr = printNew(printed.stderr, logs.stderrTail, ctx.stderr);
    }
    const changed = before !== `${printed.attempt}\u0000${printed.stdout}\u0000${printed.stderr}`;
    quietReads = ended && !changed ? quietReads + 1 : 0;
    if (ended && quietReads >= QUIET_READS_AFTER_END) return EXIT.ok;
    await ctx.sleep(ctx.pollIntervalMs, ctx.signal);
  }
  return EXIT.interrupted;
}

async function findLogs(client: BatonClient, runId: string, stepId: string): Promise<StepLogs | null> {
  try {
    return await client.getStepLogs(runId, stepId);
  } catch (error) {
    if (error instanceof BatonApiError && error.status === 404) return null; // no output yet
    throw error;
  }
}

/**
 * Writes what `tail` has beyond `printed` and returns the new `printed`: the
 * new part starts after the longest end of `printed` that begins `tail`
 * (the kept tail slides forward as output grows).
 */
export function printNew(printed: string, tail: string, out: { write(text: string): unknown }): string {
  // Candidate starts of the overlap: where `printed` holds the tail's first character, longest overlap first.
  const head = tail.slice(0, 1);
  for (let at = head === '' ? -1 : printed.indexOf(head); at >= 0; at = printed.indexOf(head, at + 1)) {
    if (tail.startsWith(printed.slice(at))) {
      out.write(tail.slice(printed.length - at));
      return tail;
    }
  }
  out.write(printed === '' ? tail : `[… output not kept between two reads …]\n${tail}`);
  return tail;
}
