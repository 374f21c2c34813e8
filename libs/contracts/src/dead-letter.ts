import { Topics } from './topics';

/**
 * A record Baton could not accept, forwarded to `baton.dead-letters` with why,
 * so nothing is lost and the consumer keeps going. The original value is kept
 * verbatim (it may not even be JSON).
 */
export interface DeadLetter {
  readonly schemaVersion: 1;
  readonly reason: string;
  /** Each problem with its JSON path, when validation found them. */
  readonly problems: readonly { readonly path: string; readonly message: string }[];
  readonly source: {
    readonly topic: string;
    readonly partition: number;
    readonly offset: number;
    readonly key: string;
  };
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Epoch ms the record was dead-lettered. */
  readonly at: number;
}

/**
 * What a dead letter keeps of the refused record. The contracts describe
 * records in their own terms and depend on no adapter: an eventlog
 * `LogRecord` is one of these, and the result below is an `OutgoingRecord`
 * (structural types; the compiler checks both where they meet the log).
 */
export interface RefusedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** The dead letter as a record for `baton.dead-letters`, keyed like the refused record. */
export interface DeadLetterRecord {
  readonly topic: typeof Topics.deadLetters;
  readonly key: string;
  readonly value: string;
}

export function deadLetterRecord(
  record: RefusedRecord,
  reason: string,
  problems: DeadLetter['problems'],
  at: number,
): DeadLetterRecord {
  const letter: DeadLetter = {
    schemaVersion: 1,
    reason,
    problems,
    source: { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key },
    value: record.value,
    headers: record.headers,
    at,
  };
  return { topic: Topics.deadLetters, key: record.key, value: JSON.stringify(letter) };
}
