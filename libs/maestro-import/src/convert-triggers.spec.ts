import { triggers } from './testing/maestro-documents';
import { convert } from './testing/convert';

describe('triggers', () => {
  it('maps cron (Quartz rewritten) and predefined time triggers with their time zones', () => {
    const sut = convert(triggers);
    expect(sut.definition.triggers.cron).toEqual([
      { schedule: '0 30 6 * * 1-5', timezone: 'Europe/Paris' },
      { schedule: '15 * * * *' },
      { schedule: '0 0 * * 0', timezone: 'UTC' },
    ]);
    expect(sut.at('$.workflow.time_triggers[0].cron')[0].message).toContain("rewritten as '0 30 6 * * 1-5'");
    expect(sut.at('$.workflow.time_triggers[3]')[0].message).toContain('INTERVAL');
  });

  it('maps a one-signal trigger with equality matches, its params reading the signal', () => {
    const sut = convert(triggers);
    expect(sut.definition.triggers.signals[0]).toEqual({
      signal: 'table.ready',
      match: { env: 'prod' },
      params: { table: { expression: 'signal.params.name' }, mode: 'full' },
    });
  });

  it('maps a range match (>=, <, ...) to a condition on a set of one signal', () => {
    const sut = convert(triggers);
    expect(sut.definition.triggers.signals[1]).toEqual({
      all: { a_done: { signal: 'a.done' } },
      condition: 'signals.a_done.params.n >= 3.0',
    });
    expect(sut.issues.filter((i) => i.path.startsWith('$.workflow.signal_triggers[1]'))).toEqual([]);
  });

  it('maps several signals with join keys, matches, params and an SEL condition over the params', () => {
    const sut = convert(triggers);
    expect(sut.definition.triggers.signals[2]).toEqual({
      all: {
        warehouse_sales: { signal: 'warehouse/sales', match: { region: 'eu' } },
        fx_rates: { signal: 'fx.rates' },
      },
      join: ['date'],
      condition: "(signals.warehouse_sales.params.date) != '' && signals.fx_rates.params.version >= 2.0",
      params: { day: { expression: 'signals.warehouse_sales.params.date' } },
    });
    expect(sut.at('$.workflow.signal_triggers[2].condition')[0]).toMatchObject({ kind: 'changed' });
  });

  it('joins on params of different names, by position, with a condition', () => {
    const sut = convert(triggers);
    expect(sut.definition.triggers.signals[3]).toEqual({
      all: { a_done: { signal: 'a.done' }, b_done: { signal: 'b.done' } },
      condition: 'signals.a_done.params.day == signals.b_done.params.date',
    });
  });

  it('leaves out a trigger whose condition cannot be translated, or whose join keys do not pair up', () => {
    const sut = convert(triggers);
    expect(sut.definition.triggers.signals).toHaveLength(4);
    expect(sut.at('$.workflow.signal_triggers[4].condition')[0].message).toContain('new DateTime');
    expect(sut.at("$.workflow.signal_triggers[5].definitions['b.done'].join_keys")[0]).toMatchObject({
      kind: 'unmapped',
    });
  });

  it('leaves out a trigger on more signals than Baton joins, or reading a signal it does not have', () => {
    const nine = Object.fromEntries([...'abcdefghi'].map((c) => [`${c}.done`, {}]));
    const sut = convert({
      workflow: {
        id: 'spec.flow',
        params: { day: { value: 'x', type: 'STRING' } },
        steps: [{ step: { id: 'a', type: 'NoOp' } }],
        signal_triggers: [
          { definitions: nine },
          {
            definitions: { 'a.done': {}, 'b.done': {} },
            condition: "params.getFromSignal('c.done', 'x') > 1",
          },
          { definitions: { 'a.done': {} }, params: { day: { value: 3, type: 'LONG' } } },
        ],
      },
    });
    expect(sut.definition.triggers.signals).toEqual([{ signal: 'a.done' }]);
    expect(sut.at('$.workflow.signal_triggers[0]')[0].message).toContain('9 signals');
    expect(sut.at('$.workflow.signal_triggers[1].condition')[0].message).toContain('names no signal');
    expect(sut.at('$.workflow.signal_triggers[2].params.day')[0].message).toContain('not a string');
  });
});
