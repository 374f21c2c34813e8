import { Allow, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { ParamType } from '@baton/domain';

export const PARAM_TYPES: readonly ParamType[] = ['string', 'long', 'double', 'boolean', 'map', 'array'];

/** `params.<name>` in the document. */
export class ParamDto {
  @IsIn(PARAM_TYPES, { message: `type must be one of: ${PARAM_TYPES.join(', ')}` })
  type!: ParamType;

  /** Checked against `type` in the semantic pass. */
  @Allow()
  default?: unknown;

  @IsOptional()
  @IsString()
  expression?: string;

  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  description?: string;

  /** A secret string: sealed at the edge or a reference `env:NAME` / `file:PATH`, resolved by the executor. */
  @IsOptional()
  @IsBoolean()
  secret?: boolean;
}
