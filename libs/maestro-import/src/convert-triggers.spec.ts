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
    expect(sut.definition.triggers.signals).toEqual([
      {
        signal: 'table.ready',
        match: { env: 'prod' },
        params: { table: { expression: 'signal.params.name' }, mode: 'full' },
      },
    ]);
  });

  it('reports triggers on several signals, or with other operators, as left out', () => {
    const sut = convert(triggers);
    expect(sut.at("$.workflow.signal_triggers[1].definitions['a.done'].match_params.n")[0].message).toContain(
      'operator >=',
    );
    expect(sut.at('$.workflow.signal_triggers[2]')[0].message).toContain('2 signals');
  });
});
