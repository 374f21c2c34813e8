import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
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

/**
 * `{ signal, match?, params? }` (one signal), or `{ all: { alias: { signal,
 * match? } }, join?, condition?, params? }` (several, joined); the members of
 * `all` and the mix of both forms are checked in the semantic pass.
 */
export class SignalTriggerDto {
  @ValidateIf((trigger: SignalTriggerDto) => trigger.all === undefined)
  @IsString({ message: 'a signal trigger needs signal (one signal) or all (several, by alias)' })
  @Matches(SIGNAL_NAME, { message: `signal ${SIGNAL_NAME_RULE}` })
  signal?: string;

  @IsOptional()
  @IsValueMap(
    'alias → { signal, match? }, like { sales: { signal: table.loaded }, fx: { signal: fx.rates } }',
  )
  all?: Record<string, unknown>;

  @IsOptional()
  @IsArray({ message: 'join must be a list of signal param names, like [date]' })
  @ArrayMaxSize(16)
  @IsString({ each: true, message: 'join must be a list of signal param names, like [date]' })
  join?: string[];

  @IsOptional()
  @IsString({
    message:
      'condition must be a CEL expression over signals, like signals.a.params.day >= signals.b.params.day',
  })
  @MaxLength(4096)
  condition?: string;

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
