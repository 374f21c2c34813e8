import type { JsonValue } from '../shared/json';
import { fitsParamType } from './param-types';
import type { ParamType } from './workflow-definition';

describe('fitsParamType', () => {
  it.each([
    ['string', 'x', true],
    ['string', 1, false],
    ['long', 42, true],
    ['long', 4.2, false],
    ['long', 2 ** 53, false],
    ['double', 4.2, true],
    ['double', 42, true],
    ['boolean', false, true],
    ['boolean', 'false', false],
    ['map', { a: 1 }, true],
    ['map', [1], false],
    ['map', null, false],
    ['array', [1], true],
    ['array', { 0: 1 }, false],
  ] as [ParamType, JsonValue, boolean][])('%s accepts %j: %s', (type, value, expected) => {
    expect(fitsParamType(value, type)).toBe(expected);
  });
});
