import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MAX_ID_LENGTH } from './command-metadata.dto';
import type { StepCancellation, StepLogs, StepStartGranted } from './step-messages';

/**
 * Edge validation of the executor-facing records Baton reads (step logs in
 * the projector, cancellations and grants in every executor); the JSON
 * Schemas in `schemas/` are generated from these classes.
 */
/** What every record about one attempt carries. */
abstract class AttemptRecordDto {
  @IsIn([1]) schemaVersion!: 1;
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) runId!: string;
  @IsString() @MinLength(1) stepId!: string;
  @IsInt() @Min(1) attempt!: number;
}

class TruncatedBytesDto {
  @IsInt() @Min(0) stdout!: number;
  @IsInt() @Min(0) stderr!: number;
}

export class StepLogsDto extends AttemptRecordDto implements StepLogs {
  @IsString() stdout!: string;
  @IsString() stderr!: string;
  @ValidateNested() @Type(() => TruncatedBytesDto) truncatedBytes!: TruncatedBytesDto;
}

export class StepCancellationDto extends AttemptRecordDto implements StepCancellation {
  /** `start_refused` (with `executorId`), `lease_expired`, `timed_out`, `skipped`, or the cancel's reason. */
  @IsString() reason!: string;
  @IsOptional() @IsString() @MinLength(1) executorId?: string;
}

export class StepStartGrantedDto extends AttemptRecordDto implements StepStartGranted {
  @IsString() @MinLength(1) executorId!: string;
  @IsInt() @Min(0) leaseExpiresAt!: number;
}
