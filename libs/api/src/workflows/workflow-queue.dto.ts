import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RunStrategy } from '@baton/domain/workflow/workflow-definition';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_QUEUE_PAGE, RECENT_DROPS_SHOWN } from '@baton/readmodel/workflow-queue-queries';
import { MAX_INT32, queryInteger } from '../http/int-param.pipe';

/** Body of `PUT /workflows/{id}/breakpoints`. */
export class SetBreakpointsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 200 },
    maxItems: 1_000,
    uniqueItems: true,
    example: ['load'],
    description: 'Steps every run started from now on pauses before (replaces the current set; [] clears it)',
  })
  @IsArray()
  @ArrayMaxSize(1_000)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  stepIds!: string[];
}

/** Query of `GET /workflows/{id}/queue`. */
export class WorkflowQueueQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_QUEUE_PAGE, default: 100 })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_QUEUE_PAGE)
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_INT32,
    description: 'nextAfterPosition of the previous page',
  })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt()
  @Min(0)
  @Max(MAX_INT32)
  afterPosition?: number;
}

/** OpenAPI schemas of the answers (documentation only; the services' types are the truth). */
export class WorkflowCommandAcceptedDto {
  @ApiProperty({ example: 'sales.daily' })
  workflowId!: string;

  @ApiProperty({
    description: 'Echoed on the WorkflowCommandRejected event should the queue refuse the command',
  })
  commandId!: string;
}

export class BreakpointsAcceptedDto extends WorkflowCommandAcceptedDto {
  @ApiProperty({ type: [String] })
  stepIds!: string[];
}

export class QueuedRunDto {
  @ApiProperty({ description: 'Lower starts first' })
  position!: number;

  @ApiProperty()
  runId!: string;

  @ApiProperty()
  requestId!: string;

  @ApiProperty({ description: 'The workflow version the run will start with' })
  version!: number;

  @ApiProperty({ description: 'Epoch milliseconds' })
  queuedAt!: number;
}

export class DroppedRequestDto {
  @ApiProperty({ description: "The seq of the queue's RunRequestDropped event on baton.workflow-events" })
  seq!: number;

  @ApiProperty({ description: 'The run id the request was answered with; GET /runs/{runId} answers 410' })
  runId!: string;

  @ApiProperty()
  requestId!: string;

  @ApiProperty({
    example: 'first_only_busy',
    description:
      'first_only_busy: first_only, another run was running or waiting; ' +
      'superseded: serial_latest_only or last_only, a newer request took its place in the queue; ' +
      'cancelled: an operator cancelled it while it was queued',
  })
  reason!: string;

  @ApiProperty({ description: 'Epoch milliseconds' })
  droppedAt!: number;
}

export class WorkflowQueueDto {
  @ApiProperty()
  workflowId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { kind: 'parallel', maxConcurrent: 4 },
    description: "The strategy of the latest request's version; null before the first request",
  })
  runStrategy!: RunStrategy | null;

  @ApiProperty({ description: 'While paused, new runs wait in the queue' })
  paused!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'strict_sequential: the failed run that blocks new starts (restart it, or unblock)',
  })
  blockedBy!: string | null;

  @ApiProperty({ type: [String], description: 'Runs the queue started that have not ended, oldest first' })
  running!: string[];

  @ApiProperty()
  runningCount!: number;

  @ApiProperty({ type: [String] })
  breakpoints!: string[];

  @ApiProperty({ type: [QueuedRunDto], description: 'Waiting runs in the order they will start (one page)' })
  queued!: QueuedRunDto[];

  @ApiProperty({ description: 'All waiting runs' })
  queuedCount!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Pass as afterPosition for the next page' })
  nextAfterPosition!: number | null;

  @ApiProperty({
    type: [DroppedRequestDto],
    description: `The latest ${RECENT_DROPS_SHOWN} requests the run strategy dropped (they never start), newest first`,
  })
  recentlyDropped!: DroppedRequestDto[];

  @ApiProperty({ description: 'The last workflow queue event reflected (0: none yet)' })
  lastSeq!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Epoch milliseconds' })
  updatedAt!: number | null;
}
