import type { ParamDefinition, StepDefinition } from '../workflow/workflow-definition';
import { cmd, edge, ev, step, T0, workflow } from './testing/fixtures';
import { given, givenCommands } from './testing/given-when-then';

const param = (name: string, extra: Partial<ParamDefinition> = {}): ParamDefinition => ({
  name,
  type: 'string',
  required: false,
  ...extra,
});

describe('run params', () => {
  const params = [
    param('region', { required: true }),
    param('target', { expression: "params.region + '-bucket'" }),
    param('retries', { type: 'long', default: 3 }),
    param('note'),
  ];
  const definition = workflow([step('a')], [], { params });

  it('resolves given values, then expressions over earlier params, then defaults', () => {
    const outcome = given().when(cmd.start(definition, { region: 'eu' }));
    expect(outcome.events[0]).toMatchObject({
      type: 'RunStarted',
      params: { region: 'eu', target: 'eu-bucket', retries: 3 },
    });
  });

  it('lets a given value win over the expression and the default', () => {
    const outcome = given().when(cmd.start(definition, { region: 'eu', target: 'mine', retries: 5 }));
    expect(outcome.events[0]).toMatchObject({ params: { region: 'eu', target: 'mine', retries: 5 } });
  });

  it('refuses the run when a required param is missing (no run is started)', () => {
    const outcome = given().when(cmd.start(definition, {})).thenRejected('InvalidParams');
    expect(outcome.events[0]).toMatchObject({
      message: 'missing required params: region; give them in the run request',
    });
    expect(outcome.after).toEqual({ status: 'absent', lastSeq: 1 });
  });

  it('refuses a param of the wrong type and an undeclared param', () => {
    given()
      .when(cmd.start(definition, { region: 'eu', retries: 1.5 }))
      .thenRejected('InvalidParams');
    given()
      .when(cmd.start(definition, { region: 'eu', regoin: 'us' }))
      .thenRejected('InvalidParams');
  });

  it('refuses the run when a param expression cannot be evaluated', () => {
    const broken = workflow([step('a')], [], { params: [param('x', { expression: 'params.nope' })] });
    given().when(cmd.start(broken)).thenRejected('InvalidParams');
  });

  it('accepts a corrected StartRun after a refused one', () => {
    given().when(cmd.start(definition, {})).thenRejected('InvalidParams');
    const outcome = givenCommands().when(cmd.start(definition, { region: 'eu' }));
    expect(outcome.after.status).toBe('running');
  });
});

describe('step params and outputs', () => {
  const extract = step('extract', { outputs: { rows: 'result.count', bucket: 'params.bucket' } });
  const load = step('load', {
    params: {
      rows: { expression: 'steps.extract.outputs.rows' },
      attempt: { expression: 'step.attempt' },
      run: { expression: 'run.id' },
      fixed: { literal: [1, 2] },
    },
  });
  const definition = workflow([extract, load], [edge('extract', 'load')], {
    params: [param('bucket', { default: 'b1' })],
  });

  it('evaluates outputs over the executor result and params over upstream outputs at ready time', () => {
    givenCommands(cmd.start(definition), cmd.started('extract'))
      .when(cmd.complete('extract', 1, 10, { count: 42 }))
      .then(
        ev.succeeded('extract', 1, { rows: 42, bucket: 'b1' }),
        ev.ready('load', 1, { rows: 42, attempt: 1, run: 'run-1', fixed: [1, 2] }),
      );
  });

  it('treats an output expression error as a user error of the attempt (retried within the limit)', () => {
    const retried = workflow([
      step('a', {
        outputs: { rows: 'result.count' },
        retry: {
          userErrorLimit: 1,
          platformErrorLimit: 0,
          timeoutLimit: 0,
          backoff: { kind: 'fixed', delayMs: 10 },
        },
      }),
    ]);
    givenCommands(cmd.start(retried), cmd.started('a'))
      .when(cmd.complete('a', 1, 10, { other: 1 }))
      .then(
        {
          type: 'StepFailed',
          stepId: 'a',
          attempt: 1,
          errorKind: 'user',
          message: expect.stringMatching(/^steps\.a\.outputs\.rows: .*count/),
          willRetry: true,
          branches: {},
        },
        { type: 'StepRetryScheduled', stepId: 'a', attempt: 2, delayMs: 10, fireAt: T0 + 20 },
      );
  });

  it('fails a step whose param expression cannot be evaluated, without retrying', () => {
    const broken = workflow([
      step('a', {
        params: { x: { expression: 'params.nope' } },
        retry: {
          userErrorLimit: 3,
          platformErrorLimit: 0,
          timeoutLimit: 0,
          backoff: { kind: 'fixed', delayMs: 10 },
        },
      }),
    ]);
    const outcome = given().when(cmd.start(broken));
    expect(outcome.events.map((e) => e.type)).toEqual(['RunStarted', 'StepFailed', 'RunFailed']);
    expect(outcome.events[1]).toMatchObject({
      willRetry: false,
      message: expect.stringMatching(/^steps\.a\.params\.x: .*nope/),
    });
  });

  it('fails a step whose param expression exceeds its cost budget, and the run with it, at once', () => {
    const poison = workflow(
      [step('a', { params: { x: { expression: 'params.big.exists(x, params.big.exists(y, x == -1.0))' } } })],
      [],
      { params: [param('big', { type: 'array' })] },
    );
    const began = performance.now();
    const outcome = given().when(
      cmd.start(poison, { big: Array.from({ length: 12_000 }, (_, i) => i + 0.5) }),
    );
    expect(outcome.events.map((e) => e.type)).toEqual(['RunStarted', 'StepFailed', 'RunFailed']);
    expect(outcome.events[1]).toMatchObject({
      errorKind: 'user',
      willRetry: false,
      message: expect.stringMatching(/^steps\.a\.params\.x: expression exceeded its cost budget/),
    });
    // Replayed after a restart, the same command decides the same, as fast: it cannot freeze the engine.
    expect(performance.now() - began).toBeLessThan(10_000);
  });

  it('resolves a shell step’s env and an http step’s url, headers and body into settings', () => {
    const common = {
      params: {},
      retry: step('x').retry,
      failureMode: 'fail_immediately',
      outputs: {},
      pool: 'io',
    } as const;
    const shell: StepDefinition = {
      ...common,
      id: 'sh',
      type: 'shell',
      command: ['echo'],
      env: { REGION: { expression: 'params.region' } },
    };
    const http: StepDefinition = {
      ...common,
      id: 'call',
      type: 'http',
      method: 'POST',
      url: { expression: "'https://x/' + params.region" },
      headers: { A: { literal: 'b' } },
      body: { literal: { k: 1 } },
    };
    const outcome = given().when(
      cmd.start(workflow([shell, http], [], { params: [param('region', { default: 'eu' })] })),
    );
    expect(outcome.events.slice(1)).toMatchObject([
      {
        type: 'StepReady',
        stepId: 'sh',
        settings: { env: { REGION: 'eu' } },
        dispatch: { kind: 'pool', pool: 'io' },
      },
      {
        type: 'StepReady',
        stepId: 'call',
        settings: { url: 'https://x/eu', headers: { A: 'b' }, body: { k: 1 } },
      },
    ]);
  });
});
