import 'reflect-metadata';
import { Type } from 'class-transformer';
import { Equals, IsIn, IsInt, IsOptional, IsString, Min, MinLength, ValidateNested } from 'class-validator';
import {
  STATUS_EVENT_DATA_SCHEMA,
  type RunStatusName,
  type StatusCloudEvent,
  type StatusEventData,
  type StepStatusName,
} from './status-event';

/**
 * The shape of `baton.status-events` records (CloudEvents 1.0, structured
 * mode). Baton only writes them; `schemas/status-event.json` is generated
 * from these classes and its spec checks what the engine writes.
 */
const RUN_STATUSES: readonly RunStatusName[] = [
  'running',
  'stopping',
  'restarted',
  'succeeded',
  'failed',
  'cancelled',
];
const STEP_STATUSES: readonly StepStatusName[] = [
  'paused',
  'ready',
  'waiting',
  'running',
  'succeeded',
  'failed',
  'retry_waiting',
  'timed_out',
  'skipped',
  'cancelled',
];

class StatusEventDataDto implements StatusEventData {
  @IsString() @MinLength(1) runId!: string;
  @IsString() @MinLength(1) workflowId!: string;
  @IsInt() @Min(1) workflowVersion!: number;
  @IsInt() @Min(1) seq!: number;
  @IsInt() @Min(0) at!: number;
  @IsIn(['run', 'step']) scope!: 'run' | 'step';
  @IsIn([...new Set([...RUN_STATUSES, ...STEP_STATUSES])]) status!: RunStatusName | StepStatusName;
  @IsOptional() @IsString() stepId?: string;
  @IsOptional() @IsInt() @Min(1) attempt?: number;
  @IsOptional() @IsString() reason?: string;
}

export class StatusCloudEventDto implements StatusCloudEvent {
  @Equals('1.0') specversion!: '1.0';
  /** `<runId>/<seq>`: deduplicate on it. */
  @IsString() @MinLength(1) id!: string;
  @IsString() @MinLength(1) source!: string;
  /** `io.baton.run.<status>` or `io.baton.step.<status>`. */
  @IsString() @MinLength(1) type!: string;
  /** `<runId>` or `<runId>/<stepId>`. */
  @IsString() @MinLength(1) subject!: string;
  /** RFC 3339. */
  @IsString() time!: string;
  @Equals('application/json') datacontenttype!: 'application/json';
  @Equals(STATUS_EVENT_DATA_SCHEMA) dataschema!: typeof STATUS_EVENT_DATA_SCHEMA;
  @ValidateNested() @Type(() => StatusEventDataDto) data!: StatusEventDataDto;
}
