import { paramsAndSel } from './testing/maestro-documents';
import { convert, workflowOf } from './testing/convert';

describe('workflow and step params', () => {
  it('maps types, literal values to defaults, SEL and ${} interpolation to CEL expressions', () => {
    const { definition } = convert(paramsAndSel);
    expect(definition.params).toEqual({
      base: { type: 'long', default: 7 },
      ratio: { type: 'double', default: 0.5 },
      label: { type: 'string', expression: "'run-' + string(int(params.base))" },
      half: { type: 'long', expression: 'double(int(params.base) / int(2.0))' },
      big: { type: 'boolean', expression: 'params.base > 5.0 ? true : false' },
      greeting: { type: 'string', expression: "'hello ' + params.label + '!'" },
      tags: { type: 'array', default: ['a', 'b'] },
      when: { type: 'string' },
    });
    expect(definition.steps[0].params).toEqual({
      copy: { expression: 'params.base + 1.0' },
      upper: { expression: 'params.label.upperAscii()' },
    });
  });

  it('declares a param whose SEL cannot be translated without a value, and reports both', () => {
    const sut = convert(paramsAndSel);
    expect(sut.at('$.workflow.params.when.expression')[0]).toMatchObject({
      kind: 'unmapped',
      message: expect.stringContaining("new DateTime().toString('yyyyMMdd')"),
    });
    expect(sut.at('$.workflow.params.when')[0]).toMatchObject({
      kind: 'changed',
      message: expect.stringContaining('declared without a value'),
    });
  });

  it('declares a param after those it reads, as Baton requires, and reports a cycle', () => {
    const sut = convert(
      workflowOf([{ step: { id: 'a', type: 'NoOp' } }], {
        first: { expression: "second + params.get('third')", type: 'LONG' },
        second: { value: 1, type: 'LONG' },
        label: { value: '${first}!', type: 'STRING' },
        third: { value: 2, type: 'LONG' },
      }),
    );
    expect(Object.keys(sut.definition.params)).toEqual(['second', 'third', 'first', 'label']);
    expect(sut.definition.params.first).toEqual({ type: 'long', expression: 'params.second + params.third' });
    const cycle = convert(
      workflowOf([{ step: { id: 'a', type: 'NoOp' } }], {
        a: { expression: 'b + 1', type: 'LONG' },
        b: { expression: 'a + 1', type: 'LONG' },
      }),
    );
    expect(cycle.definition.params.a).toEqual({ type: 'long' });
    expect(cycle.at('$.workflow.params.a.expression')[0].message).toContain(
      "'b' is not a param declared here",
    );
  });

  it('flattens a MAP param of literal definitions, keeps ${ as text where Maestro escaped it with $$', () => {
    const sut = convert(
      workflowOf([{ step: { id: 'a', type: 'NoOp' } }], {
        config: {
          type: 'MAP',
          value: { retries: { value: 3, type: 'LONG' }, name: { value: 'x', type: 'STRING' } },
        },
        price: { value: 'costs $$5', type: 'STRING' },
      }),
    );
    expect(sut.definition.params.config).toEqual({ type: 'map', default: { retries: 3, name: 'x' } });
    expect(sut.definition.params.price).toEqual({ type: 'string', default: 'costs $$5' });
  });

  it('reports param fields Baton lacks (mode, validator) and params of unknown types', () => {
    const sut = convert(
      workflowOf([{ step: { id: 'a', type: 'NoOp' } }], {
        p: { value: 'x', type: 'STRING', mode: 'CONSTANT', validator: 'p != null' },
        q: { value: 1, type: 'TIMESTAMP' },
      }),
    );
    expect(sut.at('$.workflow.params.p.mode')[0].kind).toBe('unmapped');
    expect(sut.at('$.workflow.params.p.validator')[0].kind).toBe('unmapped');
    expect(sut.at('$.workflow.params.q')[0].kind).toBe('unmapped');
    expect(sut.definition.params).toEqual({ p: { type: 'string', default: 'x' } });
  });
});
