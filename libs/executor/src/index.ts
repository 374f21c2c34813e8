export * from './runtimes';
export * from './pool';
