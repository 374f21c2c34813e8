import type { ScenarioContext } from '../harness/context';
import { machine, printReport } from '../harness/report';

/** Scenario 3: foreach of 10,000 and 100,000 iterations, once foreach exists. */
export function fanout(ctx: ScenarioContext): Promise<void> {
  const reason = 'foreach not implemented (issue 5)';
  printReport(
    {
      scenario: 'fanout',
      target: ctx.target,
      date: new Date().toISOString(),
      command: ctx.command,
      machine: machine(),
      parameters: { iterations: [10_000, 100_000] },
      skipped: reason,
    },
    [`fanout: skipped: ${reason}`],
  );
  return Promise.resolve();
}
