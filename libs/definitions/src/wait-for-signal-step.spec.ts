import { STEP_DEFAULTS, accepted, refused, refusedPaths } from './testing/documents';

const wait = (fields: Record<string, unknown>) => ({
  id: 'wf',
  params: { day: { type: 'string', default: '2026-01-01' } },
  steps: [{ id: 'ready', type: 'wait_for_signal', signal: 'table.loaded', ...fields }],
});

describe('a wait_for_signal step', () => {
  it('normalizes its signal name and match (default: every signal of the name)', () => {
    expect(accepted(wait({})).steps).toEqual([
      { ...STEP_DEFAULTS, id: 'ready', type: 'wait_for_signal', signal: 'table.loaded', match: {} },
    ]);
    expect(accepted(wait({ match: { table: 'sales', day: '${params.day}' } })).steps[0]).toMatchObject({
      match: { table: { literal: 'sales' }, day: { expression: 'params.day' } },
    });
  });

  it('takes a signal name with slashes, as Maestro names them', () => {
    expect(accepted(wait({ signal: 'warehouse/sales/loaded' })).steps[0]).toMatchObject({
      signal: 'warehouse/sales/loaded',
    });
  });

  it('refuses a bad signal name, a missing one, and fields of other types', () => {
    expect(refused(wait({ signal: 'no spaces' }))).toEqual([
      {
        path: '$.steps[0].signal',
        message:
          'signal must start with a letter and contain only letters, digits, _, ., - and / (at most 128 characters)',
      },
    ]);
    expect(refused({ id: 'wf', steps: [{ id: 'ready', type: 'wait_for_signal', duration: '1m' }] })).toEqual([
      {
        path: '$.steps[0].duration',
        message: "'duration' applies to sleep steps only; this step is a wait_for_signal step",
      },
      { path: '$.steps[0].signal', message: "a wait_for_signal step needs 'signal'" },
    ]);
  });

  it('checks match like params: a map, valid names, expressions over what the step can read', () => {
    expect(refusedPaths(wait({ match: ['sales'] }))).toEqual(['$.steps[0].match']);
    expect(refused(wait({ match: { 'bad-name': 1, day: '${params.dya}', at: '${result.x}' } }))).toEqual([
      {
        path: '$.steps[0].match.at',
        message: "'result' cannot be used here; this expression can read params, steps, run, step",
      },
      {
        path: '$.steps[0].match["bad-name"]',
        message:
          "'bad-name' is not a valid signal param name (letters, digits and _, not starting with a digit)",
      },
      { path: '$.steps[0].match.day', message: "unknown parameter 'dya'; declare it under params" },
    ]);
  });
});
