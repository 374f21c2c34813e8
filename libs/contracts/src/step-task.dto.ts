import 'reflect-metadata';
import {
  Allow,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { decodeMessage, type Decoded } from './validate-message';
import type { ClassConstructor } from 'class-transformer';
import { STEP_TASK_SCHEMA_VERSION, type HttpMethod, type StepTask, type StepTaskType } from './step-task';

/**
 * Edge validation of records on a pool's step-tasks topic (TASK_PROTOCOL.md).
 * Other producers than Baton's engine may write there, and a bad task must
 * not crash the pool: it is dead-lettered with every problem and its JSON path.
 */

const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

/** An object whose values are all strings (env, headers). */
export function IsStringRecord(): PropertyDecorator {
  return ValidateBy({
    name: 'isStringRecord',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((item) => typeof item === 'string'),
      defaultMessage: (args) => `${args?.property ?? 'value'} must be an object of string values`,
    },
  });
}

class ShellSpecDto {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) command!: string[];
  @IsStringRecord() env!: Record<string, string>;
  @IsOptional() @IsString() @MinLength(1) workingDirectory?: string;
}

class HttpSpecDto {
  @IsIn(HTTP_METHODS) method!: HttpMethod;
  @IsString() @MinLength(1) url!: string;
  @IsStringRecord() headers!: Record<string, string>;
  /** Any JSON value. */
  @Allow() body?: unknown;
  @IsOptional() @IsArray() @IsInt({ each: true }) successStatuses?: number[];
}

class HandlerSpecDto {
  @IsString() @MinLength(1) name!: string;
}

/**
 * The spec DTO of every task type, keyed by the protocol's types (a new type
 * does not compile without its entry). `null`: the spec is `{}`, which a DTO
 * without properties cannot express (class-validator refuses it as unknown).
 */
export const SPEC_DTOS: { readonly [T in StepTaskType]: ClassConstructor<object> | null } = {
  noop: null,
  shell: ShellSpecDto,
  http: HttpSpecDto,
  handler: HandlerSpecDto,
};
/** Derived from the table of spec DTOs, so it cannot fall behind the protocol. */
const STEP_TYPES = Object.keys(SPEC_DTOS) as readonly StepTaskType[];

export class StepTaskDto {
  @IsIn([STEP_TASK_SCHEMA_VERSION]) schemaVersion!: number;
  @IsString() @MinLength(1) @MaxLength(200) runId!: string;
  @IsString() @MinLength(1) workflowId!: string;
  @IsInt() @Min(1) workflowVersion!: number;
  @IsString() @MinLength(1) stepId!: string;
  @IsInt() @Min(1) attempt!: number;
  @IsString() @MinLength(1) pool!: string;
  @IsIn(STEP_TYPES) type!: StepTaskType;
  @IsObject() params!: object;
  @IsOptional() @IsInt() @Min(1) timeoutMs?: number;
  @IsInt() @Min(1) leaseMs!: number;
  /** Checked by the spec DTO of `type` (`SPEC_DTOS`). */
  @IsObject() spec!: object;
}

/** The attempt a record is about, when that much can be read from it (see `decodeStepTask`). */
export interface AttemptIdentity {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
}

export type DecodedTask =
  | { readonly ok: true; readonly task: StepTask }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly problems: { path: string; message: string }[];
      /** Present when the record names an attempt, so the engine can be told it failed. */
      readonly identity: AttemptIdentity | null;
    };

/**
 * Validates one task record. When the task is refused but still names its
 * attempt (`runId`, `stepId`, `attempt` readable), `identity` says which, so
 * the pool can fail the attempt as a platform error instead of leaving the
 * step `ready` forever (TASK_PROTOCOL.md: an unknown version or type is
 * reported `failed/platform`).
 */
export function decodeStepTask(value: string | null): DecodedTask {
  const decoded = decodeMessage(StepTaskDto, value);
  if (!decoded.ok) return refused(decoded, value);
  const task = decoded.value as unknown as StepTask;
  const problems = specProblems(task);
  if (problems.length > 0)
    return refused({ ok: false, reason: `invalid ${task.type} spec`, problems }, value);
  return { ok: true, task };
}

function specProblems(task: StepTask): { path: string; message: string }[] {
  const dto = SPEC_DTOS[task.type];
  if (dto === null) {
    return Object.keys(task.spec).map((key) => ({
      path: `$.spec.${key}`,
      message: `property ${key} should not exist`,
    }));
  }
  const spec = decodeMessage(dto, JSON.stringify(task.spec));
  if (spec.ok) return [];
  return spec.problems.map((problem) => ({
    path: problem.path.replace(/^\$/, '$.spec'),
    message: problem.message,
  }));
}

function refused(decoded: Extract<Decoded<unknown>, { ok: false }>, value: string | null): DecodedTask {
  const reason = decoded.reason === 'invalid StepTask' ? 'invalid step task' : decoded.reason;
  return { ok: false, reason, problems: decoded.problems, identity: identityOf(value) };
}

function identityOf(value: string | null): AttemptIdentity | null {
  if (value === null) return null;
  let plain: unknown;
  try {
    plain = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof plain !== 'object' || plain === null) return null;
  const { runId, stepId, attempt } = plain as Record<string, unknown>;
  const named = (text: unknown): text is string =>
    typeof text === 'string' && text.length > 0 && text.length <= 200;
  if (!named(runId) || !named(stepId) || !Number.isInteger(attempt) || (attempt as number) < 1) return null;
  return { runId, stepId, attempt: attempt as number };
}
