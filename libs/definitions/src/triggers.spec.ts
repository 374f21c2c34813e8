import { accepted, refused, refusedPaths } from './testing/documents';

const params = {
  day: { type: 'string', required: true },
  mode: { type: 'string', default: 'delta' },
  rows: { type: 'long', default: 100 },
};
const withTriggers = (triggers: unknown) => ({
  id: 'wf',
  params,
  steps: [{ id: 'a', type: 'noop' }],
  triggers,
});

describe('triggers', () => {
  it('are always in the model, empty when the document has none', () => {
    expect(accepted({ id: 'wf', steps: [{ id: 'a', type: 'noop' }] }).triggers).toEqual({
      cron: [],
      signals: [],
    });
    expect(accepted(withTriggers({})).triggers).toEqual({ cron: [], signals: [] });
  });

  it('refuses triggers that are not a map, and unknown fields', () => {
    for (const triggers of ['nightly', []]) {
      expect(refused(withTriggers(triggers))).toEqual([
        { path: '$.triggers', message: 'triggers must be a map like { cron: [...], signals: [...] }' },
      ]);
    }
    expect(refusedPaths(withTriggers({ cron: '0 2 * * *', webhook: [] }))).toEqual([
      '$.triggers.cron',
      '$.triggers.webhook',
    ]);
  });

  describe('cron', () => {
    it('normalizes schedule, time zone (default UTC) and literal params', () => {
      const definition = accepted(
        withTriggers({
          cron: [
            { schedule: '0 2 * * *', params: { day: 'today' } },
            { schedule: '30 0 6 * * MON-FRI', timezone: 'Europe/Paris', params: { day: 'x', rows: 5 } },
            { schedule: '@hourly', timezone: 'America/New_York', params: { day: 'x' } },
          ],
        }),
      );
      expect(definition.triggers.cron).toEqual([
        { schedule: '0 2 * * *', timezone: 'UTC', params: { day: 'today' } },
        { schedule: '30 0 6 * * MON-FRI', timezone: 'Europe/Paris', params: { day: 'x', rows: 5 } },
        { schedule: '@hourly', timezone: 'America/New_York', params: { day: 'x' } },
      ]);
    });

    it('refuses schedules croner refuses, with the reason', () => {
      const errors = refused(
        withTriggers({
          cron: [
            { schedule: '61 2 * * *', params: { day: 'x' } },
            { schedule: '0 2 * *', params: { day: 'x' } },
            { schedule: '2026-01-01T00:00:00', params: { day: 'x' } },
            { schedule: 5, params: { day: 'x' } },
          ],
        }),
      );
      expect([...new Set(errors.map((e) => e.path))]).toEqual([
        '$.triggers.cron[0].schedule',
        '$.triggers.cron[1].schedule',
        '$.triggers.cron[2].schedule',
        '$.triggers.cron[3].schedule',
      ]);
      expect(errors[0].message).toBe(
        "'61 2 * * *' is not a cron schedule: Invalid value for minute: 61; write 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first, e.g. '0 2 * * *'",
      );
      expect(errors.filter((e) => e.path === '$.triggers.cron[3].schedule').map((e) => e.message)).toContain(
        'schedule must be a cron expression such as "0 2 * * *"',
      );
    });

    it("refuses '?' (croner reads it as the scheduler's start time) and a schedule that never fires", () => {
      expect(refused(withTriggers({ cron: [{ schedule: '0 ? * * *', params: { day: 'x' } }] }))).toEqual([
        {
          path: '$.triggers.cron[0].schedule',
          message:
            "'?' is not supported in a schedule (it would depend on when the scheduler started); write *",
        },
      ]);
      expect(refused(withTriggers({ cron: [{ schedule: '0 0 30 2 *', params: { day: 'x' } }] }))).toEqual([
        { path: '$.triggers.cron[0].schedule', message: "'0 0 30 2 *' never fires (no date matches it)" },
      ]);
    });

    it('refuses a time zone that is not IANA, or empty', () => {
      const errors = refused(
        withTriggers({
          cron: [
            { schedule: '0 2 * * *', timezone: 'Mars/Olympus', params: { day: 'x' } },
            { schedule: '0 2 * * *', timezone: '', params: { day: 'x' } },
            { schedule: '0 2 * * *', timezone: '+02:00', params: { day: 'x' } },
          ],
        }),
      );
      expect(errors).toEqual([
        {
          path: '$.triggers.cron[0].timezone',
          message:
            "'Mars/Olympus' is not an IANA time zone; write e.g. UTC, Europe/Paris or America/New_York",
        },
        {
          path: '$.triggers.cron[1].timezone',
          message: "'' is not an IANA time zone; write e.g. UTC, Europe/Paris or America/New_York",
        },
        {
          path: '$.triggers.cron[2].timezone',
          message: "'+02:00' is not an IANA time zone; write e.g. UTC, Europe/Paris or America/New_York",
        },
      ]);
    });

    it('refuses params the runs would be refused for: undeclared, mistyped, missing required, or expressions', () => {
      const errors = refused(
        withTriggers({
          cron: [
            { schedule: '0 2 * * *', params: { day: 'x', region: 'eu', rows: 'many' } },
            { schedule: '0 3 * * *', params: { mode: 'full' } },
            { schedule: '0 4 * * *', params: { day: '${run.scheduled_at}' } },
          ],
        }),
      );
      expect(errors).toEqual([
        {
          path: '$.triggers.cron[0].params.region',
          message: "'region' is not a param of this workflow; declare it under params",
        },
        { path: '$.triggers.cron[0].params.rows', message: 'rows must be a long, got string' },
        {
          path: '$.triggers.cron[1].params',
          message: 'required params day have no value here; every run this trigger starts would be refused',
        },
        {
          path: '$.triggers.cron[2].params.day',
          message: 'cron trigger params are literal values; nothing is evaluated here',
        },
      ]);
    });
  });

  describe('signals', () => {
    it('normalizes signal, match (literal) and params (literal or CEL over the signal)', () => {
      const definition = accepted(
        withTriggers({
          signals: [
            {
              signal: 'table.loaded',
              match: { table: 'sales' },
              params: { day: '${signal.params.day}', mode: 'full' },
            },
            { signal: 'ops.replay', params: { day: { expression: 'signal.id' } } },
          ],
        }),
      );
      expect(definition.triggers.signals).toEqual([
        {
          signal: 'table.loaded',
          match: { table: 'sales' },
          params: { day: { expression: 'signal.params.day' }, mode: { literal: 'full' } },
        },
        { signal: 'ops.replay', match: {}, params: { day: { expression: 'signal.id' } } },
      ]);
    });

    it('refuses a bad signal name, expressions in match, and params the runs would be refused for', () => {
      const errors = refused(
        withTriggers({
          signals: [
            { signal: '-loaded', params: { day: 'x' } },
            { signal: 'ok', match: { table: '${params.mode}' }, params: { day: 'x', rows: 1.5, extra: 1 } },
            { signal: 'ok' },
          ],
        }),
      );
      expect(errors.map((e) => e.path)).toEqual([
        '$.triggers.signals[0].signal',
        '$.triggers.signals[1].match.table',
        '$.triggers.signals[1].params.extra',
        '$.triggers.signals[1].params.rows',
        '$.triggers.signals[2].params',
      ]);
      expect(errors[1].message).toBe('match values are literal values; nothing is evaluated here');
      expect(errors[3].message).toBe('rows 1.5 is not an integer; a long param needs a whole number');
    });

    it('lets params expressions read only the signal', () => {
      expect(
        refused(
          withTriggers({ signals: [{ signal: 'ok', params: { day: '${params.mode}', mode: '${run.id}' } }] }),
        ),
      ).toEqual([
        {
          path: '$.triggers.signals[0].params.day',
          message: "'params' cannot be used here; this expression can read signal",
        },
        {
          path: '$.triggers.signals[0].params.mode',
          message: "'run' cannot be used here; this expression can read signal",
        },
      ]);
    });

    it('keeps the signal root to triggers: a step cannot read it', () => {
      const doc = { id: 'wf', steps: [{ id: 'a', type: 'noop', params: { x: '${signal.id}' } }] };
      expect(refused(doc)).toEqual([
        {
          path: '$.steps[0].params.x',
          message: "'signal' cannot be used here; this expression can read params, steps, run, step",
        },
      ]);
    });
  });
});
