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

export class RunFailureDto {
  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, nullable: true })
  stepId!: string | null;

  @ApiProperty()
  message!: string;
}

export class RunParentDto {
  @ApiProperty() runId!: string;
  @ApiProperty({ description: 'The foreach, while or subworkflow step that started the run' })
  stepId!: string;
  @ApiProperty({ description: "The step's attempt" }) attempt!: number;
  @ApiProperty({ description: 'The iteration; 0 for a subworkflow' }) index!: number;
  @ApiProperty({ description: '1 for a child of a top-level run, 2 for a grandchild...' }) depth!: number;
}

export class RunSummaryDto {
  @ApiProperty()
  runId!: string;

  @ApiProperty()
  workflowId!: string;

  @ApiProperty()
  workflowVersion!: number;

  @ApiProperty({
    example: 'running',
    description:
      'running, succeeded, failed, cancelled; queued (GET /runs/{id} only) while waiting in its workflow queue',
  })
  status!: string;

  @ApiProperty()
  requestId!: string;

  @ApiProperty({ description: '1, then +1 per restart (POST /runs/{runId}/restart)' })
  runAttempt!: number;

  @ApiProperty({
    type: RunParentDto,
    nullable: true,
    description: 'Null for a top-level run; set for a child run (list them with GET /runs/{runId}/children)',
  })
  parent!: RunParentDto | null;

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
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'The run attempt it belongs to (1, then +1 per restart); null if projected before it was recorded',
  })
  runAttempt!: number | null;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) executorId!: string | null;
  @ApiProperty({ type: Number, nullable: true }) readyAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) startedAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) endedAt!: number | null;
  @ApiProperty({ type: Number, nullable: true }) leaseExpiresAt!: number | null;
  @ApiProperty({ type: String, nullable: true }) errorKind!: string | null;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
}

export class LoopProgressDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Iterations in all; null for a while loop' })
  total!: number | null;
  @ApiProperty() started!: number;
  @ApiProperty() running!: number;
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() cancelled!: number;
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
  @ApiProperty({ type: String, nullable: true, description: 'Who or why, for a step skipped by a user' })
  skipMessage!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The signal a wait_for_signal step waits for' })
  signal!: string | null;
  @ApiProperty({
    type: LoopProgressDto,
    nullable: true,
    description:
      "A foreach, while or subworkflow step's child runs (of its latest attempt); null for other steps",
  })
  progress!: LoopProgressDto | null;
  @ApiProperty({ type: [StepAttemptDto], description: 'Oldest first' }) attempts!: StepAttemptDto[];
}

export class RunStoppingDto {
  @ApiProperty() reason!: string;
}

export class RunDetailDto extends RunSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true })
  params!: object;

  @ApiProperty({ type: [String], description: 'Steps the run pauses before (status paused until resumed)' })
  breakpoints!: string[];

  @ApiProperty({
    type: RunStoppingDto,
    nullable: true,
    description:
      'Set once a stop was asked: nothing new starts, the run ends cancelled when its active steps end',
  })
  stopping!: RunStoppingDto | null;

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
