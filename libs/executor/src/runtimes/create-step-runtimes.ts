import { HandlerRuntime, type HandlerRegistry } from './handler.runtime';
import { HttpRuntime, type HttpRuntimeOptions } from './http.runtime';
import { NoopRuntime } from './noop.runtime';
import { ShellPolicyRuntime, type ShellPolicy } from './shell-policy';
import { ShellRuntime, type ShellRuntimeOptions } from './shell.runtime';
import { StepRuntimes, type StepRuntimeTable } from './step-runtime';
import { StepSecrets, type StepSecretsOptions } from './step-secrets';

/** How an executor pool's runtimes are set up; every field optional. */
export interface StepRuntimesOptions {
  readonly shell?: ShellRuntimeOptions;
  /** Which shell steps run at all; default every one. */
  readonly shellPolicy?: ShellPolicy;
  readonly http?: HttpRuntimeOptions;
  /** Sealed secrets and references; absent: tasks pass as they are (tokens stay tokens). */
  readonly secrets?: StepSecretsOptions;
}

/**
 * Baton's runtime table (type → runtime): noop, shell (behind its policy),
 * http, the pool's handlers. Composition roots pass it to
 * `ExecutorPoolModule.forPool({ runtimes })`; a process that runs other
 * runtimes builds its own table (the compiler checks every type has one).
 */
export function defaultStepRuntimeTable(
  handlers: HandlerRegistry,
  options: Omit<StepRuntimesOptions, 'secrets'> = {},
): StepRuntimeTable {
  const shell = new ShellRuntime(options.shell);
  return {
    noop: new NoopRuntime(),
    shell: options.shellPolicy ? new ShellPolicyRuntime(shell, options.shellPolicy) : shell,
    http: new HttpRuntime(options.http),
    handler: new HandlerRuntime(handlers),
  };
}

/** The default table behind the secrets step (when `options.secrets` is given). */
export function createStepRuntimes(
  handlers: HandlerRegistry,
  options: StepRuntimesOptions = {},
): StepRuntimes {
  return new StepRuntimes(
    defaultStepRuntimeTable(handlers, options),
    options.secrets ? new StepSecrets(options.secrets) : null,
  );
}
