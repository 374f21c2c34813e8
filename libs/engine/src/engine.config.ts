import { Expose, Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { readEnvironment, type Environment } from '@baton/platform';
import type { EngineModuleOptions } from './engine.module';

/** `BATON_LEASE_MS` when unset: how long a silent executor keeps a step before it is retried. */
export const DEFAULT_LEASE_MS = 30_000;

const LEASE_MESSAGE = 'BATON_LEASE_MS must be a whole number of milliseconds, at least 1000';

/** The engine's own variables (README's configuration table). */
export class EngineEnvironment {
  @Expose()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LEASE_MESSAGE })
  @Min(1_000, { message: LEASE_MESSAGE })
  BATON_LEASE_MS?: number;
}

/**
 * `EngineModule.forRoot`'s options from the environment `main.ts` passes in.
 * The lease is read here only: the engine writes it into every step task, and
 * executors ask for the lease their task carries.
 */
export function loadEngineOptions(env: Environment): EngineModuleOptions {
  return { leaseMs: readEnvironment(EngineEnvironment, env).BATON_LEASE_MS ?? DEFAULT_LEASE_MS };
}
