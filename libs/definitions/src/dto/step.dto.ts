import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { FailureMode, HttpStep, StepType } from '@baton/domain';
import {
  SIGNAL_NAME,
  SIGNAL_NAME_RULE,
  STEP_ID,
  STEP_ID_RULE,
  WORKFLOW_ID,
  WORKFLOW_ID_RULE,
} from './patterns';
import { RetryPolicyDto } from './retry-policy.dto';
import { TYPE_FIELDS } from '../step-fields';
import { EachNestedObject, EachObjectOrShorthand, NestedObject } from './transforms';
import { IsArgv, IsDurationOrExpression, IsValueMap, IsVersionSelector } from './validators';

/** Derived from the typed table of step fields, so a new step type cannot be forgotten here. */
export const STEP_TYPES: readonly StepType[] = Object.keys(TYPE_FIELDS) as StepType[];
const EXIT_CODES_RULE = (field: string) => `${field} must be a list of exit codes (integers 0-255)`;
export const FAILURE_MODES: readonly FailureMode[] = ['fail_immediately', 'finish_running', 'ignore'];
export const HTTP_METHODS: readonly HttpStep['method'][] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

/** An item of `next`: a step id, or `{ step, if }` for a conditional transition. */
export class NextDto {
  @IsString()
  @Matches(STEP_ID, { message: `step ${STEP_ID_RULE}` })
  step!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  if?: string;
}

/**
 * A step as written. Type-specific fields are all optional here; which
 * belong to which `type`, and which are required, is checked in the semantic
 * pass (`step-fields.ts`) so the message can name the type.
 */
export class StepDto {
  @IsString()
  @Matches(STEP_ID, { message: `id ${STEP_ID_RULE}` })
  id!: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  description?: string;

  @IsIn(STEP_TYPES, { message: `type must be one of: ${STEP_TYPES.join(', ')}` })
  type!: StepType;

  @IsOptional()
  @IsValueMap('name → value, or name → { expression: "CEL" }')
  params?: Record<string, unknown>;

  @IsOptional()
  @IsArray({ message: 'depends_on must be a list of step ids' })
  @IsString({ each: true, message: 'each depends_on entry must be a step id' })
  depends_on?: string[];

  @IsOptional()
  @IsArray({ message: 'next must be a list of step ids or { step, if } maps' })
  @EachObjectOrShorthand(NextDto, 'step')
  @ValidateNested({
    each: true,
    message: 'each next entry must be a step id or a map like { step: load, if: "CEL" }',
  })
  next?: NextDto[];

  @IsOptional()
  @NestedObject(RetryPolicyDto)
  @ValidateNested({ message: 'retry_policy must be a map' })
  retry_policy?: RetryPolicyDto;

  @IsOptional()
  @IsDurationOrExpression()
  timeout?: unknown;

  @IsOptional()
  @IsIn(FAILURE_MODES, { message: `failure_mode must be one of: ${FAILURE_MODES.join(', ')}` })
  failure_mode?: FailureMode;

  @IsOptional()
  @IsValueMap('output name → CEL expression over `result`')
  outputs?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'pool must be lowercase letters, digits and - (at most 63)' })
  pool?: string;

  // sleep
  @IsOptional()
  @IsDurationOrExpression()
  duration?: unknown;

  // shell
  @IsOptional()
  @IsArgv()
  command?: string[];

  @IsOptional()
  @IsValueMap('environment variable → value, or → { expression: "CEL" }')
  env?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @MinLength(1)
  working_directory?: string;

  @IsOptional()
  @IsArray({ message: EXIT_CODES_RULE('non_retryable_exit_codes') })
  @ArrayMaxSize(256)
  @IsInt({ each: true, message: EXIT_CODES_RULE('non_retryable_exit_codes') })
  @Min(0, { each: true, message: EXIT_CODES_RULE('non_retryable_exit_codes') })
  @Max(255, { each: true, message: EXIT_CODES_RULE('non_retryable_exit_codes') })
  non_retryable_exit_codes?: number[];

  @IsOptional()
  @IsArray({ message: EXIT_CODES_RULE('retryable_exit_codes') })
  @ArrayMaxSize(256)
  @IsInt({ each: true, message: EXIT_CODES_RULE('retryable_exit_codes') })
  @Min(0, { each: true, message: EXIT_CODES_RULE('retryable_exit_codes') })
  @Max(255, { each: true, message: EXIT_CODES_RULE('retryable_exit_codes') })
  retryable_exit_codes?: number[];

  // http
  @IsOptional()
  @IsIn(HTTP_METHODS, { message: `method must be one of: ${HTTP_METHODS.join(', ')}` })
  method?: HttpStep['method'];

  /** A URL string or `{ expression }`; checked with the other values. */
  @Allow()
  url?: unknown;

  @IsOptional()
  @IsValueMap('header name → value, or → { expression: "CEL" }')
  headers?: Record<string, unknown>;

  @Allow()
  body?: unknown;

  @IsOptional()
  @IsArray()
  @IsInt({ each: true, message: 'success_statuses must be HTTP status codes (integers 100-599)' })
  @Min(100, { each: true, message: 'success_statuses must be HTTP status codes (integers 100-599)' })
  @Max(599, { each: true, message: 'success_statuses must be HTTP status codes (integers 100-599)' })
  success_statuses?: number[];

  // handler
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/, { message: 'handler must be a registered handler name' })
  handler?: string;

  // foreach
  /** name → list, `{ expression }` or `{ range: { from, to, step? } }`; each value is checked later, with its own path. */
  @IsOptional()
  @IsValueMap('loop param name → list, { expression: "CEL" } or { range: { from, to, step } }')
  loop_params?: Record<string, unknown>;

  @IsOptional()
  @IsInt({ message: 'concurrency must be a whole number of iterations at a time' })
  @Min(1, { message: 'concurrency must be at least 1' })
  concurrency?: number;

  @IsOptional()
  @IsBoolean({ message: 'ordered must be true or false' })
  ordered?: boolean;

  // foreach and while: the body, written like the workflow's own steps (edges from depends_on and next)
  @IsOptional()
  @IsArray({
    message: 'steps (the loop body) must be a list of steps, e.g. steps: [{ id: work, type: noop }]',
  })
  @EachNestedObject(StepDto)
  @ValidateNested({ each: true, message: 'each step must be a map with at least id and type' })
  steps?: StepDto[];

  // while
  @IsOptional()
  @IsString({ message: 'condition must be a CEL expression string, e.g. params.loop_index < 10' })
  @MinLength(1, { message: 'condition must be a CEL expression string, e.g. params.loop_index < 10' })
  condition?: string;

  @IsOptional()
  @IsInt({ message: 'max_iterations must be a whole number' })
  @Min(1, { message: 'max_iterations must be at least 1' })
  max_iterations?: number;

  // subworkflow
  @IsOptional()
  @IsString()
  @Matches(WORKFLOW_ID, { message: `workflow_id ${WORKFLOW_ID_RULE}` })
  workflow_id?: string;

  @IsOptional()
  @IsVersionSelector()
  version?: number | 'active';

  @IsOptional()
  @IsBoolean({ message: 'wait must be true or false' })
  wait?: boolean;

  @IsOptional()
  @IsBoolean({ message: 'inherit_params must be true or false' })
  inherit_params?: boolean;

  // wait_for_signal
  @IsOptional()
  @IsString()
  @Matches(SIGNAL_NAME, { message: `signal ${SIGNAL_NAME_RULE}` })
  signal?: string;

  @IsOptional()
  @IsValueMap('signal param name → value, or → { expression: "CEL" }')
  match?: Record<string, unknown>;
}
