import type { RunRequest } from '@baton/contracts';
import { cronTicks } from './cron-ticks';
import type { WorkflowTriggers } from './trigger-catalog';

/** How far a scheduler has looked for one workflow's ticks. */
export interface CronCursor {
  /** The active version whose triggers were looked at. */
  readonly version: number;
  /** Every tick up to here (inclusive, epoch ms) has been published. */
  readonly checkedUpTo: number;
}

export interface CronRoundInput {
  /** Workflows with cron triggers (the trigger catalog's latest read). */
  readonly workflows: readonly WorkflowTriggers[];
  readonly cursors: ReadonlyMap<string, CronCursor>;
  readonly now: number;
  /** A tick is published at most this late; older ones are skipped. */
  readonly catchUpMs: number;
  /** Most ticks per trigger and round; the rest wait for the next round. */
  readonly maxTicks: number;
}

export interface CronRound {
  /** One per tick, for `baton.run-requests` (keyed by workflow id). */
  readonly requests: RunRequest[];
  /** The cursors once `requests` are published; workflows no longer listed are dropped. */
  readonly cursors: Map<string, CronCursor>;
  /** Triggers that cannot be scheduled, with why. */
  readonly problems: string[];
}

/**
 * One round of the cron scheduler, pure: the run requests of every tick
 * since each workflow's cursor, up to `now`.
 *
 * A tick's request id is `cron:<trigger index>:<tick, ISO 8601>` and its
 * `requestedAt` the tick itself, so a tick is the same request whoever
 * publishes it and however often: the run id derives from it and the engine
 * starts one run. That is what lets several schedulers run at once, and a
 * restarted one look back over ticks it may have missed: a workflow seen for
 * the first time (or with a new active version) is looked at from its last
 * push or activation, but never more than `catchUpMs` back.
 */
export function planCronRound(input: CronRoundInput): CronRound {
  const requests: RunRequest[] = [];
  const cursors = new Map<string, CronCursor>();
  const problems: string[] = [];
  const oldest = input.now - input.catchUpMs;
  for (const workflow of input.workflows) {
    const cursor = input.cursors.get(workflow.workflowId);
    const since = cursor?.version === workflow.version ? cursor.checkedUpTo : workflow.updatedAt;
    const from = Math.max(since, oldest);
    let upTo = input.now;
    const ticksPerTrigger = workflow.triggers.cron.map((trigger, index) => {
      const result = cronTicks(trigger, from, input.now, input.maxTicks);
      if (!result.ok) {
        problems.push(
          `workflow ${workflow.workflowId} v${workflow.version} triggers.cron[${index}]: ${result.message}`,
        );
        return [];
      }
      // A trigger with more ticks than a round takes holds the cursor at its last one.
      if (result.ticks.length === input.maxTicks)
        upTo = Math.min(upTo, result.ticks[result.ticks.length - 1]);
      return result.ticks;
    });
    ticksPerTrigger.forEach((ticks, index) => {
      const { params } = workflow.triggers.cron[index];
      for (const tick of ticks.filter((t) => t <= upTo)) {
        requests.push({
          schemaVersion: 1,
          workflowId: workflow.workflowId,
          version: workflow.version,
          requestId: cronRequestId(index, tick),
          params,
          requestedAt: tick,
        });
      }
    });
    // A push stamped ahead of this clock is not looked behind again next round.
    cursors.set(workflow.workflowId, { version: workflow.version, checkedUpTo: Math.max(upTo, from) });
  }
  return { requests, cursors, problems };
}

export function cronRequestId(triggerIndex: number, tick: number): string {
  return `cron:${triggerIndex}:${new Date(tick).toISOString()}`;
}
