export { ExecutorPool } from './executor-pool';
export type { ExecutorPoolOptions } from './executor-pool.options';
export {
  ExecutorPoolModule,
  defaultExecutorId,
  type ExecutorPoolModuleOptions,
} from './executor-pool.module';
export {
  ExecutorEnvironment,
  executorPool,
  loadExecutorPoolConfig,
  type ExecutorPoolConfig,
} from './executor-pool.config';
