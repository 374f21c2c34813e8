import {
  IsArray,
  IsIn,
  IsInstance,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { RUN_STRATEGY_KINDS, type RunStrategyKind } from '@baton/domain';
import { ParamDto } from './param.dto';
import { WORKFLOW_ID, WORKFLOW_ID_RULE } from './patterns';
import { StepDto } from './step.dto';
import { EachNestedObject, MapOf, NestedObject, ObjectOrShorthand } from './transforms';
import { TriggersDto } from './triggers.dto';
import { IsDuration } from './validators';

export const RUN_STRATEGIES = RUN_STRATEGY_KINDS;

const TRIGGERS_SHAPE = 'triggers must be a map like { cron: [...], signals: [...] }';

/**
 * `run_strategy: sequential`, or `{ type: parallel, max_concurrent: 10 }`.
 * Names are Maestro's, in any case: `LAST_ONLY` is `last_only`.
 */
export class RunStrategyDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(RUN_STRATEGIES, { message: `run_strategy must be one of: ${RUN_STRATEGIES.join(', ')}` })
  type!: RunStrategyKind;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  max_concurrent?: number;
}

/** The top of a workflow document, field names as written (snake_case). */
export class WorkflowDto {
  @IsString()
  @Matches(WORKFLOW_ID, { message: `id ${WORKFLOW_ID_RULE}` })
  id!: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(16_384)
  description?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];

  @IsOptional()
  @MapOf(ParamDto)
  @IsInstance(Map, { message: 'params must be a map of name → { type, default?, expression?, required? }' })
  @ValidateNested({ each: true, message: 'each param must be a map like { type: string, default: eu }' })
  params?: Map<string, ParamDto>;

  @IsOptional()
  @IsDuration()
  timeout?: unknown;

  @IsOptional()
  @ObjectOrShorthand(RunStrategyDto, 'type')
  @ValidateNested({
    message:
      'run_strategy must be a name like sequential or a map like { type: parallel, max_concurrent: 10 }',
  })
  run_strategy?: RunStrategyDto;

  @IsOptional()
  @IsInt({ message: 'step_concurrency must be a whole number of steps, e.g. step_concurrency: 4' })
  @Min(1)
  @Max(100_000)
  step_concurrency?: number;

  @IsOptional()
  @NestedObject(TriggersDto)
  @IsObject({ message: TRIGGERS_SHAPE })
  @ValidateNested({ message: TRIGGERS_SHAPE })
  triggers?: TriggersDto;

  @IsArray({ message: 'steps must be a list of steps, e.g. steps: [{ id: hello, type: noop }]' })
  @EachNestedObject(StepDto)
  @ValidateNested({ each: true, message: 'each step must be a map with at least id and type' })
  steps!: StepDto[];
}
