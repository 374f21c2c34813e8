import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { JsonBounds } from '@baton/contracts';
import type { JsonObject } from '@baton/domain';
import { MAX_PAGE_SIZE } from '@baton/readmodel';
import { MAX_INT32, queryInteger } from '../http/int-param.pipe';

/**
 * 9999-12-31T23:59:59.999Z: the last instant whose ISO text has a four-digit
 * year. Later Dates print as `+275760-…`, which PostgreSQL refuses (a 500).
 */
const MAX_DATE_MS = 253_402_300_799_999;

/** Body of `POST /workflows/{id}/runs`. */
export class StartRunDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { mode: 'full' },
    description: 'Values for the params the workflow declares; the others take their default or expression',
  })
  @IsOptional()
  @IsObject({ message: 'params must be an object of param names to values' })
  @JsonBounds()
  params?: JsonObject;

  @ApiPropertyOptional({
    example: '2026-11-24',
    description:
      'Idempotency key, unique per workflow: the same requestId always names the same run. A fresh one is made when omitted.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  requestId?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_INT32,
    description: 'A version number; default: the active version (pinned at request time)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_INT32)
  version?: number;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 200 },
    maxItems: 1000,
    example: ['load'],
    description:
      'Step ids the run pauses before, each until resumed (POST /runs/{runId}/steps/{stepId}/resume)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  breakpoints?: string[];
}

const STATUS = /^[a-z_]{1,32}$/;

/** Query of `GET /runs`. */
export class ListRunsQueryDto {
  @ApiPropertyOptional({ example: 'sales.daily' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  workflowId?: string;

  @ApiPropertyOptional({
    example: 'running',
    pattern: STATUS.source,
    description: 'running, succeeded, failed, cancelled',
  })
  @IsOptional()
  @Matches(STATUS, { message: 'status must be a run status such as running or failed' })
  status?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'Also list child runs (foreach and while iterations, subworkflows); see GET /runs/{runId}/children',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'includeChildren must be true or false' })
  includeChildren?: 'true' | 'false';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, unchanged' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;

  @ApiPropertyOptional({
    example: '27933381',
    pattern: '^[A-Za-z0-9~._-]{1,200}$',
    description: 'Only runs whose id starts with this text',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9~._-]{1,200}$/, { message: 'runIdPrefix must be the start of a run id' })
  runIdPrefix?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_DATE_MS,
    description: 'Only runs created at or after this time (epoch milliseconds)',
  })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt({ message: 'createdAfter must be epoch milliseconds' })
  @Min(0)
  @Max(MAX_DATE_MS)
  createdAfter?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_DATE_MS,
    description: 'Only runs created before this time (epoch milliseconds)',
  })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt({ message: 'createdBefore must be epoch milliseconds' })
  @Min(0)
  @Max(MAX_DATE_MS)
  createdBefore?: number;
}

/** Query of `GET /runs/{runId}/events`. */
export class RunEventsQueryDto {
  @ApiPropertyOptional({
    type: 'string',
    pattern: '^[A-Za-z]{1,64}$',
    example: 'CommandRejected',
    description:
      'Only events of this type; CommandRejected lists the commands the engine refused (late or malformed executor reports, code InvalidCommand)',
  })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,64}$/, { message: 'type must be an event type such as CommandRejected' })
  type?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_INT32,
    default: 0,
    description: 'Events after this seq (exclusive)',
  })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt()
  @Min(0)
  @Max(MAX_INT32)
  afterSeq?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

/** Query of `GET /runs/{runId}/steps/{stepId}/logs`. */
export class StepLogsQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Default: the latest attempt',
    maximum: MAX_INT32,
  })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_INT32)
  attempt?: number;
}
