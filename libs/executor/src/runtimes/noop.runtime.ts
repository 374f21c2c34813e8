import type { RunContext, StepRuntime } from './step-runtime';
import { failed, succeeded, type NoopTask, type StepOutcome } from '@baton/contracts';

/** Succeeds at once with `{}` (unless the attempt is already cancelled). */
export class NoopRuntime implements StepRuntime<'noop'> {
  readonly type = 'noop' as const;

  async run(_task: NoopTask, ctx: RunContext): Promise<StepOutcome> {
    if (ctx.signal.aborted) return failed('cancelled', 'step cancelled');
    return succeeded({});
  }
}
