import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../shared/json';
import type { SignalNameRecord as SignalRecord } from './signal.messages';
import { decideSignalRecord, evolveSignalState } from './signal-router';
import { emptySignalNameState, waitKey, type SignalRouterContext } from './signal-router.state';
import { rec, T0 } from './testing/signal-fixtures';

/**
 * The router under random interleavings of waits opened and closed and
 * signals sent (ids drawn from a small pool, so resends are common), with
 * time moving on between records. A simple model kept by the test is the
 * reference: the open waits, and every fresh signal in the order it was
 * routed. A wait that opens takes the newest matching signal among the last
 * `maxCount` routed that are not older than `maxAgeMs`, and never opens;
 * otherwise it opens, and each fresh signal reaches exactly the open waits it
 * matches, each of them once. A resent signal reaches nothing.
 */
const RETENTION = { maxAgeMs: 100, maxCount: 3 };
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
      .tuple(fc.constantFrom('s0', 's1', 's2', 's3', 's4', 's5', 's6'), paramsArb)
      .map(([id, p]) => rec.sent(id, p)),
  },
);
/** A record and how long after the previous one it is decided (sometimes past the retention). */
const stepArb = fc.tuple(recordArb, fc.integer({ min: 0, max: 70 }));

/** As the engine writes them: each attempt's wait is opened once (a copy is the decider spec's business). */
const historyArb = (maxLength: number) =>
  fc.array(stepArb, { maxLength }).map((steps) => {
    const opened = new Set<string>();
    return steps.filter(([record]) => {
      if (record.type !== 'SignalWaitOpened') return true;
      if (opened.has(waitKey(record))) return false;
      opened.add(waitKey(record));
      return true;
    });
  });

/** Equal as JSON, by a route independent of the router's own comparison. */
const sameJson = (a: JsonValue, b: JsonValue): boolean => canonical(a) === canonical(b);
const matches = (match: JsonObject, params: JsonObject): boolean =>
  Object.entries(match).every(([k, v]) => k in params && sameJson(params[k], v));

interface Routed {
  readonly id: string;
  readonly params: JsonObject;
  readonly at: number;
}

describe('signal router properties', () => {
  it('a wait meets the newest matching stored, unexpired signal, or else the next matching one sent', () => {
    fc.assert(
      fc.property(historyArb(60), (steps) => {
        let state = emptySignalNameState;
        let now = T0;
        const open = new Map<string, JsonObject>();
        const routed: Routed[] = [];
        const deliveries = new Set<string>();
        const storedAt = (at: number) =>
          routed.slice(-RETENTION.maxCount).filter((s) => at - s.at <= RETENTION.maxAgeMs);
        for (const [record, elapsed] of steps) {
          now += elapsed;
          const ctx: SignalRouterContext = { now, retention: RETENTION };
          const events = decideSignalRecord(record, state, ctx);
          state = events.reduce(evolveSignalState, state);
          const delivered = events.flatMap((e) =>
            e.type === 'SignalRouted'
              ? e.deliveredTo.map((w) => `${e.signal.signalId}@${waitKey(w)}`)
              : e.type === 'StoredSignalMatched'
                ? [`${e.signal.signalId}@${waitKey(e.wait)}`]
                : [],
          );
          for (const delivery of delivered) {
            expect(deliveries.has(delivery)).toBe(false);
            deliveries.add(delivery);
          }

          if (record.type === 'SignalWaitOpened' && !open.has(waitKey(record))) {
            const met = storedAt(now).findLast((s) => matches(record.match, s.params));
            expect(delivered).toEqual(met === undefined ? [] : [`${met.id}@${waitKey(record)}`]);
            if (met === undefined) open.set(waitKey(record), record.match);
          } else if (record.type === 'SignalWaitClosed') {
            open.delete(waitKey(record));
          } else if (record.type === 'SignalSent') {
            if (routed.some((s) => s.id === record.signalId)) {
              expect(events.filter((e) => e.type !== 'StoredSignalsDropped')).toEqual([
                { type: 'SignalDuplicateIgnored', signalId: record.signalId },
              ]);
              continue;
            }
            const reached = [...open]
              .filter(([, match]) => matches(match, record.params))
              .map(([key]) => key);
            expect(delivered).toEqual(reached.map((key) => `${record.signalId}@${key}`));
            for (const key of reached) open.delete(key);
            routed.push({ id: record.signalId, params: record.params, at: now });
          } else {
            expect(delivered).toEqual([]);
          }
        }
        expect(Object.keys(state.waits).sort()).toEqual([...open.keys()].sort());
        expect(state.recentSignalIds).toEqual(routed.map((s) => s.id));
        // Bounded: never more than the count, none older than the retention as of the last record.
        expect(state.stored.map((s) => s.signalId)).toEqual(storedAt(now).map((s) => s.id));
      }),
    );
  });

  it('gives the same state from a JSON round trip of any snapshot (the router restores from one)', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 30 }),
        fc.array(stepArb, { maxLength: 30 }),
        (history, more) => {
          let now = T0;
          const apply = (s: typeof emptySignalNameState, [r, elapsed]: [SignalRecord, number]) => {
            now += elapsed;
            return decideSignalRecord(r, s, { now, retention: RETENTION }).reduce(evolveSignalState, s);
          };
          const live = history.reduce(apply, emptySignalNameState);
          const restored = JSON.parse(JSON.stringify(live)) as typeof live;
          const at = now;
          const fromLive = more.reduce(apply, live);
          now = at;
          expect(more.reduce(apply, restored)).toEqual(fromLive);
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
