import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { machine } from '../harness/report';
import { BullMqSystem } from '../peers/bullmq';
import { RestateSystem } from '../peers/restate';
import { measureIdleRss } from '../scenarios/idle-rss';
import { measureW1 } from '../scenarios/w1-chain';
import { measureW2 } from '../scenarios/w2-burst';
import { measureW3 } from '../scenarios/w3-foreach';
import type { Figures } from '../workloads/baton-scenario';
import { BatonSystem } from '../workloads/baton-system';
import type { BenchSystem } from '../workloads/system';
import { roundOrder, type CompareOptions, type SystemName } from './compare-args';
import { markdownTable, medians, ratios, type Measurement } from './compare-summary';

/** What the medians table shows (every JSON line holds all figures). */
const SUMMARY = new Set([
  'idle.rssMiB',
  'idle.ownRssMiB',
  'W1.runMsP50',
  'W1.stepToStepMsP50',
  'W1.stepToStepMsP95',
  'W1.startMsP50',
  'W1.startMsP95',
  'W2-noop.stepsPerSecond',
  'W2-noop.cpuMsPerStep',
  'W2-noop.ownCpuMsPerStep',
  'W2-noop.acceptSeconds',
  'W2-shell.stepsPerSecond',
  'W2-shell.cpuMsPerStep',
  'W2-shell.acceptSeconds',
  'W3.seconds',
]);
const IDLE_SETTLE_MS = 5_000;

/**
 * The same workloads on several systems, one fresh installation per system
 * and round, the systems' order rotating from round to round. Prints one
 * JSON line per measurement, then the medians over the rounds and the ratios
 * (this Baton / each other system) as JSON lines and a markdown table.
 */
export async function compare(root: string, command: string, options: CompareOptions): Promise<void> {
  const print = (line: Record<string, unknown>): void =>
    void process.stdout.write(`${JSON.stringify(line)}\n`);
  print({ compare: 'start', date: new Date().toISOString(), command, machine: machine(), options });
  const measurements: Measurement[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const name of roundOrder(options.systems, round)) {
      try {
        for await (const [workload, figures] of workloads(await start(name, root, options), options)) {
          print({ round, system: name, workload, figures, loadAverage1m: machine().loadAverage1m });
          measurements.push({ round, system: name, workload, figures });
        }
      } catch (error) {
        print({ round, system: name, error: (error as Error).message });
      }
    }
  }
  printSummary(measurements);
}

/**
 * Medians over the rounds, ratios (each Baton of this checkout / each other
 * system) and the markdown table; also `compare-summary FILE`, for the
 * JSON lines of a run that was stopped early.
 */
export function printSummary(measurements: readonly Measurement[]): void {
  const kept = measurements.map((m) => ({ ...m, figures: pick(m.workload, m.figures) }));
  const all = medians(kept);
  const systems = Object.keys(all);
  // A baseline is compared with this checkout on the same target only (embedded with embedded).
  const pairs = Object.fromEntries(
    Object.entries(
      ratios(
        all,
        systems.filter((s) => s.startsWith('baton')),
        systems.filter((s) => !s.startsWith('baton')),
      ),
    ).filter(([pair]) => pair !== 'baton/baseline-kafka' && pair !== 'baton-kafka/baseline'),
  );
  const rounds = new Set(measurements.map((m) => m.round)).size;
  process.stdout.write(
    `${JSON.stringify({ compare: 'medians', rounds, machine: machine(), medians: all })}\n`,
  );
  process.stdout.write(`${JSON.stringify({ compare: 'ratios', ratios: pairs })}\n`);
  for (const line of markdownTable(all, pairs)) process.stdout.write(`# ${line}\n`);
}

/** The measurements among the JSON lines a compare run printed (other lines are skipped). */
export function readMeasurements(text: string): Measurement[] {
  const found: Measurement[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as Partial<Measurement>;
    if (parsed.round !== undefined && parsed.system && parsed.workload && parsed.figures)
      found.push(parsed as Measurement);
  }
  return found;
}

/** The workloads on one installation, in order; stops it after the last (or a failure). */
async function* workloads(system: BenchSystem, options: CompareOptions): AsyncGenerator<[string, Figures]> {
  try {
    yield ['idle', await measureIdleRss(system, IDLE_SETTLE_MS)];
    yield ['W1', await measureW1(system, options.chains)];
    for (const kind of system.stepKinds)
      yield [`W2-${kind}`, await measureW2(system, options.runs, kind, kind)];
    yield ['W3', await measureW3(system, options.children)];
  } finally {
    await system.stop();
  }
}

async function start(name: SystemName, root: string, options: CompareOptions): Promise<BenchSystem> {
  const workDir = mkdtempSync(join(tmpdir(), `baton-bench-${name}-`));
  switch (name) {
    case 'baton':
      return BatonSystem.start(name, root, 'embedded');
    case 'baton-kafka':
      return BatonSystem.start(name, root, 'kafka');
    case 'baseline':
      return BatonSystem.start(name, baselineRoot(options), 'embedded');
    case 'baseline-kafka':
      return BatonSystem.start(name, baselineRoot(options), 'kafka');
    case 'restate':
      return RestateSystem.start(root, workDir);
    case 'bullmq':
      return BullMqSystem.start(root, workDir);
    default: {
      const never: never = name;
      throw new Error(`unknown system ${String(never)}`);
    }
  }
}

function baselineRoot(options: CompareOptions): string {
  const dir = resolve(options.baseline ?? '');
  if (!existsSync(join(dir, 'dist/apps/baton/src/main.js')))
    throw new Error(`${dir} has no build: run npm run build there once`);
  return dir;
}

function pick(workload: string, figures: Figures): Figures {
  return Object.fromEntries(
    Object.entries(figures).filter(([metric]) => SUMMARY.has(`${workload}.${metric}`)),
  );
}
