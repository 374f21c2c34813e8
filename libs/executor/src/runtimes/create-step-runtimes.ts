import { HandlerRuntime, type HandlerRegistry } from './handler.runtime';
import { HttpRuntime, type HttpRuntimeOptions } from './http.runtime';
import { NoopRuntime } from './noop.runtime';
import { ShellPolicyRuntime, type ShellPolicy } from './shell-policy';
import { ShellRuntime, type ShellRuntimeOptions } from './shell.runtime';
import { StepRuntimes } from './step-runtime';
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

/** The runtimes of one executor pool: noop, shell (behind its policy), http, the pool's handlers. */
export function createStepRuntimes(
  handlers: HandlerRegistry,
  options: StepRuntimesOptions = {},
): StepRuntimes {
  const shell = new ShellRuntime(options.shell);
  return new StepRuntimes(
    {
      noop: new NoopRuntime(),
      shell: options.shellPolicy ? new ShellPolicyRuntime(shell, options.shellPolicy) : shell,
      http: new HttpRuntime(options.http),
      handler: new HandlerRuntime(handlers),
    },
    options.secrets ? new StepSecrets(options.secrets) : null,
  );
}
