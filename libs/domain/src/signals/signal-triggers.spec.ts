import type { SignalTrigger } from '../workflow/workflow-definition';
import type { SignalSent } from './signal.messages';
import {
  runsTriggeredBy,
  type SignalExpressionContext,
  type SignalExpressionEvaluator,
  type WorkflowSignalTriggers,
} from './signal-triggers';

/**
 * Which triggers a signal fires and with what params. Expressions go through
 * a stand-in that reads `signal.<path>` and fails on anything else, so these
 * cases pin the selection and the error reporting; signal-expressions.spec.ts
 * runs the same kind of triggers through real CEL.
 */
const paths: SignalExpressionEvaluator = {
  evaluate(source, context) {
    if (!source.startsWith('signal.'))
      return { ok: false, error: { expression: source, message: 'no such variable' } };
    let value: unknown = context;
    for (const part of source.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
    return value === undefined
      ? { ok: false, error: { expression: source, message: `no such key: ${source}` } }
      : { ok: true, value: value as SignalExpressionContext['signal']['params'][string] };
  },
};

const signal: SignalSent = {
  type: 'SignalSent',
  signalId: 's-1',
  name: 'table.loaded',
  params: { table: 'sales', day: '2026-01-02' },
  sentAt: 0,
};

const trigger = (overrides: Partial<SignalTrigger> = {}): SignalTrigger => ({
  signal: 'table.loaded',
  match: {},
  params: {},
  ...overrides,
});

const workflow = (workflowId: string, signals: SignalTrigger[], version = 1): WorkflowSignalTriggers => ({
  workflowId,
  version,
  signals,
});

describe('runsTriggeredBy', () => {
  it('starts a run per trigger naming the signal whose match the params satisfy', () => {
    const runs = runsTriggeredBy(
      signal,
      [
        workflow('sales.daily', [trigger({ match: { table: 'sales' } }), trigger({ signal: 'other' })], 3),
        workflow('orders', [trigger({ match: { table: 'orders' } })]),
        workflow('audit', [trigger({ signal: 'other' }), trigger()]),
      ],
      paths,
    );
    expect(runs).toEqual([
      {
        ok: true,
        workflowId: 'sales.daily',
        version: 3,
        triggerIndex: 0,
        requestId: 'signal:s-1:0',
        params: {},
      },
      { ok: true, workflowId: 'audit', version: 1, triggerIndex: 1, requestId: 'signal:s-1:1', params: {} },
    ]);
  });

  it('gives the run literal params and expressions evaluated over the signal', () => {
    const [run] = runsTriggeredBy(
      signal,
      [
        workflow('sales.daily', [
          trigger({
            params: {
              mode: { literal: 'incremental' },
              day: { expression: 'signal.params.day' },
              source: { expression: 'signal.id' },
            },
          }),
        ]),
      ],
      paths,
    );
    expect(run).toMatchObject({
      ok: true,
      params: { mode: 'incremental', day: '2026-01-02', source: 's-1' },
    });
  });

  it('reports a trigger whose params cannot be evaluated, with where, and still fires the others', () => {
    const runs = runsTriggeredBy(
      signal,
      [
        workflow(
          'broken',
          [trigger({ params: { ok: { literal: 1 }, day: { expression: 'signal.params.nope' } } })],
          2,
        ),
        workflow('fine', [trigger()]),
      ],
      paths,
    );
    expect(runs).toEqual([
      {
        ok: false,
        workflowId: 'broken',
        version: 2,
        triggerIndex: 0,
        requestId: 'signal:s-1:0',
        message: 'workflow broken v2 triggers.signals[0].params.day: no such key: signal.params.nope',
      },
      { ok: true, workflowId: 'fine', version: 1, triggerIndex: 0, requestId: 'signal:s-1:0', params: {} },
    ]);
  });

  it('starts nothing when no trigger names the signal', () => {
    expect(
      runsTriggeredBy(signal, [workflow('a', [trigger({ signal: 'x' })]), workflow('b', [])], paths),
    ).toEqual([]);
  });
});
