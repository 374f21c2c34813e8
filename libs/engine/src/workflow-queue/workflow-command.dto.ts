import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CommandMetadataDto, MAX_ID_LENGTH } from '@baton/contracts';
import type { WorkflowCommand, WorkflowCommandType } from '@baton/domain/workflow-queue';

/**
 * Edge validation of records on `baton.workflow-commands`. RequestRun is
 * written by admission and RunEnded by the engine; pause, resume, unblock
 * breakpoints and queued-run cancels come from the API or any other service. One DTO per
 * command type; inside the queue the decoded command is trusted.
 */

/** More steps than any workflow has; bounds what one record can make the queue hold. */
export const MAX_BREAKPOINTS = 1_000;

abstract class WorkflowCommandDto {
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) workflowId!: string;
  @ValidateNested() @Type(() => CommandMetadataDto) metadata!: CommandMetadataDto;
}

/**
 * The StartRun a request carries. Its definition comes from the registry
 * through admission, so it is checked for the fields the queue reads (see
 * the codec), not re-validated. A child run never passes through the queue,
 * so `parent` is refused (as an unknown field).
 */
class RequestedStartDto {
  @IsIn(['StartRun']) type!: 'StartRun';
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) runId!: string;
  @IsNotEmptyObject() definition!: object;
  @IsObject() params!: object;
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) requestId!: string;
  @IsInt() @Min(0) scheduledAt!: number;
  @ValidateNested() @Type(() => CommandMetadataDto) metadata!: CommandMetadataDto;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BREAKPOINTS)
  @IsString({ each: true })
  breakpoints?: string[];
}

class RequestRunDto extends WorkflowCommandDto {
  @IsIn(['RequestRun']) type!: 'RequestRun';
  @ValidateNested() @Type(() => RequestedStartDto) start!: RequestedStartDto;
}

class RunEndedDto extends WorkflowCommandDto {
  @IsIn(['RunEnded']) type!: 'RunEnded';
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) runId!: string;
  @IsIn(['succeeded', 'failed', 'cancelled']) outcome!: 'succeeded' | 'failed' | 'cancelled';
}

class PauseWorkflowDto extends WorkflowCommandDto {
  @IsIn(['PauseWorkflow']) type!: 'PauseWorkflow';
}

class ResumeWorkflowDto extends WorkflowCommandDto {
  @IsIn(['ResumeWorkflow']) type!: 'ResumeWorkflow';
}

class UnblockWorkflowDto extends WorkflowCommandDto {
  @IsIn(['UnblockWorkflow']) type!: 'UnblockWorkflow';
}

class SetWorkflowBreakpointsDto extends WorkflowCommandDto {
  @IsIn(['SetWorkflowBreakpoints']) type!: 'SetWorkflowBreakpoints';
  @IsArray()
  @ArrayMaxSize(MAX_BREAKPOINTS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  stepIds!: string[];
}

class CancelQueuedRunDto extends WorkflowCommandDto {
  @IsIn(['CancelQueuedRun']) type!: 'CancelQueuedRun';
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) runId!: string;
  @IsString() @MaxLength(1_000) reason!: string;
}

/**
 * The definition arrives normalized and validated by whoever pushed it (the
 * API parses and checks the document); like a RequestRun's definition it is
 * checked (by the codec) only for the fields the writer and the catalog read.
 */
class PushWorkflowVersionDto extends WorkflowCommandDto {
  @IsIn(['PushWorkflowVersion']) type!: 'PushWorkflowVersion';
  @IsNotEmptyObject() definition!: object;
  @IsString() @MaxLength(10_000_000) source!: string;
  @IsBoolean() activate!: boolean;
  @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

class ActivateWorkflowVersionDto extends WorkflowCommandDto {
  @IsIn(['ActivateWorkflowVersion']) type!: 'ActivateWorkflowVersion';
  @IsInt() @Min(1) version!: number;
}

class DeactivateWorkflowDto extends WorkflowCommandDto {
  @IsIn(['DeactivateWorkflow']) type!: 'DeactivateWorkflow';
}

type DtoTable = { readonly [K in WorkflowCommandType]: new () => object };

/** One DTO per command type; a new command type without a DTO does not compile. */
export const WORKFLOW_COMMAND_DTOS: DtoTable = {
  PushWorkflowVersion: PushWorkflowVersionDto,
  ActivateWorkflowVersion: ActivateWorkflowVersionDto,
  DeactivateWorkflow: DeactivateWorkflowDto,
  RequestRun: RequestRunDto,
  RunEnded: RunEndedDto,
  PauseWorkflow: PauseWorkflowDto,
  ResumeWorkflow: ResumeWorkflowDto,
  UnblockWorkflow: UnblockWorkflowDto,
  SetWorkflowBreakpoints: SetWorkflowBreakpointsDto,
  CancelQueuedRun: CancelQueuedRunDto,
};

export function isWorkflowCommandType(type: unknown): type is WorkflowCommand['type'] {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(WORKFLOW_COMMAND_DTOS, type);
}
