import 'reflect-metadata';
import {
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { SIGNAL_ID_PATTERN, SIGNAL_NAME_PATTERN, type SignalRecord } from '@baton/domain/signals';

/**
 * Edge validation of records on `baton.signals`: any service may publish a
 * `SignalSent` there (the API does), the engine writes the waits. Inside the
 * router the decoded record is trusted.
 */
abstract class SignalRecordDto {
  @IsString()
  @ValidateIf((record: { type?: unknown }) => record.type !== 'SignalOffered')
  @Matches(SIGNAL_NAME_PATTERN, {
    message: 'name must start with a letter and hold letters, digits, _ . - / (at most 128)',
  })
  name!: string;
}

class SignalSentDto extends SignalRecordDto {
  @IsIn(['SignalSent']) type!: 'SignalSent';
  @IsString()
  @Matches(SIGNAL_ID_PATTERN, { message: 'signalId must be 1-128 printable characters without spaces' })
  signalId!: string;
  @IsObject({ message: 'params must be an object of names to values' }) params!: object;
  @IsInt() @Min(0) sentAt!: number;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) sentBy?: string;
}

abstract class SignalWaitDto extends SignalRecordDto {
  @IsString() @MinLength(1) @MaxLength(200) runId!: string;
  @IsString() @MinLength(1) stepId!: string;
  @IsInt() @Min(1) attempt!: number;
}

class SignalWaitOpenedDto extends SignalWaitDto {
  @IsIn(['SignalWaitOpened']) type!: 'SignalWaitOpened';
  @IsObject() match!: object;
}

class SignalWaitClosedDto extends SignalWaitDto {
  @IsIn(['SignalWaitClosed']) type!: 'SignalWaitClosed';
}

class OfferedSignalDto {
  @IsString()
  @Matches(SIGNAL_ID_PATTERN, { message: 'signalId must be 1-128 printable characters without spaces' })
  signalId!: string;
  @IsString() @Matches(SIGNAL_NAME_PATTERN) name!: string;
  @IsObject() params!: object;
  @IsInt() @Min(0) sentAt!: number;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) sentBy?: string;
}

/** The trigger an offer carries, as the definition normalized it (the shape only; it was validated at push). */
class OfferedTriggerDto {
  @IsObject() all!: object;
  @IsArray() @IsString({ each: true }) join!: string[];
  @IsOptional() @IsString() condition?: string;
  @IsObject() params!: object;
}

/**
 * Written by the router itself; its name is the join's key (`@join/...`,
 * checked by the codec, not the name pattern); the trigger was validated at push.
 */
class SignalOfferedDto extends SignalRecordDto {
  @IsIn(['SignalOffered']) type!: 'SignalOffered';
  @IsString() @MinLength(1) @MaxLength(200) workflowId!: string;
  @IsInt() @Min(1) version!: number;
  @IsInt() @Min(0) triggerIndex!: number;
  @ValidateNested() @Type(() => OfferedTriggerDto) trigger!: OfferedTriggerDto;
  @IsString() @MinLength(1) @MaxLength(128) alias!: string;
  @ValidateNested() @Type(() => OfferedSignalDto) signal!: OfferedSignalDto;
}

type DtoTable = { readonly [K in SignalRecord['type']]: new () => object };

/** One DTO per record type; a new record type without a DTO does not compile. */
export const SIGNAL_RECORD_DTOS: DtoTable = {
  SignalSent: SignalSentDto,
  SignalWaitOpened: SignalWaitOpenedDto,
  SignalWaitClosed: SignalWaitClosedDto,
  SignalOffered: SignalOfferedDto,
};

export function isSignalRecordType(type: unknown): type is SignalRecord['type'] {
  return typeof type === 'string' && Object.hasOwn(SIGNAL_RECORD_DTOS, type);
}
