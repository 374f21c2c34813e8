import { HandlerRegistry, HandlerRuntime } from './handler.runtime';
import { HttpRuntime } from './http.runtime';
import { NoopRuntime } from './noop.runtime';
import { ShellRuntime } from './shell.runtime';
import { StepRuntimes, type StepRuntime, type StepRuntimeTable } from './step-runtime';
import type { NoopTask, StepTask } from '@baton/contracts';

const noopTask: NoopTask = {
  schemaVersion: 1,
  runId: 'run-1',
  workflowId: 'wf',
  workflowVersion: 1,
  stepId: 'join',
  attempt: 1,
  pool: 'default',
  params: {},
  leaseMs: 30_000,
  type: 'noop',
  spec: {},
};

const never = new AbortController().signal;

function table(overrides: Partial<StepRuntimeTable> = {}): StepRuntimeTable {
  return {
    noop: new NoopRuntime(),
    shell: new ShellRuntime(),
    http: new HttpRuntime(),
    handler: new HandlerRuntime(new HandlerRegistry().register('hello', async () => 'hi')),
    ...overrides,
  };
}

describe('StepRuntimes', () => {
  const sut = new StepRuntimes(table());

  it('runs a noop task: succeeded with {}', async () => {
    expect(await sut.run(noopTask, { signal: never })).toMatchObject({ status: 'succeeded', result: {} });
  });

  it('dispatches each task to the runtime of its type', async () => {
    const shell: StepTask = {
      ...noopTask,
      type: 'shell',
      spec: { command: ['echo', 'from shell'], env: {} },
    };
    const handler: StepTask = { ...noopTask, type: 'handler', spec: { name: 'hello' } };

    expect(await sut.run(shell, { signal: never })).toMatchObject({
      logs: { stdout: { text: 'from shell\n' } },
    });
    expect(await sut.run(handler, { signal: never })).toMatchObject({ status: 'succeeded', result: 'hi' });
  });

  it('fails as a platform error for a schema version it does not know', async () => {
    const future = { ...noopTask, schemaVersion: 2 } as unknown as StepTask;

    expect(await sut.run(future, { signal: never })).toMatchObject({
      status: 'failed',
      errorKind: 'platform',
      message: 'unsupported step task schemaVersion 2',
    });
  });

  it('fails as a platform error for a step type it does not know', async () => {
    const future = { ...noopTask, type: 'spark' } as unknown as StepTask;

    expect(await sut.run(future, { signal: never })).toMatchObject({
      status: 'failed',
      errorKind: 'platform',
      message: 'this executor does not support step type "spark"',
    });
  });

  it('turns a runtime that throws into a platform error', async () => {
    const broken: StepRuntime<'noop'> = {
      type: 'noop',
      run: async () => {
        throw new Error('bug');
      },
    };

    const outcome = await new StepRuntimes(table({ noop: broken })).run(noopTask, { signal: never });

    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'platform',
      message: 'noop runtime crashed: bug',
    });
  });

  it('rejects a table whose runtime does not match its key', () => {
    const wrong = { ...table(), noop: new HttpRuntime() } as unknown as StepRuntimeTable;

    expect(() => new StepRuntimes(wrong)).toThrow("runtime for 'noop' declares type 'http'");
  });
});

describe('NoopRuntime', () => {
  it('reports cancelled when the attempt is already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();

    expect(await new NoopRuntime().run(noopTask, { signal: controller.signal })).toMatchObject({
      status: 'failed',
      errorKind: 'cancelled',
    });
  });
});
