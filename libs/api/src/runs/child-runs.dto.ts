import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_PAGE_SIZE } from '@baton/readmodel';
import { MAX_INT32, queryInteger } from '../http/int-param.pipe';

/** Query of `GET /runs/{runId}/children`. */
export class ChildRunsQueryDto {
  @ApiPropertyOptional({
    example: 'each',
    description: "Only this step's child runs (a foreach, while or subworkflow step)",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  stepId?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Only the children of this attempt of the step',
    maximum: MAX_INT32,
  })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_INT32)
  attempt?: number;

  @ApiPropertyOptional({
    example: 'failed',
    pattern: '^[a-z_]{1,32}$',
    description: 'running, succeeded, failed, cancelled',
  })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, { message: 'status must be a run status such as running or failed' })
  status?: string;

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
}
