import { performance } from 'node:perf_hooks';
import type { ExpressionContext } from '../src/expressions/expression';
import { evaluateCondition } from '../src/expressions/cel-expressions';

/**
 * The micro-benchmark behind the choice of CEL library (see the top of
 * cel-expressions.ts). Not part of the tests; run with
 * `npm run bench:micro -- libs/domain/bench/cel-condition`.
 */
it('evaluates a typical condition in a few microseconds', () => {
  const context: ExpressionContext = {
    params: { mode: 'full' },
    steps: { extract: { status: 'SUCCEEDED', outputs: { rows: 500 } } },
    run: { id: 'r', workflow_id: 'w', workflow_version: 1, attempt: 1, scheduled_at: '2024-01-01T00:00:00Z' },
  };
  const source = "params.mode == 'full' && steps.extract.outputs.rows > 100";
  const runs = 100_000;
  for (let i = 0; i < 10_000; i++) evaluateCondition(source, context);
  const start = performance.now();
  for (let i = 0; i < runs; i++) evaluateCondition(source, context);
  const microseconds = ((performance.now() - start) * 1000) / runs;
  console.log(JSON.stringify({ bench: 'cel-condition', source, runs, microsecondsPerCall: microseconds }));
});
