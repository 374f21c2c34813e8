import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface Machine {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the report is printed (end of the scenario); includes our own processes. */
  readonly loadAverage1m: number;
}

export function machine(): Machine {
  return {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

export interface ScenarioReport {
  readonly scenario: string;
  readonly target: string;
  readonly date: string;
  readonly command: string;
  readonly machine: Machine;
  readonly parameters: Record<string, unknown>;
  readonly figures?: Record<string, unknown>;
  readonly skipped?: string;
  readonly notes?: readonly string[];
}

/** One JSON document on one line (machine-readable), then a short human summary. */
export function printReport(report: ScenarioReport, summary: readonly string[]): void {
  process.stdout.write(`${JSON.stringify(report)}\n`);
  for (const line of summary) process.stdout.write(`# ${line}\n`);
}

/**
 * For scenarios that need separate processes: on the embedded target, prints
 * a `skipped` report (so `all` goes on) and answers false.
 */
export function runsOnKafkaOnly(
  ctx: { target: string; command: string },
  scenario: string,
  why: string,
): boolean {
  if (ctx.target === 'kafka') return true;
  const skipped = `${scenario} needs ${why}: use --target kafka`;
  printReport(
    {
      scenario,
      target: ctx.target,
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters: {},
      skipped,
    },
    [`${scenario}: skipped: ${skipped}`],
  );
  return false;
}
