import { STEP_ID } from '@baton/definitions/dto/patterns';
import { conditionalDag, signalDependencies, unsupported } from './testing/maestro-documents';
import { convert, workflowOf } from './testing/convert';

// Baton is about to accept dots in step ids and / in signal names: the specs hold either way.
const id = (maestro: string): string => (STEP_ID.test(maestro) ? maestro : maestro.replace(/\./g, '_'));

describe('steps and transitions', () => {
  it('turns successors into next edges, a condition other than true into if, with CEL over params', () => {
    const sut = convert(conditionalDag);
    expect(sut.definition.steps.map((s: { id: string }) => s.id)).toEqual(
      ['extract.1', 'load.big', 'load.small', 'report'].map(id),
    );
    expect(sut.definition.steps[0].next).toEqual([
      { step: id('load.big'), if: '250.0 > params.threshold' },
      { step: id('load.small'), if: '250.0 <= params.threshold' },
    ]);
    expect(sut.definition.steps[1].next).toEqual(['report']);
    expect(sut.definition.steps[2].next).toEqual([{ step: 'report', if: "params.region == 'eu'" }]);
  });

  it('cleans up a step id Baton refuses, unique within its graph, reported', () => {
    const sut = convert(
      workflowOf([{ step: { id: 'load/eu', type: 'NoOp' } }, { step: { id: 'load_eu', type: 'NoOp' } }]),
    );
    expect(sut.definition.steps.map((s: { id: string }) => s.id)).toEqual(['load_eu_2', 'load_eu']);
    expect(sut.at('$.workflow.steps[0].step.id')).toEqual([
      expect.objectContaining({
        kind: 'changed',
        message: expect.stringContaining("'load/eu' became 'load_eu_2'"),
      }),
    ]);
    expect(sut.at('$.workflow.steps[1].step.id')).toEqual([]);
  });

  it('reports each inlined step param', () => {
    const sut = convert(conditionalDag);
    expect(sut.at("$.workflow.steps[0].step.transition.successors['load.big']")).toEqual([
      expect.objectContaining({
        kind: 'changed',
        message: expect.stringContaining("'rows' was inlined as its literal value 250"),
      }),
    ]);
  });

  it('keeps an untranslatable condition as a false edge (closed), reported with the SEL', () => {
    const sut = convert(
      workflowOf([
        {
          step: {
            id: 'a',
            type: 'NoOp',
            transition: { successors: { b: 'Util.isWeekend(TARGET_RUN_DATE)' } },
          },
        },
        { step: { id: 'b', type: 'NoOp' } },
      ]),
    );
    expect(sut.definition.steps[0].next).toEqual([{ step: 'b', if: 'false' }]);
    expect(sut.at('$.workflow.steps[0].step.transition.successors.b')[0]).toMatchObject({
      kind: 'unmapped',
      message: expect.stringMatching(/Util\.isWeekend.*condition is false/),
    });
  });

  it('drops an edge to an unknown step, and a step of a kind Baton lacks, each reported', () => {
    const sut = convert(
      workflowOf([{ step: { id: 'a', type: 'NoOp', transition: { successors: { ghost: 'true' } } } }]),
    );
    expect(sut.definition.steps[0].next).toBeUndefined();
    expect(sut.at('$.workflow.steps[0].step.transition.successors.ghost')[0].kind).toBe('unmapped');
    const odd = convert(unsupported);
    expect(odd.at('$.workflow.steps[1]')[0].message).toContain('template has no Baton equivalent');
    expect(odd.at('$.workflow.steps[0].step.type')[0].message).toContain('noop placeholder');
  });

  it('maps NoOp, Sleep, Http and Kubernetes steps to noop, sleep, http and shell', () => {
    const sut = convert(
      workflowOf([
        { step: { id: 'nothing', type: 'NoOp' } },
        { step: { id: 'nap', type: 'Sleep', params: { sleep_seconds: { value: 90, type: 'LONG' } } } },
        {
          step: {
            id: 'call',
            type: 'http',
            params: {
              http: {
                type: 'MAP',
                value: {
                  url: { value: 'http://h/${nap__sleep_seconds}', type: 'STRING' },
                  method: { value: 'put', type: 'STRING' },
                  headers: { value: { a: 'b' }, type: 'STRING_MAP' },
                },
              },
            },
          },
        },
        {
          step: {
            id: 'pod',
            type: 'Kubernetes',
            params: {
              kubernetes: {
                type: 'MAP',
                value: {
                  command: { value: ['echo', 'hi'], type: 'STRING_ARRAY' },
                  env: { value: { NAP: '${nap__sleep_seconds}s', MODE: 'fast' }, type: 'STRING_MAP' },
                },
              },
            },
          },
        },
      ]),
    );
    const [noop, sleep, http, shell] = sut.definition.steps;
    expect(noop).toEqual({ id: 'nothing', type: 'noop' });
    expect(sleep).toEqual({ id: 'nap', type: 'sleep', duration: '90s' });
    expect(http).toMatchObject({
      type: 'http',
      url: { expression: "'http://h/' + string(int(90.0))" },
      method: 'PUT',
      headers: { a: 'b' },
    });
    expect(shell).toMatchObject({
      type: 'shell',
      command: ['echo', 'hi'],
      env: { NAP: { expression: "string(int(90.0)) + 's'" }, MODE: 'fast' },
    });
    expect(sut.at('$.workflow.steps[3].step.params.kubernetes.value')[0].message).toContain(
      'not in a container',
    );
  });

  it('maps failure modes, timeouts and names; reports step tags and signal outputs', () => {
    const sut = convert(
      workflowOf([
        {
          step: {
            id: 'a',
            type: 'NoOp',
            name: 'A',
            failure_mode: 'IGNORE_FAILURE',
            timeout: '1 hour 30 minutes',
          },
        },
        { step: { id: 'b', type: 'NoOp', failure_mode: 'fail_after_running', timeout: 45 } },
      ]),
    );
    expect(sut.definition.steps[0]).toMatchObject({ name: 'A', failure_mode: 'ignore', timeout: '1h30m' });
    expect(sut.definition.steps[1]).toMatchObject({ failure_mode: 'finish_running', timeout: '45s' });
    const odd = convert(unsupported);
    expect(odd.at('$.workflow.steps[2].step.tags')[0].kind).toBe('unmapped');
    expect(odd.at('$.workflow.steps[2].step.signal_outputs')[0].kind).toBe('unmapped');
  });
});

describe('signal dependencies', () => {
  it('become wait_for_signal steps between the step and its predecessors, readable by the step', () => {
    const sut = convert(signalDependencies);
    const byId = Object.fromEntries(sut.definition.steps.map((s: { id: string }) => [s.id, s]));
    // Signal names hold `/` since Baton accepts them: the second dependency waits too.
    expect(byId.start.next).toEqual(['consume_signal_0', 'consume_signal_1']);
    expect(byId.consume_signal_1).toMatchObject({ type: 'wait_for_signal', signal: 'warehouse/customers' });
    expect(byId.consume_signal_0).toEqual({
      id: 'consume_signal_0',
      type: 'wait_for_signal',
      signal: 'warehouse.orders',
      match: { day: { expression: 'params.day' } },
      outputs: { params: 'result.params' },
      next: ['consume'],
    });
    expect(byId.consume.params).toEqual({
      seen: { expression: 'steps.consume_signal_0.outputs.params.day' },
    });
  });

  it('reports a match by another operator than =, and takes a signal name with /', () => {
    const sut = convert(signalDependencies);
    expect(sut.at('$.workflow.steps[1].step.signal_dependencies[0].match_params.hour')[0].message).toContain(
      'operator >=',
    );
    expect(sut.at('$.workflow.steps[1].step.signal_dependencies[1]')).toEqual([]);
  });
});
