import {
  coreTopics,
  deadLetterRecord,
  decodeStepTask,
  stepTasksTopic,
  Topics,
  type DecodedTask,
  type StepTask,
} from '@baton/contracts';
import type { Batch, Consumer, EventLog, LogRecord, Producer, TopicPartition } from '@baton/eventlog';
import type { BatonLogger } from '@baton/observability';
import type { Clock } from '@baton/platform';
import type { Registry } from 'prom-client';
import type { StepRuntimes } from '../runtimes';
import { failedRecord, startedRecord } from './attempt-reports';
import { decodeCancellation, RecentlyCancelled } from './cancellations';
import { decodeGrant, PendingStarts, type StartVerdict } from './start-grants';
import { ExecutorPoolMetrics } from './executor-pool.metrics';
import {
  checkOptions,
  heartbeatPeriod,
  REFUSAL_LEASE_MS,
  settlesWithin,
  type ExecutorPoolOptions,
} from './executor-pool.options';
import { attemptKey, RunningAttempt, type AttemptSettings } from './running-attempt';
import { Slots, SlotWaitEnded, type Slot } from './slots';
import { RedeliveryWatch } from './redelivery-watch';

interface Launched {
  readonly attempt: RunningAttempt;
  /** Resolves once the attempt has reported, released its slot and left `running`. */
  readonly settled: Promise<void>;
}

const PUBLISH_TRIES = 5;

/**
 * An executor pool member (BRIEF point 4: executors are not writers of
 * truth). It takes step tasks, runs them in at most `slots` attempts at once,
 * and reports on `baton.run-commands` as commands the engine is free to refuse.
 *
 * Taking a task (consumer group `baton-executor.<pool>` over the pool's topic):
 * validate it at the edge (invalid: dead letter, and `FailStep{platform}` when
 * it still names its attempt, so the step is retried instead of left `ready`
 * forever); wait for a free slot; write `ReportStepStarted` with the lease the
 * task carries (the engine's `BATON_LEASE_MS`);
 * start the attempt in the background; commit the task's offset; take the
 * next record. The batch handler never waits for a step to finish, so a step
 * that runs for hours does not hold its partition or delay a rebalance.
 *
 * From the commit on, the Kafka offset no longer protects the attempt; the
 * lease does. The engine holds the step `running` for this executor as long
 * as heartbeats (every third of the lease) keep the lease
 * alive. If this process dies (SIGKILL, OOM, lost machine) it reports nothing
 * and the engine's lease timer retries the step as a platform error. The
 * offset is committed after the start report and the launch: a crash in
 * between re-delivers the task, whose second `ReportStepStarted` the engine
 * refuses (the step is no longer `ready`), which is harmless.
 *
 * Backpressure: while every slot is busy the batch handler waits, so nothing
 * more is consumed; after `slotWaitMs` it throws, giving the rest of the
 * batch back, so rebalances and scale-out are never held up by long steps.
 *
 * Outcomes: succeeded -> `CompleteStep`; failed user/platform -> `FailStep`;
 * timeout -> nothing (the engine's own step-timeout timer, armed when it
 * accepted the start, decides; the runtime already killed the process);
 * cancelled -> nothing. The `StepLogs` record is always written first.
 *
 * Cancellation: a second consumer over `baton.step-cancellations`, in a group
 * of its own (`baton-executor-cancel.<executorId>`, from the latest offset, no
 * commits: only attempts running from now on matter), aborts the attempts it
 * names that run here; the runtime kills the process group. A cancellation
 * naming an executor concerns only that executor: the engine refused its
 * start, so its copy stops at once and its result is dropped.
 *
 * Redeliveries: a task that may have been started before (see
 * `RedeliveryWatch`) is started with `confirm`, and runs only once the
 * engine's `StepStartGranted` (on `baton.step-grants`, read by the same
 * consumer) names this executor; a refusal or no answer within
 * `confirmWaitMs` leaves it unrun. Fresh tasks start at once, with no
 * extra round trip.
 *
 * Graceful `stop()`: leave the task group at once, let running attempts
 * finish for `stopGraceMs`, then abort the rest and report them
 * `FailStep{platform}` (retried now rather than at lease expiry), then leave
 * the cancellation group.
 *
 * @example
 *   const pool = new ExecutorPool(log, systemClock, metrics, batonLogger('ExecutorPool'), createStepRuntimes(handlers), {
 *     pool: 'default', slots: 8, executorId: 'worker-1',
 *   });
 *   await pool.start();
 *   // ...
 *   await pool.stop();
 */
export class ExecutorPool {
  private readonly stopGraceMs: number;
  private readonly slotWaitMs: number;
  private readonly groupId: string;
  private readonly topic: string;
  private readonly metrics: ExecutorPoolMetrics;
  private readonly log: BatonLogger;
  private readonly slots: Slots;
  private readonly running = new Map<string, Launched>();
  private readonly cancelled = new RecentlyCancelled();
  /** Attempts whose start the engine refused to this executor. */
  private readonly refused = new RecentlyCancelled();
  private readonly pending = new PendingStarts();
  private readonly redeliveries: RedeliveryWatch;
  private readonly confirmWaitMs: number;
  private readonly stopWaiting = new AbortController();
  private producer: Producer | null = null;
  private tasks: Consumer | null = null;
  private cancellations: Consumer | null = null;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private stopped: Promise<void> | null = null;
  private busyReported = 0;

  constructor(
    private readonly eventLog: EventLog,
    private readonly clock: Clock,
    registry: Registry,
    logger: BatonLogger,
    /** The pool's runtime table (with its secrets step), built by the composition root. */
    private readonly runtimes: StepRuntimes,
    private readonly options: ExecutorPoolOptions,
  ) {
    this.stopGraceMs = options.stopGraceMs ?? 30_000;
    this.slotWaitMs = options.slotWaitMs ?? 5_000;
    checkOptions(options);
    this.redeliveries = new RedeliveryWatch(options.confirmAfterMs ?? 30_000);
    this.confirmWaitMs = options.confirmWaitMs ?? 60_000;
    this.groupId = `baton-executor.${options.pool}`;
    this.topic = stepTasksTopic(options.pool);
    this.metrics = new ExecutorPoolMetrics(registry);
    this.log = logger.child({ pool: options.pool, executorId: options.executorId });
    this.slots = new Slots(options.slots, (busy) => this.reportBusy(busy));
  }

  get executorId(): string {
    return this.options.executorId;
  }

  /** Task partitions this member owns now. */
  partitions(): readonly TopicPartition[] {
    return this.tasks?.assignment() ?? [];
  }

  /** Attempts running now. */
  get attemptsRunning(): number {
    return this.running.size;
  }

  /** Joins the cancellation group first (so no cancellation of a task taken here can be missed), then the task group. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('an executor pool can be started once');
    this.state = 'running';
    if (this.options.topics)
      await this.eventLog.ensureTopics(coreTopics(this.options.topics, [this.options.pool]));
    this.producer = await this.eventLog.producer();
    this.cancellations = this.eventLog.consumer({
      groupId: `baton-executor-cancel.${this.options.executorId}`,
      topics: [Topics.stepCancellations, Topics.stepGrants],
      startFrom: 'latest',
      eachBatch: async (batch) =>
        batch.topic === Topics.stepGrants ? this.onGrants(batch) : this.onCancellations(batch),
    });
    await this.cancellations.start();
    this.tasks = this.eventLog.consumer({
      groupId: this.groupId,
      topics: [this.topic],
      onAssigned: async (partitions) => this.redeliveries.suspectPartitions(partitions),
      eachBatch: (batch) => this.onTasks(batch),
    });
    await this.tasks.start();
    this.log.info('executor pool started', { slots: this.options.slots });
  }

  /** Graceful stop (see the class comment). Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    this.stopWaiting.abort();
    await this.tasks?.stop();
    if (this.running.size > 0) {
      this.log.info('waiting for running attempts', {
        attempts: this.running.size,
        graceMs: this.stopGraceMs,
      });
      const all = Promise.all([...this.running.values()].map((launched) => launched.settled));
      if (!(await settlesWithin(all, this.stopGraceMs))) {
        for (const { attempt } of this.running.values()) attempt.stop('shutdown');
        await Promise.all([...this.running.values()].map((launched) => launched.settled));
      }
    }
    await this.cancellations?.stop();
    await this.producer?.close();
    this.state = 'stopped';
    this.log.info('executor pool stopped');
  }

  private async onTasks(batch: Batch): Promise<void> {
    try {
      for (const record of batch.records) {
        // Stopping: leave the rest uncommitted; the next owner of the partition resumes there.
        if (this.state !== 'running') return;
        if ((await this.take(record)) === 'stopped') return;
      }
    } catch (error) {
      // Re-delivered from the committed offset: its first task may have been started here already.
      this.redeliveries.suspectPartitions([batch]);
      throw error;
    }
  }

  private async take(record: LogRecord): Promise<'taken' | 'stopped'> {
    const confirm = this.redeliveries.mustConfirm(record, this.clock.now());
    const decoded = decodeStepTask(record.value);
    if (!decoded.ok) {
      await this.refuse(record, decoded);
      await this.commit(record);
      return 'taken';
    }
    const task = decoded.task;
    if (this.alreadyHandled(task)) {
      await this.commit(record);
      return 'taken';
    }
    let slot: Slot;
    try {
      slot = await this.slots.acquire(this.slotWaitMs, this.stopWaiting.signal);
    } catch (error) {
      if (!(error instanceof SlotWaitEnded)) throw error;
      if (error.reason === 'aborted') return 'stopped';
      throw new Error(
        `all ${this.slots.size} slots of pool ${this.options.pool} busy for ${this.slotWaitMs} ms; ` +
          `${record.topic}/${record.partition} from offset ${record.offset} is re-delivered after a back-off`,
      );
    }
    if (this.alreadyHandled(task)) {
      slot.release();
      await this.commit(record);
      return 'taken';
    }
    const key = attemptKey(task);
    // Registered before the send: the grant may be read before the send is acknowledged.
    const verdict = confirm ? this.pending.expect(key, this.confirmWaitMs) : null;
    try {
      const sentAt = this.clock.now();
      const by = { executorId: this.executorId, at: sentAt };
      await this.send([startedRecord(task, by, task.leaseMs, confirm)]);
      this.metrics.taskWaitSeconds.observe(
        { pool: this.options.pool },
        Math.max(0, sentAt - record.timestamp) / 1000,
      );
      this.launch(task, slot, sentAt, verdict);
    } catch (error) {
      this.pending.answer(key, 'unanswered');
      slot.release();
      throw error;
    }
    // After the launch: once the engine was told this executor holds the lease, the attempt
    // runs even if this commit fails (the re-delivered copy is skipped as `alreadyHandled`).
    await this.commit(record);
    return 'taken';
  }

  /** A task cancelled before it started, or a re-delivered copy of one running here. */
  private alreadyHandled(task: StepTask): boolean {
    const key = attemptKey(task);
    const why = this.cancelled.has(key)
      ? 'cancelled before it started'
      : this.running.has(key)
        ? 'already running here'
        : null;
    if (why === null) return false;
    this.attemptLog(task).info('task skipped', { why });
    if (why === 'cancelled before it started') {
      this.metrics.attempts.inc({ pool: this.options.pool, outcome: 'cancelled' });
    }
    return true;
  }

  private launch(task: StepTask, slot: Slot, sentAt: number, verdict: Promise<StartVerdict> | null): void {
    const log = this.attemptLog(task);
    const settings: AttemptSettings = {
      producer: this.requireProducer(),
      runtimes: this.runtimes,
      clock: this.clock,
      executorId: this.executorId,
      // The engine's lease, carried by the task (BATON_LEASE_MS has one owner: the engine).
      leaseMs: task.leaseMs,
      heartbeatMs: heartbeatPeriod(task.leaseMs, this.options.heartbeatMs),
      publishTries: PUBLISH_TRIES,
      logger: log,
    };
    const attempt = new RunningAttempt(task, settings, sentAt, verdict);
    // The refusal of an optimistic start may be read before the launch.
    if (this.refused.has(attempt.key)) attempt.stop('refused');
    const startedAt = this.clock.now();
    log.info('attempt started', { type: task.type, confirm: verdict !== null });
    const settled = attempt.done
      .then((result) => {
        const labels = { pool: this.options.pool };
        this.metrics.attempts.inc({ ...labels, outcome: result.outcome });
        this.metrics.attemptSeconds.observe(labels, Math.max(0, this.clock.now() - startedAt) / 1000);
      })
      .catch((error: unknown) => log.error('attempt bookkeeping failed', { error: String(error) }))
      .finally(() => {
        this.running.delete(attempt.key);
        slot.release();
      });
    this.running.set(attempt.key, { attempt, settled });
  }

  private async refuse(record: LogRecord, decoded: Extract<DecodedTask, { ok: false }>): Promise<void> {
    const now = this.clock.now();
    await this.send([deadLetterRecord(record, decoded.reason, decoded.problems, now)]);
    const identity = decoded.identity;
    const problems = decoded.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    this.log.warn('step task dead-lettered', {
      ...(identity ?? {}),
      offset: record.offset,
      partition: record.partition,
      reason: decoded.reason,
      problems,
    });
    this.metrics.attempts.inc({ pool: this.options.pool, outcome: 'invalid' });
    if (identity === null) return;
    // The engine only accepts a failure for a running step: start it, then fail it (same key, in order).
    const by = { executorId: this.executorId, at: now };
    const message = `executor ${this.executorId} refused the step task: ${decoded.reason}${problems ? ` (${problems})` : ''}`;
    await this.send([
      startedRecord(identity, by, REFUSAL_LEASE_MS),
      failedRecord(identity, by, 'platform', message),
    ]);
  }

  private async onCancellations(batch: Batch): Promise<void> {
    for (const record of batch.records) {
      const decoded = decodeCancellation(record.value);
      if (!decoded.ok) {
        this.log.warn('unreadable step cancellation ignored', {
          offset: record.offset,
          reason: decoded.reason,
        });
        continue;
      }
      const { executorId, reason } = decoded.value;
      if (executorId !== undefined && executorId !== this.executorId) continue;
      const key = attemptKey(decoded.value);
      this.cancelled.add(key);
      if (executorId !== undefined) {
        this.refused.add(key);
        this.pending.answer(key, 'refused');
      }
      const launched = this.running.get(key);
      if (!launched) continue;
      this.attemptLog(launched.attempt.task).info('cancelling attempt', { reason });
      launched.attempt.stop(executorId === undefined ? 'cancelled' : 'refused');
    }
  }

  private async onGrants(batch: Batch): Promise<void> {
    for (const record of batch.records) {
      const decoded = decodeGrant(record.value);
      if (!decoded.ok) {
        this.log.warn('unreadable step grant ignored', { offset: record.offset, reason: decoded.reason });
        continue;
      }
      if (decoded.value.executorId === this.executorId)
        this.pending.answer(attemptKey(decoded.value), 'granted');
    }
  }

  private async commit(record: LogRecord): Promise<void> {
    if (!this.tasks) throw new Error('the executor pool is not started');
    await this.tasks.commit([
      { topic: record.topic, partition: record.partition, offset: record.offset + 1 },
    ]);
  }

  private send(records: Parameters<Producer['send']>[0]): Promise<void> {
    return this.requireProducer().send(records);
  }

  private requireProducer(): Producer {
    if (!this.producer) throw new Error('the executor pool is not started');
    return this.producer;
  }

  private attemptLog(id: { runId: string; stepId: string; attempt: number }): BatonLogger {
    return this.log.forRun(id.runId, id.stepId).child({ attempt: id.attempt });
  }

  private reportBusy(busy: number): void {
    const delta = busy - this.busyReported;
    this.busyReported = busy;
    if (delta > 0) this.metrics.slotsBusy.inc({ pool: this.options.pool }, delta);
    if (delta < 0) this.metrics.slotsBusy.dec({ pool: this.options.pool }, -delta);
  }
}
