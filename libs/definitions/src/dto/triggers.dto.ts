import { IsArray, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { SIGNAL_NAME, SIGNAL_NAME_RULE } from './patterns';
import { EachNestedObject } from './transforms';
import { IsValueMap } from './validators';

/** `{ schedule, timezone?, params? }`; the schedule and the time zone are checked with croner in the semantic pass. */
export class CronTriggerDto {
  @IsString({ message: 'schedule must be a cron expression such as "0 2 * * *"' })
  @MaxLength(256)
  schedule!: string;

  @IsOptional()
  @IsString({ message: 'timezone must be an IANA time zone name such as Europe/Paris' })
  @MaxLength(64)
  timezone?: string;

  @IsOptional()
  @IsValueMap('workflow param name → literal value')
  params?: Record<string, unknown>;
}

/** `{ signal, match?, params? }`. */
export class SignalTriggerDto {
  @IsString()
  @Matches(SIGNAL_NAME, { message: `signal ${SIGNAL_NAME_RULE}` })
  signal!: string;

  @IsOptional()
  @IsValueMap('signal param name → literal value the signal must carry')
  match?: Record<string, unknown>;

  @IsOptional()
  @IsValueMap('workflow param name → literal value, or → { expression: "CEL over signal" }')
  params?: Record<string, unknown>;
}

/** What starts runs of the workflow besides explicit requests. */
export class TriggersDto {
  @IsOptional()
  @IsArray({ message: 'cron must be a list like [{ schedule: "0 2 * * *", timezone: Europe/Paris }]' })
  @EachNestedObject(CronTriggerDto)
  @ValidateNested({ each: true, message: 'each cron trigger must be a map like { schedule: "0 2 * * *" }' })
  cron?: CronTriggerDto[];

  @IsOptional()
  @IsArray({ message: 'signals must be a list like [{ signal: data.ready }]' })
  @EachNestedObject(SignalTriggerDto)
  @ValidateNested({ each: true, message: 'each signal trigger must be a map like { signal: data.ready }' })
  signals?: SignalTriggerDto[];
}
