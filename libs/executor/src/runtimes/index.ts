export { HandlerRegistry, HandlerRuntime } from './handler.runtime';
export type { HandlerContext, StepHandler } from './handler.runtime';
export { HttpRuntime } from './http.runtime';
export type { HttpRuntimeOptions } from './http.runtime';
export type { LogStream } from './log-tail';
export { NoopRuntime } from './noop.runtime';
export { ShellRuntime, paramEnvName, paramEnvValue } from './shell.runtime';
export type { ShellRuntimeOptions } from './shell.runtime';
export { StepRuntimes } from './step-runtime';
export {
  createStepRuntimes,
  defaultStepRuntimeTable,
  type StepRuntimesOptions,
} from './create-step-runtimes';
export { shellRefusal, type ShellPolicy } from './shell-policy';
export { stepRuntimesFromEnv } from './runtimes-from-env';
export { DEFAULT_HTTP_DENY, HttpTargetPolicy, type HttpTargetPolicyOptions } from './http-target-policy';
export { StepSecrets, type SecretUnsealer, type StepSecretsOptions } from './step-secrets';
export type { RunContext, StepRuntime, StepRuntimeTable } from './step-runtime';
