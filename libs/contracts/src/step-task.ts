import type { JsonObject, JsonValue } from '@baton/domain/shared/json';

/**
 * The step-ready task protocol, version 1: what the engine publishes on an
 * executor pool's topic and what an executor hands to a `StepRuntime`, plus
 * the `StepOutcome` the executor reports back. Workers in other languages
 * implement the same JSON (see `libs/executor/TASK_PROTOCOL.md`), so every
 * field is documented here and every change bumps `schemaVersion`.
 *
 * Everything is already resolved by the engine: params, env, url, headers and
 * body hold final values, no expressions. An executor never evaluates CEL.
 */
export const STEP_TASK_SCHEMA_VERSION = 1;

interface StepTaskCommon {
  /** Protocol version; an executor rejects (platform error) a version it does not know. */
  readonly schemaVersion: typeof STEP_TASK_SCHEMA_VERSION;
  /** The run this attempt belongs to. */
  readonly runId: string;
  readonly workflowId: string;
  readonly workflowVersion: number;
  /** The step's id inside the workflow version (unique there). */
  readonly stepId: string;
  /**
   * 1 for the first attempt, +1 per retry, counting user, platform and
   * timeout retries alike. (runId, stepId, attempt) identifies the attempt;
   * the engine rejects reports for any other attempt as stale.
   */
  readonly attempt: number;
  /** The executor pool the task was published to. */
  readonly pool: string;
  /** The step's params with their final values for this attempt. */
  readonly params: Readonly<Record<string, JsonValue>>;
  /**
   * Per-attempt limit in milliseconds, measured by the executor from the start
   * of the attempt; absent means no limit. Exceeding it ends the attempt as
   * `failed/timeout`.
   */
  readonly timeoutMs?: number;
  /**
   * The executor must report "started" and then heartbeat at least once every
   * `leaseMs`; without a heartbeat the engine considers the executor lost and
   * retries the step as a platform error. Runtimes do not use it.
   */
  readonly leaseMs: number;
}

/** Does nothing and succeeds; used for joins and placeholders. */
export type NoopSpec = Readonly<Record<string, never>>;

export interface ShellSpec {
  /** argv: `command[0]` is looked up on PATH and run without a shell with `command.slice(1)`. Never empty. */
  readonly command: readonly string[];
  /** Extra environment, resolved to strings. See `shell.runtime.ts` for precedence. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute directory to run in; absent means a fresh, private temp dir removed after the attempt. */
  readonly workingDirectory?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface HttpSpec {
  readonly method: HttpMethod;
  /** Absolute http(s) URL. */
  readonly url: string;
  /** Request headers, resolved to strings. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Absent: no body. A string is sent as is; any other JSON value is sent
   * JSON-encoded with `content-type: application/json` unless a content-type
   * header is given.
   */
  readonly body?: JsonValue;
  /** Statuses that count as success; absent means 200-299. */
  readonly successStatuses?: readonly number[];
}

export interface HandlerSpec {
  /** The name a handler was registered under in this pool. */
  readonly name: string;
}

export interface NoopTask extends StepTaskCommon {
  readonly type: 'noop';
  readonly spec: NoopSpec;
}

export interface ShellTask extends StepTaskCommon {
  readonly type: 'shell';
  readonly spec: ShellSpec;
}

export interface HttpTask extends StepTaskCommon {
  readonly type: 'http';
  readonly spec: HttpSpec;
}

export interface HandlerTask extends StepTaskCommon {
  readonly type: 'handler';
  readonly spec: HandlerSpec;
}

/** A step-ready task, discriminated by `type`; `spec` holds the type's settings. */
export type StepTask = NoopTask | ShellTask | HttpTask | HandlerTask;
export type StepTaskType = StepTask['type'];
export type StepTaskOf<T extends StepTaskType> = Extract<StepTask, { readonly type: T }>;

/** The last bytes a stream produced, never more than the runtime's limit. */
export interface StreamTail {
  /** UTF-8 text of the kept bytes (starts on a character boundary). */
  readonly text: string;
  /** Bytes the stream produced that are not in `text` (dropped from the front). 0 when nothing was lost. */
  readonly truncatedBytes: number;
}

/**
 * Bounded logs of one attempt (64 KiB per stream by default). Shell steps
 * fill both from the process; HTTP writes a request summary to stdout;
 * handlers' `log(line)` goes to stdout and a thrown error's stack to stderr.
 */
export interface LogTail {
  readonly stdout: StreamTail;
  readonly stderr: StreamTail;
}

/**
 * Why an attempt failed; the engine picks the retry budget from it.
 * - `user`: the step's own fault (non-zero exit, command not found, HTTP
 *   status outside the success set, connection refused, handler threw);
 * - `platform`: the executor's fault (bad task, runtime bug, cannot create
 *   a temp dir);
 * - `timeout`: `timeoutMs` elapsed;
 * - `cancelled`: the executor's abort signal fired (run cancelled).
 */
export type ErrorKind = 'user' | 'platform' | 'timeout' | 'cancelled';

export interface StepSucceeded {
  readonly status: 'succeeded';
  /** The step's result; step `outputs` are CEL expressions over it. Type-specific shape. */
  readonly result: JsonValue;
  readonly logs: LogTail;
}

export interface StepFailed {
  readonly status: 'failed';
  readonly errorKind: ErrorKind;
  /** One human-readable paragraph: what failed and the relevant tail of output. */
  readonly message: string;
  /** What is known about the failed attempt (exit code, HTTP status...), when anything is. */
  readonly result?: JsonValue;
  readonly logs: LogTail;
}

export type StepOutcome = StepSucceeded | StepFailed;

export const EMPTY_TAIL: StreamTail = { text: '', truncatedBytes: 0 };
export const EMPTY_LOGS: LogTail = { stdout: EMPTY_TAIL, stderr: EMPTY_TAIL };

export function succeeded(result: JsonValue, logs: LogTail = EMPTY_LOGS): StepSucceeded {
  return { status: 'succeeded', result, logs };
}

export function failed(
  errorKind: ErrorKind,
  message: string,
  logs: LogTail = EMPTY_LOGS,
  result?: JsonObject,
): StepFailed {
  return result === undefined
    ? { status: 'failed', errorKind, message, logs }
    : { status: 'failed', errorKind, message, result, logs };
}
