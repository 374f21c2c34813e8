import { fitsParamType } from './param-types';

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
  ] as const)('%s accepts %j: %s', (type, value, expected) => {
    expect(fitsParamType(value, type)).toBe(expected);
  });
});
