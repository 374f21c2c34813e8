import type { RunDetail } from '@baton/api/responses';
import type { BatonClient } from '../api-client';
import type { Output } from '../context';

/**
 * How long a step may sit `ready` (handed to its pool's topic) with no
 * executor taking it before we say so. Above an executor's usual pick-up
 * time (milliseconds) by far, below what a person waits before wondering.
 */
export const UNCLAIMED_AFTER_MS = 20_000;

/**
 * A warning, once per step, when a step waits on a pool that no executor
 * takes work from. Baton records no executor presence, so this says what is
 * known: nobody has taken the step for that long. An executor of the pool
 * may exist with every slot busy; the message says both.
 *
 * @example
 *   const warn = poolWarnings(client, ctx.stderr, ctx.now);
 *   await warn(run); // after each poll
 */
export function poolWarnings(
  client: BatonClient,
  out: Output,
  now: () => number,
): (run: RunDetail) => Promise<void> {
  const warned = new Set<string>();
  let pools: Promise<ReadonlyMap<string, string>> | undefined;
  return async (run) => {
    const at = now();
    const unclaimed = run.steps.filter(
      (step) =>
        step.status === 'ready' &&
        step.readyAt !== null &&
        at - step.readyAt >= UNCLAIMED_AFTER_MS &&
        !warned.has(`${step.stepId}#${step.attempt}`),
    );
    if (unclaimed.length === 0) return;
    pools ??= stepPools(client, run).catch(() => new Map<string, string>());
    const byStep = await pools;
    for (const step of unclaimed) {
      warned.add(`${step.stepId}#${step.attempt}`);
      const pool = byStep.get(step.stepId) ?? 'default';
      const waited = Math.round((at - step.readyAt!) / 1000);
      out.write(
        `warning: step ${step.stepId} has waited ${waited}s for an executor of pool "${pool}" and none has taken it: ` +
          `is an executor serving that pool running (BATON_EXECUTOR_POOL=${pool}), with a free slot?\n`,
      );
    }
  };
}

/** Step id → pool, from the run's workflow version (the read model's step rows do not carry it). */
async function stepPools(client: BatonClient, run: RunDetail): Promise<ReadonlyMap<string, string>> {
  const version = await client.getWorkflowVersion(run.workflowId, run.workflowVersion);
  const steps = (version.definition as { steps?: readonly { id?: unknown; pool?: unknown }[] }).steps ?? [];
  const pools = new Map<string, string>();
  for (const step of steps) {
    if (typeof step.id === 'string' && typeof step.pool === 'string') pools.set(step.id, step.pool);
  }
  return pools;
}
