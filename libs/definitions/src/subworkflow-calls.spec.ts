import type { ParamDefinition } from '@baton/domain';
import { checkSubworkflowCalls, subworkflowCalls, type CalledVersion } from './subworkflow-calls';
import { accepted } from './testing/documents';

const child: CalledVersion = {
  version: 4,
  params: [
    { name: 'region', type: 'string', required: false, default: 'eu' },
    { name: 'day', type: 'string', required: true },
    { name: 'limit', type: 'long', required: false, default: 10 },
  ] satisfies ParamDefinition[],
};

const parent = (step: Record<string, unknown>, params: Record<string, unknown> = {}) =>
  accepted({
    id: 'parent',
    params,
    steps: [
      { id: 'prep', type: 'noop' },
      {
        id: 'each',
        type: 'foreach',
        depends_on: ['prep'],
        loop_params: { n: [1, 2] },
        steps: [{ id: 'call', type: 'subworkflow', workflow_id: 'etl.child', ...step }],
      },
    ],
  });

const lookup = (found: CalledVersion | undefined) => () => found;

describe('subworkflow calls checked at push', () => {
  it('lists each called (workflow, version) once, loop bodies included', () => {
    expect(subworkflowCalls(parent({ version: 3 }))).toEqual([{ workflowId: 'etl.child', version: 3 }]);
  });

  it('given a child that declares the params, when the call passes them, then there is nothing to say', () => {
    expect(
      checkSubworkflowCalls(parent({ params: { day: '2026-01-01', region: '${params.n}' } }), lookup(child)),
    ).toEqual([]);
  });

  it('when the call passes a param the child does not declare, then it is refused at its path, saying it is not passed through', () => {
    expect(checkSubworkflowCalls(parent({ params: { day: 'd', mode: 'full' } }), lookup(child))).toEqual([
      {
        path: '$.steps[1].steps[0].params.mode',
        message:
          "workflow etl.child (version 4, the active one) does not declare param 'mode' (it declares: region, day, limit); " +
          'undeclared params are not passed through: declare it in the child workflow or drop it here',
      },
    ]);
  });

  it('when a literal is not of the declared type, or a required param is missing, then each is refused', () => {
    expect(checkSubworkflowCalls(parent({ version: 4, params: { limit: 'ten' } }), lookup(child))).toEqual([
      {
        path: '$.steps[1].steps[0].params.limit',
        message: "workflow etl.child (version 4) declares param 'limit' as long",
      },
      {
        path: '$.steps[1].steps[0].params',
        message:
          "workflow etl.child (version 4) requires param 'day'; pass it here (or set inherit_params: true and declare it in this workflow)",
      },
    ]);
  });

  it('when inherit_params passes a param of the parent that the child requires, then it counts as given', () => {
    const inheriting = parent({ inherit_params: true }, { day: { type: 'string', default: '2026-01-01' } });
    expect(checkSubworkflowCalls(inheriting, lookup(child))).toEqual([]);
  });

  it('given a child that does not exist (yet), then the call is not checked', () => {
    expect(checkSubworkflowCalls(parent({ params: { anything: 1 } }), lookup(undefined))).toEqual([]);
  });
});
