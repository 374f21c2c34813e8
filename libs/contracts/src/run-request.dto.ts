import 'reflect-metadata';
import { Type } from 'class-transformer';
import { JSONSchema } from 'class-validator-jsonschema';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
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
import type { JsonObject, ParentLink } from '@baton/domain';
import { JsonBounds } from './json-bounds.validator';
import type { SubworkflowParent } from './run-request';

class ParentLinkDto implements ParentLink {
  @IsString() @MinLength(1) @MaxLength(200) runId!: string;
  @IsString() @MinLength(1) @MaxLength(200) stepId!: string;
  @IsInt() @Min(1) attempt!: number;
  @IsInt() @Min(0) index!: number;
  @IsInt() @Min(1) depth!: number;
  @IsBoolean() notify!: boolean;
}

class SubworkflowParentDto implements SubworkflowParent {
  @IsString() @MinLength(1) @MaxLength(200) runId!: string;
  @ValidateNested() @Type(() => ParentLinkDto) link!: ParentLinkDto;
  @IsObject() @JsonBounds() inheritedParams!: JsonObject;
}

/** Validation of a `RunRequest` arriving from Kafka (the edge; inside, the type is trusted). */
export class RunRequestDto {
  @Equals(1, { message: 'schemaVersion must be 1' })
  schemaVersion!: 1;

  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/, {
    message: 'workflowId must be a workflow id like sales.daily',
  })
  workflowId!: string;

  @JSONSchema(() => ({
    oneOf: [
      { type: 'integer', minimum: 1 },
      { type: 'string', enum: ['active'] },
    ],
  }))
  @IsOptional()
  @ValidateIf((o: RunRequestDto) => o.version !== 'active')
  @IsInt({ message: "version must be a version number or 'active'" })
  @Min(1)
  version?: number | 'active';

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  requestId!: string;

  @IsOptional()
  @IsObject({ message: 'params must be an object of param names to values' })
  @JsonBounds()
  params?: JsonObject;

  @IsOptional()
  @IsInt()
  @Min(0)
  requestedAt?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1_000)
  @IsString({ each: true })
  breakpoints?: string[];

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  requestedBy?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => SubworkflowParentDto)
  parent?: SubworkflowParentDto;
}
