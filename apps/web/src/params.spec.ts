import { parseParam, parseParams } from './params';
import type { ParamSpec } from './types';

const spec = (name: string, type: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name,
  type,
  required: false,
  ...extra,
});

describe('the params form', () => {
  it('turns each field into its declared type', () => {
    expect(parseParam(spec('n', 'long'), ' 42 ')).toEqual({ value: 42 });
    expect(parseParam(spec('x', 'double'), '1.5')).toEqual({ value: 1.5 });
    expect(parseParam(spec('b', 'boolean'), 'false')).toEqual({ value: false });
    expect(parseParam(spec('s', 'string'), ' keep spaces ')).toEqual({ value: ' keep spaces ' });
    expect(parseParam(spec('m', 'map'), '{"a": 1}')).toEqual({ value: { a: 1 } });
    expect(parseParam(spec('l', 'array'), '[1, 2]')).toEqual({ value: [1, 2] });
  });

  it('refuses a value of the wrong type with a message for the field', () => {
    expect(parseParam(spec('n', 'long'), '1.5').error).toMatch(/whole number/);
    expect(parseParam(spec('n', 'long'), '9007199254740993').error).toMatch(/whole number/);
    expect(parseParam(spec('x', 'double'), 'abc').error).toMatch(/number/);
    expect(parseParam(spec('m', 'map'), '[1]').error).toMatch(/object/);
    expect(parseParam(spec('l', 'array'), '{').error).toMatch(/JSON/);
  });

  it('leaves an empty field to the default, unless the param is required and has none', () => {
    const specs = [spec('region', 'string', { default: 'eu' }), spec('day', 'string', { required: true })];
    expect(parseParams(specs, { region: '', day: '' })).toEqual({
      params: {},
      errors: { '$.params.day': 'day is required' },
    });
    expect(parseParams(specs, { region: 'us', day: '2026-12-03' })).toEqual({
      params: { region: 'us', day: '2026-12-03' },
      errors: {},
    });
  });
});
