import { IsIn, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsDuration, IsRetryLimit } from './validators';
import { NestedObject } from './transforms';

export const BACKOFF_TYPES = ['fixed', 'exponential'] as const;

/**
 * `{ type: fixed, delay }` or `{ type: exponential, initial_delay, multiplier, max_delay }`.
 * One class for both; which fields belong to which type is checked in the
 * semantic pass so the message can say so.
 */
export class BackoffDto {
  @IsIn(BACKOFF_TYPES, { message: `type must be one of: ${BACKOFF_TYPES.join(', ')}` })
  type!: (typeof BACKOFF_TYPES)[number];

  @IsOptional()
  @IsDuration()
  delay?: unknown;

  @IsOptional()
  @IsDuration()
  initial_delay?: unknown;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(100)
  multiplier?: number;

  @IsOptional()
  @IsDuration()
  max_delay?: unknown;
}

export class RetryPolicyDto {
  @IsOptional()
  @IsRetryLimit()
  user_error_limit?: unknown;

  @IsOptional()
  @IsRetryLimit()
  platform_error_limit?: unknown;

  @IsOptional()
  @IsRetryLimit()
  timeout_limit?: unknown;

  @IsOptional()
  @NestedObject(BackoffDto)
  @ValidateNested({ message: 'backoff must be a map like { type: fixed, delay: 10s }' })
  backoff?: BackoffDto;

  /** Per-kind backoffs (Maestro's), each replacing `backoff` for its kind. */
  @IsOptional()
  @NestedObject(BackoffDto)
  @ValidateNested({ message: 'user_error_backoff must be a map like { type: fixed, delay: 10s }' })
  user_error_backoff?: BackoffDto;

  @IsOptional()
  @NestedObject(BackoffDto)
  @ValidateNested({ message: 'platform_error_backoff must be a map like { type: fixed, delay: 10s }' })
  platform_error_backoff?: BackoffDto;

  @IsOptional()
  @NestedObject(BackoffDto)
  @ValidateNested({ message: 'timeout_backoff must be a map like { type: fixed, delay: 10s }' })
  timeout_backoff?: BackoffDto;
}
