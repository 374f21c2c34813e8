import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../shared/json';
import { jsonEquals, matchesSignal } from './signal-match';

describe('jsonEquals', () => {
  it.each<[string, JsonValue, JsonValue, boolean]>([
    ['equal strings', 'a', 'a', true],
    ['a number and its string', 1, '1', false],
    ['null and an empty object', null, {}, false],
    ['an empty array and an empty object', [], {}, false],
    [
      'objects with keys in another order',
      { a: 1, b: [1, { c: true }] },
      { b: [1, { c: true }], a: 1 },
      true,
    ],
    ['arrays in another order', [1, 2], [2, 1], false],
    ['an object with an extra key', { a: 1 }, { a: 1, b: 2 }, false],
    ['a nested difference', { a: { b: [1, 2, 3] } }, { a: { b: [1, 2, 4] } }, false],
  ])('%s: %p vs %p is %p', (_, a, b, expected) => {
    expect(jsonEquals(a, b)).toBe(expected);
    expect(jsonEquals(b, a)).toBe(expected);
  });

  it('holds between a value and its JSON round trip, with keys shuffled', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = JSON.parse(JSON.stringify(value, (_, v: unknown) => reverseKeys(v))) as JsonValue;
        return jsonEquals(JSON.parse(JSON.stringify(value)) as JsonValue, copy);
      }),
    );
  });

  it('agrees with comparing canonical JSON texts', () => {
    // Half the pairs are one value twice, so equal pairs are tried as often as different ones.
    const pair = fc
      .jsonValue({ maxDepth: 2 })
      .chain((a) => fc.tuple(fc.constant(a), fc.oneof(fc.constant(a), fc.jsonValue({ maxDepth: 2 }))));
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const [x, y] = [
          JSON.parse(JSON.stringify(a)) as JsonValue,
          JSON.parse(JSON.stringify(b)) as JsonValue,
        ];
        return jsonEquals(x, y) === (canonical(x) === canonical(y));
      }),
    );
  });
});

describe('matchesSignal', () => {
  const params: JsonObject = { table: 'sales', day: '2026-01-02', parts: [1, 2], meta: { source: 'etl' } };

  it('accepts every signal when match is empty', () => {
    expect(matchesSignal({}, params)).toBe(true);
    expect(matchesSignal({}, {})).toBe(true);
  });

  it('needs every entry of match, compared deeply; other params are free', () => {
    expect(matchesSignal({ table: 'sales' }, params)).toBe(true);
    expect(matchesSignal({ table: 'sales', meta: { source: 'etl' }, parts: [1, 2] }, params)).toBe(true);
    expect(matchesSignal({ table: 'orders' }, params)).toBe(false);
    expect(matchesSignal({ parts: [2, 1] }, params)).toBe(false);
    expect(matchesSignal({ meta: {} }, params)).toBe(false);
  });

  it('refuses a signal that lacks a matched param, even when match wants null', () => {
    expect(matchesSignal({ region: null }, params)).toBe(false);
    expect(matchesSignal({ region: null }, { region: null })).toBe(true);
  });

  it('accepts any params against any part of themselves', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.integer(), (raw, seed) => {
        const all = JSON.parse(JSON.stringify(raw)) as JsonObject;
        const part = Object.fromEntries(Object.entries(all).filter((_, i) => (seed >> (i % 31)) & 1));
        return matchesSignal(part, all);
      }),
    );
  });
});

function reverseKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse());
}

function canonical(value: JsonValue): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}
