import type { Decision } from '@baton/domain/decider';
import type { Decoded } from '@baton/contracts';
import { Topics } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import { decideKeyedBatch, type KeyedWriter } from './keyed-batch';

/**
 * The shell on a toy writer: records `{ key, add }` add to a counter per
 * key; `add: 0` changes nothing, `add: -1` makes the decider throw, a
 * record that is not JSON does not decode, and one keyed `elsewhere` is
 * redirected. Each event is written as one record.
 */
interface Command {
  readonly key: string;
  readonly add: number;
}
type State = number;

function record(value: string, key = 'a', offset = 0): LogRecord {
  return { topic: 'in', partition: 0, offset, key, value, headers: {}, timestamp: 0 };
}

function decode(record: LogRecord): Decoded<Command> {
  try {
    return { ok: true, value: JSON.parse(record.value ?? '') as Command };
  } catch {
    return { ok: false, reason: 'not JSON', problems: [] };
  }
}

function writer(
  overrides: Partial<KeyedWriter<State, Command, number>> = {},
): KeyedWriter<State, Command, number> {
  return {
    now: 5,
    undecided: 'toy could not decide',
    decode,
    keyOf: (command) => command.key,
    begin: (_command, held) => held ?? 0,
    decide: (command, state): Decision<State, number> => {
      if (command.add < 0) throw new Error('negative');
      if (command.add === 0) return { events: [], states: [], state };
      return { events: [command.add], states: [state + command.add], state: state + command.add };
    },
    write: (command, decision) =>
      decision.events.map((event) => ({ topic: 'out', key: command.key, value: String(event) })),
    ...overrides,
  };
}

const values = (records: readonly OutgoingRecord[]) => records.map((r) => `${r.topic}:${r.value}`);

describe('decideKeyedBatch', () => {
  it('decides record by record, each against the state the earlier ones left for its key', () => {
    const seen: number[] = [];
    const sut = writer({
      begin: (_command, held) => {
        seen.push(held ?? 0);
        return held ?? 0;
      },
    });
    const batch = [
      record('{"key":"a","add":1}'),
      record('{"key":"b","add":2}'),
      record('{"key":"a","add":3}'),
    ];
    const { records, changed } = decideKeyedBatch(new Map([['a', 10]]), batch, sut);
    expect(seen).toEqual([10, 0, 11]);
    expect(values(records)).toEqual(['out:1', 'out:2', 'out:3']);
    expect([...changed]).toEqual([
      ['a', 14],
      ['b', 2],
    ]);
  });

  it('adopts the state the decision ended in, without deciding it again', () => {
    const decide = jest.fn(writer().decide);
    decideKeyedBatch(new Map(), [record('{"key":"a","add":1}')], writer({ decide }));
    expect(decide).toHaveBeenCalledTimes(1);
  });

  it('leaves a key unchanged when its decision has no event (unless the writer says otherwise)', () => {
    const batch = [record('{"key":"a","add":0}')];
    expect(decideKeyedBatch(new Map(), batch, writer()).changed.size).toBe(0);
    const always = writer({ changed: (decision, held) => decision.state !== held });
    expect([...decideKeyedBatch(new Map(), batch, always).changed]).toEqual([['a', 0]]);
  });

  it('parks a record that does not decode, tells the writer, and goes on', () => {
    const onInvalid = jest.fn();
    const batch = [record('nope'), record('{"key":"a","add":1}')];
    const { records, deadLetters } = decideKeyedBatch(new Map(), batch, writer({ onInvalid }));
    expect(deadLetters).toBe(1);
    expect(records[0]).toMatchObject({ topic: Topics.deadLetters });
    expect(JSON.parse(records[0].value ?? '')).toMatchObject({ reason: 'not JSON' });
    expect(values(records.slice(1))).toEqual(['out:1']);
    expect(onInvalid).toHaveBeenCalledWith(
      batch[0],
      expect.objectContaining({ ok: false }),
      expect.anything(),
    );
  });

  it('parks a command its decider throws on, with the reason, and writes nothing of it', () => {
    const batch = [record('{"key":"a","add":-1}'), record('{"key":"a","add":2}')];
    const { records, changed, deadLetters } = decideKeyedBatch(new Map(), batch, writer());
    expect(deadLetters).toBe(1);
    expect(JSON.parse(records[0].value ?? '')).toMatchObject({ reason: 'toy could not decide: negative' });
    expect(values(records.slice(1))).toEqual(['out:2']);
    expect(changed.get('a')).toBe(2);
  });

  it('parks a command whose records cannot be written, keeping its state as it was', () => {
    const sut = writer({
      write: () => {
        throw new Error('cannot encode');
      },
    });
    const { records, changed } = decideKeyedBatch(new Map(), [record('{"key":"a","add":1}')], sut);
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0].value ?? '')).toMatchObject({
      reason: 'toy could not decide: cannot encode',
    });
    expect(changed.size).toBe(0);
  });

  it('skips what the writer redirects, and what it refuses before the decider', () => {
    const sut = writer({
      redirect: (record, batch) => {
        if (record.key !== 'elsewhere') return false;
        batch.out.push({ topic: 'in', key: record.key, value: record.value });
        return true;
      },
      begin: (command, held, batch) => {
        if (command.key !== 'gone') return held ?? 0;
        batch.out.push({ topic: 'refused', key: command.key, value: 'gone' });
        return null;
      },
    });
    const batch = [record('{"key":"x","add":1}', 'elsewhere'), record('{"key":"gone","add":1}', 'gone')];
    const { records, changed } = decideKeyedBatch(new Map(), batch, sut);
    expect(values(records)).toEqual(['in:{"key":"x","add":1}', 'refused:gone']);
    expect(changed.size).toBe(0);
  });
});
