import type { StartRun } from '../run.commands';
import { rejection } from '../run.errors';
import { resolveRunParams } from '../run.expressions';
import type { CommandHandler } from '../run.handler';
import { progress } from '../run.progress';

/**
 * Starts a run on the exact definition it was given. A run id is used once:
 * a second StartRun (a redelivered request) is refused. Params that cannot be
 * resolved refuse the run rather than starting one that fails at once, so the
 * caller fixes the request and starts again; the refusal is on the run's
 * stream for a caller that only watches events.
 */
export const startRun: CommandHandler<StartRun> = (command, tx, deps) => {
  if (tx.state.status !== 'absent') {
    return rejection(
      'RunAlreadyExists',
      `run ${command.runId} already exists (request ${tx.state.requestId})`,
    );
  }
  const depth = command.parent?.depth ?? 0;
  if (depth > deps.limits.maxNestingDepth) {
    return rejection(
      'NestingTooDeep',
      `child run at depth ${depth} exceeds the nesting limit of ${deps.limits.maxNestingDepth}`,
    );
  }
  const params = resolveRunParams(
    { runId: command.runId, definition: command.definition, scheduledAt: command.scheduledAt },
    command.params,
    deps.expressions,
  );
  if (!params.ok) return rejection('InvalidParams', params.message);
  const { timeoutMs } = command.definition;
  tx.emit({
    type: 'RunStarted',
    definition: command.definition,
    params: params.value,
    requestId: command.requestId,
    scheduledAt: command.scheduledAt,
    timeoutAt: timeoutMs === undefined ? null : tx.at + timeoutMs,
    // Only written when used, so a plain run's events keep their shape.
    ...(command.parent ? { parent: command.parent } : {}),
    ...(command.breakpoints?.length ? { breakpoints: command.breakpoints } : {}),
  });
  progress(tx, deps);
  return null;
};
