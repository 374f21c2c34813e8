import {
  celSignalExpressions,
  type SignalExpressionEvaluator,
  type SignalNameState,
  type WorkflowSignalTriggers,
} from '@baton/domain/signals';
import { Topics, type DeadLetter } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import { routeSignals, type SignalRouteContext } from './route-signals';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const SENT_AT = NOW - 1_000;

let offset = 0;
function signalRecord(value: unknown, key = (value as { name?: string }).name ?? 'none'): LogRecord {
  return {
    topic: Topics.signals,
    partition: 0,
    offset: offset++,
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    headers: {},
    timestamp: 0,
  };
}

const opened = (runId: string, match: object = {}, name = 'table.loaded') =>
  signalRecord({ type: 'SignalWaitOpened', name, runId, stepId: 'wait', attempt: 1, match });
const closed = (runId: string, name = 'table.loaded') =>
  signalRecord({ type: 'SignalWaitClosed', name, runId, stepId: 'wait', attempt: 1 });
const sent = (signalId: string, params: object = {}, name = 'table.loaded') =>
  signalRecord({ type: 'SignalSent', signalId, name, params, sentAt: SENT_AT });

/** Reads `signal.params.<name>`; the source `fail` fails, like a CEL error would. */
const expressions: SignalExpressionEvaluator = {
  evaluate: (source, context) =>
    source === 'fail'
      ? { ok: false, error: { expression: source, message: 'no such key: nope' } }
      : 'signal' in context
        ? { ok: true, value: context.signal.params[source.replace('signal.params.', '')] ?? null }
        : { ok: false, error: { expression: source, message: 'this fake reads one signal' } },
};

const ctx = (triggers: WorkflowSignalTriggers[] = []): SignalRouteContext => ({
  now: NOW,
  triggers,
  expressions,
});

const valuesOn = (records: readonly OutgoingRecord[], topic: string) =>
  records
    .filter((r) => r.topic === topic)
    .map((r) => ({ key: r.key, value: JSON.parse(r.value!) as Record<string, unknown> }));

describe('routeSignals', () => {
  it('delivers a signal to the waits it matches, as DeliverSignal commands keyed by run id', () => {
    const result = routeSignals(
      new Map(),
      [opened('r1', { table: 'sales' }), opened('r2', { table: 'orders' }), sent('s1', { table: 'sales' })],
      ctx(),
    );
    expect(result.records.map((r) => r.topic)).toEqual([Topics.runCommands]);
    expect(valuesOn(result.records, Topics.runCommands)).toEqual([
      {
        key: 'r1',
        value: {
          type: 'DeliverSignal',
          runId: 'r1',
          stepId: 'wait',
          attempt: 1,
          signalId: 's1',
          signalParams: { table: 'sales' },
          metadata: { commandId: 'signal/s1/wait/1', at: NOW },
        },
      },
    ]);
    expect(result.changed).toEqual(
      new Map([
        [
          'table.loaded',
          {
            waits: { 'r2/wait/1': { runId: 'r2', stepId: 'wait', attempt: 1, match: { table: 'orders' } } },
            recentSignalIds: ['s1'],
            stored: [{ signalId: 's1', params: { table: 'sales' }, sentAt: SENT_AT, storedAt: NOW }],
          },
        ],
      ]),
    );
    expect(result.counts).toEqual({
      signals: 1,
      duplicates: 0,
      deliveries: 1,
      storedMatches: 0,
      runsRequested: 0,
      waitsOpened: 2,
      waitsClosed: 0,
      offers: 0,
      joins: 0,
      deadLetters: 0,
    });
  });

  it('routes against the states it is given, leaves them untouched, and reports only the names it changed', () => {
    const first = routeSignals(new Map(), [opened('r1'), opened('x1', {}, 'other')], ctx());
    const states = new Map(first.changed);
    const snapshot = structuredClone(states);
    const second = routeSignals(states, [closed('r1'), sent('s1')], ctx());
    expect(states).toEqual(snapshot);
    expect(second.records).toEqual([]);
    expect([...second.changed.keys()]).toEqual(['table.loaded']);
    expect(second.changed.get('table.loaded')).toEqual({
      waits: {},
      recentSignalIds: ['s1'],
      stored: [{ signalId: 's1', params: {}, sentAt: SENT_AT, storedAt: NOW }],
    });
  });

  it('delivers a stored signal to a wait that opens after it, within the retention it is given', () => {
    const first = routeSignals(new Map(), [sent('s1', { day: 'd1' })], ctx());
    const second = routeSignals(first.changed, [opened('r1', { day: 'd1' })], ctx());
    expect(valuesOn(second.records, Topics.runCommands)).toMatchObject([
      {
        key: 'r1',
        value: { type: 'DeliverSignal', runId: 'r1', signalId: 's1', signalParams: { day: 'd1' } },
      },
    ]);
    expect(second.counts).toMatchObject({ deliveries: 1, storedMatches: 1, waitsOpened: 0 });
    const expired = routeSignals(first.changed, [opened('r1', { day: 'd1' })], {
      ...ctx(),
      now: NOW + 1_001,
      retention: { maxAgeMs: 1_000, maxCount: 5 },
    });
    expect(expired.records).toEqual([]);
    expect(expired.changed.get('table.loaded')).toMatchObject({ stored: [] });
  });

  it('routes a resent signal once, and leaves its state unchanged', () => {
    const first = routeSignals(new Map(), [opened('r1', { day: 'd1' }), sent('s1', { day: 'd0' })], ctx());
    const second = routeSignals(first.changed, [sent('s1', { day: 'd1' })], ctx());
    expect(second.records).toEqual([]);
    expect(second.changed.size).toBe(0);
    expect(second.counts).toMatchObject({ signals: 0, duplicates: 1 });
  });

  describe('signal triggers', () => {
    const triggers: WorkflowSignalTriggers[] = [
      {
        workflowId: 'sales.daily',
        version: 4,
        signals: [
          { signal: 'table.loaded', match: { table: 'orders' }, params: {} },
          {
            signal: 'table.loaded',
            match: { table: 'sales' },
            params: { mode: { literal: 'full' }, day: { expression: 'signal.params.day' } },
          },
        ],
      },
      { workflowId: 'audit', version: 1, signals: [{ signal: 'other', match: {}, params: {} }] },
    ];

    it('requests a run of each workflow whose trigger the signal matches, with a request id per signal and trigger', () => {
      const result = routeSignals(
        new Map(),
        [sent('s9', { table: 'sales', day: '2026-01-01' })],
        ctx(triggers),
      );
      expect(valuesOn(result.records, Topics.runRequests)).toEqual([
        {
          key: 'sales.daily',
          value: {
            schemaVersion: 1,
            workflowId: 'sales.daily',
            version: 4,
            requestId: 'signal:s9:1',
            params: { mode: 'full', day: '2026-01-01' },
            requestedAt: SENT_AT,
          },
        },
      ]);
      expect(result.counts.runsRequested).toBe(1);
    });

    it('fires no trigger for a resent signal', () => {
      const first = routeSignals(new Map(), [sent('s9', { table: 'sales' })], ctx(triggers));
      expect(routeSignals(first.changed, [sent('s9', { table: 'sales' })], ctx(triggers)).records).toEqual(
        [],
      );
    });

    it('dead-letters the signal with the reason when a trigger cannot compute its params, and goes on', () => {
      const broken: WorkflowSignalTriggers[] = [
        {
          workflowId: 'broken',
          version: 2,
          signals: [{ signal: 'table.loaded', match: {}, params: { day: { expression: 'fail' } } }],
        },
        { workflowId: 'fine', version: 1, signals: [{ signal: 'table.loaded', match: {}, params: {} }] },
      ];
      const [s3, s4] = [sent('s3'), sent('s4')];
      const result = routeSignals(new Map(), [opened('r1'), s3, s4], ctx(broken));
      const letters = valuesOn(result.records, Topics.deadLetters).map(
        (l) => l.value as unknown as DeadLetter,
      );
      expect(letters.map((l) => [l.reason, l.source.offset])).toEqual([
        [
          'signal trigger not fired: workflow broken v2 triggers.signals[0].params.day: no such key: nope',
          s3.offset,
        ],
        [
          'signal trigger not fired: workflow broken v2 triggers.signals[0].params.day: no such key: nope',
          s4.offset,
        ],
      ]);
      expect(valuesOn(result.records, Topics.runRequests).map((r) => r.value.requestId)).toEqual([
        'signal:s3:0',
        'signal:s4:0',
      ]);
      expect(valuesOn(result.records, Topics.runCommands)).toHaveLength(1);
      expect(result.counts).toMatchObject({ signals: 2, deliveries: 1, runsRequested: 2, deadLetters: 2 });
    });
  });

  describe('records it cannot accept go to the dead letters, and the batch goes on', () => {
    it.each<[string, LogRecord, string, string[]]>([
      ['not JSON', signalRecord('{oops', 'table.loaded'), 'value is not JSON', []],
      ['JSON null', signalRecord('null', 'table.loaded'), 'unknown signal record type undefined', ['$.type']],
      [
        'an unknown type',
        signalRecord({ type: 'SignalLost', name: 'table.loaded' }),
        'unknown signal record type "SignalLost"',
        ['$.type'],
      ],
      [
        'a bad signal',
        signalRecord(
          { type: 'SignalSent', signalId: 'has space', name: '9lives', params: [], sentAt: -1 },
          '9lives',
        ),
        'invalid SignalSent',
        ['$.name', '$.signalId', '$.params', '$.sentAt'],
      ],
      [
        'a field too many',
        signalRecord({ type: 'SignalWaitClosed', name: 'n', runId: 'r', stepId: 's', attempt: 1, extra: 1 }),
        'invalid SignalWaitClosed',
        ['$.extra'],
      ],
      [
        'a key that is not the name',
        signalRecord({ type: 'SignalSent', signalId: 's1', name: 'a', params: {}, sentAt: 0 }, 'b'),
        "record key 'b' is not the signal name 'a'",
        ['$.name'],
      ],
    ])('%s', (_, bad, reason, paths) => {
      const result = routeSignals(new Map(), [bad, opened('r1'), sent('s1')], ctx());
      const [letter] = valuesOn(result.records, Topics.deadLetters).map(
        (l) => l.value as unknown as DeadLetter,
      );
      expect(letter.reason).toContain(reason);
      expect(letter.problems.map((p) => p.path).sort()).toEqual([...paths].sort());
      expect(letter).toMatchObject({
        source: { topic: Topics.signals, offset: bad.offset },
        value: bad.value,
        at: NOW,
      });
      expect(valuesOn(result.records, Topics.runCommands)).toHaveLength(1);
      expect(result.counts.deadLetters).toBe(1);
    });
  });

  it('writes plain JSON states that restore to the same routing', () => {
    const first = routeSignals(new Map(), [opened('r1', { a: [1, { b: 2 }] })], ctx());
    const restored = new Map(
      [...first.changed].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as SignalNameState]),
    );
    const live = routeSignals(first.changed, [sent('s1', { a: [1, { b: 2 }] })], ctx());
    expect(routeSignals(restored, [sent('s1', { a: [1, { b: 2 }] })], ctx()).records).toEqual(live.records);
    expect(live.records).toHaveLength(1);
  });

  it('joins a trigger on several signals through offers keyed by the join, and starts one run per set', () => {
    const triggers: WorkflowSignalTriggers[] = [
      {
        workflowId: 'report',
        version: 2,
        signals: [
          {
            all: { sales: { signal: 'sales/loaded', match: {} }, fx: { signal: 'fx.rates', match: {} } },
            join: ['date'],
            condition: 'signals.sales.params.date >= signals.fx.params.date',
            params: { day: { expression: 'signals.sales.params.date' } },
          },
        ],
      },
    ];
    const cel = { ...ctx(triggers), expressions: celSignalExpressions };
    const asInput = (records: readonly OutgoingRecord[]) =>
      records.filter((r) => r.topic === Topics.signals).map((r) => signalRecord(r.value, r.key));
    const first = routeSignals(
      new Map(),
      [sent('s1', { date: 'd1' }, 'sales/loaded'), sent('f1', { date: 'd1' }, 'fx.rates')],
      cel,
    );
    expect(first.records.map((r) => [r.topic, r.key])).toEqual([
      [Topics.signals, '@join/report/2/0'],
      [Topics.signals, '@join/report/2/0'],
    ]);
    expect(first.counts).toMatchObject({ signals: 2, offers: 2 });
    const joined = routeSignals(first.changed, asInput(first.records), cel);
    expect(valuesOn(joined.records, Topics.runRequests)).toEqual([
      {
        key: 'report',
        value: {
          schemaVersion: 1,
          workflowId: 'report',
          version: 2,
          requestId: 'signals:f1:0',
          params: { day: 'd1' },
          requestedAt: SENT_AT,
        },
      },
    ]);
    expect(joined.counts).toMatchObject({ joins: 1, runsRequested: 1 });
    expect(joined.changed.get('@join/report/2/0')).toMatchObject({ kind: 'join', pending: [] });
    // A record on a join key that is not an offer, or an offer under another key, is refused.
    const offer = JSON.parse(first.records[0].value!) as Record<string, unknown>;
    const bad = routeSignals(
      new Map(),
      [
        sent('x', {}, '@join/report/2/0'),
        signalRecord({ ...offer, name: 'sales/loaded' }, 'sales/loaded'),
        signalRecord({ ...offer, name: 7 }, '7'),
        signalRecord({ ...offer, trigger: { all: 'nope' } }, '@join/report/2/0'),
      ],
      cel,
    );
    expect(bad.counts.deadLetters).toBe(4);
    expect(bad.changed.size).toBe(0);
  });
});
