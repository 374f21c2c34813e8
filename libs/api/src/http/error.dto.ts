import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI schema of one entry of `errors` (documentation only). */
export class FieldErrorDto {
  @ApiProperty({ example: '$.steps[1].depends_on[0]', description: 'JSON path into the body (or the query)' })
  path!: string;

  @ApiProperty({ example: "depends_on names 'extrct', which is not a step id of this workflow" })
  message!: string;

  @ApiPropertyOptional({ description: '1-based line in the pushed document' })
  line?: number;

  @ApiPropertyOptional({ description: '1-based column in the pushed document' })
  column?: number;
}

/** OpenAPI schema of every non-2xx answer (documentation only). */
export class ErrorDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'the workflow document has 2 errors' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Every problem found, on 400s' })
  errors?: FieldErrorDto[];
}
