import type { JsonValue } from '@baton/domain/shared/json';
import { AttemptSignal, stopMessage, type StopReason } from './attempt-signal';
import { LogCollector } from './log-tail';
import { describeError, isErrorLike, type RunContext, type StepRuntime } from './step-runtime';
import { failed, succeeded, type HandlerTask, type StepOutcome } from '@baton/contracts';

export interface HandlerContext {
  /** Aborted on the attempt's timeout or cancel; long handlers must honour it. */
  readonly signal: AbortSignal;
  /** One line to the step's stdout log. */
  log(line: string): void;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
}

/** A TypeScript step: resolved params in, JSON result out. Throwing fails the attempt as a user error. */
export type StepHandler = (
  params: Readonly<Record<string, JsonValue>>,
  ctx: HandlerContext,
) => Promise<JsonValue>;

/**
 * The handlers one executor pool offers, by name.
 *
 * @example
 *   const handlers = new HandlerRegistry().register('sum', async (params) => {
 *     return { total: (params.a as number) + (params.b as number) };
 *   });
 *   new HandlerRuntime(handlers, 'default');
 */
export class HandlerRegistry {
  private readonly handlers = new Map<string, StepHandler>();

  /** Registers `fn` under `name`; registering a name twice is a wiring bug and throws. */
  register(name: string, fn: StepHandler): this {
    if (this.handlers.has(name)) throw new Error(`a handler named ${name} is already registered`);
    this.handlers.set(name, fn);
    return this;
  }

  get(name: string): StepHandler | undefined {
    return this.handlers.get(name);
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}

/**
 * Calls the registered handler named by `spec.name`. A function cannot be
 * killed: on timeout or cancel the attempt ends at once with
 * `failed/timeout|cancelled` and the handler, told through `ctx.signal`, is
 * left to stop on its own; whatever it returns later is ignored.
 */
export class HandlerRuntime implements StepRuntime<'handler'> {
  readonly type = 'handler' as const;

  constructor(private readonly handlers: HandlerRegistry) {}

  async run(task: HandlerTask, ctx: RunContext): Promise<StepOutcome> {
    const name = task.spec.name;
    const handler = this.handlers.get(name);
    if (handler === undefined) {
      return failed('user', `no handler named ${name} registered in pool ${task.pool}`);
    }
    if (ctx.signal.aborted) return failed('cancelled', 'step cancelled');

    const logs = new LogCollector(undefined, ctx.onLog);
    const attempt = new AttemptSignal(ctx.signal, task.timeoutMs);
    const handlerContext: HandlerContext = {
      signal: attempt.signal,
      log: (line) => logs.line('stdout', line),
      runId: task.runId,
      stepId: task.stepId,
      attempt: task.attempt,
    };
    const stopped = new Promise<StopReason>((resolve) => {
      attempt.signal.addEventListener('abort', () => resolve(attempt.reason ?? 'cancelled'), { once: true });
    });
    try {
      const settled = await Promise.race([
        invoke(handler, task.params, handlerContext).then((value) => ({ kind: 'returned' as const, value })),
        stopped.then((reason) => ({ kind: 'stopped' as const, reason })),
      ]);
      switch (settled.kind) {
        case 'stopped':
          return failed(settled.reason, stopMessage(settled.reason, task.timeoutMs), logs.logs());
        case 'returned': {
          const outcome = settled.value;
          if (outcome.ok) {
            if (!isJson(outcome.value)) {
              return failed('user', `handler ${name} returned a value that is not plain JSON`, logs.logs());
            }
            return succeeded(outcome.value, logs.logs());
          }
          const error = outcome.error;
          logs.line('stderr', isErrorLike(error) && error.stack ? error.stack : describeError(error));
          return failed('user', `handler ${name} failed: ${describeError(error)}`, logs.logs());
        }
        default:
          return assertNever(settled);
      }
    } finally {
      attempt.dispose();
    }
  }
}

type Invocation =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Calls the handler, turning a synchronous throw and a rejection alike into a value. */
async function invoke(
  handler: StepHandler,
  params: Readonly<Record<string, JsonValue>>,
  ctx: HandlerContext,
): Promise<Invocation> {
  try {
    return { ok: true, value: await handler(params, ctx) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Plain JSON only: no undefined, functions, NaN/Infinity, bigint, class instances or cycles. */
function isJson(value: unknown, seen: Set<object> = new Set()): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object') return false;
  if (seen.has(value)) return false;
  seen.add(value);
  const ok = Array.isArray(value)
    ? value.every((item) => isJson(item, seen))
    : (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) &&
      Object.values(value).every((item) => isJson(item, seen));
  seen.delete(value);
  return ok;
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
