import fc from 'fast-check';
import type { SignalSetTrigger } from '../workflow/workflow-definition';
import type { SignalOffered } from './signal.messages';
import { joinKey } from './signal.messages';
import {
  decideSignalOffer,
  emptySignalJoinState,
  evolveSignalJoin,
  offersFor,
  type SignalJoinContext,
  type SignalJoinEvent,
  type SignalJoinState,
} from './signal-joins';
import { celSignalExpressions } from './signal-expressions';
import { T0 } from './testing/signal-fixtures';

/** sales and fx signals of the same date, the sales one not older than the rates (Maestro's join and condition). */
const TRIGGER: SignalSetTrigger = {
  all: { sales: { signal: 'sales.loaded', match: { region: 'eu' } }, fx: { signal: 'fx.rates', match: {} } },
  join: ['date'],
  condition: 'signals.sales.params.version >= signals.fx.params.version',
  params: { day: { expression: 'signals.sales.params.date' } },
};
const CTX: SignalJoinContext = {
  now: T0,
  retention: { maxAgeMs: 60_000, maxCount: 10 },
  expressions: celSignalExpressions,
};

const offer = (alias: 'sales' | 'fx', signalId: string, params: Record<string, unknown>): SignalOffered => ({
  type: 'SignalOffered',
  name: joinKey('report', 3, 0),
  workflowId: 'report',
  version: 3,
  triggerIndex: 0,
  trigger: TRIGGER,
  alias,
  signal: {
    signalId,
    name: alias === 'sales' ? 'sales.loaded' : 'fx.rates',
    params: params as never,
    sentAt: T0 - 10,
  },
});

function run(offers: SignalOffered[], ctx = CTX): { state: SignalJoinState; events: SignalJoinEvent[] } {
  let state = emptySignalJoinState;
  const events: SignalJoinEvent[] = [];
  for (const o of offers) {
    const decided = decideSignalOffer(o, state, ctx);
    events.push(...decided);
    state = decided.reduce(evolveSignalJoin, state);
  }
  return { state, events };
}

const joined = (events: SignalJoinEvent[]) =>
  events.flatMap((e) =>
    e.type === 'SignalsJoined'
      ? [Object.fromEntries(Object.entries(e.signals).map(([alias, s]) => [alias, s.signalId]))]
      : [],
  );

describe('signal joins', () => {
  it('offers a signal to every member of a trigger on several signals whose name and match it satisfies', () => {
    const workflows = [
      { workflowId: 'report', version: 3, signals: [{ signal: 'x', match: {}, params: {} }, TRIGGER] },
    ];
    const sales = {
      type: 'SignalSent' as const,
      signalId: 's1',
      name: 'sales.loaded',
      params: { region: 'eu' },
      sentAt: T0,
    };
    expect(offersFor(sales, workflows)).toEqual([
      {
        type: 'SignalOffered',
        name: '@join/report/3/1',
        workflowId: 'report',
        version: 3,
        triggerIndex: 1,
        trigger: TRIGGER,
        alias: 'sales',
        signal: { signalId: 's1', name: 'sales.loaded', params: { region: 'eu' }, sentAt: T0 },
      },
    ]);
    expect(offersFor({ ...sales, params: { region: 'us' } }, workflows)).toEqual([]);
  });

  it('waits until every alias has a signal, then joins the set once and uses its signals up', () => {
    const { state, events } = run([
      offer('sales', 's1', { region: 'eu', date: '2026-01-02', version: 2 }),
      offer('fx', 'f1', { date: '2026-01-02', version: 1 }),
    ]);
    expect(joined(events)).toEqual([{ sales: 's1', fx: 'f1' }]);
    expect(events.at(-1)).toMatchObject({ type: 'SignalsJoined', completedBy: 'f1', triggerIndex: 0 });
    expect(state.pending).toEqual([]);
  });

  it('joins only signals that agree on the join params, and whose condition holds', () => {
    const { state, events } = run([
      offer('sales', 's1', { date: '2026-01-01', version: 5 }),
      offer('fx', 'f2', { date: '2026-01-02', version: 1 }), // another date
      offer('fx', 'f3', { date: '2026-01-01', version: 9 }), // condition false: 5 >= 9
      offer('fx', 'f4', { version: 1 }), // no date at all
      offer('fx', 'f5', { date: '2026-01-01', version: 4 }),
    ]);
    expect(joined(events)).toEqual([{ sales: 's1', fx: 'f5' }]);
    expect(state.pending.map((p) => p.signalId)).toEqual(['f2', 'f3', 'f4']);
  });

  it('treats a condition that fails to evaluate as false, and takes a repeated offer once', () => {
    const { events } = run([
      offer('sales', 's1', { date: 'd' }), // no version: the condition cannot be evaluated
      offer('fx', 'f1', { date: 'd', version: 1 }),
      offer('fx', 'f1', { date: 'd', version: 1 }),
    ]);
    expect(joined(events)).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'OfferDuplicateIgnored', alias: 'fx', signalId: 'f1' });
  });

  it('drops pending signals past the retention, by age and by count per alias', () => {
    const early = run([offer('sales', 's1', { date: 'd', version: 1 })]).state;
    const late = decideSignalOffer(offer('fx', 'f1', { date: 'd', version: 1 }), early, {
      ...CTX,
      now: T0 + 60_001,
    });
    expect(late[0]).toEqual({ type: 'PendingSignalsDropped', dropped: [{ alias: 'sales', signalId: 's1' }] });
    expect(joined(late)).toEqual([]);
    const { state } = run(
      ['s1', 's2', 's3'].map((id) => offer('sales', id, { date: id })),
      { ...CTX, retention: { maxAgeMs: 60_000, maxCount: 2 } },
    );
    expect(state.pending.map((p) => p.signalId)).toEqual(['s2', 's3']);
  });

  it('starts one run per complete set: every signal is used once, and no complete set is left pending', () => {
    const plain: SignalSetTrigger = { ...TRIGGER, condition: undefined, params: {} };
    const offerArb = fc
      .tuple(
        fc.constantFrom<'sales' | 'fx'>('sales', 'fx'),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom(1, 2, 3),
      )
      .map(([alias, id, date]) => ({ ...offer(alias, `${alias}-${id}`, { date }), trigger: plain }));
    fc.assert(
      fc.property(fc.array(offerArb, { maxLength: 40 }), (offers) => {
        const { state, events } = run(offers, { ...CTX, retention: { maxAgeMs: 60_000, maxCount: 1_000 } });
        const sets = events.flatMap((e) => (e.type === 'SignalsJoined' ? [e.signals] : []));
        const used = sets.flatMap((set) => Object.values(set).map((s) => s.signalId));
        expect(new Set(used).size).toBe(used.length);
        for (const set of sets) expect(set.sales.params.date).toEqual(set.fx.params.date);
        for (const date of [1, 2, 3]) {
          const left = state.pending.filter((p) => p.params.date === date).map((p) => p.alias);
          expect(left.includes('sales') && left.includes('fx')).toBe(false);
        }
        // Distinct (alias, id) offers per date, less what joined, is what is pending.
        const distinct = new Set(offers.map((o) => `${o.alias}/${o.signal.signalId}`));
        expect(state.pending.length + used.length).toBe(distinct.size);
      }),
    );
  });
});
