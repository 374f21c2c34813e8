import { STEP_DEFAULTS, accepted, refused, refusedPaths } from './testing/documents';

const call = (fields: Record<string, unknown>) => ({
  id: 'wf',
  params: { day: { type: 'string', default: '2026-01-01' } },
  steps: [{ id: 'child', type: 'subworkflow', workflow_id: 'etl.load', ...fields }],
});

describe('a subworkflow step', () => {
  it('defaults to the active version, waits, and passes only its own params', () => {
    expect(accepted(call({ params: { day: '${params.day}', mode: 'full' } })).steps).toEqual([
      {
        ...STEP_DEFAULTS,
        id: 'child',
        type: 'subworkflow',
        workflowId: 'etl.load',
        version: 'active',
        wait: true,
        inheritParams: false,
        params: { day: { expression: 'params.day' }, mode: { literal: 'full' } },
      },
    ]);
  });

  it('takes a version number, active, wait and inherit_params as given', () => {
    expect(accepted(call({ version: 3, wait: false, inherit_params: true })).steps[0]).toMatchObject({
      version: 3,
      wait: false,
      inheritParams: true,
    });
    expect(accepted(call({ version: 'active' })).steps[0]).toMatchObject({ version: 'active' });
  });

  it('refuses a bad workflow id, version, wait or inherit_params, each at its path', () => {
    const errors = refused(
      call({ workflow_id: '9-lives', version: 'latest', wait: 'yes', inherit_params: 1 }),
    );
    expect(errors).toEqual([
      { path: '$.steps[0].inherit_params', message: 'inherit_params must be true or false' },
      {
        path: '$.steps[0].version',
        message: `version must be a version number (1, 2, ...) or 'active', got "latest"`,
      },
      { path: '$.steps[0].wait', message: 'wait must be true or false' },
      {
        path: '$.steps[0].workflow_id',
        message:
          'workflow_id must start with a letter and contain only letters, digits, _, . and - (at most 128 characters)',
      },
    ]);
    expect(refusedPaths(call({ version: 0 }))).toEqual(['$.steps[0].version']);
    expect(refusedPaths(call({ version: 1.5 }))).toEqual(['$.steps[0].version']);
  });

  it('needs workflow_id, and its fields belong to it alone', () => {
    expect(refused({ id: 'wf', steps: [{ id: 'child', type: 'subworkflow' }] })).toEqual([
      { path: '$.steps[0].workflow_id', message: "a subworkflow step needs 'workflow_id'" },
    ]);
    expect(refused({ id: 'wf', steps: [{ id: 'a', type: 'noop', wait: true, version: 2 }] })).toEqual([
      {
        path: '$.steps[0].version',
        message: "'version' applies to subworkflow steps only; this step is a noop step",
      },
      {
        path: '$.steps[0].wait',
        message: "'wait' applies to subworkflow steps only; this step is a noop step",
      },
    ]);
  });
});
