import type { LogStream } from './log-tail';
import type { StepSecrets } from './step-secrets';
import {
  STEP_TASK_SCHEMA_VERSION,
  failed,
  type StepOutcome,
  type StepTask,
  type StepTaskOf,
  type StepTaskType,
} from '@baton/contracts';

export interface RunContext {
  /** Aborted when the executor cancels the attempt (run cancelled, executor shutting down). */
  readonly signal: AbortSignal;
  /** Live log chunks as they are produced (for streaming to the read model); tails are kept regardless. */
  readonly onLog?: (stream: LogStream, chunk: string) => void;
}

/**
 * Runs one attempt of one step type. `run` never throws and never outlives
 * the attempt: every failure, including a timeout or cancel, is a
 * `failed` outcome with an `errorKind`.
 *
 * @example
 *   const outcome = await new ShellRuntime().run(task, { signal: controller.signal });
 *   if (outcome.status === 'failed' && outcome.errorKind === 'user') { ... }
 */
export interface StepRuntime<T extends StepTaskType = StepTaskType> {
  readonly type: T;
  run(task: StepTaskOf<T>, ctx: RunContext): Promise<StepOutcome>;
}

/** One runtime per step type; the compiler checks that each one matches its key. */
export type StepRuntimeTable = { readonly [T in StepTaskType]: StepRuntime<T> };

/**
 * The registration table an executor pool runs tasks through.
 *
 * @example
 *   const runtimes = new StepRuntimes({
 *     noop: new NoopRuntime(),
 *     shell: new ShellRuntime(),
 *     http: new HttpRuntime(),
 *     handler: new HandlerRuntime(handlers),
 *   });
 *   const outcome = await runtimes.run(task, { signal });
 */
export class StepRuntimes {
  /** `secrets`: opens the task's sealed values and references first, and masks them in the outcome (`StepSecrets`). */
  constructor(
    private readonly table: StepRuntimeTable,
    private readonly secrets: StepSecrets | null = null,
  ) {
    for (const [type, runtime] of Object.entries(table)) {
      if (runtime.type !== type) throw new Error(`runtime for '${type}' declares type '${runtime.type}'`);
    }
  }

  /**
   * Dispatches on `task.type`. A task this executor cannot run (unknown
   * schema version or type, e.g. from a newer engine) and a runtime that
   * throws (a bug) both become `failed/platform`, so the step is retried
   * elsewhere instead of crashing the pool.
   */
  async run(task: StepTask, ctx: RunContext): Promise<StepOutcome> {
    if (task.schemaVersion !== STEP_TASK_SCHEMA_VERSION) {
      return failed('platform', `unsupported step task schemaVersion ${String(task.schemaVersion)}`);
    }
    if (this.secrets === null) return this.guarded(task, ctx);
    const opened = await this.secrets.resolve(task);
    if ('error' in opened) return opened.error;
    const outcome = await this.guarded(opened.task, ctx);
    return this.secrets.mask(outcome, opened.clear);
  }

  private async guarded(task: StepTask, ctx: RunContext): Promise<StepOutcome> {
    try {
      return await this.dispatch(task, ctx);
    } catch (error) {
      return failed('platform', `${task.type} runtime crashed: ${describeError(error)}`);
    }
  }

  private dispatch(task: StepTask, ctx: RunContext): Promise<StepOutcome> {
    switch (task.type) {
      case 'noop':
        return this.table.noop.run(task, ctx);
      case 'shell':
        return this.table.shell.run(task, ctx);
      case 'http':
        return this.table.http.run(task, ctx);
      case 'handler':
        return this.table.handler.run(task, ctx);
      default:
        return Promise.resolve(unsupportedType(task));
    }
  }
}

function unsupportedType(task: never): StepOutcome {
  const type = (task as { type?: unknown }).type;
  return failed('platform', `this executor does not support step type ${JSON.stringify(type)}`);
}

/**
 * The message of anything thrown. Duck-typed rather than `instanceof Error`:
 * errors from another realm (Node's fetch under a test VM, a worker) fail
 * `instanceof` but are errors all the same.
 */
export function describeError(error: unknown): string {
  if (isErrorLike(error)) return error.message || error.name || 'error';
  return String(error);
}

export function isErrorLike(
  value: unknown,
): value is { message: string; name?: string; code?: string; stack?: string; cause?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
