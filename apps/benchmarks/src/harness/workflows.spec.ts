import { parseWorkflowDocument } from '@baton/definitions';
import { FOREACH_STEP_ID, chainWorkflow, foreachWorkflow } from './workflows';

describe('foreachWorkflow (the fan-out scenario)', () => {
  it('is a valid document: one foreach over a range, with a one-noop body and the concurrency asked for', () => {
    // Given / When
    const result = parseWorkflowDocument(foreachWorkflow('bench.fanout', 100_000, 100));

    // Then
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.definition.steps).toHaveLength(1);
    const [step] = result.definition.steps;
    expect(step).toMatchObject({
      id: FOREACH_STEP_ID,
      type: 'foreach',
      loopParams: { i: { range: { from: 0, to: 100_000 } } },
      concurrency: 100,
      outputs: { succeeded: 'result.succeeded' },
    });
    expect(step.type === 'foreach' && step.body.steps.map((s) => s.type)).toEqual(['noop']);
  });
});

describe('chainWorkflow (W1, W2)', () => {
  it.each(['noop', 'shell'] as const)('is a valid chain of %s steps, s1..s10', (kind) => {
    // Given / When
    const result = parseWorkflowDocument(chainWorkflow('bench.chain', 10, kind));

    // Then
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const steps = result.definition.steps;
    expect(steps.map((s) => s.type)).toEqual(Array(10).fill(kind));
    expect(steps.map((s) => s.id)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i + 1}`));
  });
});
