import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsObject, IsString, Min, ValidateIf, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import type { DeadLetter } from './dead-letter';

/**
 * The shape of `baton.dead-letters` records. Baton only writes them
 * (`deadLetterRecord`); the class is the definition `schemas/dead-letter.json`
 * is generated from, and its spec checks what `deadLetterRecord` writes.
 */
class ProblemDto {
  @IsString() path!: string;
  @IsString() message!: string;
}

class DeadLetterSourceDto {
  @IsString() topic!: string;
  @IsInt() @Min(0) partition!: number;
  @IsInt() @Min(0) offset!: number;
  @IsString() key!: string;
}

export class DeadLetterDto implements DeadLetter {
  @IsIn([1]) schemaVersion!: 1;
  @IsString() reason!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ProblemDto) problems!: ProblemDto[];
  @ValidateNested() @Type(() => DeadLetterSourceDto) source!: DeadLetterSourceDto;
  /** The refused record's value, verbatim (it may not be JSON); null for an empty record. */
  @JSONSchema({ type: ['string', 'null'] })
  @ValidateIf((letter: DeadLetterDto) => letter.value !== null)
  @IsString()
  value!: string | null;
  @JSONSchema({ type: 'object', additionalProperties: { type: 'string' } })
  @IsObject()
  headers!: Record<string, string>;
  @IsInt() @Min(0) at!: number;
}
