import type { ExpressionContext } from './expression';
import { evaluateExpression } from './index';

/**
 * Timestamp cases in the spirit of cel-spec's conformance suite
 * (`tests/simple/testdata/timestamps.textproto` and the int conversions of
 * `conversions.textproto`), re-expressed with values of our own: conversions,
 * selectors with and without a time zone, equality, arithmetic with
 * nanosecond carries, ordering, and the range of google.protobuf.Timestamp.
 */
const context: ExpressionContext = {
  params: { epoch: 1569018000 },
  steps: {},
  run: { id: 'r', workflow_id: 'wf', workflow_version: 1, attempt: 1, scheduled_at: '2021-03-04T05:06:07Z' },
};

const evaluate = (source: string) => evaluateExpression(source, context);
const T = "timestamp('2021-03-04T05:06:07Z')";

describe('CEL timestamps (conformance cases)', () => {
  describe('timestamp(int) reads seconds since the epoch, as the spec says', () => {
    it.each([
      ['string(timestamp(1569018000))', '2019-09-20T22:20:00Z'],
      ['string(timestamp(0))', '1970-01-01T00:00:00Z'],
      ['string(timestamp(-86400))', '1969-12-31T00:00:00Z'],
      ['string(timestamp(253402300799))', '9999-12-31T23:59:59Z'],
      ['string(timestamp(-62135596800))', '0001-01-01T00:00:00Z'],
      ['int(timestamp(1700000000))', 1700000000],
      ['timestamp(timestamp(1700000000)) == timestamp(1700000000)', true],
      ["timestamp(1614834367) == timestamp('2021-03-04T05:06:07Z')", true],
      ['string(timestamp(int(params.epoch)))', '2019-09-20T22:20:00Z'],
      ['dyn(timestamp(0)) == null', false],
    ])('%s is %p', (source, expected) => {
      expect(evaluate(source)).toEqual({ ok: true, value: expected });
    });

    it.each(['timestamp(253402300800)', 'timestamp(-62135596801)'])('%s is out of range', (source) => {
      const result = evaluate(source);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/range/);
    });
  });

  it.each([
    [`int(${T})`, 1614834367],
    ["string(timestamp('2021-03-04T05:06:07.123456789Z'))", '2021-03-04T05:06:07.123456789Z'],
    [`type(${T}) == type(timestamp(0))`, true],
    [`${T}.getFullYear()`, 2021],
    [`${T}.getMonth()`, 2],
    [`${T}.getDate()`, 4],
    [`${T}.getDayOfMonth()`, 3],
    [`${T}.getDayOfWeek()`, 4],
    [`${T}.getDayOfYear()`, 62],
    [`${T}.getHours()`, 5],
    [`${T}.getMinutes()`, 6],
    [`${T}.getSeconds()`, 7],
    ["timestamp('2021-03-04T05:06:07.123456789Z').getMilliseconds()", 123],
  ])('conversions and selectors: %s is %p', (source, expected) => {
    expect(evaluate(source)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [`${T}.getHours('Asia/Tokyo')`, 14],
    [`${T}.getDate('-06:00')`, 3],
    [`${T}.getMinutes('Asia/Kolkata')`, 36],
    [`${T}.getDayOfWeek('+10:00')`, 4],
    [`${T}.getFullYear('UTC')`, 2021],
    [`${T}.getHours('-00:00')`, 5],
  ])('selectors in a time zone: %s is %p', (source, expected) => {
    expect(evaluate(source)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [`${T} == timestamp('2021-03-04T05:06:07Z')`, true],
    [`${T} != timestamp('2021-03-04T05:06:08Z')`, true],
    [`${T} + duration('1h') == timestamp('2021-03-04T06:06:07Z')`, true],
    [`duration('90s') + ${T} == timestamp('2021-03-04T05:07:37Z')`, true],
    [`${T} - duration('7s') == timestamp('2021-03-04T05:06:00Z')`, true],
    [`${T} - timestamp('2021-03-04T05:04:37Z') == duration('90s')`, true],
    [
      "timestamp('2021-01-01T00:00:00.999999999Z') + duration('2ns') == timestamp('2021-01-01T00:00:01.000000001Z')",
      true,
    ],
    [
      "timestamp('2021-01-01T00:00:01.000000001Z') + duration('-2ns') == timestamp('2021-01-01T00:00:00.999999999Z')",
      true,
    ],
    [`${T} < timestamp('2021-03-04T05:06:08Z')`, true],
    [`${T} <= ${T}`, true],
    [`${T} >= timestamp('2021-03-05T00:00:00Z')`, false],
    [`${T} > timestamp('2020-12-31T23:59:59Z')`, true],
    ["string(timestamp(run.scheduled_at) + duration('24h'))", '2021-03-05T05:06:07Z'],
  ])('equality, arithmetic and ordering: %s is %p', (source, expected) => {
    expect(evaluate(source)).toEqual({ ok: true, value: expected });
  });

  it.each([
    "timestamp('0000-01-01T00:00:00Z')",
    "timestamp('10000-01-01T00:00:00Z')",
    "timestamp('9999-12-31T23:59:59Z') + duration('1s')",
    "timestamp('0001-01-01T00:00:00Z') - duration('1ns')",
    "timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')",
  ])('out of the timestamp range: %s is an error', (source) => {
    expect(evaluate(source).ok).toBe(false);
  });
});
