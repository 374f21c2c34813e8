import type { SignalSent } from './signal.messages';
import { deliverSignalCommand, type SignalRouterEvent } from './signal-router';
import {
  emptySignalNameState,
  RECENT_SIGNALS_KEPT,
  signalNameStateFromJson,
  type SignalNameState,
  type SignalWait,
  type StoredSignal,
} from './signal-router.state';
import { rec, T0 } from './testing/signal-fixtures';
import { apply, given } from './testing/given-when-then';

const stored = (signal: SignalSent, storedAt = T0): StoredSignal => ({
  signalId: signal.signalId,
  params: signal.params,
  sentAt: signal.sentAt,
  storedAt,
});

/** A fresh signal: routed to `deliveredTo`, then stored. */
const routed = (signal: SignalSent, deliveredTo: SignalWait[] = []): SignalRouterEvent[] => [
  { type: 'SignalRouted', signal, deliveredTo },
  { type: 'SignalStored', signal: stored(signal) },
];

const wait = (runId: string, match = {}, stepId = 'wait', attempt = 1): SignalWait => ({
  runId,
  stepId,
  attempt,
  match,
});

describe('signal router', () => {
  describe('SignalWaitOpened', () => {
    it('opens a wait', () => {
      given()
        .when(rec.opened('r1', { table: 'sales' }))
        .then({ type: 'WaitOpened', wait: wait('r1', { table: 'sales' }) });
    });

    it('ignores the same wait opened again (the first opening stands)', () => {
      const outcome = given(rec.opened('r1', { table: 'sales' }))
        .when(rec.opened('r1', { table: 'orders' }))
        .then();
      expect(outcome.after).toBe(outcome.before);
    });

    it('keeps another attempt or another step of the same run apart', () => {
      given(rec.opened('r1'))
        .when(rec.opened('r1', {}, 'wait', 2))
        .then({ type: 'WaitOpened', wait: wait('r1', {}, 'wait', 2) });
      given(rec.opened('r1'))
        .when(rec.opened('r1', {}, 'other'))
        .then({ type: 'WaitOpened', wait: wait('r1', {}, 'other') });
    });
  });

  describe('SignalWaitClosed', () => {
    it('closes an open wait: a later signal no longer reaches it', () => {
      const closed = given(rec.opened('r1'))
        .when(rec.closed('r1'))
        .then({ type: 'WaitClosed', key: 'r1/wait/1' });
      expect(closed.after.waits).toEqual({});
      given(rec.opened('r1'), rec.closed('r1'))
        .when(rec.sent('s1'))
        .then(...routed(rec.sent('s1')));
    });

    it('ignores a wait that is not open (already delivered, or never opened)', () => {
      given().when(rec.closed('r1')).then();
      given(rec.opened('r1'), rec.sent('s1')).when(rec.closed('r1')).then();
      given(rec.opened('r1'))
        .when(rec.closed('r1', 'wait', 2))
        .then();
    });
  });

  describe('SignalSent', () => {
    it('reaches every open wait it matches, in the order they opened, and closes them', () => {
      const signal = rec.sent('s1', { table: 'sales', day: '2026-01-02' });
      const outcome = given(
        rec.opened('r1', { table: 'sales' }),
        rec.opened('r2', { table: 'orders' }),
        rec.opened('r3', {}),
        rec.opened('r4', { table: 'sales', day: '2026-01-02' }),
      )
        .when(signal)
        .then(
          ...routed(signal, [
            wait('r1', { table: 'sales' }),
            wait('r3'),
            wait('r4', { table: 'sales', day: '2026-01-02' }),
          ]),
        );
      expect(Object.keys(outcome.after.waits)).toEqual(['r2/wait/1']);
      expect(outcome.after.recentSignalIds).toEqual(['s1']);
    });

    it('compares matched values deeply, whatever the key order', () => {
      const signal = rec.sent('s1', { filter: { region: 'eu', tables: ['a', 'b'] } });
      given(
        rec.opened('r1', { filter: { tables: ['a', 'b'], region: 'eu' } }),
        rec.opened('r2', { filter: { tables: ['b', 'a'], region: 'eu' } }),
      )
        .when(signal)
        .then(...routed(signal, [wait('r1', { filter: { tables: ['a', 'b'], region: 'eu' } })]));
    });

    it('is remembered and stored even when it reaches no wait', () => {
      const first = given()
        .when(rec.sent('s1'))
        .then(...routed(rec.sent('s1')));
      expect(first.after.recentSignalIds).toEqual(['s1']);
      expect(first.after.stored).toEqual([stored(rec.sent('s1'))]);
      given(rec.sent('s1'), rec.opened('r1'))
        .when(rec.sent('s1'))
        .then({ type: 'SignalDuplicateIgnored', signalId: 's1' });
    });

    it('is routed once: the same signal id sent again changes nothing', () => {
      const outcome = given(rec.opened('r1', { table: 'sales' }), rec.sent('s1', { table: 'orders' }))
        .when(rec.sent('s1', { table: 'sales' }))
        .then({ type: 'SignalDuplicateIgnored', signalId: 's1' });
      expect(outcome.after).toBe(outcome.before);
    });

    it(`forgets ids beyond the last ${RECENT_SIGNALS_KEPT}`, () => {
      let state = given().when(rec.sent('old')).after;
      for (let i = 0; i < RECENT_SIGNALS_KEPT; i++) state = apply(state, rec.sent(`s${i}`));
      expect(state.recentSignalIds).toHaveLength(RECENT_SIGNALS_KEPT);
      expect(state.recentSignalIds).not.toContain('old');
      expect(state.recentSignalIds[RECENT_SIGNALS_KEPT - 1]).toBe(`s${RECENT_SIGNALS_KEPT - 1}`);
      // Sent again now, 'old' is a new signal: it reaches a wait.
      state = apply(state, rec.opened('r2', { k: 1 }));
      expect(state.waits).not.toEqual({});
      expect(apply(state, rec.sent('old', { k: 1 })).waits).toEqual({});
    });
  });

  describe('stored signals', () => {
    const day = (d: string, id = `load-${d}`) => rec.sent(id, { table: 'sales', day: d });

    it('a wait that opens after a matching signal gets it at once and never opens', () => {
      const outcome = given(day('2026-01-02'))
        .when(rec.opened('r1', { day: '2026-01-02' }))
        .then({
          type: 'StoredSignalMatched',
          signal: stored(day('2026-01-02')),
          wait: wait('r1', { day: '2026-01-02' }),
        });
      expect(outcome.after).toBe(outcome.before);
    });

    it('takes the newest signal the match accepts; a signal it does not match is no answer', () => {
      given(day('2026-01-01'), day('2026-01-02'), rec.sent('orders', { table: 'orders' }))
        .when(rec.opened('r1', { table: 'sales' }))
        .then({
          type: 'StoredSignalMatched',
          signal: stored(day('2026-01-02')),
          wait: wait('r1', { table: 'sales' }),
        });
      given(day('2026-01-01'))
        .when(rec.opened('r1', { day: '2026-01-03' }))
        .then({ type: 'WaitOpened', wait: wait('r1', { day: '2026-01-03' }) });
    });

    it('is not used up: every wait that opens later and matches gets it', () => {
      const state = apply(apply(emptyAfter(day('2026-01-02')), rec.opened('r1')), rec.opened('r2'));
      expect(state.waits).toEqual({});
      given(day('2026-01-02'), rec.opened('r1'))
        .when(rec.opened('r2'))
        .then({ type: 'StoredSignalMatched', signal: stored(day('2026-01-02')), wait: wait('r2') });
    });

    it('is kept for maxAgeMs after it was routed, then dropped', () => {
      const retention = { maxAgeMs: 60_000, maxCount: 10 };
      given(day('2026-01-02'))
        .when(rec.opened('r1'), { now: T0 + 60_000, retention })
        .then({ type: 'StoredSignalMatched', signal: stored(day('2026-01-02')), wait: wait('r1') });
      const late = given(day('2026-01-02'))
        .when(rec.opened('r1'), { now: T0 + 60_001, retention })
        .then(
          { type: 'StoredSignalsDropped', signalIds: ['load-2026-01-02'] },
          { type: 'WaitOpened', wait: wait('r1') },
        );
      expect(late.after.stored).toEqual([]);
    });

    it('keeps at most maxCount per name: a newer signal drops the oldest', () => {
      const retention = { maxAgeMs: 60_000, maxCount: 2 };
      const outcome = given(day('2026-01-01'), day('2026-01-02'))
        .when(day('2026-01-03'), { now: T0, retention })
        .then(
          { type: 'SignalRouted', signal: day('2026-01-03'), deliveredTo: [] },
          { type: 'StoredSignalsDropped', signalIds: ['load-2026-01-01'] },
          { type: 'SignalStored', signal: stored(day('2026-01-03')) },
        );
      expect(outcome.after.stored.map((s) => s.signalId)).toEqual(['load-2026-01-02', 'load-2026-01-03']);
    });

    it('is one signal per id: sent again while stored it is a duplicate, whatever its params', () => {
      given(day('2026-01-02', 'same-id'))
        .when(day('2026-01-03', 'same-id'))
        .then({ type: 'SignalDuplicateIgnored', signalId: 'same-id' });
    });

    it('reads a snapshot from before signals were stored as one with none stored', () => {
      expect(signalNameStateFromJson('{"waits":{},"recentSignalIds":["s1"]}')).toEqual({
        waits: {},
        recentSignalIds: ['s1'],
        stored: [],
      });
    });
  });

  it('never changes the state it is given', () => {
    const before = deepFreeze(
      given(rec.opened('r1'), rec.opened('r2', { a: 1 }), rec.sent('s0')).when(rec.opened('r3')).after,
    );
    expect(() =>
      apply(apply(apply(before, rec.sent('s1', { a: 1 })), rec.closed('r3')), rec.opened('r4')),
    ).not.toThrow();
  });

  describe('deliverSignalCommand', () => {
    it('tells the waiting attempt, with a command id that names the signal and the waiting step', () => {
      const signal = rec.sent('s1', { day: 'd' });
      expect(deliverSignalCommand(signal, wait('r1', { day: 'd' }, 'gate', 3), T0 + 5)).toEqual({
        type: 'DeliverSignal',
        runId: 'r1',
        stepId: 'gate',
        attempt: 3,
        signalId: 's1',
        signalParams: { day: 'd' },
        metadata: { commandId: 'signal/s1/gate/3', at: T0 + 5 },
      });
    });
  });
});

function emptyAfter(...records: SignalSent[]): SignalNameState {
  return records.reduce((state, record) => apply(state, record), emptySignalNameState);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
