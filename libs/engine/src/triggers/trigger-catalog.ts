import type { BatonLogger } from '@baton/observability';
import type { Triggers } from '@baton/domain';
import type { WorkflowSignalTriggers } from '@baton/domain/signals';
import type { TriggerMetrics } from './trigger.metrics';

/** The triggers of one workflow's active version, as the registry lists them. */
export interface WorkflowTriggers {
  readonly workflowId: string;
  readonly version: number;
  readonly triggers: Triggers;
  /** Epoch ms of the workflow's last push or activation. */
  readonly updatedAt: number;
}

/** Where the catalog reads triggers: `DefinitionCatalog.activeTriggers` (after catching up with the log). */
export interface TriggerSource {
  activeTriggers(): Promise<readonly WorkflowTriggers[]>;
}

export interface TriggerCatalogOptions {
  /** How often the registry is read again. Default 2 s: a pushed trigger takes effect within that. */
  readonly refreshMs?: number;
}

/**
 * The active versions' triggers, read from the registry now and every
 * `refreshMs`, shared by the cron scheduler and the signal router of a
 * process. Reading it never waits for the database: a failed refresh keeps
 * the last list (and is logged), so a database hiccup delays trigger changes
 * but stops nothing. `start` resolves only after a first successful read, so
 * no signal is routed against an empty list that is merely not loaded yet.
 *
 * @example
 *   const catalog = new TriggerCatalog(registry, metrics, logger);
 *   await catalog.start();
 *   catalog.signalTriggers(); // what the router matches signals against
 */
export class TriggerCatalog {
  private workflows: readonly WorkflowTriggers[] = [];
  private signals: readonly WorkflowSignalTriggers[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Reads are numbered as they start; a read that started before the one whose list is kept is dropped. */
  private reads = 0;
  private kept = 0;
  private stopped = false;
  private readonly refreshMs: number;

  constructor(
    private readonly source: TriggerSource,
    private readonly metrics: TriggerMetrics,
    private readonly logger: BatonLogger,
    options: TriggerCatalogOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 2_000;
  }

  /** Reads until a read succeeds (retrying every `refreshMs`), then keeps refreshing in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    while (!(await this.refresh()) && !this.stopped) await sleep(this.refreshMs);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Reads the registry now; false (and the previous list kept) when it
   * cannot. Reads may overlap (the background one and `readAfter`'s): a read
   * that started earlier never replaces the list of one that started later.
   */
  async refresh(): Promise<boolean> {
    const read = ++this.reads;
    let workflows: readonly WorkflowTriggers[];
    try {
      workflows = await this.source.activeTriggers();
    } catch (error) {
      this.metrics.catalogRefreshFailures.inc();
      this.logger.warn('cannot read triggers from the registry', { error: (error as Error).message });
      return false;
    }
    if (read < this.kept) return true;
    this.kept = read;
    this.workflows = workflows;
    this.signals = this.workflows
      .filter((w) => w.triggers.signals.length > 0)
      .map((w) => ({ workflowId: w.workflowId, version: w.version, signals: w.triggers.signals }));
    return true;
  }

  /**
   * Reads the registry now and resolves once the lists hold what it said;
   * rejects when it cannot be read. Whoever must not act on a list older
   * than something it saw (the signal router: a signal sent after a push was
   * acknowledged must meet that push's triggers) calls this first.
   */
  async readAfter(): Promise<void> {
    if (!(await this.refresh())) throw new Error('cannot read the triggers from the workflow registry');
  }

  /** Workflows with cron triggers. */
  cronWorkflows(): readonly WorkflowTriggers[] {
    return this.workflows.filter((w) => w.triggers.cron.length > 0);
  }

  signalTriggers(): readonly WorkflowSignalTriggers[] {
    return this.signals;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule());
    }, this.refreshMs);
    this.timer.unref();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
