import fc from 'fast-check';
import { EventTransaction, sequencedStamp } from './event-transaction';
import { tableDecider, type HandlerTable } from './table-decider';

/**
 * The generic decider on a toy aggregate: a counter keyed by id that can be
 * added to (twice in one command, to see each step read the state the
 * previous event made) and reset, and refuses to go above a limit given in
 * the context.
 */
type Command =
  | { readonly type: 'Add'; readonly id: string; readonly amount: number; readonly twice?: boolean }
  | { readonly type: 'Reset'; readonly id: string }
  | { readonly type: 'Broken'; readonly id: string };
type Draft =
  | { readonly type: 'Added'; readonly amount: number; readonly total: number }
  | { readonly type: 'WasReset' }
  | { readonly type: 'Refused'; readonly commandType: string; readonly code: string };
type Event = Draft & {
  readonly counterId: string;
  readonly seq: number;
  readonly schemaVersion: number;
  readonly at: number;
  readonly by?: string;
};
interface State {
  readonly total: number;
  readonly lastSeq: number;
}
interface Ctx {
  readonly limit: number;
  readonly at: number;
  readonly by?: string;
}
interface Refusal {
  readonly code: 'OverLimit' | 'Broken';
}

const initial: State = { total: 0, lastSeq: 0 };

function evolve(state: State, event: Event): State {
  switch (event.type) {
    case 'Added':
      return { total: state.total + event.amount, lastSeq: event.seq };
    case 'WasReset':
      return { total: 0, lastSeq: event.seq };
    case 'Refused':
      return { ...state, lastSeq: event.seq };
  }
}

class CounterTransaction extends EventTransaction<State, Event, Draft> {}

const handlers: HandlerTable<Command, CounterTransaction, Ctx, Refusal> = {
  Add: (command, tx, ctx) => {
    const times = command.twice === true ? 2 : 1;
    if (tx.state.total + times * command.amount > ctx.limit) return { code: 'OverLimit' };
    for (let i = 0; i < times; i++) {
      tx.emit({ type: 'Added', amount: command.amount, total: tx.state.total + command.amount });
    }
    return null;
  },
  Reset: (_command, tx) => {
    if (tx.state.total !== 0) tx.emit({ type: 'WasReset' });
    return null;
  },
  // A handler with a bug: it emits, then refuses.
  Broken: (_command, tx) => {
    tx.emit({ type: 'WasReset' });
    return { code: 'Broken' };
  },
};

const sut = tableDecider<Command, State, Event, Draft, CounterTransaction, Ctx, Refusal>({
  handlers,
  begin: (command, state, ctx) =>
    new CounterTransaction(state, {
      stamp: sequencedStamp<State, Event, Draft, 'counterId'>({
        keyField: 'counterId',
        key: command.id,
        schemaVersion: 3,
        at: ctx.at,
        ...(ctx.by === undefined ? {} : { by: ctx.by }),
      }),
      evolve,
    }),
  rejected: (command, refused) => ({ type: 'Refused', commandType: command.type, code: refused.code }),
});

const CTX: Ctx = { limit: 10, at: 1_000 };

function given(...history: Command[]): {
  when(command: Command, ctx?: Ctx): { then(...events: Draft[]): State };
} {
  const before = history.reduce((state, command) => sut.decide(command, state, CTX).state, initial);
  return {
    when: (command, ctx = CTX) => ({
      then: (...expected) => {
        const decision = sut.decide(command, before, ctx);
        expect(
          decision.events.map(
            ({ counterId: _k, seq: _s, schemaVersion: _v, at: _a, by: _b, ...draft }) => draft,
          ),
        ).toEqual(expected);
        return decision.state;
      },
    }),
  };
}

describe('tableDecider', () => {
  it('dispatches to the handler of the command type, each step seeing the state its earlier events made', () => {
    given({ type: 'Add', id: 'c', amount: 1 })
      .when({ type: 'Add', id: 'c', amount: 2, twice: true })
      .then({ type: 'Added', amount: 2, total: 3 }, { type: 'Added', amount: 2, total: 5 });
  });

  it('stamps key, seq, schema version, time and author on every event', () => {
    const before = sut.decide({ type: 'Add', id: 'c', amount: 1 }, initial, CTX).state;
    const { events } = sut.decide({ type: 'Add', id: 'c', amount: 1, twice: true }, before, {
      ...CTX,
      at: 2_000,
      by: 'alice',
    });
    expect(
      events.map(({ counterId, seq, schemaVersion, at, by }) => ({ counterId, seq, schemaVersion, at, by })),
    ).toEqual([
      { counterId: 'c', seq: 2, schemaVersion: 3, at: 2_000, by: 'alice' },
      { counterId: 'c', seq: 3, schemaVersion: 3, at: 2_000, by: 'alice' },
    ]);
  });

  it('writes no `by` when the command has no author', () => {
    const { events } = sut.decide({ type: 'Add', id: 'c', amount: 1 }, initial, CTX);
    expect(Object.hasOwn(events[0], 'by')).toBe(false);
  });

  it('turns a refusal into exactly one rejection event that changes nothing but the seq', () => {
    const state = given({ type: 'Add', id: 'c', amount: 9 })
      .when({ type: 'Add', id: 'c', amount: 2 })
      .then({ type: 'Refused', commandType: 'Add', code: 'OverLimit' });
    expect(state).toEqual({ total: 9, lastSeq: 2 });
  });

  it('accepts a command that emits nothing, and returns the state it began in', () => {
    const before = { total: 0, lastSeq: 4 };
    const decision = sut.decide({ type: 'Reset', id: 'c' }, before, CTX);
    expect(decision.events).toEqual([]);
    expect(decision.state).toBe(before);
  });

  it('refuses through `reject` without asking the handler', () => {
    const decision = sut.reject({ type: 'Add', id: 'c', amount: 1 }, initial, CTX, { code: 'OverLimit' });
    expect(decision.events).toMatchObject([{ type: 'Refused', code: 'OverLimit', seq: 1 }]);
    expect(decision.state).toEqual({ total: 0, lastSeq: 1 });
  });

  it('throws when a handler emits and then refuses (a bug the shell parks)', () => {
    expect(() => sut.decide({ type: 'Broken', id: 'c' }, initial, CTX)).toThrow(
      'handler for Broken emitted events and then refused: Broken',
    );
  });

  it('never changes the state it was given', () => {
    const before = Object.freeze({ total: 1, lastSeq: 1 });
    sut.decide({ type: 'Add', id: 'c', amount: 1, twice: true }, before, CTX);
    expect(before).toEqual({ total: 1, lastSeq: 1 });
  });

  const commands = fc.array(
    fc.oneof(
      fc.record({
        type: fc.constant('Add' as const),
        id: fc.constant('c'),
        amount: fc.integer({ min: 0, max: 6 }),
        twice: fc.boolean(),
      }),
      fc.record({ type: fc.constant('Reset' as const), id: fc.constant('c') }),
    ),
    { maxLength: 30 },
  );

  it('property: folding the events over the state it began in gives the decision’s states, the last one its final state', () => {
    fc.assert(
      fc.property(commands, fc.integer({ min: 0, max: 20 }), (history, limit) => {
        let state = initial;
        for (const command of history) {
          const decision = sut.decide(command, state, { ...CTX, limit });
          const folded: State[] = [];
          decision.events.reduce((s, event) => {
            const next = evolve(s, event);
            folded.push(next);
            return next;
          }, state);
          expect(decision.states).toEqual(folded);
          expect(decision.state).toEqual(decision.events.reduce(evolve, state));
          // Seqs continue without a gap.
          expect(decision.events.map((e) => e.seq)).toEqual(
            decision.events.map((_, i) => state.lastSeq + i + 1),
          );
          state = decision.state;
        }
        expect(state.total).toBeLessThanOrEqual(Math.max(limit, 0));
      }),
    );
  });
});
