import { foreachLoop, subworkflows, whileLoop } from './testing/maestro-documents';
import { convert, workflowOf } from './testing/convert';

describe('foreach', () => {
  it('maps loop params (literal lists and expressions), concurrency and the body, which reads them as params', () => {
    const { definition } = convert(foreachLoop);
    expect(definition.steps[0]).toEqual({
      id: 'per-day',
      type: 'foreach',
      loop_params: { day: { expression: 'params.days' }, shard: [1, 2, 3] },
      concurrency: 5,
      steps: [
        {
          id: 'work',
          type: 'noop',
          params: { key: { expression: "string(int(params.day)) + '-' + string(int(params.shard))" } },
        },
      ],
    });
  });

  it('maps strict_ordering to ordered, and iterates over nothing when the list cannot be translated', () => {
    const sut = convert(
      workflowOf([
        {
          foreach: {
            id: 'days',
            strict_ordering: true,
            params: {
              loop_params: {
                type: 'MAP',
                value: { d: { expression: 'Util.dateIntsBetween(1, 5, 1)', type: 'LONG_ARRAY' } },
              },
            },
            steps: [{ step: { id: 'x', type: 'NoOp' } }],
          },
        },
      ]),
    );
    expect(sut.definition.steps[0]).toMatchObject({ ordered: true, loop_params: { d: [] } });
    expect(sut.at('$.workflow.steps[0].foreach.params.loop_params.value.d.expression')[0].message).toContain(
      'Util.dateIntsBetween',
    );
    expect(sut.at('$.workflow.steps[0].foreach.params.loop_params.value.d')[0].message).toContain(
      'no iterations',
    );
  });
});

describe('while', () => {
  it('translates a condition over workflow params; one over loop variables is false, reported', () => {
    const sut = convert(whileLoop);
    expect(sut.definition.steps[0]).toMatchObject({
      type: 'while',
      condition: 'false',
      steps: [{ id: 'check', type: 'noop' }],
    });
    expect(sut.definition.steps[1]).toMatchObject({ type: 'while', condition: 'params.limit > 10.0' });
    expect(sut.at('$.workflow.steps[0].while.params.loop_params.value')[0].message).toContain(
      'params.loop_previous',
    );
    expect(sut.at('$.workflow.steps[0].while.condition')[0].message).toMatch(/attempt < limit.*false/);
    expect(sut.at('$.workflow.steps[1].while')[0].message).toContain('max_iterations');
  });
});

describe('subworkflow', () => {
  it('maps the child id and version, sync to wait, explicit_params to inherit_params, the rest to params', () => {
    const sut = convert(subworkflows);
    expect(sut.definition.steps).toEqual([
      {
        id: 'child-sync',
        type: 'subworkflow',
        workflow_id: 'child.demo',
        inherit_params: true,
        params: { region: { expression: 'params.region' } },
      },
      { id: 'child-async', type: 'subworkflow', workflow_id: 'child.demo', version: 4, wait: false },
      {
        id: 'child-computed',
        type: 'subworkflow',
        workflow_id: 'maestro.import.unknown-subworkflow',
        inherit_params: true,
      },
    ]);
    expect(sut.at('$.workflow.steps[0].subworkflow.params.subworkflow_version')[0].message).toContain(
      'active version',
    );
    expect(sut.at('$.workflow.steps[2].subworkflow.params.subworkflow_id')[0].kind).toBe('unmapped');
  });
});
