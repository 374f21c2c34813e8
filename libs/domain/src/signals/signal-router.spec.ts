import { deliverSignalCommand } from './signal-router';
import { RECENT_SIGNALS_KEPT, type SignalWait } from './signal-router.state';
import { rec, T0 } from './testing/signal-fixtures';
import { apply, given } from './testing/given-when-then';

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
        .then({ type: 'SignalRouted', signal: rec.sent('s1'), deliveredTo: [] });
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
        .then({
          type: 'SignalRouted',
          signal,
          deliveredTo: [
            wait('r1', { table: 'sales' }),
            wait('r3'),
            wait('r4', { table: 'sales', day: '2026-01-02' }),
          ],
        });
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
        .then({
          type: 'SignalRouted',
          signal,
          deliveredTo: [wait('r1', { filter: { tables: ['a', 'b'], region: 'eu' } })],
        });
    });

    it('is remembered even when it reaches no wait: a wait opened later does not get it', () => {
      const first = given()
        .when(rec.sent('s1'))
        .then({ type: 'SignalRouted', signal: rec.sent('s1'), deliveredTo: [] });
      expect(first.after.recentSignalIds).toEqual(['s1']);
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
      state = apply(state, rec.opened('r2'));
      expect(apply(state, rec.sent('old')).waits).toEqual({});
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

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
