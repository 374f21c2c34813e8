import type { BatonLogger } from '@baton/observability';
import { coreTopics, Topics, type TopicLayout } from '@baton/contracts';
import type { EventLog, Producer } from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import { planCronRound, type CronCursor } from './cron-round';
import type { TriggerCatalog } from './trigger-catalog';
import type { TriggerMetrics } from './trigger.metrics';

export interface CronSchedulerOptions {
  readonly topics: TopicLayout;
  /** Time between rounds: how late a tick's run request may be. Default 1 s. */
  readonly intervalMs?: number;
  /** How far back a starting scheduler looks for ticks it may have missed, and the most a tick may be late. Default 60 s. */
  readonly catchUpMs?: number;
  /** Most ticks per trigger and round. Default 1,000. */
  readonly maxTicksPerRound?: number;
}

/**
 * Starts runs of workflows with cron triggers: every `intervalMs` it
 * publishes a run request on `baton.run-requests` for each tick since the
 * last round (see `planCronRound`). Exactly once per tick comes from the
 * request id, not from coordination: any number of schedulers may run (one
 * per engine process), restart and look back, and a tick still starts one
 * run. Its triggers come from the shared `TriggerCatalog`, which must be
 * started first.
 *
 * A round whose requests cannot be written leaves the cursors where they
 * were, so the next round publishes them again (up to `catchUpMs` late).
 */
export class CronScheduler {
  private cursors: ReadonlyMap<string, CronCursor> = new Map();
  private readonly reported = new Set<string>();
  private producer: Producer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly intervalMs: number;
  private readonly catchUpMs: number;
  private readonly maxTicks: number;

  constructor(
    private readonly log: Pick<EventLog, 'ensureTopics' | 'producer'>,
    private readonly catalog: TriggerCatalog,
    private readonly clock: Clock,
    private readonly metrics: TriggerMetrics,
    private readonly logger: BatonLogger,
    private readonly options: CronSchedulerOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.catchUpMs = options.catchUpMs ?? 60_000;
    this.maxTicks = options.maxTicksPerRound ?? 1_000;
  }

  async start(): Promise<void> {
    await this.log.ensureTopics(coreTopics(this.options.topics));
    this.producer = await this.log.producer();
    this.stopped = false;
    await this.round();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.producer?.close();
    this.producer = null;
  }

  /** Publishes the requests of every tick since the last round; how many it published. */
  async round(): Promise<number> {
    if (!this.producer) throw new Error('CronScheduler is not started');
    const plan = planCronRound({
      workflows: this.catalog.cronWorkflows(),
      cursors: this.cursors,
      now: this.clock.now(),
      catchUpMs: this.catchUpMs,
      maxTicks: this.maxTicks,
    });
    for (const problem of plan.problems) this.report(problem);
    if (plan.requests.length > 0) {
      try {
        await this.producer.send(
          plan.requests.map((r) => ({
            topic: Topics.runRequests,
            key: r.workflowId,
            value: JSON.stringify(r),
          })),
        );
      } catch (error) {
        this.metrics.cronPublishFailures.inc();
        this.logger.error('could not publish cron run requests', { err: error });
        return 0;
      }
      this.metrics.cronRunsRequested.inc(plan.requests.length);
    }
    this.cursors = plan.cursors;
    return plan.requests.length;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round()
        .then(
          () => undefined,
          (error: Error) => this.logger.error('cron round failed', { err: error }),
        )
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.intervalMs);
  }

  /** Counts every round that skips a trigger, but logs each problem once (rounds come every second). */
  private report(problem: string): void {
    this.metrics.cronTriggerErrors.inc();
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    this.logger.warn('cron trigger skipped', { problem });
  }
}
