/**
 * How a stream's events are made and applied: `stamp` turns a handler's
 * draft into the event written (key, seq, schema version, time, author),
 * `evolve` applies it. Both pure.
 */
export interface EventStream<S, E, D = E> {
  stamp(draft: D, state: S): E;
  evolve(state: S, event: E): S;
}

/**
 * The events one command produces, applied as they are written (Zeebe's
 * "write event, apply it" step) so each handler step sees the state its
 * earlier events made. It never mutates a state: `evolve` returns new ones
 * and the transaction only moves its pointer. It keeps the state after each
 * event, so the shell that writes the records of an event (a status event
 * reads the run after it) never folds the events a second time.
 *
 * @example
 *   const tx = new EventTransaction(state, { stamp: (draft) => draft, evolve });
 *   tx.emit({ type: 'WaitOpened', wait });
 *   tx.state; // evolve(state, that event)
 */
export class EventTransaction<S, E, D = E> {
  private current: S;
  private readonly written: E[] = [];
  private readonly trail: S[] = [];

  constructor(
    /** The state the transaction began in. */
    readonly initial: S,
    private readonly stream: EventStream<S, E, D>,
  ) {
    this.current = initial;
  }

  /** The state as of the events emitted so far. */
  get state(): S {
    return this.current;
  }

  get events(): readonly E[] {
    return this.written;
  }

  /** `states[i]` is the state right after `events[i]`. */
  get states(): readonly S[] {
    return this.trail;
  }

  emit(draft: D): void {
    const event = this.stream.stamp(draft, this.current);
    this.current = this.stream.evolve(this.current, event);
    this.written.push(event);
    this.trail.push(this.current);
  }
}

/** What a key's event stream is numbered and attributed by (runs by run id, workflow queues by workflow id). */
export interface SequencedStamp<K extends string> {
  /** The field that carries the stream's key on every event (`runId`, `workflowId`). */
  readonly keyField: K;
  readonly key: string;
  readonly schemaVersion: number;
  /** The command's time; every event of the command carries it. */
  readonly at: number;
  /** The command's `metadata.by`: every event of the command carries it (the audit trail). */
  readonly by?: string;
}

/**
 * The stamp of a sequenced stream: seq continues from the state's `lastSeq`.
 * `by` is only written when known, so the events of platform commands keep
 * their shape.
 */
export function sequencedStamp<S extends { readonly lastSeq: number }, E, D extends object, K extends string>(
  stamp: SequencedStamp<K>,
): (draft: D, state: S) => E {
  const { keyField, key, schemaVersion, at, by } = stamp;
  return (draft, state) =>
    ({
      ...draft,
      [keyField]: key,
      seq: state.lastSeq + 1,
      schemaVersion,
      at,
      ...(by === undefined ? {} : { by }),
    }) as E;
}
