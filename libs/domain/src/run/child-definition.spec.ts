import type { JsonObject } from '../shared/json';
import type { WorkflowDefinition } from '../workflow/workflow-definition';
import { iterationDefinition } from './child-definition';
import type { ChildRunsStarted, RunEvent } from './run.events';
import { decide } from './run.decide';
import { initialState } from './run.state';
import { body, cmd, edge, foreachStep, step, whileStep, workflow } from './testing/fixtures';
import { testDeps } from './testing/given-when-then';

const parent: WorkflowDefinition = {
  ...workflow([], [], {
    params: [
      { name: 'region', type: 'string', required: true, description: 'where', default: 'eu' },
      { name: 'limit', type: 'long', required: false, expression: '10' },
    ],
  }),
  id: 'etl',
  version: 4,
  name: 'Nightly ETL',
  tags: ['nightly'],
  timeoutMs: 3_600_000,
};

const loopBody = body([step('extract'), step('load')], [edge('extract', 'load')]);
const each = foreachStep('each', { table: { literal: ['a'] } }, { body: loopBody, description: 'per table' });

/** Starts `definition` as the child run `runId` (a child's id is its parent's derived id). */
function startChild(runId: string, definition: WorkflowDefinition, params: JsonObject): RunEvent[] {
  const start = { ...cmd.start(definition, params), runId };
  return decide(start, initialState(), testDeps);
}

describe('iterationDefinition', () => {
  it('is the body as a workflow of its own, named after the parent and the step', () => {
    const definition = iterationDefinition(parent, each, {
      region: 'eu',
      limit: 10,
      table: 'a',
      loop_index: 0,
    });
    expect(definition).toEqual({
      id: 'etl.each',
      version: 4,
      name: 'Nightly ETL / each',
      description: 'per table',
      tags: ['nightly'],
      params: [
        { name: 'region', type: 'string', required: false },
        { name: 'limit', type: 'long', required: false },
        { name: 'table', type: 'string', required: false },
        { name: 'loop_index', type: 'long', required: false },
      ],
      runStrategy: { kind: 'parallel' },
      steps: loopBody.steps,
      edges: loopBody.edges,
    });
  });

  it('uses the step name when there is one, and has no timeout or triggers of the parent', () => {
    const named = { ...each, name: 'Per table' };
    const definition = iterationDefinition(parent, named, { loop_index: 0 });
    expect(definition.name).toBe('Nightly ETL / Per table');
    expect(definition).not.toHaveProperty('timeoutMs');
    expect(definition).not.toHaveProperty('triggers');
  });

  it('declares each iteration value with the type of its value', () => {
    const definition = iterationDefinition(parent, each, {
      s: 'x',
      n: 3,
      d: 1.5,
      b: true,
      list: [1],
      object: { k: 1 },
      loop_index: 7,
    });
    expect(definition.params.slice(2)).toEqual([
      { name: 's', type: 'string', required: false },
      { name: 'n', type: 'long', required: false },
      { name: 'd', type: 'double', required: false },
      { name: 'b', type: 'boolean', required: false },
      { name: 'list', type: 'array', required: false },
      { name: 'object', type: 'map', required: false },
      { name: 'loop_index', type: 'long', required: false },
    ]);
  });

  it('declares a while iteration’s loop_previous as a map', () => {
    const loop = whileStep('again', 'true', { body: loopBody });
    const definition = iterationDefinition(parent, loop, { region: 'eu', loop_index: 0, loop_previous: {} });
    expect(definition.id).toBe('etl.again');
    expect(definition.params.map((p) => [p.name, p.type])).toEqual([
      ['region', 'string'],
      ['limit', 'long'],
      ['loop_index', 'long'],
      ['loop_previous', 'map'],
    ]);
  });

  it('gives a definition a child run starts on with the params its parent passes', () => {
    const definition = workflow([each], [], { params: [...parent.params] });
    const parentEvents = decide(cmd.start(definition, { region: 'us' }), initialState(), testDeps);
    const started = parentEvents.find((e): e is ChildRunsStarted => e.type === 'ChildRunsStarted');
    if (started === undefined) throw new Error('no child started');
    const [child] = started.children;
    const childEvents = startChild(
      child.runId,
      iterationDefinition(definition, each, child.params),
      child.params,
    );
    expect(childEvents.map((e) => e.type)).toEqual(['RunStarted', 'StepReady']);
    expect(childEvents[0]).toMatchObject({
      runId: 'run-1~each~1~0',
      params: { region: 'us', limit: 10, table: 'a', loop_index: 0 },
    });
    expect(childEvents[1]).toMatchObject({ stepId: 'extract' });
  });

  it('refuses a child whose loop value is null: it has no param type', () => {
    const events = startChild('run-1~each~1~0', iterationDefinition(parent, each, { table: null }), {
      table: null,
    });
    expect(events).toEqual([expect.objectContaining({ type: 'CommandRejected', code: 'InvalidParams' })]);
  });

  it('nests: a body holding a foreach gives an iteration that runs the inner foreach as grandchildren', () => {
    const inner = foreachStep('inner', { y: { literal: [1, 2] } });
    const outer = foreachStep('outer', { x: { literal: ['p'] } }, { body: body([inner]) });
    const top = workflow([outer], [], { params: [...parent.params] });

    const childParams = { region: 'eu', limit: 10, x: 'p', loop_index: 0 };
    const childDefinition = iterationDefinition(top, outer, childParams);
    expect(childDefinition.steps).toEqual([inner]);
    expect(childDefinition.id).toBe('wf.outer');

    const childEvents = startChild('run-1~outer~1~0', childDefinition, childParams);
    const grandchildren = childEvents.find((e): e is ChildRunsStarted => e.type === 'ChildRunsStarted');
    expect(grandchildren?.children).toEqual([
      { index: 0, runId: 'run-1~outer~1~0~inner~1~0', params: { ...childParams, y: 1, loop_index: 0 } },
      { index: 1, runId: 'run-1~outer~1~0~inner~1~1', params: { ...childParams, y: 2, loop_index: 1 } },
    ]);

    const grandchildDefinition = iterationDefinition(
      childDefinition,
      inner,
      grandchildren!.children[1].params,
    );
    expect(grandchildDefinition.id).toBe('wf.outer.inner');
    expect(grandchildDefinition.steps).toEqual(inner.body.steps);
    expect(grandchildDefinition.params.map((p) => p.name)).toEqual([
      'region',
      'limit',
      'x',
      'loop_index',
      'y',
    ]);
  });
});
