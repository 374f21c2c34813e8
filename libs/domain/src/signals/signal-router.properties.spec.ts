import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../shared/json';
import type { SignalRecord } from './signal.messages';
import { decideSignalRecord, evolveSignalState } from './signal-router';
import { emptySignalNameState, waitKey } from './signal-router.state';
import { rec } from './testing/signal-fixtures';

/**
 * The router under random interleavings of waits opened and closed and
 * signals sent (ids drawn from a small pool, so resends are common). A
 * simple model of the open waits, kept by the test, is the reference: each
 * fresh signal reaches exactly the open waits it matches, each of them once,
 * and every other wait stays open; a resent signal reaches nothing.
 */
const VALUES: JsonValue[] = [1, 2, 'x', null, [1, 2], { k: 'v' }];
const valueArb = fc.constantFrom(...VALUES);
const paramsArb: fc.Arbitrary<JsonObject> = fc.dictionary(fc.constantFrom('a', 'b', 'c'), valueArb, {
  maxKeys: 3,
});
const matchArb: fc.Arbitrary<JsonObject> = fc.dictionary(fc.constantFrom('a', 'b'), valueArb, { maxKeys: 2 });
const runArb = fc.constantFrom('r0', 'r1', 'r2', 'r3');
const attemptArb = fc.integer({ min: 1, max: 2 });

const recordArb: fc.Arbitrary<SignalRecord> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(runArb, matchArb, attemptArb).map(([r, m, a]) => rec.opened(r, m, 'wait', a)),
  },
  { weight: 1, arbitrary: fc.tuple(runArb, attemptArb).map(([r, a]) => rec.closed(r, 'wait', a)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('s0', 's1', 's2', 's3', 's4'), paramsArb)
      .map(([id, p]) => rec.sent(id, p)),
  },
);

/** Equal as JSON, by a route independent of the router's own comparison. */
const sameJson = (a: JsonValue, b: JsonValue): boolean => canonical(a) === canonical(b);
const matches = (match: JsonObject, params: JsonObject): boolean =>
  Object.entries(match).every(([k, v]) => k in params && sameJson(params[k], v));

describe('signal router properties', () => {
  it('delivers a signal to each open matching wait exactly once and leaves the others open', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 60 }), (records) => {
        let state = emptySignalNameState;
        const open = new Map<string, JsonObject>();
        const seen = new Set<string>();
        const deliveries = new Set<string>();
        for (const record of records) {
          const events = decideSignalRecord(record, state);
          state = events.reduce(evolveSignalState, state);
          if (record.type === 'SignalWaitOpened' && !open.has(waitKey(record)))
            open.set(waitKey(record), record.match);
          if (record.type === 'SignalWaitClosed') open.delete(waitKey(record));
          if (record.type !== 'SignalSent') continue;

          const routed = events.flatMap((e) => (e.type === 'SignalRouted' ? e.deliveredTo.map(waitKey) : []));
          if (seen.has(record.signalId)) {
            expect(events).toEqual([{ type: 'SignalDuplicateIgnored', signalId: record.signalId }]);
          } else {
            const expected = [...open]
              .filter(([, match]) => matches(match, record.params))
              .map(([key]) => key);
            expect(routed).toEqual(expected);
            for (const key of expected) open.delete(key);
          }
          seen.add(record.signalId);
          for (const key of routed) {
            const delivery = `${record.signalId}@${key}`;
            expect(deliveries.has(delivery)).toBe(false);
            deliveries.add(delivery);
          }
        }
        expect(Object.keys(state.waits).sort()).toEqual([...open.keys()].sort());
        expect(state.recentSignalIds).toEqual([...seen]);
      }),
    );
  });

  it('gives the same state from a JSON round trip of any snapshot (the router restores from one)', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 30 }),
        fc.array(recordArb, { maxLength: 30 }),
        (history, more) => {
          const apply = (s: typeof emptySignalNameState, r: SignalRecord) =>
            decideSignalRecord(r, s).reduce(evolveSignalState, s);
          const live = history.reduce(apply, emptySignalNameState);
          const restored = JSON.parse(JSON.stringify(live)) as typeof live;
          expect(more.reduce(apply, restored)).toEqual(more.reduce(apply, live));
        },
      ),
    );
  });
});

function canonical(value: JsonValue): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(',')}}`;
}
