import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI schemas of the run routes' answers (documentation only; `@baton/readmodel`'s types are the truth). */
export class StartRunResponseDto {
  @ApiProperty({
    example: '3f2a9c1e-5b7d-8e4f-a1b2-c3d4e5f60718',
    description: 'Derived from (workflowId, requestId)',
  })
  runId!: string;

  @ApiProperty()
  requestId!: string;

  @ApiProperty()
  workflowId!: string;

  @ApiProperty({ description: 'The version the run was requested with' })
  version!: number;
}

export class CancelRunResponseDto {
  @ApiProperty()
  runId!: string;
}

export class RunFailureDto {
  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, nullable: true })
  stepId!: string | null;

  @ApiProperty()
  message!: string;
}

export class RunSummaryDto {
  @ApiProperty()
  runId!: string;

  @ApiProperty()
  workflowId!: string;

  @ApiProperty()
  workflowVersion!: number;

  @ApiProperty({ example: 'running' })
  status!: string;

  @ApiProperty()
  requestId!: string;

  @ApiProperty({ description: 'Epoch milliseconds, as every time below' })
  createdAt!: number;

  @ApiProperty({ type: Number, nullable: true })
  startedAt!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  endedAt!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  timeoutAt!: number | null;

  @ApiProperty({ type: RunFailureDto, nullable: true })
  failure!: RunFailureDto | null;

  @ApiProperty({ description: 'Last event seq reflected; continue with /events?afterSeq=' })
  lastSeq!: number;

  @ApiProperty()
  updatedAt!: number;
}

export class RunPageDto {
  @ApiProperty({ type: [RunSummaryDto] })
  items!: RunSummaryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Null on the last page' })
  nextCursor!: string | null;
}

export class StepAttemptDto {
  @ApiProperty() attempt!: number;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) executorId!: string | null;
  @ApiProperty({ type: Number, nullable: true }) readyAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) startedAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) endedAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) leaseExpiresAt!: number | null;
  @ApiProperty({ type: String, nullable: true }) errorKind!: string | null;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
}

export class StepViewDto {
  @ApiProperty() stepId!: string;
  @ApiProperty() status!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) params!: object | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) outputs!: object | null;
  @ApiProperty({ type: Number, nullable: true }) readyAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) startedAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) endedAt!: number | null;
  @ApiProperty({ type: String, nullable: true }) errorKind!: string | null;
  @ApiProperty({ type: String, nullable: true }) errorMessage!: string | null;
  @ApiProperty({ type: String, nullable: true }) skipReason!: string | null;
  @ApiProperty({ type: [StepAttemptDto], description: 'Oldest first' }) attempts!: StepAttemptDto[];
}

export class RunDetailDto extends RunSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true })
  params!: object;

  @ApiProperty({ type: [StepViewDto] })
  steps!: StepViewDto[];
}

export class RunEventDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ example: 'StepSucceeded' }) type!: string;
  @ApiProperty() at!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event as published' })
  payload!: object;
}

export class RunEventsPageDto {
  @ApiProperty({ type: [RunEventDto] })
  items!: RunEventDto[];

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Null when nothing more is stored yet' })
  nextAfterSeq!: number | null;
}

export class StepLogsDto {
  @ApiProperty() attempt!: number;
  @ApiProperty() stdoutTail!: string;
  @ApiProperty() stderrTail!: string;
  @ApiProperty() truncated!: boolean;
  @ApiProperty() updatedAt!: number;
}
