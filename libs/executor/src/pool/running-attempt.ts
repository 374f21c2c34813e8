import type { Producer, OutgoingRecord } from '@baton/eventlog';
import type { Clock } from '@baton/platform';
import type { BatonLogger } from '@baton/observability';
import type { StepRuntimes } from '../runtimes';
import { describeError } from '../runtimes/step-runtime';
import { failed, type StepOutcome, type StepTask } from '@baton/contracts';
import {
  failedRecord,
  heartbeatRecord,
  outcomeRecord,
  stepLogsRecord,
  type Reporter,
} from './attempt-reports';
import type { AttemptOutcomeLabel } from './executor-pool.metrics';
import type { StartVerdict } from './start-grants';

/** Why the executor itself stopped an attempt before it ended. */
export type StopCause =
  /** A `StepCancellation` named it: the engine has already ended it. */
  | 'cancelled'
  /** No heartbeat was acknowledged for a whole lease: the engine has (or soon will have) retried it elsewhere. */
  | 'lease_lost'
  /** The pool's graceful stop ran out of grace. */
  | 'shutdown'
  /** The engine refused this executor's start: the attempt is not ours, its result must not be reported. */
  | 'refused';

export interface AttemptSettings {
  readonly producer: Producer;
  readonly runtimes: StepRuntimes;
  readonly clock: Clock;
  readonly executorId: string;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  /** Attempts at writing the logs and the final report before giving up (the lease then expires). */
  readonly publishTries: number;
  readonly logger: BatonLogger;
}

export interface AttemptResult {
  readonly outcome: AttemptOutcomeLabel;
  readonly heartbeats: number;
}

/** `runId/stepId/attempt`: identifies an attempt (the engine rejects reports for any other). */
export function attemptKey(id: { runId: string; stepId: string; attempt: number }): string {
  return `${id.runId}\u0000${id.stepId}\u0000${id.attempt}`;
}

/**
 * One attempt running in a slot, after `ReportStepStarted` was acknowledged.
 *
 * While the runtime runs it sends `ReportStepHeartbeat` every `heartbeatMs`
 * (at most one in flight). Once the outcome is known it writes the
 * `StepLogs` record, waits for the acknowledgement, and only then the final
 * report, so the logs are in the log before the engine can end the run.
 *
 * Lease honesty: if no heartbeat has been acknowledged for a whole lease
 * (the log unreachable), the engine has declared this executor lost and
 * retries the step elsewhere, so the attempt is killed here and reports
 * nothing: two copies of a step must not keep running.
 *
 * A start sent with `confirm` (a task that may be a redelivery) runs nothing
 * before the engine's grant; a refusal, or no answer in time, ends the
 * attempt unrun (the engine starts the lease when it decides, just before
 * the grant goes out, so the lease is counted from the grant). A start refused while the attempt runs (an
 * optimistic start of a redelivered task) stops it, and its outcome, logs
 * included, is dropped: another executor may hold the attempt.
 */
export class RunningAttempt {
  readonly key: string;
  readonly done: Promise<AttemptResult>;
  private readonly controller = new AbortController();
  private cause: StopCause | undefined;
  private lastAckedSendAt: number;
  private beating: Promise<void> | undefined;
  private heartbeats = 0;

  constructor(
    readonly task: StepTask,
    private readonly settings: AttemptSettings,
    /** When the acknowledged `ReportStepStarted` was sent. */
    startedSentAt: number,
    /** The engine's answer to a start sent with `confirm`; null for an optimistic start. */
    private readonly verdict: Promise<StartVerdict> | null = null,
  ) {
    this.key = attemptKey(task);
    this.lastAckedSendAt = startedSentAt;
    this.done = this.run();
  }

  /** Aborts the attempt (the runtime kills its process group); the first cause wins. */
  stop(cause: StopCause): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    this.controller.abort(new Error(`attempt stopped: ${cause}`));
  }

  private async run(): Promise<AttemptResult> {
    const { runtimes, heartbeatMs, logger } = this.settings;
    const unrun = await this.confirmed();
    if (unrun !== null) {
      logger.info('attempt not run', { outcome: unrun });
      return { outcome: unrun, heartbeats: 0 };
    }
    const timer = setInterval(() => this.beat(), heartbeatMs);
    let outcome: StepOutcome;
    try {
      outcome = await runtimes.run(this.task, { signal: this.controller.signal });
    } catch (error) {
      // Runtimes never throw by contract; a bug must still end the attempt honestly.
      outcome = failed('platform', `runtime crashed: ${describeError(error)}`);
    } finally {
      clearInterval(timer);
    }
    await this.beating;
    if (this.cause === 'refused') {
      logger.warn('start refused by the engine; the outcome is dropped', { status: outcome.status });
      return { outcome: 'refused', heartbeats: this.heartbeats };
    }
    const reporter: Reporter = { executorId: this.settings.executorId, at: this.settings.clock.now() };
    const logsWritten = await this.publish(stepLogsRecord(this.task, outcome.logs), 'step logs');
    const { record, label } = this.finalReport(outcome, { ...reporter, logsWritten });
    if (record) await this.publish(record, 'final report');
    logger.info('attempt ended', {
      outcome: label,
      status: outcome.status,
      ...(outcome.status === 'failed' ? { error: outcome.message } : {}),
    });
    return { outcome: label, heartbeats: this.heartbeats };
  }

  private finalReport(
    outcome: StepOutcome,
    reporter: Reporter,
  ): { record: OutgoingRecord | null; label: AttemptOutcomeLabel } {
    // An outcome the runtime reached on its own is reported even if a stop raced with it.
    if (outcome.status === 'succeeded')
      return { record: outcomeRecord(this.task, reporter, outcome), label: 'succeeded' };
    switch (outcome.errorKind) {
      case 'user':
        return { record: outcomeRecord(this.task, reporter, outcome), label: 'user_error' };
      case 'platform':
        return { record: outcomeRecord(this.task, reporter, outcome), label: 'platform_error' };
      case 'timeout':
        return { record: null, label: 'timeout' };
      case 'cancelled':
        return this.stoppedReport(reporter);
      default: {
        const never: never = outcome.errorKind;
        throw new Error(`unknown error kind ${String(never)}`);
      }
    }
  }

  private stoppedReport(reporter: Reporter): { record: OutgoingRecord | null; label: AttemptOutcomeLabel } {
    switch (this.cause) {
      case 'shutdown': {
        // Telling the engine now retries the step at once instead of after the lease expires.
        const message = `executor ${this.settings.executorId} shut down before the step finished`;
        return { record: failedRecord(this.task, reporter, 'platform', message), label: 'shutdown' };
      }
      case 'lease_lost':
        return { record: null, label: 'lease_lost' };
      case 'refused':
        return { record: null, label: 'refused' };
      case 'cancelled':
      case undefined:
        return { record: null, label: 'cancelled' };
      default: {
        const never: never = this.cause;
        throw new Error(`unknown stop cause ${String(never)}`);
      }
    }
  }

  /** Null once the start may run; otherwise why it must not. */
  private async confirmed(): Promise<AttemptOutcomeLabel | null> {
    if (this.verdict === null) return null;
    const signal = this.controller.signal;
    const stopped = new Promise<'stopped'>((resolve) => {
      if (signal.aborted) resolve('stopped');
      else signal.addEventListener('abort', () => resolve('stopped'), { once: true });
    });
    const verdict = await Promise.race([this.verdict, stopped]);
    if (verdict === 'granted' && this.cause === undefined) {
      this.lastAckedSendAt = this.settings.clock.now();
      return null;
    }
    if (verdict === 'unanswered') return 'unconfirmed';
    if (verdict === 'refused') return 'refused';
    return this.unrunLabel();
  }

  private unrunLabel(): AttemptOutcomeLabel {
    return this.cause === 'shutdown' ? 'shutdown' : this.cause === 'refused' ? 'refused' : 'cancelled';
  }

  private beat(): void {
    const { clock, leaseMs, producer, executorId, logger } = this.settings;
    if (this.cause !== undefined) return;
    const now = clock.now();
    if (now - this.lastAckedSendAt >= leaseMs) {
      logger.warn('no heartbeat acknowledged for a whole lease; stopping the attempt', { leaseMs });
      this.stop('lease_lost');
      return;
    }
    if (this.beating) return;
    this.beating = producer
      .send([heartbeatRecord(this.task, { executorId, at: now })])
      .then(() => {
        this.lastAckedSendAt = Math.max(this.lastAckedSendAt, now);
        this.heartbeats += 1;
      })
      .catch((error: unknown) => logger.warn('heartbeat not written', { error: describeError(error) }))
      .finally(() => (this.beating = undefined));
  }

  /**
   * Writes one record, retrying with back-off; a record that cannot be written
   * is left to the lease. True once acknowledged.
   */
  private async publish(record: OutgoingRecord, what: string): Promise<boolean> {
    const { producer, publishTries, logger } = this.settings;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await producer.send([record]);
        return true;
      } catch (error) {
        if (attempt >= publishTries) {
          logger.error('record not written; the lease will expire instead', {
            record: what,
            error: describeError(error),
          });
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
      }
    }
  }
}
