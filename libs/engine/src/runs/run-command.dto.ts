import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsInt,
  IsNotEmptyObject,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CommandMetadataDto, MAX_ID_LENGTH } from '@baton/contracts';
import type { ChildRunOutcome, RestartMode, RunCommand, RunCommandType, TimerKind } from '@baton/domain';

/**
 * Edge validation of records on `baton.run-commands` (executors in any
 * language write reports here, the API writes cancels). One DTO per command
 * type; inside the engine the decoded command is trusted. StartRun is written
 * only by the engine's own admission, which takes its definition from the
 * registry, so its definition is checked for presence, not re-validated.
 */

abstract class CommandDto {
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) runId!: string;
  @ValidateNested() @Type(() => CommandMetadataDto) metadata!: CommandMetadataDto;
}

abstract class StepReportDto extends CommandDto {
  @IsString() @MinLength(1) stepId!: string;
  @IsInt() @Min(1) attempt!: number;
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) executorId!: string;
}

class StartRunDto extends CommandDto {
  @IsIn(['StartRun']) type!: 'StartRun';
  @IsNotEmptyObject() definition!: object;
  @IsObject() params!: object;
  @IsString() @MinLength(1) requestId!: string;
  @IsInt() @Min(0) scheduledAt!: number;
  @IsOptional() @IsObject() parent?: object;
  @IsOptional() @IsArray() @IsString({ each: true }) breakpoints?: string[];
}

class ReportStepStartedDto extends StepReportDto {
  @IsIn(['ReportStepStarted']) type!: 'ReportStepStarted';
  @IsInt() @Min(1) leaseDurationMs!: number;
  @IsOptional() @IsBoolean() confirm?: boolean;
}

class ReportStepHeartbeatDto extends StepReportDto {
  @IsIn(['ReportStepHeartbeat']) type!: 'ReportStepHeartbeat';
}

class CompleteStepDto extends StepReportDto {
  @IsIn(['CompleteStep']) type!: 'CompleteStep';
  /** Any JSON value (the step's result). */
  @Allow() result!: unknown;
  /** The attempt's StepLogs record was acknowledged before this report. */
  @IsOptional() @IsBoolean() logsWritten?: boolean;
}

class FailStepDto extends StepReportDto {
  @IsIn(['FailStep']) type!: 'FailStep';
  @IsIn(['user', 'platform']) errorKind!: 'user' | 'platform';
  @IsString() @MaxLength(64 * 1024) message!: string;
  // Optional: executors before it and other workers may leave it out.
  @IsOptional() @IsInt() @Min(-2147483648) @Max(2147483647) exitCode?: number;
  @IsOptional() @IsBoolean() logsWritten?: boolean;
}

const TIMER_KINDS: readonly TimerKind[] = ['run_timeout', 'step_timeout', 'lease', 'retry', 'sleep'];

class FireTimerDto extends CommandDto {
  @IsIn(['FireTimer']) type!: 'FireTimer';
  @IsString() @MinLength(1) timerId!: string;
  @IsIn(TIMER_KINDS) kind!: TimerKind;
}

class CancelRunDto extends CommandDto {
  @IsIn(['CancelRun']) type!: 'CancelRun';
  @IsString() @MaxLength(1000) reason!: string;
}

class StopRunDto extends CommandDto {
  @IsIn(['StopRun']) type!: 'StopRun';
  @IsString() @MaxLength(1000) reason!: string;
}

class RestartRunDto extends CommandDto {
  @IsIn(['RestartRun']) type!: 'RestartRun';
  @IsIn(['incomplete', 'beginning', 'from_step']) mode!: RestartMode;
  @IsOptional() @IsString() @MinLength(1) stepId?: string;
  @IsOptional() @IsObject() params?: object;
}

class SkipStepDto extends CommandDto {
  @IsIn(['SkipStep']) type!: 'SkipStep';
  @IsString() @MinLength(1) stepId!: string;
  @IsString() @MaxLength(1000) reason!: string;
}

class ResumeStepDto extends CommandDto {
  @IsIn(['ResumeStep']) type!: 'ResumeStep';
  @IsString() @MinLength(1) stepId!: string;
}

class ChildRunFinishedDto extends CommandDto {
  @IsIn(['ChildRunFinished']) type!: 'ChildRunFinished';
  @IsString() @MinLength(1) stepId!: string;
  @IsInt() @Min(1) attempt!: number;
  @IsInt() @Min(0) index!: number;
  @IsString() @MinLength(1) childRunId!: string;
  @IsIn(['succeeded', 'failed', 'cancelled']) outcome!: ChildRunOutcome;
  @IsObject() outputs!: object;
  @IsString() @MaxLength(64 * 1024) message!: string;
  @IsOptional() @IsBoolean() logsWritten?: boolean;
  @IsOptional() @IsBoolean() neverStarted?: boolean;
}

class DeliverSignalDto extends CommandDto {
  @IsIn(['DeliverSignal']) type!: 'DeliverSignal';
  @IsString() @MinLength(1) stepId!: string;
  @IsInt() @Min(1) attempt!: number;
  @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) signalId!: string;
  @IsObject() signalParams!: object;
}

type DtoTable = { readonly [K in RunCommandType]: new () => object };

/** One DTO per command type; a new command type without a DTO does not compile. */
export const RUN_COMMAND_DTOS: DtoTable = {
  StartRun: StartRunDto,
  ReportStepStarted: ReportStepStartedDto,
  ReportStepHeartbeat: ReportStepHeartbeatDto,
  CompleteStep: CompleteStepDto,
  FailStep: FailStepDto,
  FireTimer: FireTimerDto,
  CancelRun: CancelRunDto,
  StopRun: StopRunDto,
  RestartRun: RestartRunDto,
  SkipStep: SkipStepDto,
  ResumeStep: ResumeStepDto,
  ChildRunFinished: ChildRunFinishedDto,
  DeliverSignal: DeliverSignalDto,
};

export function isRunCommandType(type: unknown): type is RunCommand['type'] {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(RUN_COMMAND_DTOS, type);
}
