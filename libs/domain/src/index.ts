export * from './shared/json';
export * from './shared/json-nesting';
export { DURATION_HELP, parseDuration } from './shared/duration';
export type { DurationResult } from './shared/duration';
export * from './workflow/workflow-definition';
export * from './expressions';
export * from './run';
export { fitsParamType } from './workflow/param-types';
export * from './workflow-queue';
export * from './signals';
export {
  SEALED_SECRET_PREFIX,
  SECRET_REF_PREFIX,
  SECRET_TOKEN_PATTERN,
  isSealedSecret,
  isSecretReference,
  secretParamValue,
} from './workflow/secret-values';
export { upcast, upcasterChain, type Upcaster, type UpcasterChain } from './shared/upcaster';
