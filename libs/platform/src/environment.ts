import { Expose, plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  validateSync,
  type ValidationError,
} from 'class-validator';

/**
 * A process's environment, variable name to value. Only `apps/*` read
 * `process.env` (in `main.ts`) and pass it down as this; libraries read
 * settings from the config objects built from it, never from the process.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A setting the process cannot start with; the message names the variable and how to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The variables `schema` declares (`@Expose()` each), converted and validated
 * with class-validator: the environment is input, so it is checked at this
 * edge like an HTTP body. Unset and empty mean the same (the loader's default
 * applies). A bad value throws a `ConfigError` listing every wrong variable
 * with the value it had.
 *
 * @example
 *   class LeaseEnvironment {
 *     @Expose() @IsOptional() @Type(() => Number) @IsInt() @Min(1_000) BATON_LEASE_MS?: number;
 *   }
 *   const leaseMs = readEnvironment(LeaseEnvironment, process.env).BATON_LEASE_MS ?? 30_000;
 */
export function readEnvironment<T extends object>(schema: new () => T, env: Environment): T {
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const values = plainToInstance(schema, set, { excludeExtraneousValues: true });
  const errors = validateSync(values);
  if (errors.length > 0) throw new ConfigError(`invalid configuration: ${describe(errors, set)}`);
  return values;
}

function describe(errors: readonly ValidationError[], env: Record<string, string | undefined>): string {
  return errors
    .map((error) => {
      // Several constraints may share one message (a port's integer, min and max).
      const problems = [...new Set(Object.values(error.constraints ?? {}))].join(', ');
      return `${problems} (got '${env[error.property]}')`;
    })
    .join('; ');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;

/** The variables every Baton service reads (README's configuration table). */
export class ServiceEnvironment {
  @Expose()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'BATON_PORT must be a TCP port number (0-65535)' })
  @Min(0, { message: 'BATON_PORT must be a TCP port number (0-65535)' })
  @Max(65535, { message: 'BATON_PORT must be a TCP port number (0-65535)' })
  BATON_PORT?: number;

  @Expose() @IsOptional() @IsString() BATON_HOST?: string;

  @Expose()
  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `BATON_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  BATON_LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  @Expose()
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: 'BATON_LOG_FORMAT must be json, pretty or auto' })
  BATON_LOG_FORMAT?: (typeof LOG_FORMATS)[number];

  /** Any value turns colours off (no-color.org). */
  @Expose() @IsOptional() @IsString() NO_COLOR?: string;
}
