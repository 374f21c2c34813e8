import { retries, triggers } from './testing/maestro-documents';
import { convert, workflowOf } from './testing/convert';

describe('retry policies', () => {
  it('maps limits per error kind and fixed or exponential backoff', () => {
    const [fixed, exponential] = convert(retries).definition.steps;
    expect(fixed.retry_policy).toEqual({
      user_error_limit: 4,
      platform_error_limit: 1,
      timeout_limit: 0,
      backoff: { type: 'fixed', delay: '5s' },
    });
    expect(exponential.retry_policy).toEqual({
      user_error_limit: 1,
      platform_error_limit: 10,
      timeout_limit: 0,
      backoff: { type: 'exponential', initial_delay: '2s', multiplier: 3, max_delay: '60s' },
    });
  });

  it("writes out Maestro's defaults where a step has none, so it retries as it did", () => {
    const defaults = convert(retries).definition.steps[2];
    expect(defaults.retry_policy).toEqual({
      user_error_limit: 2,
      platform_error_limit: 10,
      timeout_limit: 0,
      backoff: { type: 'exponential', initial_delay: '60s', multiplier: 2, max_delay: '600s' },
    });
  });

  it('reports a platform backoff that differs from the user one (one backoff per step in Baton today)', () => {
    const sut = convert(retries);
    expect(sut.at('$.workflow.steps[0].step.retry_policy.backoff')[0]).toMatchObject({ kind: 'changed' });
    expect(sut.at('$.workflow.steps[1].step.retry_policy.backoff')).toEqual([]);
  });
});

describe('run strategy', () => {
  it.each([
    [undefined, 'sequential'],
    ['sequential', 'sequential'],
    ['STRICT_SEQUENTIAL', 'strict_sequential'],
    ['first_only', 'first_only'],
    ['SERIAL_LATEST_ONLY', 'serial_latest_only'],
    ['LAST_ONLY', 'last_only'],
    ['parallel', 'parallel'],
    [
      { rule: 'PARALLEL', workflow_concurrency: 3 },
      { type: 'parallel', max_concurrent: 3 },
    ],
    [8, { type: 'parallel', max_concurrent: 8 }],
  ])('%j becomes %j', (given, expected) => {
    const properties = given === undefined ? undefined : { run_strategy: given };
    expect(
      convert(workflowOf([{ step: { id: 'a', type: 'NoOp' } }], undefined, properties)).definition
        .run_strategy,
    ).toEqual(expected);
  });

  it('maps LAST_ONLY and SERIAL_LATEST_ONLY under their own names, with nothing to report', () => {
    const sut = convert(triggers);
    expect(sut.definition.run_strategy).toBe('last_only');
    expect(sut.at('$.properties.run_strategy')).toEqual([]);
  });

  it.each([0, 2.5, 200_000, 'many'])(
    'keeps the default bound of 20 for PARALLEL with a workflow_concurrency of %j, reported',
    (concurrency) => {
      const sut = convert(
        workflowOf([{ step: { id: 'a', type: 'NoOp' } }], undefined, {
          run_strategy: { rule: 'PARALLEL', workflow_concurrency: concurrency },
        }),
      );
      expect(sut.definition.run_strategy).toBe('parallel');
      expect(sut.at('$.properties.run_strategy')[0]).toMatchObject({ kind: 'unmapped' });
    },
  );
});

describe('step concurrency', () => {
  it("maps Maestro's step_concurrency and reports that Baton counts per run", () => {
    const sut = convert(
      workflowOf([{ step: { id: 'a', type: 'NoOp' } }], undefined, { step_concurrency: 4 }),
    );
    expect(sut.definition.step_concurrency).toBe(4);
    expect(sut.at('$.properties.step_concurrency')[0]).toMatchObject({ kind: 'changed' });
    expect(sut.at('$.properties.step_concurrency')[0].message).toContain('per run');
  });

  it.each([0, -1, 1.5, '4'])('leaves out a step_concurrency of %j, reported', (value) => {
    const sut = convert(
      workflowOf([{ step: { id: 'a', type: 'NoOp' } }], undefined, { step_concurrency: value }),
    );
    expect(sut.definition.step_concurrency).toBeUndefined();
    expect(sut.at('$.properties.step_concurrency')[0]).toMatchObject({ kind: 'unmapped' });
  });
});
