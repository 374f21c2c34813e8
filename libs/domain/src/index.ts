export * from './shared/json';
export * from './workflow/workflow-definition';
export * from './expressions';
export * from './run';
export { fitsParamType } from './workflow/param-types';
export * from './workflow-queue/workflow-queue.commands';
export * from './signals/signal.messages';
