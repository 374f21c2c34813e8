import type { SignalSent } from './signal.messages';
import { celSignalExpressions } from './signal-expressions';
import { runsTriggeredBy } from './signal-triggers';

const signal: SignalSent = {
  type: 'SignalSent',
  signalId: 's-7',
  name: 'table.loaded',
  params: { table: 'sales', day: '2026-01-02', rows: 1200, parts: ['a', 'b'] },
  sentAt: 0,
};

const fire = (params: Record<string, { expression: string } | { literal: string }>) =>
  runsTriggeredBy(
    signal,
    [{ workflowId: 'wf', version: 1, signals: [{ signal: signal.name, match: {}, params }] }],
    celSignalExpressions,
  )[0];

describe('signal trigger params in CEL', () => {
  it('reads signal.id, signal.name and signal.params', () => {
    expect(
      fire({
        id: { expression: 'signal.id' },
        name: { expression: 'signal.name' },
        day: { expression: 'signal.params.day' },
        label: { expression: "signal.params.table + '/' + signal.params.day" },
        big: { expression: 'signal.params.rows > 1000' },
        first: { expression: 'signal.params.parts[0]' },
        literal: { literal: 'kept' },
      }),
    ).toEqual({
      ok: true,
      workflowId: 'wf',
      version: 1,
      triggerIndex: 0,
      requestId: 'signal:s-7:0',
      params: {
        id: 's-7',
        name: 'table.loaded',
        day: '2026-01-02',
        label: 'sales/2026-01-02',
        big: true,
        first: 'a',
        literal: 'kept',
      },
    });
  });

  it('reports a missing signal param with the expression that read it', () => {
    const run = fire({ region: { expression: 'signal.params.region' } });
    expect(run).toMatchObject({ ok: false });
    expect(run.ok ? '' : run.message).toMatch(
      /^workflow wf v1 triggers\.signals\[0\]\.params\.region: .*region/,
    );
  });

  it('sees nothing of a run: params, steps and run are not there', () => {
    const run = fire({ day: { expression: 'params.day' } });
    expect(run).toMatchObject({ ok: false });
  });
});
