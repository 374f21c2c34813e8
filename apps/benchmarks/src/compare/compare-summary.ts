import { round } from '../harness/stats';
import type { Figures } from '../workloads/baton-scenario';

/** One workload on one system in one round. */
export interface Measurement {
  readonly round: number;
  readonly system: string;
  readonly workload: string;
  readonly figures: Figures;
}

/** system -> `workload.metric` -> median over the rounds that measured it. */
export type Medians = Record<string, Record<string, number>>;

export function medians(measurements: readonly Measurement[]): Medians {
  const values: Record<string, Record<string, number[]>> = {};
  for (const m of measurements) {
    const bySystem = (values[m.system] ??= {});
    for (const [metric, value] of Object.entries(m.figures))
      (bySystem[`${m.workload}.${metric}`] ??= []).push(value);
  }
  const result: Medians = {};
  for (const [system, metrics] of Object.entries(values)) {
    result[system] = {};
    for (const [metric, list] of Object.entries(metrics)) result[system][metric] = middle(list);
  }
  return result;
}

/**
 * The median, the mean of the two middle values for an even count: a system
 * that failed to start in one round has two values, and the lower one
 * (nearest rank) would favour it on times and disfavour it on rates.
 */
export function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half] : round((sorted[half - 1] + sorted[half]) / 2, 2);
}

/**
 * `numerator/denominator` -> metric -> ratio of the medians, for every
 * numerator system against every denominator system that measured the same
 * metric; null where the denominator is 0 (BullMQ's 0 ms step-to-step).
 */
export function ratios(
  all: Medians,
  numerators: readonly string[],
  denominators: readonly string[],
): Record<string, Record<string, number | null>> {
  const result: Record<string, Record<string, number | null>> = {};
  for (const num of numerators.filter((n) => all[n])) {
    for (const den of denominators.filter((d) => all[d] && d !== num)) {
      const pair: Record<string, number | null> = {};
      for (const [metric, value] of Object.entries(all[num])) {
        const other = all[den][metric];
        if (other === undefined) continue;
        pair[metric] = other === 0 ? null : round(value / other, 2);
      }
      result[`${num}/${den}`] = pair;
    }
  }
  return result;
}

/** Medians and ratios as one markdown table: a row per metric, a column per system, then per ratio. */
export function markdownTable(all: Medians, pairs: Record<string, Record<string, number | null>>): string[] {
  const systems = Object.keys(all);
  const metrics = [...new Set(systems.flatMap((s) => Object.keys(all[s])))];
  const header = ['metric', ...systems, ...Object.keys(pairs)];
  const cell = (value: number | null | undefined): string =>
    value === undefined || value === null ? '' : String(value);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...metrics.map(
      (metric) =>
        `| ${[metric, ...systems.map((s) => cell(all[s][metric])), ...Object.values(pairs).map((p) => cell(p[metric]))].join(' | ')} |`,
    ),
  ];
}
