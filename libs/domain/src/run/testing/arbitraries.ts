import fc from 'fast-check';
import type {
  Backoff,
  Edge,
  FailureMode,
  StepDefinition,
  WorkflowDefinition,
} from '../../workflow/workflow-definition';
import { edge, step, workflow } from './fixtures';

/**
 * Random valid workflows: up to 8 steps, edges only from a lower to a higher
 * index (so the graph is acyclic), conditions that are constant or read the
 * source's status or outputs, random failure modes, retry budgets, backoffs,
 * step and run timeouts, and some sleep steps.
 */
const backoffArb: fc.Arbitrary<Backoff> = fc.oneof(
  fc.record({ kind: fc.constant('fixed' as const), delayMs: fc.integer({ min: 0, max: 500 }) }),
  fc.record({
    kind: fc.constant('exponential' as const),
    initialDelayMs: fc.integer({ min: 1, max: 200 }),
    multiplier: fc.constantFrom(1.5, 2, 3),
    maxDelayMs: fc.integer({ min: 200, max: 2_000 }),
  }),
);

const stepArb = (id: string): fc.Arbitrary<StepDefinition> =>
  fc
    .record({
      sleep: fc.boolean().map((b) => b && id.endsWith('3')),
      failureMode: fc.constantFrom<FailureMode>('fail_immediately', 'finish_running', 'ignore'),
      userErrorLimit: fc.integer({ min: 0, max: 2 }),
      platformErrorLimit: fc.integer({ min: 0, max: 2 }),
      timeoutLimit: fc.integer({ min: 0, max: 1 }),
      backoff: backoffArb,
      timeoutMs: fc.option(fc.integer({ min: 500, max: 3_000 }), { nil: undefined }),
      withOutputs: fc.boolean(),
    })
    .map((r) =>
      step(
        id,
        {
          failureMode: r.failureMode,
          retry: {
            userErrorLimit: r.userErrorLimit,
            platformErrorLimit: r.platformErrorLimit,
            timeoutLimit: r.timeoutLimit,
            backoff: r.backoff,
          },
          ...(r.timeoutMs === undefined ? {} : { timeoutMs: r.timeoutMs }),
          outputs: r.withOutputs ? { v: 'result.v' } : {},
          params: { at: { expression: 'step.attempt' } },
          durationMs: 400,
        },
        r.sleep ? 'sleep' : 'noop',
      ),
    );

const conditionArb = (from: StepDefinition): fc.Arbitrary<string | undefined> =>
  fc.constantFrom<string | undefined>(
    undefined,
    undefined,
    'true',
    'false',
    `steps.${from.id}.status == 'SUCCEEDED'`,
    ...(Object.keys(from.outputs).length > 0 ? [`steps.${from.id}.outputs.v > 4`] : []),
  );

export const workflowArb: fc.Arbitrary<WorkflowDefinition> = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => stepArb(`s${i}`))))
  .chain((steps) => {
    const pairs: [number, number][] = [];
    for (let i = 0; i < steps.length; i += 1)
      for (let j = i + 1; j < steps.length; j += 1) pairs.push([i, j]);
    const edgeArbs = pairs.map(([i, j]) =>
      fc
        .tuple(fc.integer({ min: 0, max: 9 }), conditionArb(steps[i]))
        .map(([roll, condition]): Edge | null =>
          roll < 3 ? edge(steps[i].id, steps[j].id, condition) : null,
        ),
    );
    return fc.tuple(
      fc.constant(steps),
      fc.tuple(...edgeArbs).map((edges) => edges.filter((e): e is Edge => e !== null)),
      fc.option(fc.integer({ min: 2_000, max: 20_000 }), { nil: undefined }),
    );
  })
  .map(([steps, edges, timeoutMs]) => workflow(steps, edges, timeoutMs === undefined ? {} : { timeoutMs }));
