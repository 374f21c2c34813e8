import type { JsonValue } from '@baton/domain/shared/json';
import { HandlerRegistry, HandlerRuntime, type HandlerContext } from './handler.runtime';
import type { HandlerTask } from '@baton/contracts';

function handlerTask(name: string, overrides: Partial<HandlerTask> = {}): HandlerTask {
  return {
    schemaVersion: 1,
    runId: 'run-1',
    workflowId: 'wf',
    workflowVersion: 1,
    stepId: 'compute',
    attempt: 1,
    pool: 'ml',
    params: { a: 2, b: 3 },
    leaseMs: 30_000,
    type: 'handler',
    ...overrides,
    spec: { name },
  };
}

const never = new AbortController().signal;

describe('HandlerRuntime', () => {
  it('succeeds with what the handler returns, with its log lines', async () => {
    const handlers = new HandlerRegistry().register('sum', async (params, ctx) => {
      ctx.log(`adding for ${ctx.runId}/${ctx.stepId}#${ctx.attempt}`);
      return { total: (params.a as number) + (params.b as number) };
    });
    const sut = new HandlerRuntime(handlers);
    const lines: string[] = [];

    const outcome = await sut.run(handlerTask('sum'), {
      signal: never,
      onLog: (_s, chunk) => lines.push(chunk),
    });

    expect(outcome).toEqual({
      status: 'succeeded',
      result: { total: 5 },
      logs: {
        stdout: { text: 'adding for run-1/compute#1\n', truncatedBytes: 0 },
        stderr: { text: '', truncatedBytes: 0 },
      },
    });
    expect(lines).toEqual(['adding for run-1/compute#1\n']);
  });

  it('fails as a user error with the message when the handler throws', async () => {
    const sut = new HandlerRuntime(
      new HandlerRegistry().register('boom', async () => {
        throw new Error('quota exceeded');
      }),
    );

    const outcome = await sut.run(handlerTask('boom'), { signal: never });

    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      message: 'handler boom failed: quota exceeded',
    });
    expect(outcome.logs.stderr.text).toContain('Error: quota exceeded');
  });

  it('treats a synchronous throw like a rejection', async () => {
    const sut = new HandlerRuntime(
      new HandlerRegistry().register('sync', (() => {
        throw new Error('sync boom');
      }) as unknown as () => Promise<JsonValue>),
    );

    const outcome = await sut.run(handlerTask('sync'), { signal: never });

    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      message: 'handler sync failed: sync boom',
    });
  });

  it('fails as a user error naming the pool when no handler has that name', async () => {
    const sut = new HandlerRuntime(new HandlerRegistry());

    const outcome = await sut.run(handlerTask('train'), { signal: never });

    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      message: 'no handler named train registered in pool ml',
    });
  });

  it('passes the abort signal through and ends the attempt as cancelled', async () => {
    let seen: HandlerContext['signal'] | undefined;
    const sut = new HandlerRuntime(
      new HandlerRegistry().register('wait', (_params, ctx) => {
        seen = ctx.signal;
        return new Promise<JsonValue>(() => undefined); // ignores the signal on purpose
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const outcome = await sut.run(handlerTask('wait'), { signal: controller.signal });

    expect(outcome).toMatchObject({ status: 'failed', errorKind: 'cancelled' });
    expect(seen?.aborted).toBe(true);
  });

  it('times out a handler that runs too long', async () => {
    const sut = new HandlerRuntime(
      new HandlerRegistry().register(
        'slow',
        (_params, ctx) =>
          new Promise<JsonValue>((_resolve, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
          ),
      ),
    );

    const outcome = await sut.run(handlerTask('slow', { timeoutMs: 50 }), { signal: never });

    expect(outcome).toMatchObject({
      status: 'failed',
      errorKind: 'timeout',
      message: 'step timed out after 50 ms',
    });
  });

  it('fails as a user error when the handler returns something that is not JSON', async () => {
    const sut = new HandlerRuntime(
      new HandlerRegistry().register('date', async () => ({ at: new Date(0) }) as unknown as JsonValue),
    );

    const outcome = await sut.run(handlerTask('date'), { signal: never });

    expect(outcome).toMatchObject({ status: 'failed', errorKind: 'user' });
  });

  it('refuses to register a name twice', () => {
    const registry = new HandlerRegistry().register('x', async () => null);

    expect(() => registry.register('x', async () => null)).toThrow('a handler named x is already registered');
    expect(registry.names()).toEqual(['x']);
  });
});
