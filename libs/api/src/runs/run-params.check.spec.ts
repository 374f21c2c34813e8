import type { WorkflowDefinition } from '@baton/domain';
import { checkRunParams } from './run-params.check';

const definition = {
  id: 'wf',
  version: 3,
  params: [
    { name: 'day', type: 'string', required: true },
    { name: 'rows', type: 'long', required: false, default: 1 },
    { name: 'ratio', type: 'double', required: false },
    { name: 'flags', type: 'map', required: false },
    { name: 'regions', type: 'array', required: false },
    { name: 'derived', type: 'string', required: true, expression: "'x'" },
  ],
} as unknown as WorkflowDefinition;

describe('checkRunParams', () => {
  it('accepts given values of the declared types and leaves the rest to defaults and expressions', () => {
    const sut = checkRunParams(definition, {
      day: 'd',
      rows: 5,
      ratio: 0.5,
      flags: { a: 1 },
      regions: ['eu'],
    });
    expect(sut).toEqual([]);
  });

  it('reports every undeclared, missing and mistyped param with its path', () => {
    const sut = checkRunParams(definition, { rows: 1.5, ratio: 'half', flags: [], colour: 'red', 'a-b': 1 });
    expect(sut.map((e) => e.path)).toEqual([
      '$.params.rows',
      '$.params.ratio',
      '$.params.flags',
      '$.params.colour',
      '$.params["a-b"]',
      '$.params.day',
    ]);
    expect(sut[0].message).toBe('expected a long, got the number 1.5');
    expect(sut[3].message).toMatch(/declares no param 'colour'; its params are: day, rows/);
    expect(sut[5].message).toBe("required param 'day' is missing");
  });

  it('suggests the declared param an unknown name is likely a typo of', () => {
    const sut = checkRunParams(definition, { day: 'd', rwos: 2, regoins: ['eu'], xyz: 1 });

    expect(sut.map((e) => e.message)).toEqual([
      "workflow wf v3 declares no param 'rwos'; did you mean 'rows'?; its params are: day, rows, ratio, flags, regions, derived",
      "workflow wf v3 declares no param 'regoins'; did you mean 'regions'?; its params are: day, rows, ratio, flags, regions, derived",
      "workflow wf v3 declares no param 'xyz'; its params are: day, rows, ratio, flags, regions, derived",
    ]);
  });

  it('says so when the workflow takes no params', () => {
    const none = { ...definition, params: [] } as WorkflowDefinition;
    expect(checkRunParams(none, { x: 1 })[0].message).toMatch(/takes no params/);
  });
});
