import type { Decision } from '@baton/domain/decider';
import { deadLetterRecord, type Decoded } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';

/** A record that did not decode: why, and where in it. */
export type DecodeFailure = Extract<Decoded<never>, { ok: false }>;

/** The batch as a writer's hooks see it while it is decided. */
export interface BatchInProgress<S> {
  /** Everything to write in the batch's transaction, in order; hooks add to it. */
  readonly out: OutgoingRecord[];
  /** The state of `key` as of the records decided so far (the batch's own changes first). */
  held(key: string): S | undefined;
  /** `key`'s new state, to snapshot and adopt after the commit. */
  adopt(key: string, state: S): void;
}

/**
 * One single writer's part of deciding a batch: how it decodes a record,
 * which key's state decides it, the decider, and the records a decision
 * writes. The shell (`decideKeyedBatch`) does the rest, the same for every
 * writer.
 */
export interface KeyedWriter<S, C, E, F extends DecodeFailure = DecodeFailure> {
  /** Epoch ms of the batch: stamped on its dead letters. */
  readonly now: number;
  /** The dead-letter reason of a command the decider threw on, before the error's message. */
  readonly undecided: string;
  /** A record that is not this writer's to decide (it arrived on the wrong partition): true once handled. */
  redirect?(record: LogRecord, batch: BatchInProgress<S>): boolean;
  decode(record: LogRecord): { readonly ok: true; readonly value: C } | F;
  /** After the dead letter of a record that did not decode, e.g. to record the refusal on the key it names. */
  onInvalid?(record: LogRecord, failure: F, batch: BatchInProgress<S>): void;
  keyOf(command: C): string;
  /**
   * The state `command` is decided against, given the one held for its key;
   * null when it is refused before the decider (the hook writes what that
   * takes).
   */
  begin(command: C, held: S | undefined, batch: BatchInProgress<S>): S | null;
  decide(command: C, state: S): Decision<S, E>;
  /**
   * The records a decision writes (its events, and whatever they set off).
   * A throw here parks the command like a throw of the decider: nothing of
   * its decision is written.
   */
  write(command: C, decision: Decision<S, E>, before: S, record: LogRecord): OutgoingRecord[];
  /** Whether the decision changed the key's state; by default when it has an event. */
  changed?(decision: Decision<S, E>, held: S | undefined): boolean;
}

/** What the shell hands the transaction: the records, and the new state per key touched. */
export interface KeyedBatch<S> {
  readonly records: OutgoingRecord[];
  readonly changed: Map<string, S>;
  /** Records parked because they did not decode or the decider threw. */
  readonly deadLetters: number;
}

/**
 * Decides a batch of records of one partition against its states, record
 * by record, each seeing the states the earlier ones made. Pure but for
 * JSON encoding. A record that does not decode, or whose decider throws (a
 * bug must not stop the partition), goes to the dead letters with the
 * reason, and the batch goes on. The state a decision ended in is adopted
 * as it is: no event is evolved a second time.
 *
 * @example
 *   const { records, changed } = decideKeyedBatch(states, batch.records, writer);
 */
export function decideKeyedBatch<S, C, E, F extends DecodeFailure = DecodeFailure>(
  states: ReadonlyMap<string, S>,
  records: readonly LogRecord[],
  writer: KeyedWriter<S, C, E, F>,
): KeyedBatch<S> {
  const out: OutgoingRecord[] = [];
  const changed = new Map<string, S>();
  let deadLetters = 0;
  const batch: BatchInProgress<S> = {
    out,
    held: (key) => changed.get(key) ?? states.get(key),
    adopt: (key, state) => changed.set(key, state),
  };
  const changes = writer.changed ?? ((decision: Decision<S, E>) => decision.events.length > 0);

  for (const record of records) {
    if (writer.redirect?.(record, batch) === true) continue;
    const decoded = writer.decode(record);
    if (!decoded.ok) {
      out.push(deadLetterRecord(record, decoded.reason, decoded.problems, writer.now));
      deadLetters++;
      writer.onInvalid?.(record, decoded, batch);
      continue;
    }
    const command = decoded.value;
    const key = writer.keyOf(command);
    const held = batch.held(key);
    const before = writer.begin(command, held, batch);
    if (before === null) continue;
    let decision: Decision<S, E>;
    let written: OutgoingRecord[];
    try {
      decision = writer.decide(command, before);
      written = writer.write(command, decision, before, record);
    } catch (error) {
      out.push(deadLetterRecord(record, `${writer.undecided}: ${(error as Error).message}`, [], writer.now));
      deadLetters++;
      continue;
    }
    for (const outgoing of written) out.push(outgoing);
    if (changes(decision, held)) changed.set(key, decision.state);
  }
  return { records: out, changed, deadLetters };
}

/**
 * A decoded command with the batch's time as its `metadata.at`: time is the
 * writer's, not the sender's (the runs and the workflow queue stamp it).
 */
export function stampedAt<C extends { readonly metadata: { readonly at: number } }, F>(
  decoded: { readonly ok: true; readonly value: C } | F,
  now: number,
): { readonly ok: true; readonly value: C } | F {
  if ((decoded as { ok: boolean }).ok !== true) return decoded;
  const command = (decoded as { readonly value: C }).value;
  return { ok: true, value: { ...command, metadata: { ...command.metadata, at: now } } };
}
