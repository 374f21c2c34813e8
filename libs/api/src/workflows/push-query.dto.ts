import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/**
 * `true` and `false` as written; anything else stays a string for
 * `@IsBoolean` to refuse (a 400 naming the parameter), and an empty value
 * (`?activate=`) means the parameter is absent, as for integers.
 */
const queryBoolean = ({ value }: { value: unknown }): unknown => {
  if (value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
};

/** Query of `POST /workflows` (the body is the document itself). */
export class PushQueryDto {
  @ApiPropertyOptional({
    type: 'boolean',
    default: true,
    description:
      'Make the pushed version the active one (the default, as Maestro does; it also ends a ' +
      'deactivation). false keeps the active version as it is; a workflow’s first version is ' +
      'active either way. The answer’s activeVersion says which version is active.',
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'activate must be true or false' })
  activate?: boolean;
}
