import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { SEALED_SECRET_PREFIX, SECRET_REF_PREFIX, SECRET_TOKEN_PATTERN, type JsonValue } from '@baton/domain';
import {
  failed,
  type StepFailed,
  type StepOutcome,
  type StepTask,
  type StepTaskOf,
  type StepTaskType,
} from '@baton/contracts';

/** What opens sealed tokens: the platform's `SecretSealer`. */
export interface SecretUnsealer {
  unseal(token: string): string;
}

export interface StepSecretsOptions {
  /** Null when this executor holds no secrets key: a task with a sealed value then fails (platform error). */
  readonly sealer: SecretUnsealer | null;
  /** Where `env:NAME` references are read: the executor's environment, passed by the app. Default none. */
  readonly env?: NodeJS.ProcessEnv;
  /** `BATON_SECRET_FILES_DIR`: the only directory `file:PATH` references may read from. Default `/run/secrets`. */
  readonly filesDir?: string;
}

/** What the masked outcome shows instead of a secret. */
const MASK = '***';
/** The executor's own settings (keys, tokens, credentials) are never a step's to read. */
const FORBIDDEN_ENV = /^BATON_/;

type Resolved =
  { readonly task: StepTask; readonly clear: readonly string[] } | { readonly error: StepFailed };

/**
 * Turns a task's sealed tokens and secret references into clear values, on
 * the executor only and only where a step reads its inputs: params (the
 * shell runtime's `BATON_PARAM_*` variables, a handler's params), a shell
 * step's `env`, an HTTP step's url, headers and body. A token anywhere inside
 * such a string is replaced (`'Bearer ' + params.token` works). A shell
 * step's argv is left alone: a command line is visible to every user of the
 * machine (`ps`), so a secret reaches a shell step through its environment only.
 *
 * `mask` then replaces every clear value in what the attempt reports (its
 * message, log tails and result) with `***`, so a step that prints its
 * secret or an HTTP target that echoes it cannot carry it back into the log.
 */
export class StepSecrets {
  private readonly env: NodeJS.ProcessEnv;
  private readonly filesDir: string;

  constructor(private readonly options: StepSecretsOptions) {
    this.env = options.env ?? {};
    this.filesDir = options.filesDir ?? '/run/secrets';
  }

  async resolve(task: StepTask): Promise<Resolved> {
    const tokens = new Set<string>();
    collectTokens(task.params, tokens);
    collectTokens(stepInputs(task), tokens);
    if (tokens.size === 0) return { task, clear: [] };
    const values = new Map<string, string>();
    for (const token of tokens) {
      const value = await this.open(token);
      if (typeof value !== 'string') return { error: value };
      values.set(token, value);
    }
    const swap = <T extends JsonValue>(value: T): T => substitute(value, values);
    return { task: withInputs(task, swap), clear: [...new Set(values.values())].filter((v) => v !== '') };
  }

  private async open(token: string): Promise<string | StepFailed> {
    if (token.startsWith(SEALED_SECRET_PREFIX)) {
      if (this.options.sealer === null) {
        return failed(
          'platform',
          'the step has a sealed secret and this executor holds no secrets key (BATON_SECRETS_KEY)',
        );
      }
      try {
        return this.options.sealer.unseal(token);
      } catch (error) {
        return failed(
          'platform',
          `a sealed secret of the step cannot be opened: ${(error as Error).message}`,
        );
      }
    }
    const reference = token.slice(SECRET_REF_PREFIX.length);
    return reference.startsWith('env:')
      ? this.fromEnv(reference.slice(4))
      : this.fromFile(reference.slice(5));
  }

  private fromEnv(name: string): string | StepFailed {
    if (FORBIDDEN_ENV.test(name)) {
      return failed(
        'user',
        `secret reference env:${name}: BATON_* variables are the executor's own settings`,
      );
    }
    const value = this.env[name];
    return value === undefined
      ? failed('user', `secret reference env:${name} is not set on this executor`)
      : value;
  }

  private async fromFile(path: string): Promise<string | StepFailed> {
    try {
      const root = await realpath(this.filesDir);
      const target = await realpath(isAbsolute(path) ? path : join(root, path));
      const inside = relative(root, target);
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
        return failed(
          'user',
          `secret reference file:${path} is outside the secret files directory (BATON_SECRET_FILES_DIR)`,
        );
      }
      // One trailing newline is the file's, not the secret's (`echo secret > file`).
      return (await readFile(target, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      return failed(
        'user',
        `secret reference file:${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }

  /** The outcome with every clear value replaced by `***`. */
  mask(outcome: StepOutcome, clear: readonly string[]): StepOutcome {
    if (clear.length === 0) return outcome;
    const text = maskerOf(clear);
    const logs = {
      stdout: { ...outcome.logs.stdout, text: text(outcome.logs.stdout.text) },
      stderr: { ...outcome.logs.stderr, text: text(outcome.logs.stderr.text) },
    };
    if (outcome.status === 'succeeded') return { ...outcome, result: mapStrings(outcome.result, text), logs };
    return {
      ...outcome,
      message: text(outcome.message),
      logs,
      ...(outcome.result === undefined ? {} : { result: mapStrings(outcome.result, text) }),
    };
  }
}

/** Replaces each clear value, longest first (so a secret containing another is masked whole). */
export function maskerOf(clear: readonly string[]): (text: string) => string {
  const sorted = [...clear].sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((out, secret) => out.split(secret).join(MASK), text);
}

/**
 * The spec fields of each task type that carry resolved values (where a
 * step reads its inputs, so where secrets are opened); keyed by the
 * protocol's types, so a new type does not compile without its entry.
 */
const SECRET_INPUTS: { readonly [T in StepTaskType]: readonly (keyof StepTaskOf<T>['spec'] & string)[] } = {
  noop: [],
  shell: ['env'],
  http: ['url', 'headers', 'body'],
  handler: [],
};

/** The task's spec as plain values (every spec is JSON). */
function specOf(task: StepTask): Readonly<Record<string, JsonValue | undefined>> {
  return task.spec as unknown as Readonly<Record<string, JsonValue | undefined>>;
}

function stepInputs(task: StepTask): JsonValue {
  const spec = specOf(task);
  return SECRET_INPUTS[task.type].map((field) => spec[field] ?? null);
}

function withInputs(task: StepTask, swap: <T extends JsonValue>(value: T) => T): StepTask {
  const spec: Record<string, JsonValue | undefined> = { ...specOf(task) };
  for (const field of SECRET_INPUTS[task.type]) {
    const value = spec[field];
    if (value !== undefined) spec[field] = swap(value);
  }
  // Same type, same fields: only values inside the listed fields were swapped.
  return { ...task, params: swap(task.params as JsonValue) as StepTask['params'], spec } as StepTask;
}

function collectTokens(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(SECRET_TOKEN_PATTERN)) into.add(match[0]);
  } else if (Array.isArray(value)) {
    for (const item of value) collectTokens(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectTokens(item, into);
  }
}

function substitute<T extends JsonValue>(value: T, values: ReadonlyMap<string, string>): T {
  return mapStrings(value, (text) =>
    text.replace(SECRET_TOKEN_PATTERN, (token) => values.get(token) ?? token),
  );
}

function mapStrings<T extends JsonValue>(value: T, f: (text: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, f)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  }
  return value;
}
