import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioContext } from '../harness/context';
import { machine, printReport } from '../harness/report';
import { BatonSystem } from './baton-system';
import type { BenchSystem } from './system';

/** A workload's figures, flat enough for one JSON line and a medians table. */
export type Figures = Record<string, number>;

/**
 * Runs one workload on a fresh Baton installation of this checkout (the
 * `--target` one) and prints its report: the W1/W2/W3/idle-rss scenarios.
 */
export async function runOnBaton(
  ctx: ScenarioContext,
  scenario: string,
  parameters: Record<string, unknown>,
  measure: (system: BenchSystem) => Promise<Figures>,
): Promise<void> {
  const system = await BatonSystem.start(
    ctx.target === 'kafka' ? 'baton-kafka' : 'baton',
    ctx.root,
    ctx.target,
  );
  let figures: Figures;
  try {
    figures = await measure(system);
  } finally {
    await system.stop();
  }
  printReport(
    {
      scenario,
      target: ctx.target,
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters,
      figures,
    },
    [
      `${scenario} (${ctx.target}): ${Object.entries(figures)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    ],
  );
}

export function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}
