import type { EventTransaction } from './event-transaction';

/** A command or record a table decider dispatches on. */
export interface Typed {
  readonly type: string;
}

/**
 * One command type's processor: validates against `tx.state` and returns a
 * rejection before emitting anything, or emits the command's events and
 * returns null.
 */
export type Handler<C, Tx, Ctx, Rej> = (command: C, tx: Tx, ctx: Ctx) => Rej | null;

/** One handler per command type: a command type without a handler does not compile. */
export type HandlerTable<C extends Typed, Tx, Ctx, Rej> = {
  readonly [K in C['type']]: Handler<Extract<C, { type: K }>, Tx, Ctx, Rej>;
};

/**
 * What a command meant: its events and the state its transaction ended in
 * (`states[i]` after `events[i]`), so no caller folds the events again.
 */
export interface Decision<S, E> {
  readonly events: readonly E[];
  readonly states: readonly S[];
  /** The state after the last event: the state the command began in when it had none. */
  readonly state: S;
}

export interface TableDeciderSpec<C extends Typed, S, E, D, Tx extends EventTransaction<S, E, D>, Ctx, Rej> {
  readonly handlers: HandlerTable<C, Tx, Ctx, Rej>;
  /** Opens the transaction `command`'s events are written in. */
  begin(command: C, state: S, ctx: Ctx): Tx;
  /** The one event (as a draft) that records a refusal; it changes nothing but the seq. */
  rejected(command: C, refused: Rej): D;
}

export interface TableDecider<C extends Typed, S, E, Ctx, Rej> {
  /** Pure and total: a refused command yields exactly the one event of `rejected`. */
  decide(command: C, state: S, ctx: Ctx): Decision<S, E>;
  /** The refusal of `command` without asking its handler (a shell that could not decode it). */
  reject(command: C, state: S, ctx: Ctx, refused: Rej): Decision<S, E>;
}

/**
 * A decider built from a handler table (Zeebe's one processor per command
 * type, Emmett's `decide`). A handler that emits and then refuses is a bug,
 * thrown so that the shell parks the command instead of writing half a
 * decision.
 *
 * @example
 *   const queue = tableDecider({ handlers: { RequestRun: requestRun, ... }, begin, rejected });
 *   const { events, state } = queue.decide(command, before, ctx);
 */
export function tableDecider<C extends Typed, S, E, D, Tx extends EventTransaction<S, E, D>, Ctx, Rej>(
  spec: TableDeciderSpec<C, S, E, D, Tx, Ctx, Rej>,
): TableDecider<C, S, E, Ctx, Rej> {
  const reject = (command: C, state: S, ctx: Ctx, refused: Rej): Decision<S, E> => {
    const tx = spec.begin(command, state, ctx);
    tx.emit(spec.rejected(command, refused));
    return decisionOf(tx);
  };
  return {
    decide(command, state, ctx) {
      const tx = spec.begin(command, state, ctx);
      // The mapped table pairs each `type` with its handler; TypeScript cannot
      // follow that through an indexed access, hence the one cast.
      const handler = spec.handlers[command.type as C['type']] as unknown as Handler<C, Tx, Ctx, Rej>;
      const refused = handler(command, tx, ctx);
      if (refused === null) return decisionOf(tx);
      if (tx.events.length > 0) {
        throw new Error(`handler for ${command.type} emitted events and then refused: ${describe(refused)}`);
      }
      return reject(command, state, ctx, refused);
    },
    reject,
  };
}

/** The decision a transaction holds. */
export function decisionOf<S, E, D>(tx: EventTransaction<S, E, D>): Decision<S, E> {
  return { events: tx.events, states: tx.states, state: tx.state };
}

function describe(refused: unknown): string {
  const code = (refused as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : JSON.stringify(refused);
}
