import { Injectable } from '@nestjs/common';

/** What one readiness check found. `detail` is shown as is in `/health/ready` (no secrets). */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail?: unknown;
}

/** A named readiness check; a throw or a time-out counts as not ready, with the reason. */
export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly service: string;
  readonly uptimeSeconds: number;
  /** Readiness only: every registered check by name. */
  readonly checks?: Readonly<Record<string, CheckResult>>;
}

/** Longest a single check may take before it counts as failed (a probe must answer well within its timeout). */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Liveness and readiness of a Baton process.
 *
 * - Live (`/health/live`, and `/health`): the process answers HTTP. A
 *   restart is the only cure for a process that does not.
 * - Ready (`/health/ready`): every check that modules registered passes: the
 *   platform registers the event log's and the database's connections, the
 *   engine its writers' partitions. Another module adds its own the same way.
 *
 * @example
 *   health.register('storage', async () => ({ ok: (await freeBytes()) > 1e9 }));
 *   const report = await health.ready(); // report.status === 'ok' when every check passes
 */
@Injectable()
export class HealthService {
  private readonly startedAt = process.hrtime.bigint();
  private readonly checks = new Map<string, ReadinessCheck>();

  constructor(private readonly service: string) {}

  /** Adds a readiness check; names are unique within a process. */
  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check '${name}' is already registered`);
    this.checks.set(name, check);
  }

  live(): HealthReport {
    return { status: 'ok', service: this.service, uptimeSeconds: this.uptimeSeconds() };
  }

  /** Runs every check at once; ready when all pass. */
  async ready(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runCheck(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ok = entries.every(([, result]) => result.ok);
    return {
      status: ok ? 'ok' : 'unavailable',
      service: this.service,
      uptimeSeconds: this.uptimeSeconds(),
      checks,
    };
  }

  private uptimeSeconds(): number {
    const seconds = Number(process.hrtime.bigint() - this.startedAt) / 1e9;
    return Math.round(seconds * 1000) / 1000;
  }
}

async function runCheck(check: ReadinessCheck): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
